/// What a quantity measures; units of one dimension convert to each other through the dimension's SI base unit.
///
/// `airflow` and `flow` are both volumetric flow (base m³/s) and convert to each other; they are kept apart so a
/// schema can say "an airflow" or "a water flow". `temperatureDifference` is apart from `temperature` because a
/// difference converts without the offset (a 2 Δ°F deadband is 1.111 ΔK, while 2 °F is 256.48 K).
public enum Dimension: String, Sendable, CaseIterable, Codable {
    case temperature, airflow, power, pressure, length, area, volume, voltage, current, apparentPower, energy, ratio,
        time, frequency, mass
    /// Liquid volumetric flow: gpm, L/min. Converts to and from `airflow`.
    case flow
    /// A temperature difference (deadband, ΔT across a coil): ΔK, Δ°C, Δ°F.
    case temperatureDifference
    /// Air or water velocity: m/s, fpm.
    case velocity

    /// The symbol of the SI base unit that `Unit.toBase` converts to.
    public var baseSymbol: String {
        switch self {
        case .temperature: "K"
        case .temperatureDifference: "ΔK"
        case .airflow, .flow: "m³/s"
        case .velocity: "m/s"
        case .power: "W"
        case .pressure: "Pa"
        case .length: "m"
        case .area: "m²"
        case .volume: "m³"
        case .voltage: "V"
        case .current: "A"
        case .apparentPower: "VA"
        case .energy: "J"
        case .ratio: "1"
        case .time: "s"
        case .frequency: "Hz"
        case .mass: "kg"
        }
    }

    /// Whether a value of this dimension can be converted to `other`: the same dimension, or airflow and flow.
    public func converts(to other: Dimension) -> Bool {
        if self == other { return true }
        let volumetricFlow: Set<Dimension> = [.airflow, .flow]
        return volumetricFlow.contains(self) && volumetricFlow.contains(other)
    }
}

/// A unit of measure: its display symbol, what it measures, and how it converts to the dimension's SI base unit.
///
/// `base = value * factor + offset`; only the absolute temperatures °C and °F have an offset.
public struct Unit: Sendable, Hashable, CustomStringConvertible {
    /// The canonical display symbol, such as `°C` or `inH₂O`.
    public let symbol: String
    public let dimension: Dimension
    public let factor: Double
    public let offset: Double

    public init(symbol: String, dimension: Dimension, factor: Double, offset: Double = 0) {
        self.symbol = symbol; self.dimension = dimension; self.factor = factor; self.offset = offset
    }

    /// Converts `v` in this unit to the dimension's base unit.
    public func toBase(_ v: Double) -> Double { v * factor + offset }

    /// Converts `v` in the dimension's base unit to this unit.
    public func fromBase(_ v: Double) -> Double { (v - offset) / factor }

    public var description: String { symbol }
}

/// The known units, by canonical symbol and by the aliases people type.
public enum UnitTable {
    /// One row of the table. `foldsCase` is false where a letter's case is a prefix (MW and mW, mA and MA).
    struct Entry: Sendable {
        let unit: Unit
        let aliases: [String]
        let foldsCase: Bool
    }

    private static func entry(
        _ symbol: String, _ dimension: Dimension, _ factor: Double, offset: Double = 0, _ aliases: [String] = [],
        foldsCase: Bool = true
    ) -> Entry {
        Entry(unit: Unit(symbol: symbol, dimension: dimension, factor: factor, offset: offset), aliases: aliases,
              foldsCase: foldsCase)
    }

    // Exact definitions: 1 ft = 0.3048 m, 1 lb = 0.45359237 kg, 1 US gal = 231 in³, 1 BTU (IT) = 1055.05585262 J,
    // 1 inH₂O (4 °C) = 249.08891 Pa, 1 psi = 6894.757293168 Pa, 1 hp (mechanical) = 745.69987158227 W.
    private static let foot = 0.3048
    private static let cubicFoot = foot * foot * foot
    private static let gallon = 0.003785411784
    private static let btu = 1055.05585262
    private static let btuPerHour = btu / 3600

    static let entries: [Entry] = [
        entry("°C", .temperature, 1, offset: 273.15, ["degC", "C", "deg C", "℃", "celsius"]),
        entry("°F", .temperature, 5.0 / 9.0, offset: 273.15 - 32 * 5.0 / 9.0, ["degF", "F", "deg F", "℉", "fahrenheit"]),
        entry("K", .temperature, 1, ["kelvin"]),

        entry("Δ°C", .temperatureDifference, 1, ["delta °C", "delta C", "deltaC", "ΔC", "delta degC"]),
        entry("Δ°F", .temperatureDifference, 5.0 / 9.0, ["delta °F", "delta F", "deltaF", "ΔF", "delta degF"]),
        entry("ΔK", .temperatureDifference, 1, ["delta K", "deltaK"]),

        entry("cfm", .airflow, cubicFoot / 60, ["ft³/min", "ft3/min"]),
        entry("L/s", .airflow, 0.001, ["l/s", "lps"]),
        entry("m³/h", .airflow, 1.0 / 3600, ["m3/h", "cmh", "m³/hr", "m3/hr"]),
        entry("m³/s", .airflow, 1, ["m3/s"]),

        entry("gpm", .flow, gallon / 60, ["gal/min", "usgpm"]),
        entry("L/min", .flow, 0.001 / 60, ["l/min", "lpm"]),

        entry("m/s", .velocity, 1, ["mps"]),
        entry("fpm", .velocity, foot / 60, ["ft/min"]),

        entry("W", .power, 1, ["watt", "watts"]),
        entry("kW", .power, 1000),
        entry("MW", .power, 1e6, foldsCase: false),
        entry("BTU/h", .power, btuPerHour, ["Btu/h", "btuh", "BTU/hr", "Btu/hr"]),
        entry("MBH", .power, 1000 * btuPerHour, ["kBtu/h", "kBTU/h"]),
        entry("ton", .power, 12000 * btuPerHour, ["tons", "TR", "RT", "tonR", "tons R"]),
        entry("hp", .power, 745.69987158227022, ["bhp"]),

        entry("Pa", .pressure, 1),
        entry("kPa", .pressure, 1000),
        entry("inH₂O", .pressure, 249.08891, [
            "inH2O", "in.w.c.", "in wc", "in. w.c.", "in w.c.", "inwc", "iwc", "in.wc", "\"wc", "\" wc", "in wg", "inwg",
        ]),
        // Pump head: feet of water at 4 °C, twelve inches of water.
        entry("ftH₂O", .pressure, 12 * 249.08891, ["ftH2O", "ft wc", "ft w.c.", "ft. w.c.", "ftwc", "ft hd", "ft head"]),
        entry("psi", .pressure, 6894.757293168),
        entry("bar", .pressure, 1e5),

        entry("mm", .length, 0.001, foldsCase: false),
        entry("cm", .length, 0.01),
        entry("m", .length, 1, ["meter", "metre", "meters", "metres"]),
        entry("in", .length, 0.0254, ["inch", "inches", "\""]),
        entry("ft", .length, foot, ["foot", "feet", "'"]),

        entry("m²", .area, 1, ["m2", "m^2", "sqm", "sq m"]),
        entry("ft²", .area, foot * foot, ["ft2", "ft^2", "sqft", "sq ft", "sf"]),

        entry("L", .volume, 0.001, ["l", "liter", "litre", "liters", "litres"]),
        entry("m³", .volume, 1, ["m3", "m^3"]),
        entry("gal", .volume, gallon, ["gallon", "gallons"]),
        entry("ft³", .volume, cubicFoot, ["ft3", "ft^3", "cu ft"]),

        entry("V", .voltage, 1, ["volt", "volts", "Vac", "Vdc"]),
        entry("kV", .voltage, 1000),

        entry("A", .current, 1, ["amp", "amps"]),
        entry("mA", .current, 0.001, foldsCase: false),
        // Short-circuit and interrupting ratings of panels and breakers.
        entry("kA", .current, 1000),

        entry("VA", .apparentPower, 1),
        entry("kVA", .apparentPower, 1000),
        entry("MVA", .apparentPower, 1e6, foldsCase: false),

        entry("J", .energy, 1),
        entry("kJ", .energy, 1000),
        entry("MJ", .energy, 1e6, foldsCase: false),
        entry("GJ", .energy, 1e9),
        entry("Wh", .energy, 3600),
        entry("kWh", .energy, 3.6e6),
        entry("MWh", .energy, 3.6e9, foldsCase: false),
        entry("BTU", .energy, btu, ["Btu"]),
        entry("therm", .energy, 100_000 * btu, ["therms", "thm"]),

        entry("%", .ratio, 0.01, ["percent", "pct"]),

        entry("s", .time, 1, ["sec", "secs", "second", "seconds"]),
        entry("ms", .time, 0.001, foldsCase: false),
        entry("min", .time, 60, ["mins", "minute", "minutes"]),
        entry("h", .time, 3600, ["hr", "hrs", "hour", "hours"]),

        entry("Hz", .frequency, 1),
        entry("kHz", .frequency, 1000),
        entry("rpm", .frequency, 1.0 / 60, ["r/min"]),

        entry("g", .mass, 0.001, ["gram", "grams"]),
        entry("kg", .mass, 1),
        entry("lb", .mass, 0.45359237, ["lbs", "pound", "pounds"]),
    ]

    /// Every known unit, in table order (grouped by dimension).
    public static let all: [Unit] = entries.map(\.unit)

    /// Symbols and aliases exactly as written; the first spelling wins if two rows repeat one.
    private static let exact: [String: Unit] = {
        var map: [String: Unit] = [:]
        for entry in entries {
            for spelling in [entry.unit.symbol] + entry.aliases where map[spelling] == nil {
                map[spelling] = entry.unit
            }
        }
        return map
    }()

    /// Lowercased spellings of the rows whose case is not significant; a spelling two units share maps to nil.
    private static let folded: [String: Unit?] = {
        var map: [String: Unit?] = [:]
        for entry in entries where entry.foldsCase {
            for spelling in [entry.unit.symbol] + entry.aliases {
                let key = spelling.lowercased()
                if let existing = map[key], existing != entry.unit { map[key] = .some(nil) } else { map[key] = entry.unit }
            }
        }
        return map
    }()

    /// The spellings of `unit` that `unit(_:)` accepts besides its symbol (case variants aside).
    public static func aliases(of unit: Unit) -> [String] {
        entries.first { $0.unit == unit }?.aliases ?? []
    }

    /// Whether `unit(_:)` also accepts `unit`'s spellings in another letter case (false for MW, mA, mm, …).
    public static func foldsCase(_ unit: Unit) -> Bool {
        entries.first { $0.unit == unit }?.foldsCase ?? false
    }

    /// The unit written as `symbol`: a canonical symbol or an alias, exactly, or in another case where case is
    /// not significant (`KW`, `CFM`, `inh2o`; not `mw` or `MA`). Runs of spaces count as one; `º`, `˚` read as `°`
    /// and `∆` as `Δ`.
    public static func unit(_ symbol: String) -> Unit? {
        let spelling = normalized(symbol)
        if let unit = exact[spelling] { return unit }
        if let unit = folded[spelling.lowercased()] { return unit }
        return nil
    }

    /// The canonical symbol closest to `symbol`, for an error hint: the unit itself if known, one that differs only
    /// in letter case, or the nearest spelling by edit distance (at most one edit per three characters).
    public static func suggestion(for symbol: String) -> String? {
        let spelling = normalized(symbol)
        guard !spelling.isEmpty else { return nil }
        if let unit = unit(spelling) { return unit.symbol }
        let lower = Array(spelling.lowercased())
        var best: (distance: Int, symbol: String)?
        for entry in entries {
            for candidate in [entry.unit.symbol] + entry.aliases {
                let distance = editDistance(lower, Array(candidate.lowercased()))
                if distance < (best?.distance ?? Int.max) { best = (distance, entry.unit.symbol) }
            }
        }
        guard let best, best.distance <= max(1, lower.count / 3) else { return nil }
        return best.symbol
    }

    static func normalized(_ symbol: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in symbol {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" "); pendingSpace = false }
            switch character {
            case "º", "˚": result.append("°")
            case "∆": result.append("Δ")
            default: result.append(character)
            }
        }
        return result
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// `Unit` under a name Foundation does not also declare: a file that imports Foundation and ArxosModel finds
/// `Unit` and `Dimension` ambiguous, and can write `QuantityUnit` (or `ArxosModel.Unit`) instead.
public typealias QuantityUnit = Unit

/// `Dimension` under a name Foundation does not also declare; see `QuantityUnit`.
public typealias QuantityDimension = Dimension
