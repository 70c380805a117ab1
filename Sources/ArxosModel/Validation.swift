import Foundation

/// How bad a rule violation is: errors fail `arxos validate`, warnings are reported.
public enum Severity: String, Sendable, Codable, Comparable {
    case warning, error
    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// One broken rule, located at the object that breaks it (or, once `FieldLines.locate` has run, at the field).
public struct Violation: Sendable, Codable, Hashable, CustomStringConvertible {
    public var rule: String
    public var severity: Severity
    public var object: String
    public var path: String
    public var line: Int
    public var message: String
    /// The field the violation is about: a top-level field (`location`) or `properties.NAME`; nil for the object.
    public var field: String?

    public init(rule: String, severity: Severity, object: String, path: String, line: Int, message: String, field: String? = nil) {
        self.rule = rule; self.severity = severity; self.object = object; self.path = path; self.line = line
        self.message = message; self.field = field
    }

    public var description: String { "\(path):\(line): \(severity.rawValue): \(object): \(message) [\(rule)]" }
}

/// Finds objects of a state by id, for the rules that look past one object.
public protocol ObjectLookup {
    /// The object with this id, nil if the state has none.
    func object(_ id: String) -> ArxObject?
    /// Whether the state has an object with this id (may be cheaper than reading it).
    func contains(_ id: String) -> Bool
}

/// A lookup over objects held in memory.
public struct ObjectDictionary: ObjectLookup {
    public var byID: [String: ArxObject]
    public init(_ objects: [ArxObject]) {
        var byID = [String: ArxObject](minimumCapacity: objects.count)
        for object in objects { byID[object.id] = object }
        self.byID = byID
    }
    public func object(_ id: String) -> ArxObject? { byID[id] }
    public func contains(_ id: String) -> Bool { byID[id] != nil }
}

/// The schema checks and domain rules of docs/model.md.
///
/// `validate` checks a whole state. The same checks are split for incremental use (capture): `checkObject` needs only
/// the object, `checkLinks` follows its location and relations through an `ObjectLookup`, and `checkPanelLoad` sums
/// the loads of one panel.
public struct Validator: Sendable {
    /// Every built-in rule: id, default severity, what it checks.
    public static let rules: [(id: String, severity: Severity, summary: String)] = [
        ("relation-target", .error, "every id in location, feeds, fedBy, points and partOf names an object of the state"),
        ("reference-kind", .error, "location, relations and ref properties hold object ids: not numbers, maps or nested lists"),
        ("location-cycle", .error, "following location from an object never comes back to it"),
        ("property-unit", .error, "a known quantity property has a known unit of the right dimension; no value names an unknown unit such as °Q"),
        ("property-kind", .error, "a known property or field holds the kind the type table gives (boolean, date, number, …)"),
        ("required-property", .error, "the properties the type table marks required are present"),
        ("vav-airflow-range", .error, "a VAV's minAirflow is at most its maxAirflow"),
        ("heating-below-cooling", .error, "a heating setpoint is at most the cooling setpoint of the same object"),
        ("zone-setpoint-range", .warning, "zone temperature setpoints lie between 10 °C and 35 °C"),
        ("breaker-rating", .error, "a circuit's breakerRating is at most the rating of the panel it is part of or fed by"),
        ("panel-load", .error, "the connectedLoad of everything a panel feeds adds up to at most the panel's rating"),
        ("install-date-future", .error, "installDate is not in the future"),
        ("unknown-type", .warning, "the type is one of the known types (unknown types are kept, but flagged)"),
    ]

    /// Severities by rule id (built-in and threshold rules); a rule mapped to nil is off.
    public var severities: [String: Severity?]
    public var today: Date
    public var table: TypeTable
    /// The repository's own rules (`.arxos-rules.yaml`).
    public var thresholds: [ThresholdRule]
    /// Today as `YYYYMMDD` in UTC, for comparing install dates without a date formatter.
    private let todayKey: Int

    public init(today: Date = Date(), overrides: [String: String] = [:], thresholds: [ThresholdRule] = [],
                table: TypeTable = .standard) {
        var severities = [String: Severity?]()
        for rule in Validator.rules { severities[rule.id] = rule.severity }
        for rule in thresholds { severities[rule.id] = rule.severity }
        for (id, value) in overrides where severities[id] != nil {
            severities[id] = value == "off" ? .some(nil) : Severity(rawValue: value).map { .some($0) } ?? severities[id]
        }
        self.severities = severities
        self.today = today
        self.table = table
        self.thresholds = thresholds
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: today)
        todayKey = (parts.year ?? 0) * 10000 + (parts.month ?? 0) * 100 + (parts.day ?? 0)
    }

    /// Reads `validate.rule.<id>` entries of a repository config into overrides.
    public static func overrides(fromConfig entries: [(String, String)]) -> [String: String] {
        var out = [String: String]()
        for (name, value) in entries where name.hasPrefix("validate.rule.") {
            out[String(name.dropFirst("validate.rule.".count))] = value
        }
        return out
    }

    /// Checks a whole state.
    public func validate(_ objects: [ArxObject]) -> [Violation] {
        let lookup = ObjectDictionary(objects)
        var out = [Violation]()
        for object in objects {
            out += checkObject(object)
            out += checkLinks(object, in: lookup)
        }
        // Everything that names a panel in partOf or fedBy, or that the panel feeds, is a load of that panel.
        var loads = [String: [String]]()
        for object in objects {
            for panel in Validator.panelsReferenced(by: object) { loads[panel, default: []].append(object.id) }
        }
        for object in objects where object.type == "elec_panel" {
            let fed = Set((loads[object.id] ?? []) + (object["feeds"]?.idList ?? [])).sorted().compactMap { lookup.object($0) }
            out += checkPanelLoad(object, loads: fed)
        }
        return Validator.sorted(out)
    }

    /// Violations in file, line, rule order.
    public static func sorted(_ violations: [Violation]) -> [Violation] {
        violations.sorted { ($0.path, $0.line, $0.rule, $0.object, $0.message) < ($1.path, $1.line, $1.rule, $1.object, $1.message) }
    }

    private func violation(_ rule: String, _ object: ArxObject, _ message: String, field: String? = nil) -> Violation? {
        guard let severity = severities[rule] ?? nil else { return nil }
        return Violation(rule: rule, severity: severity, object: object.id, path: object.path, line: object.line,
                         message: message, field: field)
    }

    // MARK: One object

    /// The checks that need nothing but the object: schema (kinds, units, required properties), VAV airflow,
    /// setpoints, install date, unknown type and the repository's threshold rules.
    public func checkObject(_ object: ArxObject) -> [Violation] {
        var out = [Violation]()
        func report(_ rule: String, _ message: String, field: String? = nil) {
            if let v = violation(rule, object, message, field: field) { out.append(v) }
        }
        let entry = table.entry(object.type)
        let properties = object["properties"]?.fields ?? []

        // Top-level fields: references and the common lifecycle fields.
        for field in object.fields {
            if field.key == "location" || ArxObject.relationKeys.contains(field.key) {
                if let problem = Validator.referenceProblem(field.value, single: field.key == "location") {
                    report("reference-kind", "\(field.key) \(problem)", field: field.key)
                }
            } else if let schema = table.field(field.key), let (rule, problem) = check(field.value, schema.kind) {
                report(rule, "\(field.key) \(problem)", field: field.key)
            }
        }
        if object["properties"].map({ $0.fields == nil && $0.idList != [] }) == true {
            report("property-kind", "properties is not a mapping of names to values", field: "properties")
        }
        // Properties: the table's kinds; elsewhere only values that are clearly meant as temperatures.
        for field in properties {
            let name = "properties." + field.key
            if let schema = entry?.property(field.key) ?? table.commonProperties.first(where: { $0.name == field.key }) {
                if let (rule, problem) = check(field.value, schema.kind) { report(rule, "\(field.key) \(problem)", field: name) }
            } else if let text = field.value.text, let problem = Validator.strayUnitProblem(text) {
                report("property-unit", "\(field.key) \(problem)", field: name)
            }
        }
        for schema in entry?.properties ?? [] where schema.required && !properties.contains(where: { $0.key == schema.name }) {
            report("required-property", "a \(object.type) needs '\(schema.name)' (\(schema.kind)) in its properties")
        }

        func quantity(_ name: String) -> Quantity? {
            properties.first { $0.key == name }?.value.text.flatMap(Quantity.parse)
        }
        if object.type == "vav", let low = quantity("minAirflow"), let high = quantity("maxAirflow"),
           low.unit.dimension.converts(to: high.unit.dimension), low.base > high.base + high.tolerance {
            report("vav-airflow-range", "minAirflow \(low) is more than maxAirflow \(high)", field: "properties.minAirflow")
        }
        for heating in properties where heating.key.hasSuffix("Setpoint") && heating.key.lowercased().contains("heating") {
            let coolingKey = heating.key.replacingOccurrences(of: "heating", with: "cooling").replacingOccurrences(of: "Heating", with: "Cooling")
            if let h = heating.value.text.flatMap(Quantity.parse), let c = quantity(coolingKey),
               h.unit.dimension == .temperature, c.unit.dimension == .temperature, h.base > c.base + c.tolerance {
                report("heating-below-cooling", "\(heating.key) \(h) is above \(coolingKey) \(c)", field: "properties." + heating.key)
            }
        }
        if ["vav", "zone", "room", "ahu"].contains(object.type) {
            for field in properties where field.key.hasSuffix("Setpoint") && field.key.lowercased().contains("zone") {
                if let q = field.value.text.flatMap(Quantity.parse), q.unit.dimension == .temperature {
                    let celsius = q.base - 273.15
                    if celsius < 10 || celsius > 35 {
                        report("zone-setpoint-range", "\(field.key) \(q) is outside 10–35 °C", field: "properties." + field.key)
                    }
                }
            }
        }
        if let text = object["installDate"]?.text, let key = Validator.dateKey(text), key > todayKey {
            report("install-date-future", "installDate \(text) is in the future", field: "installDate")
        }
        if entry == nil {
            report("unknown-type", "type '\(object.type)' is not a known type; it is kept as it is")
        }
        out += checkThresholds(object)
        return out
    }

    /// The repository's threshold rules alone, for one object.
    public func checkThresholds(_ object: ArxObject) -> [Violation] {
        var out = [Violation]()
        for rule in thresholds where rule.selects(object) {
            if let message = rule.check(object), let v = violation(rule.id, object, message, field: "properties." + rule.property) {
                out.append(v)
            }
        }
        return out
    }

    /// Whether a value is of `kind`; nil when it is, else the rule it breaks and what is wrong ("is …").
    func check(_ value: ModelValue, _ kind: ValueKind) -> (String, String)? {
        switch kind {
        case let .either(kinds):
            // Fine if any alternative accepts it; a unit problem (a quantity with a bad unit) says the most.
            var unitProblem: (String, String)? = nil
            for kind in kinds {
                guard let problem = check(value, kind) else { return nil }
                if problem.0 == "property-unit", unitProblem == nil { unitProblem = problem }
            }
            return unitProblem ?? ("property-kind", "'\(value.display)' is not \(Validator.describe(kind))")
        case let .quantity(dimensions):
            guard let text = value.text else { return ("property-kind", "is not a quantity of \(Validator.describe(kind))") }
            do {
                let q = try Quantity.parseStrict(text)
                guard dimensions.contains(where: { q.unit.dimension.converts(to: $0) }) else {
                    return ("property-unit", "\(q) is \(Validator.article(q.unit.dimension.rawValue)) \(q.unit.dimension.rawValue); expected \(Validator.describe(kind))")
                }
                return nil
            } catch let error {
                switch error {
                case let .unknownUnit(symbol, suggestion):
                    return ("property-unit", Validator.unknownUnitMessage(text, symbol, suggestion, dimensions))
                case .missingUnit:
                    return ("property-unit", "'\(text)' has no unit; write \(Validator.describe(kind)), as in '\(text) \(Validator.exampleUnit(dimensions))'")
                case .notANumber:
                    return ("property-kind", "'\(text)' is not \(Validator.describe(kind)) (a number and a unit such as \(Validator.exampleUnit(dimensions)))")
                }
            }
        case .boolean:
            guard let text = value.text, ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) else {
                return ("property-kind", "'\(value.display)' is not true or false")
            }
            return nil
        case .date:
            guard let text = value.text, Validator.dateKey(text) != nil else {
                return ("property-kind", "'\(value.display)' is not a date written YYYY-MM-DD")
            }
            return nil
        case .string:
            return value.text == nil ? ("property-kind", "is a \(value.fields == nil ? "list" : "map"), not a single value") : nil
        case .reference:
            return Validator.referenceProblem(value, single: true).map { ("reference-kind", $0) }
        case .number, .integer:
            guard let text = value.text, Validator.isNumber(text, integer: kind == .integer) else {
                return ("property-kind", "'\(value.display)' is not \(kind == .integer ? "a whole number" : "a plain number")")
            }
            return nil
        }
    }

    /// What is wrong with a value that must hold object ids; nil when it is fine.
    static func referenceProblem(_ value: ModelValue, single: Bool) -> String? {
        switch value {
        case let .scalar(text, plain):
            if plain && Validator.isNumber(text, integer: false) {
                return "is the number \(text) where an object id is expected; write the id of the object (quote it if the id really is a number)"
            }
            return nil
        case let .list(items):
            if single { return "is a list where one object id is expected" }
            for item in items {
                if item.text == nil { return "holds \(item.display), which is not an object id" }
                if let problem = referenceProblem(item, single: true) { return problem }
            }
            return nil
        case .map:
            return "is a map where \(single ? "an object id" : "object ids") \(single ? "is" : "are") expected"
        }
    }

    /// A value that is a number followed by something meant as a temperature unit (`°`, `Δ`) that is not a known unit.
    static func strayUnitProblem(_ text: String) -> String? {
        guard let first = text.utf8.first, (first >= 0x30 && first <= 0x39) || first == 0x2D || first == 0x2B,
              text.contains("°") || text.contains("Δ") else { return nil }
        if case let .failure(error) = Result(catching: { () throws(QuantityError) in try Quantity.parseStrict(text) }),
           case let .unknownUnit(symbol, suggestion) = error {
            return unknownUnitMessage(text, symbol, suggestion, [])
        }
        return nil
    }

    /// `21.5 °Q: unknown unit '°Q'; did you mean '°C'?`
    static func unknownUnitMessage(_ text: String, _ symbol: String, _ suggestion: String?, _ dimensions: [Dimension]) -> String {
        let fix = suggestion.map { "did you mean '\($0)'?" }
            ?? (dimensions.isEmpty ? "write a unit from docs/model.md, such as °C or cfm"
                                   : "write a unit of \(dimensions.map(\.rawValue).joined(separator: " or ")) such as \(exampleUnit(dimensions))")
        return "\(text): unknown unit '\(symbol)'; \(fix)"
    }

    static func isNumber(_ text: String, integer: Bool) -> Bool {
        var digits = 0, dots = 0
        for (index, byte) in text.utf8.enumerated() {
            if byte >= 0x30 && byte <= 0x39 { digits += 1; continue }
            if index == 0 && (byte == 0x2D || byte == 0x2B) { continue }
            if byte == 0x2E && !integer && dots == 0 && digits > 0 { dots += 1; continue }
            return false
        }
        return digits > 0 && !text.hasSuffix(".")
    }

    /// `YYYY-MM-DD` as the number YYYYMMDD, nil if it is not a real date.
    static func dateKey(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days ? y * 10000 + m * 100 + d : nil
    }

    static func describe(_ kind: ValueKind) -> String {
        switch kind {
        case let .quantity(dimensions):
            let names = dimensions.map { "\(article($0.rawValue)) \($0.rawValue) (such as \(exampleUnit([$0])))" }
            return names.joined(separator: " or ")
        case .boolean: return "true or false"
        case .date: return "a date (YYYY-MM-DD)"
        case .string: return "a single value"
        case .reference: return "an object id"
        case .number: return "a plain number"
        case .integer: return "a whole number"
        case let .either(kinds): return kinds.map(describe).joined(separator: " or ")
        }
    }

    static func article(_ word: String) -> String { "aeiou".contains(word.first ?? "x") ? "an" : "a" }

    static func exampleUnit(_ dimensions: [Dimension]) -> String {
        guard let dimension = dimensions.first else { return "" }
        return UnitTable.entries.first { $0.unit.dimension == dimension }?.unit.symbol ?? dimension.baseSymbol
    }

    // MARK: Links to other objects

    /// The checks that follow an object's location and relations: targets exist, the location chain ends, a circuit's
    /// breaker fits its panel.
    public func checkLinks(_ object: ArxObject, in lookup: some ObjectLookup) -> [Violation] {
        var out = [Violation]()
        func report(_ rule: String, _ message: String, field: String? = nil) {
            if let v = violation(rule, object, message, field: field) { out.append(v) }
        }
        for (key, target) in Validator.references(of: object) where !lookup.contains(target) {
            if let v = relationTarget(object, key: key, target: target) { out.append(v) }
        }
        // The location chain ends (bounded, so a chain through thousands of objects cannot stall a capture).
        out += checkLocationCycle(object) { lookup.object($0)?.location }
        out += checkBreakerRating(object, in: lookup)
        return out
    }

    /// The `relation-target` violation of an object naming a missing id in `key`, nil if the rule is off.
    public func relationTarget(_ object: ArxObject, key: String, target: String) -> Violation? {
        violation("relation-target", object, "\(key) names '\(target)', which is not an object of this state", field: key)
    }

    /// The ids an object names in `location` and its relations, with the field naming each; plain numbers (reported by
    /// `reference-kind`) and empty values are left out.
    public static func references(of object: ArxObject) -> [(key: String, target: String)] {
        var out = [(key: String, target: String)]()
        for key in ["location", "feeds", "fedBy", "partOf", "points"] {
            guard let value = object[key] else { continue }
            let items: [ModelValue] = if case let .list(items) = value { items } else { [value] }
            for case let .scalar(target, plain) in items where !(plain && (["", "~", "null"].contains(target) || Validator.isNumber(target, integer: false))) {
                out.append((key, target))
            }
        }
        return out
    }

    /// `location-cycle` for one object, given each object's location (nil: none, or unknown).
    public func checkLocationCycle(_ object: ArxObject, location: (String) -> String?) -> [Violation] {
        var seen: Set<String> = [object.id]
        var next = object.location
        var steps = 0
        while let current = next, steps < 10_000 {
            if !seen.insert(current).inserted {
                if current == object.id, let v = violation("location-cycle", object, "its location chain comes back to itself", field: "location") {
                    return [v]
                }
                return []
            }
            next = location(current)
            steps += 1
        }
        return []
    }

    /// `breaker-rating` for a circuit: its breakerRating is at most the rating of each panel it is part of or fed by.
    public func checkBreakerRating(_ object: ArxObject, in lookup: some ObjectLookup) -> [Violation] {
        guard object.type == "circuit", let breaker = Validator.quantity(object, "breakerRating") else { return [] }
        var out = [Violation]()
        for id in Validator.panelsReferenced(by: object).sorted() {
            guard let panel = lookup.object(id), panel.type == "elec_panel", let rating = Validator.quantity(panel, "rating"),
                  rating.unit.dimension == breaker.unit.dimension, breaker.base > rating.base + rating.tolerance,
                  let v = violation("breaker-rating", object, "breakerRating \(breaker) exceeds the rating \(rating) of \(id)", field: "properties.breakerRating")
            else { continue }
            out.append(v)
        }
        return out
    }

    /// The `elec_panel` ids an object names in `partOf` or `fedBy` (by id only; the caller knows the types).
    public static func panelsReferenced(by object: ArxObject) -> [String] {
        Array(Set((object["partOf"]?.idList ?? []) + (object["fedBy"]?.idList ?? [])))
    }

    static func quantity(_ object: ArxObject, _ name: String) -> Quantity? {
        object["properties"]?.fields?.first { $0.key == name }?.value.text.flatMap(Quantity.parse)
    }

    // MARK: Panel load

    /// `panel-load`: the `connectedLoad` of the objects a panel feeds (those naming it in `partOf` or `fedBy`, and
    /// those in its `feeds`) adds up to at most its `rating`. Loads in A add directly; loads in W, kW, VA or kVA are
    /// turned into amperes with the panel's `voltage` (line to line, × √3 when `phases` is 3), at power factor 1.
    public func checkPanelLoad(_ panel: ArxObject, loads: [ArxObject]) -> [Violation] {
        guard panel.type == "elec_panel", let rating = Validator.quantity(panel, "rating"), rating.unit.dimension == .current else { return [] }
        let voltage = Validator.quantity(panel, "voltage").flatMap { $0.unit.dimension == .voltage ? $0.base : nil }
        let phases = panel["properties"]?.fields?.first { $0.key == "phases" }?.value.text.flatMap(Int.init) ?? 1
        var total = 0.0
        var counted = 0
        var unconvertible = [String]()
        for load in loads where load.id != panel.id {
            guard let q = Validator.quantity(load, "connectedLoad") else { continue }
            switch q.unit.dimension {
            case .current: total += q.base
            case .power, .apparentPower:
                guard let voltage, voltage > 0 else { unconvertible.append(load.id); continue }
                total += q.base / (voltage * (phases == 3 ? 3.0.squareRoot() : 1))
            default: continue
            }
            counted += 1
        }
        var out = [Violation]()
        if counted > 0, total > rating.base + rating.tolerance,
           let v = violation("panel-load", panel, "the connectedLoad of the \(counted) load\(counted == 1 ? "" : "s") it feeds adds up to \(String(format: "%.1f", total)) A, more than its rating \(rating)", field: "properties.rating") {
            out.append(v)
        }
        if !unconvertible.isEmpty,
           let v = violation("panel-load", panel, "loads given in W or VA (\(unconvertible.prefix(3).joined(separator: ", "))) need the panel's voltage to be compared with its rating; add 'voltage' to its properties", field: "properties.rating") {
            out.append(v)
        }
        return out
    }
}

extension ArxObject {
    /// The objects of a file whose summaries `ObjectFile.summaries` already gave (capture has them): only the values
    /// are read, without checking the file a second time.
    public static func objects(path: String, bytes: [UInt8], summaries: [ObjectSummary]) -> [ArxObject] {
        guard let documents = ValueReader.documents(bytes) else { return [] }
        var values = [ModelValue]()
        for document in documents {
            if case let .list(items) = document { values += items } else { values.append(document) }
        }
        var out = [ArxObject]()
        out.reserveCapacity(summaries.count)
        for (value, summary) in zip(values, summaries) {
            guard case let .map(fields) = value else { continue }
            out.append(ArxObject(id: summary.id, type: summary.type, path: path, line: summary.line, fields: fields))
        }
        return out
    }
}

/// Kept for callers of the first validator: the names of the known types, now from the type table.
public enum ObjectTypes {
    public static var known: Set<String> { Set(TypeTable.standard.entries.map(\.name)) }
}
