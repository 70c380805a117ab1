import Foundation

/// What a property's value must be, per the type table.
public enum ValueKind: Sendable, Hashable, CustomStringConvertible {
    /// A number with a unit of one of these dimensions (`850 cfm`).
    case quantity([Dimension])
    /// `true` or `false`.
    case boolean
    /// `YYYY-MM-DD`.
    case date
    /// Any scalar.
    case string
    /// The id of another object: a string, never a bare number.
    case reference
    /// A plain number without a unit (`3`, `0.85`).
    case number
    /// A plain whole number (`42`).
    case integer
    /// Any of several kinds (`number|temperature`).
    indirect case either([ValueKind])

    /// Reads a kind as written in the table: `boolean`, `date`, `string`, `ref`, `number`, `integer`, a dimension
    /// name, or several of these joined by `|`.
    public init?(spec: String) {
        let parts = spec.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { return nil }
        var kinds = [ValueKind]()
        var dimensions = [Dimension]()
        for part in parts {
            switch part {
            case "boolean": kinds.append(.boolean)
            case "date": kinds.append(.date)
            case "string": kinds.append(.string)
            case "ref": kinds.append(.reference)
            case "number": kinds.append(.number)
            case "integer": kinds.append(.integer)
            default:
                guard let dimension = Dimension(rawValue: part) else { return nil }
                dimensions.append(dimension)
            }
        }
        if !dimensions.isEmpty { kinds.append(.quantity(dimensions)) }
        self = kinds.count == 1 ? kinds[0] : .either(kinds)
    }

    /// The kind as written in the table and in docs/model.md.
    public var description: String {
        switch self {
        case let .quantity(dimensions): dimensions.map(\.rawValue).joined(separator: "|")
        case .boolean: "boolean"
        case .date: "date"
        case .string: "string"
        case .reference: "ref"
        case .number: "number"
        case .integer: "integer"
        case let .either(kinds): kinds.map(\.description).joined(separator: "|")
        }
    }

    /// The dimensions a quantity of this kind may have (empty when the kind takes no quantity).
    public var dimensions: [Dimension] {
        switch self {
        case let .quantity(dimensions): dimensions
        case let .either(kinds): kinds.flatMap(\.dimensions)
        default: []
        }
    }
}

/// One known property (or top-level field) of a type.
public struct PropertySchema: Sendable, Hashable {
    public var name: String
    public var kind: ValueKind
    /// Changed on two branches, it always conflicts, even when both sides agree (life-safety settings).
    public var strict: Bool
    /// An object of the type must have it.
    public var required: Bool

    public init(name: String, kind: ValueKind, strict: Bool = false, required: Bool = false) {
        self.name = name; self.kind = kind; self.strict = strict; self.required = required
    }
}

/// One row of the type table: an arxos type, its Brick class, Haystack markers, strictness and known properties.
public struct TypeEntry: Sendable, Hashable {
    public var name: String
    public var brickClass: String
    public var haystackMarkers: [String]
    /// Every field of an object of this type is strict (fire and smoke dampers, smoke control).
    public var strict: Bool
    /// The strict property names (the type's own and the common ones).
    public var strictProperties: Set<String>
    /// A one-line description.
    public var summary: String
    /// The known properties (inside `properties`), the type's own first, then the common ones, in table order.
    public var properties: [PropertySchema]

    /// The schema of a property inside `properties`, nil if the table does not know it.
    public func property(_ name: String) -> PropertySchema? { properties.first { $0.name == name } }
}

/// Why the type table did not read; the shipped table is checked by a test, so this concerns edited copies.
public enum TypeTableError: Error, LocalizedError, Equatable {
    case malformed(String)

    public var errorDescription: String? {
        switch self {
        case let .malformed(problem): "the type table is malformed: \(problem); fix TypeTableData.swift (format in docs/model.md)"
        }
    }
}

/// The arxos types with their Brick classes, Haystack markers, strict flags and property schemas, read from the YAML
/// shipped in the binary (`TypeTableData.swift`, documented in docs/model.md). Unknown types are not in the table:
/// they are kept, and `validate` reports them as unknown.
public struct TypeTable: Sendable {
    /// The table shipped with arxos.
    public static let standard: TypeTable = (try? TypeTable(yaml: typeTableYAML)) ?? TypeTable(entries: [], commonFields: [], commonProperties: [])

    /// Every type, in table order.
    public let entries: [TypeEntry]
    /// Top-level fields every object may have (`installDate`, `manufacturer`, …) with their kinds.
    public let commonFields: [PropertySchema]
    /// Properties known for every type (life-safety modes), already merged into each entry.
    public let commonProperties: [PropertySchema]
    private let byName: [String: Int]

    init(entries: [TypeEntry], commonFields: [PropertySchema], commonProperties: [PropertySchema]) {
        self.entries = entries
        self.commonFields = commonFields
        self.commonProperties = commonProperties
        var byName = [String: Int]()
        for (index, entry) in entries.enumerated() { byName[entry.name] = index }
        self.byName = byName
    }

    /// The entry of a type; nil for unknown types.
    public func entry(_ type: String) -> TypeEntry? { byName[type].map { entries[$0] } }

    /// Whether `property` of an object of `type` is strict: the whole type is, or the property (a name inside
    /// `properties`, or a top-level field name) is flagged, for the type or for every type.
    public func isStrict(type: String, property: String) -> Bool {
        if let entry = entry(type) { return entry.strict || entry.strictProperties.contains(property) }
        return commonProperties.contains { $0.name == property && $0.strict }
    }

    /// The kind of a top-level field common to all types, nil if it is not one.
    public func field(_ name: String) -> PropertySchema? { commonFields.first { $0.name == name } }

    /// Reads a table in the format of `TypeTableData.swift`.
    public init(yaml: String) throws(TypeTableError) {
        guard let documents = ValueReader.documents(Array(yaml.utf8)), let root = documents.first?.fields else {
            throw .malformed("it is not a YAML mapping")
        }
        func map(_ value: ModelValue?, _ what: String) throws(TypeTableError) -> [ModelValue.Field] {
            guard let value else { return [] }
            guard let fields = value.fields else { throw .malformed("\(what) is not a mapping") }
            return fields
        }
        func schemas(_ fields: [ModelValue.Field], _ what: String) throws(TypeTableError) -> [PropertySchema] {
            var out = [PropertySchema]()
            for field in fields {
                var spec = field.value.text
                var strict = false, required = false
                if let options = field.value.fields {
                    for option in options {
                        switch option.key {
                        case "kind": spec = option.value.text
                        case "strict": strict = option.value.text == "true"
                        case "required": required = option.value.text == "true"
                        default: throw .malformed("\(what).\(field.key) has an unknown option '\(option.key)'")
                        }
                    }
                }
                guard let spec, let kind = ValueKind(spec: spec) else {
                    throw .malformed("\(what).\(field.key) has no known kind")
                }
                out.append(PropertySchema(name: field.key, kind: kind, strict: strict, required: required))
            }
            return out
        }
        let common = try map(root.first { $0.key == "common" }?.value, "common")
        let commonFields = try schemas(try map(common.first { $0.key == "fields" }?.value, "common.fields"), "common.fields")
        let commonProperties = try schemas(try map(common.first { $0.key == "properties" }?.value, "common.properties"), "common.properties")
        var entries = [TypeEntry]()
        for type in try map(root.first { $0.key == "types" }?.value, "types") {
            let fields = try map(type.value, "type '\(type.key)'")
            func text(_ key: String) -> String? { fields.first { $0.key == key }?.value.text }
            guard ObjectFile.isValidType(type.key) else { throw .malformed("'\(type.key)' is not a valid type name") }
            guard let brick = text("brick"), brick.hasPrefix("brick:") else {
                throw .malformed("type '\(type.key)' has no 'brick' class such as brick:VAV")
            }
            guard let markers = fields.first(where: { $0.key == "haystack" })?.value.idList, !markers.isEmpty else {
                throw .malformed("type '\(type.key)' has no 'haystack' markers")
            }
            for field in fields where !["brick", "haystack", "summary", "strict", "properties"].contains(field.key) {
                throw .malformed("type '\(type.key)' has an unknown key '\(field.key)'")
            }
            let own = try schemas(try map(fields.first { $0.key == "properties" }?.value, "\(type.key).properties"), type.key)
            let properties = own + commonProperties.filter { common in !own.contains { $0.name == common.name } }
            entries.append(TypeEntry(
                name: type.key, brickClass: brick, haystackMarkers: markers, strict: text("strict") == "true",
                strictProperties: Set(properties.filter(\.strict).map(\.name)), summary: text("summary") ?? "",
                properties: properties))
        }
        guard !entries.isEmpty else { throw .malformed("it has no 'types'") }
        self.init(entries: entries, commonFields: commonFields, commonProperties: commonProperties)
    }
}

extension TypeTable {
    /// The table as the Markdown of docs/model.md ("The type table"), which a test keeps equal to the data.
    public func markdown() -> String {
        let commonStrict = Set(commonProperties.filter(\.strict).map(\.name))
        var lines = [
            "| type | Brick class | Haystack markers | strict | known properties (kind) |",
            "|---|---|---|---|---|",
        ]
        for entry in entries {
            let own = entry.properties.filter { property in !commonProperties.contains { $0.name == property.name } }
            let strict = entry.strict ? "**whole type**" : entry.strictProperties.subtracting(commonStrict).sorted().map { "`\($0)`" }.joined(separator: ", ")
            // A `|` inside a table cell is escaped.
            let properties = own.map { "`\($0.name)` (\($0.kind.description.replacingOccurrences(of: "|", with: "\\|"))\($0.required ? ", required" : ""))" }
                .joined(separator: ", ")
            lines.append("| `\(entry.name)` | `\(entry.brickClass)` | \(entry.haystackMarkers.joined(separator: ", ")) | \(strict.isEmpty ? "—" : strict) | \(properties.isEmpty ? "—" : properties) |")
        }
        lines.append("")
        lines.append("Every type: fields " + commonFields.map { "`\($0.name)` (\($0.kind))" }.joined(separator: ", ")
                     + "; properties " + commonProperties.map { "`\($0.name)` (\($0.kind)\($0.strict ? ", strict" : ""))" }.joined(separator: ", ") + ".")
        return lines.joined(separator: "\n") + "\n"
    }
}
