import ArxosModel

/// Brick namespaces, relation names and the class → arxos type rules of docs/import.md.
public enum BrickVocabulary {
    /// The unversioned Brick namespace that export writes.
    public static let namespace = "https://brickschema.org/schema/Brick#"

    /// The local name of a class or relation IRI in any Brick namespace version (`…/Brick#`, `…/1.0.2/Brick#`,
    /// `…/1.0.2/BrickFrame#`, http or https); nil for other IRIs (including `Brick/ref#` and `BrickTag#`).
    public static func localName(_ iri: String) -> String? {
        let rest: Substring
        if iri.hasPrefix("https://brickschema.org/schema/") {
            rest = iri.dropFirst("https://brickschema.org/schema/".count)
        } else if iri.hasPrefix("http://brickschema.org/schema/") {
            rest = iri.dropFirst("http://brickschema.org/schema/".count)
        } else {
            return nil
        }
        guard let hash = rest.firstIndex(of: "#") else { return nil }
        let head = rest[..<hash]
        let local = rest[rest.index(after: hash)...]
        guard !local.isEmpty else { return nil }
        if head == "Brick" || head == "BrickFrame" { return String(local) }
        // `<version>/Brick` or `<version>/BrickFrame`, the version starting with a digit and holding no `/`.
        guard let slash = head.firstIndex(of: "/"), head.first?.isNumber == true else { return nil }
        let name = head[head.index(after: slash)...]
        return name == "Brick" || name == "BrickFrame" ? String(local) : nil
    }

    /// The arxos relations, by Brick relation name: the field and whether the triple is turned around.
    enum Relation: Sendable {
        case location, feeds, fedBy, points, partOf

        /// The arxos field name.
        var field: String {
            switch self {
            case .location: return "location"
            case .feeds: return "feeds"
            case .fedBy: return "fedBy"
            case .points: return "points"
            case .partOf: return "partOf"
            }
        }
    }

    /// `(relation, inverse)` for a Brick relation's local name: inverse means the triple's object holds the field.
    static func relation(_ local: String) -> (Relation, inverse: Bool)? {
        switch local {
        case "hasLocation": return (.location, false)
        case "isLocationOf": return (.location, true)
        case "feeds": return (.feeds, false)
        case "isFedBy": return (.fedBy, false)
        case "hasPoint": return (.points, false)
        case "isPointOf": return (.points, true)
        case "isPartOf": return (.partOf, false)
        case "hasPart": return (.partOf, true)
        default: return nil
        }
    }

    /// The predicates read as a name.
    static let labelPredicates: Set<String> = [
        Vocabulary.label, namespace + "label", "http://www.w3.org/2004/02/skos/core#prefLabel",
    ]

    /// QUDT unit local names with an arxos unit symbol.
    static let qudtUnits: [String: String] = [
        "DEG_C": "°C", "DEG_F": "°F", "K": "K", "W": "W", "KiloW": "kW", "MegaW": "MW", "V": "V", "KiloV": "kV",
        "A": "A", "MilliA": "mA", "VA": "VA", "KiloVA": "kVA", "PERCENT": "%", "HR": "h", "MIN": "min", "SEC": "s",
        "KiloW-HR": "kWh", "W-HR": "Wh", "PA": "Pa", "KiloPA": "kPa", "PSI": "psi", "IN_H2O": "inH₂O",
        "FT3-PER-MIN": "cfm", "L-PER-SEC": "L/s", "M3-PER-HR": "m³/h", "M3-PER-SEC": "m³/s", "GAL_US-PER-MIN": "gpm",
        "M2": "m²", "FT2": "ft²", "M": "m", "FT": "ft", "IN": "in", "HZ": "Hz", "REV-PER-MIN": "rpm",
        "BTU_IT-PER-HR": "BTU/h", "TON_FG": "ton", "HP": "hp",
    ]
}

/// Maps Brick classes to arxos types (rules 1–4 of docs/import.md), remembering each answer.
struct ClassMapper {
    /// The rule that gave a class its type: lower is more specific.
    enum Rule: Int, Comparable, Sendable {
        case table = 1, declaredSubclass = 2, suffix = 3, unknown = 4
        static func < (a: Rule, b: Rule) -> Bool { a.rawValue < b.rawValue }
    }

    private let byLocal: [String: String]
    private let superclass: [String: String]
    private var cache: [String: (type: String, rule: Rule)] = [:]

    /// A mapper for the type table and the `rdfs:subClassOf` declarations of the file (class → first superclass).
    init(table: TypeTable, superclass: [String: String]) {
        var byLocal = [String: String]()
        for entry in table.entries {
            let local = entry.brickClass.split(separator: ":").last.map(String.init) ?? entry.brickClass
            if byLocal[local] == nil { byLocal[local] = entry.name }
        }
        self.byLocal = byLocal
        self.superclass = superclass
    }

    /// The type and rule for a Brick class IRI.
    mutating func map(_ iri: String) -> (type: String, rule: Rule) {
        if let known = cache[iri] { return known }
        let result = compute(iri, depth: 0)
        cache[iri] = result
        return result
    }

    private func compute(_ iri: String, depth: Int) -> (type: String, rule: Rule) {
        let local = BrickVocabulary.localName(iri) ?? localPart(iri)
        if let type = byLocal[local] { return (type, .table) }
        if depth < 10, let parent = superclass[iri] {
            let inherited = compute(parent, depth: depth + 1)
            if inherited.rule != .unknown { return (inherited.type, .declaredSubclass) }
        }
        var best: (type: String, length: Int)?
        for (tableLocal, type) in byLocal where local.hasSuffix("_" + tableLocal) {
            if tableLocal.count > (best?.length ?? 0) { best = (type, tableLocal.count) }
        }
        if let best { return (best.type, .suffix) }
        return (ClassMapper.fallback(local), .unknown)
    }

    /// Rule 4: a type for a class arxos does not know, from its name.
    static func fallback(_ local: String) -> String {
        if local.hasSuffix("Zone") { return "zone" }
        for word in ["Space", "Room", "Floor", "Wing", "Area", "Apartment", "Storey"] where local.hasSuffix(word) {
            return "space"
        }
        for word in ["System", "Unit", "Loop", "Plant"] where local.hasSuffix(word) { return "equipment" }
        if local == "Unknown" { return "point" }
        for word in ["Status", "Alarm", "Limit", "Parameter", "Mode", "Point"] where local.hasSuffix(word) { return "point" }
        for word in ["Temperature", "Humidity", "Pressure", "Flow", "Water", "Air", "Enable", "Disable"] where local.contains(word) {
            return "point"
        }
        return "equipment"
    }
}

/// The local name of an IRI: after the last `#`, else the last `/`, else the last `:`.
func localPart(_ iri: String) -> String {
    if let hash = iri.lastIndex(of: "#") { return String(iri[iri.index(after: hash)...]) }
    if let slash = iri.lastIndex(of: "/") { return String(iri[iri.index(after: slash)...]) }
    if let colon = iri.lastIndex(of: ":") { return String(iri[iri.index(after: colon)...]) }
    return iri
}
