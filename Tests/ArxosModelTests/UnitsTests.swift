import ArxosModel
import Foundation
import Testing

private func unit(_ symbol: String) throws -> QuantityUnit {
    try #require(UnitTable.unit(symbol), "no unit \(symbol)")
}

private func quantity(_ text: String) throws -> Quantity {
    try Quantity.parseStrict(text)
}

/// The error `text` produces; records an issue and returns nil if it parses.
private func failure(_ text: String) -> QuantityError? {
    do {
        let parsed = try Quantity.parseStrict(text)
        Issue.record("expected an error, got \(parsed)")
        return nil
    } catch {
        return error
    }
}

/// Whether `a` and `b` agree to `digits` significant digits.
private func close(_ a: Double, _ b: Double, digits: Double = 6) -> Bool {
    abs(a - b) <= max(abs(a), abs(b)) * pow(10, -digits)
}

/// Every spelling the table promises, with the canonical symbol it must read as.
private let spellings: [(String, String)] = [
    ("°C", "°C"), ("degC", "°C"), ("C", "°C"), ("deg C", "°C"), ("℃", "°C"), ("ºC", "°C"), ("celsius", "°C"),
    ("°F", "°F"), ("degF", "°F"), ("F", "°F"), ("deg F", "°F"), ("℉", "°F"), ("fahrenheit", "°F"), ("K", "K"),
    ("Δ°C", "Δ°C"), ("delta C", "Δ°C"), ("deltaC", "Δ°C"), ("∆°C", "Δ°C"), ("Δ°F", "Δ°F"), ("delta F", "Δ°F"),
    ("ΔF", "Δ°F"), ("ΔK", "ΔK"), ("delta K", "ΔK"),
    ("cfm", "cfm"), ("CFM", "cfm"), ("ft³/min", "cfm"), ("L/s", "L/s"), ("l/s", "L/s"), ("lps", "L/s"),
    ("m³/h", "m³/h"), ("m3/h", "m³/h"), ("cmh", "m³/h"), ("CMH", "m³/h"), ("m³/s", "m³/s"), ("m3/s", "m³/s"),
    ("gpm", "gpm"), ("GPM", "gpm"), ("gal/min", "gpm"), ("L/min", "L/min"), ("l/min", "L/min"), ("lpm", "L/min"),
    ("m/s", "m/s"), ("fpm", "fpm"), ("ft/min", "fpm"),
    ("W", "W"), ("kW", "kW"), ("KW", "kW"), ("kw", "kW"), ("MW", "MW"), ("BTU/h", "BTU/h"), ("Btu/h", "BTU/h"),
    ("btuh", "BTU/h"), ("BTUH", "BTU/h"), ("BTU/hr", "BTU/h"), ("MBH", "MBH"), ("mbh", "MBH"), ("kBtu/h", "MBH"),
    ("ton", "ton"), ("tons", "ton"), ("TR", "ton"), ("RT", "ton"), ("hp", "hp"), ("HP", "hp"), ("bhp", "hp"),
    ("Pa", "Pa"), ("kPa", "kPa"), ("inH₂O", "inH₂O"), ("inH2O", "inH₂O"), ("in.w.c.", "inH₂O"), ("in wc", "inH₂O"),
    ("in  wc", "inH₂O"), ("in. w.c.", "inH₂O"), ("iwc", "inH₂O"), ("\"wc", "inH₂O"), ("in wg", "inH₂O"),
    ("psi", "psi"), ("PSI", "psi"), ("bar", "bar"),
    ("mm", "mm"), ("cm", "cm"), ("m", "m"), ("in", "in"), ("inch", "in"), ("ft", "ft"), ("feet", "ft"),
    ("m²", "m²"), ("m2", "m²"), ("sqm", "m²"), ("ft²", "ft²"), ("ft2", "ft²"), ("sqft", "ft²"), ("sf", "ft²"),
    ("SF", "ft²"), ("sq ft", "ft²"),
    ("L", "L"), ("l", "L"), ("m³", "m³"), ("m3", "m³"), ("gal", "gal"), ("ft³", "ft³"), ("ft3", "ft³"),
    ("V", "V"), ("kV", "kV"), ("Vac", "V"), ("A", "A"), ("amps", "A"), ("mA", "mA"),
    ("VA", "VA"), ("kVA", "kVA"), ("KVA", "kVA"), ("MVA", "MVA"),
    ("J", "J"), ("kJ", "kJ"), ("MJ", "MJ"), ("GJ", "GJ"), ("Wh", "Wh"), ("kWh", "kWh"), ("KWH", "kWh"),
    ("MWh", "MWh"), ("BTU", "BTU"), ("Btu", "BTU"), ("therm", "therm"), ("therms", "therm"),
    ("%", "%"), ("percent", "%"), ("s", "s"), ("sec", "s"), ("ms", "ms"), ("min", "min"), ("h", "h"), ("hr", "h"),
    ("Hz", "Hz"), ("kHz", "kHz"), ("rpm", "rpm"), ("g", "g"), ("kg", "kg"), ("lb", "lb"), ("lbs", "lb"),
]

@Suite("UnitTable: symbols, aliases and suggestions")
struct UnitTableTests {
    @Test(arguments: spellings)
    func readsSpelling(_ spelling: String, _ symbol: String) throws {
        #expect(try unit(spelling).symbol == symbol)
        // And as part of a quantity, with and without a space.
        #expect(try quantity("12 \(spelling)").unit.symbol == symbol)
        #expect(try quantity("12\(spelling)").unit.symbol == symbol)
    }

    @Test func everySymbolAndAliasReadsAsItsOwnUnit() throws {
        var seen: Set<String> = []
        for unit in UnitTable.all {
            for spelling in [unit.symbol] + UnitTable.aliases(of: unit) {
                #expect(UnitTable.unit(spelling) == unit, "\(spelling) should read as \(unit.symbol)")
                #expect(seen.insert(spelling).inserted, "\(spelling) is listed twice")
            }
        }
    }

    @Test func coversTheRequiredDimensions() {
        let dimensions = Set(UnitTable.all.map(\.dimension))
        #expect(dimensions == Set(QuantityDimension.allCases))
        #expect(UnitTable.all.count == Set(UnitTable.all.map(\.symbol)).count)
    }

    @Test func caseMattersWhereItIsAPrefix() {
        // mW would be a milliwatt and MA a megaampere; neither is read as MW or mA.
        #expect(UnitTable.unit("mw") == nil)
        #expect(UnitTable.unit("MA") == nil)
        #expect(UnitTable.unit("mwh") == nil)
        #expect(UnitTable.suggestion(for: "mw") == "MW")
        #expect(UnitTable.suggestion(for: "MA") == "mA")
    }

    @Test func suggestions() {
        #expect(UnitTable.suggestion(for: "°Q") == "°C")
        #expect(UnitTable.suggestion(for: "cfmm") == "cfm")
        #expect(UnitTable.suggestion(for: "farenheit") == "°F")
        #expect(UnitTable.suggestion(for: "inH20") == "inH₂O")
        #expect(UnitTable.suggestion(for: "psig") == "psi")
        #expect(UnitTable.suggestion(for: "xyzzy") == nil)
        #expect(UnitTable.suggestion(for: "") == nil)
    }
}

@Suite("Quantity: parsing, conversion, comparison and display")
struct QuantityTests {
    @Test func parsesNumbers() throws {
        let airflow = try quantity("850 cfm")
        let cfm = try unit("cfm")
        #expect(airflow.value == 850 && airflow.decimals == 0 && airflow.unit == cfm)
        let setpoint = try quantity("21.5 °C")
        #expect(setpoint.value == 21.5 && setpoint.decimals == 1)
        #expect(try quantity("-3.5 °F").value == -3.5)
        #expect(try quantity("−3.5 °F").value == -3.5)  // U+2212 minus sign
        #expect(try quantity("+7 kW").value == 7)
        #expect(try quantity("0.50 inH₂O").decimals == 2)
        #expect(try quantity("12000 ft²").value == 12000)
        #expect(try quantity("45 %").base == 0.45)
        #expect(try quantity("15 kW").base == 15000)
        #expect(try quantity("  850 cfm \n").value == 850)
        #expect(try quantity("850\u{00A0}cfm").value == 850)  // no-break space
        #expect(try quantity("850   cfm").value == 850)
        #expect(try quantity("21.5°C").unit.symbol == "°C")
        #expect(try quantity("007 s").value == 7)
    }

    @Test(arguments: ["1,200 cfm", "1.5.2 kW", ".5 kW", "5. kW", "1e3 W", "1E-3 A", "1_000 W", "abc", "", "cfm 850", "- 5 K", "1,5 kW", String(repeating: "9", count: 400) + " W"])
    func rejectsNumbersItDoesNotRead(_ text: String) throws {
        let error = try #require(failure(text))
        guard case .notANumber = error else {
            Issue.record("expected notANumber for \(text), got \(error)")
            return
        }
        #expect(error.errorDescription?.contains("'\(text.trimmingCharacters(in: .whitespaces))'") == true)
    }

    @Test func unknownUnitNamesTheSymbolAndTheHint() throws {
        let error = try #require(failure("21.5 °Q"))
        #expect(error == .unknownUnit(symbol: "°Q", suggestion: "°C"))
        #expect(error.errorDescription == "'°Q' is not a known unit; did you mean '°C'?")
        #expect(failure("3 furlongs") == .unknownUnit(symbol: "furlongs", suggestion: nil))
        #expect(failure("3 furlongs")?.errorDescription?.contains("docs/model.md") == true)
        #expect(Quantity.parse("21.5 °Q") == nil)
    }

    @Test func bareNumberHasNoUnit() {
        #expect(failure("850") == .missingUnit("850"))
        #expect(failure("850")?.errorDescription == "'850' has no unit; write the unit after the number, as in '850 cfm'.")
    }

    // Expected values from the definitions, worked independently of the table:
    // 21.5 °C = 21.5 × 9/5 + 32 °F; 1 ton = 12000 BTU/h = 12000 × 1055.05585262 / 3600 W;
    // 1 cfm = 0.028316846592 m³ / 60 s; 1 ft² = 0.3048² m²; 1 kWh = 3.6 MJ.
    @Test func convertsAgainstKnownValues() throws {
        #expect(close(try #require(quantity("21.5 °C").converted(to: unit("°F"))).value, 70.7))
        #expect(close(try #require(quantity("-40 °F").converted(to: unit("°C"))).value, -40))
        #expect(close(try #require(quantity("0 °C").converted(to: unit("K"))).value, 273.15))
        #expect(close(try #require(quantity("1 ton").converted(to: unit("BTU/h"))).value, 12000))
        #expect(close(try #require(quantity("1 ton").converted(to: unit("kW"))).value, 3.51685, digits: 5))
        #expect(close(try #require(quantity("1 MBH").converted(to: unit("BTU/h"))).value, 1000))
        #expect(close(try #require(quantity("1 hp").converted(to: unit("W"))).value, 745.7, digits: 4))
        #expect(close(try #require(quantity("1 inH₂O").converted(to: unit("Pa"))).value, 249.089, digits: 6))
        #expect(close(try #require(quantity("1 psi").converted(to: unit("kPa"))).value, 6.894757, digits: 6))
        #expect(close(try #require(quantity("850 cfm").converted(to: unit("L/s"))).value, 401.155, digits: 5))
        #expect(close(try #require(quantity("1 m³/h").converted(to: unit("L/s"))).value, 1 / 3.6))
        #expect(close(try #require(quantity("1 ft²").converted(to: unit("m²"))).value, 0.092903, digits: 5))
        #expect(close(try #require(quantity("1 kWh").converted(to: unit("MJ"))).value, 3.6))
        #expect(close(try #require(quantity("1 therm").converted(to: unit("kWh"))).value, 29.3071, digits: 5))
        #expect(close(try #require(quantity("1 gal").converted(to: unit("L"))).value, 3.785411784))
        #expect(close(try #require(quantity("1 gpm").converted(to: unit("L/min"))).value, 3.785411784))
        #expect(close(try #require(quantity("1 ft").converted(to: unit("in"))).value, 12))
        #expect(close(try #require(quantity("1 lb").converted(to: unit("g"))).value, 453.59237))
        #expect(close(try #require(quantity("1 h").converted(to: unit("s"))).value, 3600))
        #expect(close(try #require(quantity("1800 rpm").converted(to: unit("Hz"))).value, 30))
        #expect(close(try #require(quantity("1 kVA").converted(to: unit("VA"))).value, 1000))
        #expect(close(try #require(quantity("100 fpm").converted(to: unit("m/s"))).value, 0.508))
    }

    @Test func temperatureDifferencesHaveNoOffset() throws {
        // A 2 °F deadband is 10/9 K wide; 2 °F as a temperature is -16.7 °C.
        #expect(close(try #require(quantity("2 Δ°F").converted(to: unit("ΔK"))).value, 10.0 / 9.0))
        #expect(close(try #require(quantity("2 °F").converted(to: unit("°C"))).value, -150.0 / 9.0))
        #expect(try quantity("2 Δ°F").converted(to: unit("°C")) == nil)
    }

    @Test func conversionBetweenDimensions() throws {
        #expect(try quantity("850 cfm").converted(to: unit("kW")) == nil)
        #expect(try quantity("21.5 °C").converted(to: unit("%")) == nil)
        // Air and water flow are both volumetric flow.
        let water = try #require(quantity("10 L/s").converted(to: unit("gpm")))
        #expect(water.unit.dimension == .flow)
        #expect(close(water.value, 158.503, digits: 5))
    }

    @Test func conversionKeepsThePrecisionOfTheLiteral() throws {
        #expect(try quantity("21.5 °C").converted(to: unit("°F"))?.description == "70.7 °F")
        #expect(try quantity("850 cfm").converted(to: unit("L/s"))?.description == "401.2 L/s")
        #expect(try quantity("850 cfm").converted(to: unit("cfm"))?.description == "850 cfm")
        #expect(try quantity("15 kW").converted(to: unit("W"))?.description == "15000 W")
        #expect(try quantity("1500 W").converted(to: unit("kW"))?.description == "1.500 kW")
        #expect(try quantity("1 ton").converted(to: unit("kW"), decimals: 3)?.description == "3.517 kW")
    }

    @Test func sameAmount() throws {
        #expect(try quantity("21.5 °C").sameAmount(as: quantity("70.7 °F")))
        #expect(try quantity("70.7 °F").sameAmount(as: quantity("21.5 °C")))
        #expect(try quantity("850 cfm").sameAmount(as: quantity("401.2 L/s")))
        #expect(try quantity("850 cfm").sameAmount(as: quantity("850.0 cfm")))
        #expect(try quantity("1 ton").sameAmount(as: quantity("12000 BTU/h")))
        #expect(try quantity("1 kWh").sameAmount(as: quantity("3.6 MJ")))
        #expect(try quantity("15 kW").sameAmount(as: quantity("15000 W")))
        #expect(try !quantity("850 cfm").sameAmount(as: quantity("860 cfm")))
        // In the same unit the written numbers decide: no tolerance.
        #expect(try !quantity("21.5 °C").sameAmount(as: quantity("22 °C")))
        #expect(try !quantity("850 cfm").sameAmount(as: quantity("850.4 cfm")))
        #expect(try !quantity("21.5 °C").sameAmount(as: quantity("70.9 °F")))
        #expect(try !quantity("850 cfm").sameAmount(as: quantity("850 W")))
        #expect(try !quantity("2 °F").sameAmount(as: quantity("2 Δ°F")))
    }

    @Test func sameAmountUsesTheCoarserLiteral() throws {
        // 850 cfm is known to ±0.5 cfm (±0.236 L/s), so 401.3 L/s (850 cfm = 401.155 L/s) matches it although 401.3
        // itself claims ±0.05; 401.5 L/s does not. 850.0 cfm (±0.05 cfm = ±0.024 L/s) does not match 401.3 L/s.
        #expect(try quantity("850 cfm").sameAmount(as: quantity("401.3 L/s")))
        #expect(try !quantity("850 cfm").sameAmount(as: quantity("401.5 L/s")))
        #expect(try !quantity("850.0 cfm").sameAmount(as: quantity("401.3 L/s")))
        // 21.5 °C is ±0.05 K = ±0.09 °F: 70.78 °F is within, 70.80 °F is not.
        #expect(try quantity("21.5 °C").sameAmount(as: quantity("70.78 °F")))
        #expect(try !quantity("21.5 °C").sameAmount(as: quantity("70.80 °F")))
    }

    @Test(arguments: ["850 cfm", "21.5 °C", "-3.5 °F", "0.50 inH₂O", "12000 ft²", "45 %", "15 kW", "0.000 bar", "2 Δ°F"])
    func descriptionRoundTrips(_ text: String) throws {
        let parsed = try quantity(text)
        #expect(parsed.description == text)
        #expect(try quantity(parsed.description) == parsed)
    }

    @Test func descriptionUsesTheCanonicalSymbol() throws {
        #expect(try quantity("850CFM").description == "850 cfm")
        #expect(try quantity("0.5 in wc").description == "0.5 inH₂O")
        #expect(try quantity("70 degF").description == "70 °F")
        #expect(try quantity("−3.50 C").description == "-3.50 °C")
        #expect(Quantity(value: 401.15532, unit: try unit("L/s"), decimals: 1).description == "401.2 L/s")
    }
}
