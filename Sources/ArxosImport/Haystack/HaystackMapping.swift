import ArxosModel

/// Haystack unit symbols and arxos units (`UnitTable`), both ways (docs/import.md, "Units").
public enum HaystackUnits {
    /// Haystack symbol, other Haystack spellings (the unit's name first), arxos symbol.
    static let rows: [(haystack: String, others: [String], arxos: String)] = [
        ("°F", ["fahrenheit"], "°F"), ("°C", ["celsius"], "°C"), ("K", ["kelvin"], "K"),
        ("Δ°F", ["fahrenheit_degrees"], "Δ°F"), ("Δ°C", ["celsius_degrees"], "Δ°C"), ("ΔK", ["kelvin_degrees"], "ΔK"),
        ("cfm", ["cubic_feet_per_minute"], "cfm"), ("L/s", ["liters_per_second"], "L/s"),
        ("m³/h", ["cubic_meters_per_hour"], "m³/h"), ("m³/s", ["cubic_meters_per_second"], "m³/s"),
        ("gal/min", ["gallons_per_minute"], "gpm"), ("L/min", ["liters_per_minute"], "L/min"),
        ("m/s", ["meters_per_second"], "m/s"), ("ft/min", ["feet_per_minute"], "fpm"),
        ("W", ["watt"], "W"), ("kW", ["kilowatt"], "kW"), ("MW", ["megawatt"], "MW"), ("BTU/h", ["btus_per_hour"], "BTU/h"),
        ("kBTU/h", ["kilobtus_per_hour"], "MBH"), ("tonref", ["tons_refrigeration"], "ton"), ("hp", ["horsepower"], "hp"),
        ("Pa", ["pascal"], "Pa"), ("kPa", ["kilopascal"], "kPa"), ("inH₂O", ["inches_of_water", "in/wc"], "inH₂O"),
        ("ftH₂O", ["feet_of_water"], "ftH₂O"), ("psi", ["pounds_per_square_inch"], "psi"), ("bar", [], "bar"),
        ("mm", ["millimeter"], "mm"), ("cm", ["centimeter"], "cm"), ("m", ["meter"], "m"), ("in", ["inch"], "in"),
        ("ft", ["foot"], "ft"), ("m²", ["square_meter"], "m²"), ("ft²", ["square_foot"], "ft²"),
        ("L", ["liter"], "L"), ("m³", ["cubic_meter"], "m³"), ("gal", ["gallon"], "gal"), ("ft³", ["cubic_foot"], "ft³"),
        ("V", ["volt", "Volt"], "V"), ("kV", ["kilovolt"], "kV"), ("A", ["ampere"], "A"), ("mA", ["milliampere"], "mA"),
        ("kA", ["kiloampere"], "kA"), ("VA", ["volt_ampere"], "VA"), ("kVA", ["kilovolt_ampere"], "kVA"),
        ("MVA", ["megavolt_ampere", "mVA"], "MVA"),
        ("J", ["joule"], "J"), ("kJ", ["kilojoule"], "kJ"), ("MJ", ["megajoule"], "MJ"), ("GJ", ["gigajoule"], "GJ"),
        ("Wh", ["watt_hour"], "Wh"), ("kWh", ["kilowatt_hour"], "kWh"), ("MWh", ["megawatt_hour"], "MWh"),
        ("BTU", ["btu"], "BTU"), ("therm", [], "therm"),
        ("%", ["percent"], "%"),
        ("s", ["second", "sec"], "s"), ("ms", ["millisecond"], "ms"), ("min", ["minute"], "min"), ("h", ["hour", "hr"], "h"),
        ("Hz", ["hertz"], "Hz"), ("kHz", ["kilohertz"], "kHz"), ("rpm", ["revolutions_per_minute"], "rpm"),
        ("g", ["gram"], "g"), ("kg", ["kilogram"], "kg"), ("lb", ["pound"], "lb"),
    ]

    /// Haystack symbols that arxos reads as another unit: kept as written and reported.
    static let ambiguous: [String: String] = [
        "ton": "a metric ton (mass) in Haystack but a ton of refrigeration in arxos",
        "t": "a short ton (mass) in Haystack",
        "S": "siemens in Haystack but seconds in arxos",
        "H": "henry in Haystack but hours in arxos",
    ]

    private static let toArxos: [String: String] = {
        var map = [String: String]()
        for row in rows { for spelling in [row.haystack] + row.others { map[spelling] = row.arxos } }
        return map
    }()

    private static let toHaystack: [String: String] = {
        var map = [String: String]()
        for row in rows where map[row.arxos] == nil { map[row.arxos] = row.haystack }
        return map
    }()

    /// How a Haystack unit reads in arxos.
    public enum Reading: Equatable, Sendable {
        /// The arxos unit with this canonical symbol.
        case known(String)
        /// A unit arxos does not know; the value keeps it as written.
        case unknown
        /// A Haystack unit arxos would read as a different one (the reason); kept as written.
        case ambiguous(String)
    }

    /// The arxos reading of Haystack unit `symbol`: the table above, then any spelling arxos itself reads (`degF`).
    public static func reading(_ symbol: String) -> Reading {
        if let arxos = toArxos[symbol] { return .known(arxos) }
        if let reason = ambiguous[symbol] { return .ambiguous(reason) }
        if let unit = UnitTable.unit(symbol) { return .known(unit.symbol) }
        return .unknown
    }

    /// The Haystack symbol of an arxos unit (`gpm` → `gal/min`, `ton` → `tonref`; most are the same).
    public static func haystackSymbol(_ unit: QuantityUnit) -> String { toHaystack[unit.symbol] ?? unit.symbol }
}

/// Haystack markers → arxos types through the type table (docs/import.md, "Types").
public enum HaystackTypes {
    /// The entity a record is, from its markers; the order ids are given in (sites first, points last).
    public enum Kind: Int, Comparable, Sendable {
        case site = 0, space, equip, other, point

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }

        /// The Haystack entity marker of the kind; nil for other records.
        var marker: String? {
            switch self {
            case .site: "site"
            case .space: "space"
            case .equip: "equip"
            case .point: "point"
            case .other: nil
            }
        }
    }

    /// The kind of a record with `markers`: `site`, else `point`, else `equip`, else a space (`space`, `floor`, `room`
    /// or `zone`), else other.
    public static func kind(_ markers: Set<String>) -> Kind {
        if markers.contains("site") { return .site }
        if markers.contains("point") { return .point }
        if markers.contains("equip") { return .equip }
        if !markers.isDisjoint(with: ["space", "floor", "room", "zone"]) { return .space }
        return .other
    }

    /// Haystack 3 markers and the Haystack 4 markers the type table uses for them.
    static let aliases: [String: [String]] = [
        "rooftop": ["rtu"], "elecPanel": ["elec", "panel"], "lightsGroup": ["light"], "lights": ["light"],
        "lighting": ["light"], "floor": ["space"], "room": ["space"],
    ]

    /// Markers of the type table that real files often leave out; a type matches without them.
    static let optional: Set<String> = ["air", "hvac", "actuator", "motor"]

    /// The arxos type of a record with `markers`, and whether it is more specific than the kind's generic type
    /// (`equipment`, `point`, `space`); nil for records of no kind.
    ///
    /// Among the table's types carrying the kind's marker, a type matches when the record has all its markers (after
    /// the Haystack 3 aliases, and except the optional ones); the match with the most markers in common wins, the
    /// first in table order on a tie. A site is a `building`.
    public static func type(_ markers: Set<String>, table: TypeTable = .standard) -> (type: String, specific: Bool)? {
        let kind = kind(markers)
        guard let kindMarker = kind.marker else { return nil }
        if kind == .site { return ("building", true) }
        var normalized = markers
        for marker in markers { normalized.formUnion(aliases[marker] ?? []) }
        var best: (type: String, score: Int)?
        for entry in table.entries where entry.haystackMarkers.contains(kindMarker) {
            let needed = Set(entry.haystackMarkers).subtracting(optional)
            guard needed.isSubset(of: normalized) else { continue }
            let score = Set(entry.haystackMarkers).intersection(normalized).count
            if score > (best?.score ?? 0) { best = (entry.name, score) }
        }
        let generic = ["equip": "equipment", "point": "point", "space": "space"][kindMarker] ?? "equipment"
        let type = best?.type ?? generic
        return (type, type != generic)
    }
}

/// How property values read as Haystack values and back (docs/import.md, "Values").
enum HaystackScalars {
    /// The Haystack value a YAML scalar stands for, ids aside: `@id` is a ref, a date-time or `hh:mm:ss` is one, and
    /// a plain (unquoted) scalar may also be a boolean, a number with or without a unit, a date, a symbol `^name` or
    /// an xstr `Type("…")`; anything else is a string. Nil for an empty plain scalar.
    static func value(_ text: String, plain: Bool) -> HaystackValue? {
        if text.hasPrefix("@"), HaystackSyntax.isRefID(String(text.dropFirst())) { return .ref(String(text.dropFirst()), dis: nil) }
        if let (stamp, zone) = HaystackSyntax.dateTime(text) { return .dateTime(stamp, zone: zone) }
        if text.utf8.count >= 8, HaystackSyntax.isTime(text) { return .time(text) }
        guard plain else { return .string(text) }
        if text.isEmpty || text == "~" || text == "null" { return nil }
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let number = number(text) { return .number(number) }
        if HaystackSyntax.isDate(text) { return .date(text) }
        if text.hasPrefix("^"), HaystackSyntax.isSymbolName(String(text.dropFirst())) { return .symbol(String(text.dropFirst())) }
        if let (type, inner) = HaystackSyntax.xstr(text) { return .xstr(type: type, value: inner) }
        return .string(text)
    }

    /// A number with an optional unit as arxos writes it (`850 cfm`, `72°F`, `-3.5`, `0.15 $`, `NaN`; no exponent, which
    /// arxos reads as text): the unit is given
    /// its Haystack symbol when arxos knows it, kept as written when it is a valid Haystack unit after a space, and
    /// otherwise the text is not a number.
    static func number(_ text: String) -> HaystackNumber? {
        var bytes = Array(text.utf8)
        if bytes.starts(with: Array("\u{2212}".utf8)) { bytes = [UInt8(ascii: "-")] + bytes.dropFirst(3) }
        var length = decimalLength(bytes)
        var digits = String(decoding: bytes[..<length], as: UTF8.self)
        if length == 0 {
            // `INF`, `-INF`, `NaN`, alone or followed by a space and a unit.
            guard let special = ["-INF", "INF", "NaN"].first(where: { bytes.starts(with: Array($0.utf8)) }),
                  bytes.count == special.utf8.count || bytes[special.utf8.count] == 0x20 else { return nil }
            digits = special
            length = special.utf8.count
        }
        if digits.hasPrefix("+") { digits.removeFirst() }
        var rest = bytes[length...]
        while rest.first == 0x20 || rest.first == 0x09 { rest = rest.dropFirst() }
        while rest.last == 0x20 || rest.last == 0x09 { rest = rest.dropLast() }
        let unitText = String(decoding: rest, as: UTF8.self)
        if unitText.isEmpty { return HaystackNumber(digits) }
        if let unit = UnitTable.unit(unitText) { return HaystackNumber(digits, unit: HaystackUnits.haystackSymbol(unit)) }
        // A unit arxos does not know must be set off by a space (`0.15 $`), so that `2nd` stays text.
        guard HaystackSyntax.isUnit(unitText), bytes.count > length, bytes[length] == 0x20 else { return nil }
        return HaystackNumber(digits, unit: unitText)
    }

    /// The length of the decimal number at the start of `bytes` as arxos writes one (docs/model.md): an optional sign,
    /// digits, and optionally `.` and digits; no exponent. 0 when there is none or when the number goes on (`1,200`,
    /// `1e3`, `1.2.3`), which arxos reads as text.
    static func decimalLength(_ bytes: [UInt8]) -> Int {
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let start = index
        while index < bytes.count, HaystackSyntax.isDigit(bytes[index]) { index += 1 }
        guard index > start else { return 0 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            let fraction = index + 1
            index = fraction
            while index < bytes.count, HaystackSyntax.isDigit(bytes[index]) { index += 1 }
            guard index > fraction else { return 0 }
        }
        if index < bytes.count, [UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "_")].contains(bytes[index]) { return 0 }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E"),
           HaystackSyntax.isDigit(bytes[index + 1]) || bytes[index + 1] == UInt8(ascii: "-") || bytes[index + 1] == UInt8(ascii: "+") {
            return 0
        }
        return index
    }

    /// A Haystack string as a YAML scalar: plain when it reads back as the same string, quoted otherwise (a string
    /// that looks like a number, a boolean, a date, or that YAML would read as something else).
    static func string(_ text: String) -> ModelValue {
        let special: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", ""]
        let numeric = text.first.map { $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." } ?? false
        let plain = !(text.utf8.count <= 5 && special.contains(text.lowercased())) && !numeric && value(text, plain: true) == .string(text)
        return .scalar(text, plain: plain)
    }
}
