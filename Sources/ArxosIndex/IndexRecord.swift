import Foundation
import ArxosModel

/// One object as the index stores it: its columns, its properties (quantities in their dimension's base unit) and its
/// relations. Made from an `ArxObject` without I/O.
struct IndexRecord: Sendable, Equatable {
    var id: String
    var type: String
    var name: String?
    var file: String
    var properties: [PropertyRow]
    var relations: [RelationRow]

    /// One indexed property: `raw` as written; `value` the number (a quantity in the base unit of `dimension`).
    struct PropertyRow: Sendable, Equatable {
        var name: String
        var raw: String
        var value: Double?
        var unit: String?
        var dimension: String?
        var tolerance: Double?
    }

    struct RelationRow: Sendable, Equatable {
        var name: String
        var target: String
    }

    /// Top-level fields that are columns or relations, or that the index leaves out (`refs`: foreign ids).
    static let notProperties: Set<String> = Set(["id", "type", "name", "location", "properties", "refs", "$conflicts"])
        .union(ArxObject.relationKeys)

    init(_ object: ArxObject) {
        id = object.id
        type = object.type
        file = object.path
        name = object["name"]?.text
        var properties = [PropertyRow]()
        var seen = Set<String>()
        if let fields = object["properties"]?.fields {
            Self.flatten(fields, prefix: "", into: &properties, seen: &seen)
        }
        // Lifecycle and other top-level fields read like properties; a property of the same name wins.
        let others = object.fields.filter { !Self.notProperties.contains($0.key) }
        Self.flatten(others, prefix: "", into: &properties, seen: &seen)
        self.properties = properties
        var relations = [RelationRow]()
        if let location = object["location"]?.text, !location.isEmpty {
            relations.append(RelationRow(name: "location", target: location))
        }
        for key in ["feeds", "fedBy", "points", "partOf"] {
            guard let ids = object[key]?.idList else { continue }
            var targets = Set<String>()
            for target in ids where !target.isEmpty && targets.insert(target).inserted {
                relations.append(RelationRow(name: key, target: target))
            }
        }
        self.relations = relations
    }

    private static func flatten(_ fields: [ModelValue.Field], prefix: String, into rows: inout [PropertyRow], seen: inout Set<String>) {
        for field in fields {
            let name = prefix.isEmpty ? field.key : prefix + "." + field.key
            switch field.value {
            case let .map(inner):
                flatten(inner, prefix: name, into: &rows, seen: &seen)
            case let .scalar(text, plain):
                guard seen.insert(name).inserted else { continue }
                if plain && ["", "~", "null"].contains(text) { continue }
                rows.append(row(name: name, text: text))
            case .list:
                guard seen.insert(name).inserted else { continue }
                rows.append(PropertyRow(name: name, raw: field.value.display))
            }
        }
    }

    /// A scalar's row: a quantity in its base unit, a plain number, or text.
    static func row(name: String, text: String) -> PropertyRow {
        if let number = plainNumber(text) {
            return PropertyRow(name: name, raw: text, value: number)
        }
        if let quantity = quantity(text) {
            return PropertyRow(name: name, raw: text, value: quantity.base, unit: quantity.unit.symbol,
                               dimension: quantity.unit.dimension.rawValue, tolerance: quantity.tolerance)
        }
        return PropertyRow(name: name, raw: text)
    }

    /// `text` as a quantity, read as `Quantity.parseStrict` reads one, or nil. Cheaper on the failures that make up
    /// most values (dates, times, names): no error and no spelling suggestion is made for them.
    static func quantity(_ text: String) -> Quantity? {
        guard let lead = text.unicodeScalars.first(where: { !$0.properties.isWhitespace }),
              ("0"..."9").contains(lead) || "+-\u{2212}".unicodeScalars.contains(lead) else { return nil }
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        var literal = ""
        if i < scalars.count, "+-\u{2212}".unicodeScalars.contains(scalars[i]) {
            if scalars[i] != "+" { literal = "-" }
            i += 1
        }
        let digits = i
        while i < scalars.count, ("0"..."9").contains(scalars[i]) { literal.unicodeScalars.append(scalars[i]); i += 1 }
        guard i > digits else { return nil }
        var decimals = 0
        if i < scalars.count, scalars[i] == "." {
            literal.append(".")
            i += 1
            let fraction = i
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { literal.unicodeScalars.append(scalars[i]); i += 1 }
            decimals = i - fraction
            guard decimals > 0 else { return nil }
        }
        if i < scalars.count {
            let next = scalars[i]
            if [",", ".", "_"].contains(next) { return nil }
            if next == "e" || next == "E", i + 1 < scalars.count, ("0"..."9").contains(scalars[i + 1]) || ["+", "-"].contains(scalars[i + 1]) {
                return nil
            }
        }
        // A unit starts with a letter or a sign such as °, Δ, %, " (a date's '-' or a time's ':' does not).
        var first = i
        while first < scalars.count, scalars[first].properties.isWhitespace { first += 1 }
        guard first < scalars.count, !("0"..."9").contains(scalars[first]), !"-:/+.,;".unicodeScalars.contains(scalars[first]) else {
            return nil
        }
        let rest = String(String.UnicodeScalarView(scalars[first...])).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rest.isEmpty, let value = Double(literal), value.isFinite, let unit = UnitTable.unit(rest) else { return nil }
        return Quantity(value: value, unit: unit, decimals: decimals)
    }

    /// `text` as a plain decimal number (`150`, `-3.5`), nil otherwise.
    static func plainNumber(_ text: String) -> Double? {
        var sawDigit = false, sawPoint = false, index = 0
        for scalar in text.unicodeScalars {
            defer { index += 1 }
            switch scalar {
            case "0"..."9": sawDigit = true
            case "-", "+": if index != 0 { return nil }
            case ".":
                if sawPoint || !sawDigit { return nil }
                sawPoint = true
            default: return nil
            }
        }
        guard sawDigit, text.last != "." else { return nil }
        return Double(text)
    }

    /// The floor level this object declares, when it is a floor with a whole-number `level` property.
    var level: Int? {
        guard type == "floor", let raw = properties.first(where: { $0.name == "level" })?.raw else { return nil }
        return Int(raw)
    }

    /// What the derived fields of this object and of the objects inside it depend on.
    var containment: Containment {
        Containment(type: type, level: level,
                    parents: relations.filter { $0.name == "location" }.map(\.target)
                        + relations.filter { $0.name == "partOf" }.map(\.target).sorted(),
                    points: relations.filter { $0.name == "points" }.map(\.target))
    }
}

/// The part of an object that decides the `building` and `floor` of it and of what it contains.
struct Containment: Sendable, Equatable {
    var type: String
    var level: Int?
    /// `location`, then the `partOf` ids in sorted order.
    var parents: [String]
    /// The ids in `points`: each of them is inside this object.
    var points: [String]
}
