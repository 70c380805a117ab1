import ArxosModel
import Foundation
import Testing

private func objects(_ yaml: String, path: String = "state.yaml") throws -> [ArxObject] {
    try ArxObject.objects(path: path, bytes: Array(yaml.utf8))
}

@Suite("Schema checks: kinds, units and references from the type table, located at the field's line")
struct SchemaCheckTests {
    private let today = Date(timeIntervalSince1970: 1_795_000_000)

    private func check(_ yaml: String) throws -> [Violation] {
        let violations = Validator(today: today).validate(try objects(yaml))
        return FieldLines.locate(violations, bytes: Array(yaml.utf8))
    }

    @Test("21.5 °Q is an unknown unit at the property's line, with a suggestion; so is °X on a property the table does not know")
    func unknownUnit() throws {
        let found = try check("""
            id: hq/vav-1
            type: vav
            properties:
              minAirflow: 150 cfm
              zoneTempSetpoint: 21.5 °Q
              supplyNote: 3 °X
            """)
        #expect(found.map(\.rule) == ["property-unit", "property-unit"], "\(found)")
        #expect(found.map(\.line) == [5, 6])
        #expect(found.first?.message == "zoneTempSetpoint 21.5 °Q: unknown unit '°Q'; did you mean '°C'?")
        #expect(found.first?.description.hasPrefix("state.yaml:5: error: hq/vav-1: ") == true)
        #expect(found.first?.field == "properties.zoneTempSetpoint")
    }

    @Test("a unit of the wrong dimension, a missing unit and a non-number are reported for known quantities", arguments: [
        ("maxAirflow: 21.5 °C", "property-unit", "is a temperature; expected an airflow"),
        ("maxAirflow: 850", "property-unit", "has no unit"),
        ("maxAirflow: lots", "property-kind", "is not an airflow"),
        ("maxAirflow: [1, 2]", "property-kind", "is not a quantity"),
        ("occupied: maybe", "property-kind", "is not true or false"),
        ("reheatCapacity: 3 kW", nil, ""),
        ("maxAirflow: 400 L/s", nil, ""),
        ("someOtherNumber: 850", nil, ""),
        ("someOtherText: 8 AWG", nil, ""),
    ] as [(String, String?, String)])
    func kinds(property: String, rule: String?, fragment: String) throws {
        let found = try check("id: v\ntype: vav\nproperties:\n  \(property)\n")
        if let rule {
            #expect(found.count == 1, "\(found)")
            #expect(found.first?.rule == rule)
            #expect(found.first?.message.contains(fragment) == true, "\(found)")
            #expect(found.first?.line == 4)
        } else {
            #expect(found.isEmpty, "\(found)")
        }
    }

    @Test("a number where a reference is expected is a reference-kind error, not also a missing object")
    func numberForReference() throws {
        let found = try check("""
            - {id: room-1, type: room}
            - id: s1
              type: sensor
              location: 101
              partOf: [room-1, 42]
              fedBy: {a: b}
            """)
        #expect(found.map(\.rule) == ["reference-kind", "reference-kind", "reference-kind"], "\(found)")
        #expect(found.map(\.line) == [4, 5, 6])
        #expect(found[0].message.contains("is the number 101 where an object id is expected"))
        #expect(found[2].message.contains("is a map"))
        // A quoted number is a string id: only the missing object is reported.
        let quoted = try check("- {id: s1, type: sensor, location: \"101\"}\n")
        #expect(quoted.map(\.rule) == ["relation-target"], "\(quoted)")
    }

    @Test("lifecycle fields have kinds too; a required property that is missing is an error")
    func fieldsAndRequired() throws {
        let found = try check("""
            id: p
            type: elec_panel
            installDate: 2019-02-30
            expectedLifeYears: forever
            properties:
              voltage: 208 V
            """)
        #expect(Set(found.map(\.rule)) == ["property-kind", "required-property"], "\(found)")
        #expect(found.contains { $0.rule == "property-kind" && $0.line == 3 && $0.message.contains("YYYY-MM-DD") })
        #expect(found.contains { $0.rule == "property-kind" && $0.line == 4 })
        #expect(found.contains { $0.rule == "required-property" && $0.line == 1 && $0.message.contains("'rating'") })
    }

    @Test("the fixture-style objects of every known type pass; unknown types only get the unknown-type warning")
    func cleanObjects() throws {
        let found = try check("""
            - {id: b, type: building, properties: {grossArea: 2450 m², floorCount: 2, yearBuilt: 2008}}
            - {id: ch, type: chiller, location: b, properties: {capacity: 60 tonR, chilledWaterSupplySetpoint: 6.7 °C, enabled: true}}
            - {id: pu, type: pump, location: b, properties: {designFlow: 144 gpm, designHead: 55 ftH₂O, motorPower: 3 hp, minSpeed: 30 %}}
            - {id: pn, type: elec_panel, location: b, properties: {rating: 400 A, voltage: 208 V, phases: 3, shortCircuitRating: 22 kA}}
            - {id: d, type: door, location: b, properties: {unlockSchedule: weekdays 07:00-19:00, heldOpenAlarm: 30 s, fireRelease: true}}
            - {id: g, type: gizmo, location: b, properties: {color: blue, weight: 3 kg}}
            """)
        #expect(found.map(\.rule) == ["unknown-type"], "\(found)")
    }

    @Test("FieldLines finds top-level fields and properties of each object in a multi-object file")
    func fieldLines() {
        let text = """
            # comment
            - id: a
              type: vav
              location: x
              properties:
                maxAirflow: 1 cfm
                nested: {location: y}
            - id: b
              type: vav
              properties: {maxAirflow: 2 cfm}
            """
        let lines = FieldLines.lines(Array(text.utf8))
        #expect(lines[2]?["location"] == 4)
        #expect(lines[2]?["properties.maxAirflow"] == 6)
        #expect(lines[2]?["properties.location"] == nil)
        #expect(lines[8]?["properties.maxAirflow"] == 10)
    }
}
