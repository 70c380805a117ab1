import Foundation

/// How bad a rule violation is: errors fail `arxos validate`, warnings are reported.
public enum Severity: String, Sendable, Codable, Comparable {
    case warning, error
    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// One broken rule, located at the object that breaks it.
public struct Violation: Sendable, Codable, Hashable, CustomStringConvertible {
    public var rule: String
    public var severity: Severity
    public var object: String
    public var path: String
    public var line: Int
    public var message: String

    public var description: String { "\(path):\(line): \(severity.rawValue): \(object): \(message) [\(rule)]" }
}

/// The domain rules of docs/model.md, run over a whole state.
public struct Validator: Sendable {
    /// Every rule: id, default severity, what it checks.
    public static let rules: [(id: String, severity: Severity, summary: String)] = [
        ("relation-target", .error, "every id in location, feeds, fedBy, points and partOf names an object of the state"),
        ("location-cycle", .error, "following location from an object never comes back to it"),
        ("vav-airflow-range", .error, "a VAV's minAirflow is at most its maxAirflow"),
        ("heating-below-cooling", .error, "a heating setpoint is at most the cooling setpoint of the same object"),
        ("zone-setpoint-range", .warning, "zone temperature setpoints lie between 10 °C and 35 °C"),
        ("breaker-rating", .error, "a circuit's breakerRating is at most the rating of the panel it is part of or fed by"),
        ("install-date-future", .error, "installDate is not in the future"),
        ("unknown-type", .warning, "the type is one of the known types (unknown types are kept, but flagged)"),
    ]

    /// Severities by rule id; a rule mapped to nil is off.
    public var severities: [String: Severity?]
    public var today: Date

    public init(today: Date = Date(), overrides: [String: String] = [:]) {
        var severities = [String: Severity?]()
        for rule in Validator.rules { severities[rule.id] = rule.severity }
        for (id, value) in overrides where severities[id] != nil {
            severities[id] = value == "off" ? .some(nil) : Severity(rawValue: value).map { .some($0) } ?? severities[id]
        }
        self.severities = severities
        self.today = today
    }

    public func validate(_ objects: [ArxObject]) -> [Violation] {
        var byID = [String: ArxObject]()
        for object in objects { byID[object.id] = object }
        var out = [Violation]()
        func report(_ rule: String, _ object: ArxObject, _ message: String) {
            guard let severity = severities[rule] ?? nil else { return }
            out.append(Violation(rule: rule, severity: severity, object: object.id, path: object.path, line: object.line, message: message))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        for object in objects {
            // Relations and location point at objects that exist.
            for key in ["location"] + ArxObject.relationKeys.sorted() {
                for target in object[key]?.idList ?? [] where byID[target] == nil {
                    report("relation-target", object, "\(key) names '\(target)', which is not an object of this state")
                }
            }
            // The location chain ends.
            var seen: Set<String> = [object.id]
            var next = object.location
            while let current = next, let holder = byID[current] {
                if !seen.insert(current).inserted {
                    if current == object.id { report("location-cycle", object, "its location chain comes back to itself") }
                    break
                }
                next = holder.location
            }
            let properties = object["properties"]?.fields ?? []
            func quantity(_ name: String) -> Quantity? {
                properties.first { $0.key == name }?.value.text.flatMap(Quantity.parse)
            }
            if object.type == "vav", let low = quantity("minAirflow"), let high = quantity("maxAirflow"),
               low.unit.dimension.converts(to: high.unit.dimension), low.base > high.base + high.tolerance {
                report("vav-airflow-range", object, "minAirflow \(low) is more than maxAirflow \(high)")
            }
            for heating in properties where heating.key.lowercased().contains("heating") && heating.key.hasSuffix("Setpoint") {
                let coolingKey = heating.key.replacingOccurrences(of: "heating", with: "cooling").replacingOccurrences(of: "Heating", with: "Cooling")
                if let h = heating.value.text.flatMap(Quantity.parse), let c = quantity(coolingKey),
                   h.unit.dimension == .temperature, c.unit.dimension == .temperature, h.base > c.base + c.tolerance {
                    report("heating-below-cooling", object, "\(heating.key) \(h) is above \(coolingKey) \(c)")
                }
            }
            if ["vav", "zone", "room", "ahu"].contains(object.type) {
                for field in properties where field.key.lowercased().contains("zone") && field.key.hasSuffix("Setpoint") {
                    if let q = field.value.text.flatMap(Quantity.parse), q.unit.dimension == .temperature {
                        let celsius = q.base - 273.15
                        if celsius < 10 || celsius > 35 { report("zone-setpoint-range", object, "\(field.key) \(q) is outside 10–35 °C") }
                    }
                }
            }
            if object.type == "circuit", let breaker = quantity("breakerRating") {
                let panels = ((object["partOf"]?.idList ?? []) + (object["fedBy"]?.idList ?? [])).compactMap { byID[$0] }
                    .filter { $0.type == "elec_panel" }
                for panel in Set(panels.map(\.id)).sorted() {
                    guard let rating = byID[panel]?["properties"]?.fields?.first(where: { $0.key == "rating" })?.value.text.flatMap(Quantity.parse),
                          rating.unit.dimension == breaker.unit.dimension, breaker.base > rating.base + rating.tolerance else { continue }
                    report("breaker-rating", object, "breakerRating \(breaker) exceeds the rating \(rating) of \(panel)")
                }
            }
            if let text = object["installDate"]?.text, let date = formatter.date(from: text), date > today {
                report("install-date-future", object, "installDate \(text) is in the future")
            }
            if !ObjectTypes.known.contains(object.type) {
                report("unknown-type", object, "type '\(object.type)' is not a known type; it is kept as it is")
            }
        }
        return out.sorted { ($0.path, $0.line, $0.rule) < ($1.path, $1.line, $1.rule) }
    }
}

/// The types arxos knows (the Brick and Haystack mapping comes with the type table).
public enum ObjectTypes {
    public static let known: Set<String> = [
        "building", "floor", "room", "zone", "space", "ahu", "vav", "chiller", "boiler", "pump", "fan", "cooling_tower",
        "heat_exchanger", "elec_panel", "circuit", "meter", "transformer", "generator", "ups", "lighting", "door",
        "access_reader", "camera", "alarm_panel", "sensor", "setpoint", "command", "point", "damper", "valve", "coil",
        "rtu", "fcu", "equipment", "site",
    ]
}
