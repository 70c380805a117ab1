import ArxosModel
import Foundation
import Testing

@Suite("TypeTable: the shipped type table")
struct TypeTableTests {
    private let table = TypeTable.standard

    @Test("the shipped YAML reads and covers every type the issue and the first validator named")
    func coverage() throws {
        let required = ["building", "floor", "room", "zone", "ahu", "vav", "chiller", "boiler", "pump", "fan", "cooling_tower",
                        "heat_exchanger", "elec_panel", "circuit", "meter", "transformer", "generator", "ups", "lighting", "door",
                        "access_reader", "camera", "alarm_panel", "sensor", "setpoint", "command", "point", "space", "damper",
                        "valve", "coil", "rtu", "fcu", "equipment", "site", "fire_damper", "smoke_damper"]
        for type in required {
            let entry = try #require(table.entry(type), "\(type) is missing")
            #expect(entry.name == type)
            #expect(entry.brickClass.hasPrefix("brick:"))
            #expect(!entry.haystackMarkers.isEmpty)
        }
        #expect(table.entry("gizmo") == nil)
        #expect(Set(table.entries.map(\.name)).count == table.entries.count, "a type is listed twice")
        #expect(ObjectTypes.known.isSuperset(of: required))
    }

    @Test("Brick classes are the ones the shared Brick models use; Haystack markers as documented")
    func classesAndMarkers() {
        #expect(table.entry("vav")?.brickClass == "brick:VAV")
        #expect(table.entry("ahu")?.brickClass == "brick:AHU")
        #expect(table.entry("chiller")?.brickClass == "brick:Chiller")
        #expect(table.entry("cooling_tower")?.brickClass == "brick:Cooling_Tower")
        #expect(table.entry("zone")?.brickClass == "brick:HVAC_Zone")
        #expect(table.entry("vav")?.haystackMarkers == ["equip", "vav", "air"])
        #expect(table.entry("setpoint")?.haystackMarkers == ["point", "sp"])
    }

    @Test("strict: whole types, single properties, life-safety properties on every type, nothing else")
    func strictness() {
        #expect(table.isStrict(type: "fire_damper", property: "anything"))
        #expect(table.isStrict(type: "smoke_damper", property: "name"))
        #expect(table.isStrict(type: "smoke_control", property: "mode"))
        #expect(table.isStrict(type: "door", property: "unlockSchedule"))
        #expect(table.isStrict(type: "door", property: "schedule"))
        #expect(table.isStrict(type: "access_reader", property: "schedule"))
        #expect(table.isStrict(type: "ahu", property: "smokeControlMode"))
        #expect(table.isStrict(type: "ahu", property: "fireAlarmMode"))
        #expect(table.isStrict(type: "gizmo", property: "smokeControlMode"), "life-safety modes are strict on unknown types too")
        #expect(!table.isStrict(type: "vav", property: "maxAirflow"))
        #expect(!table.isStrict(type: "door", property: "heldOpenAlarm"))
        #expect(!table.isStrict(type: "gizmo", property: "color"))
        #expect(table.entry("door")?.strictProperties.isSuperset(of: ["schedule", "unlockSchedule"]) == true)
        #expect(table.entry("fire_damper")?.strict == true)
        #expect(table.entry("vav")?.strict == false)
    }

    @Test("property schemas: kinds read from the table, alternatives, required flags")
    func schemas() throws {
        let vav = try #require(table.entry("vav"))
        #expect(vav.property("maxAirflow")?.kind == .quantity([.airflow]))
        #expect(vav.property("occupied")?.kind == .boolean)
        #expect(vav.property("nonsense") == nil)
        let circuit = try #require(table.entry("circuit"))
        #expect(circuit.property("connectedLoad")?.kind.dimensions == [.current, .power, .apparentPower])
        #expect(table.entry("elec_panel")?.property("rating")?.required == true)
        #expect(table.field("installDate")?.kind == .date)
        #expect(ValueKind(spec: "number|temperature") == .either([.number, .quantity([.temperature])]))
        #expect(ValueKind(spec: "furlongs") == nil)
    }

    @Test("a malformed table is refused with the reason", arguments: [
        ("types: {x: {haystack: [a]}}", "no 'brick' class"),
        ("types: {x: {brick: brick:X}}", "no 'haystack' markers"),
        ("types: {x: {brick: brick:X, haystack: [a], properties: {p: furlongs}}}", "no known kind"),
        ("types: {x: {brick: brick:X, haystack: [a], colour: red}}", "unknown key 'colour'"),
        ("- a list", "not a YAML mapping"),
    ])
    func malformed(yaml: String, reason: String) {
        #expect {
            _ = try TypeTable(yaml: yaml)
        } throws: { error in
            (error as? TypeTableError)?.localizedDescription.contains(reason) == true
        }
    }

    @Test("docs/model.md shows the table exactly as shipped (ARXOS_RECORD_DOCS=1 rewrites the section)")
    func documented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/model.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let begin = "<!-- type-table:begin (generated from TypeTableData.swift; a test checks it) -->\n"
        let end = "<!-- type-table:end -->"
        let start = try #require(text.range(of: begin), "docs/model.md has no type-table section")
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let documented = String(text[start.upperBound..<stop.lowerBound])
        let expected = table.markdown()
        if documented != expected, ProcessInfo.processInfo.environment["ARXOS_RECORD_DOCS"] == "1" {
            try (String(text[..<start.upperBound]) + expected + String(text[stop.lowerBound...])).write(to: docs, atomically: true, encoding: .utf8)
            return
        }
        #expect(documented == expected, "docs/model.md's type table differs from the shipped table; rerun with ARXOS_RECORD_DOCS=1")
    }
}
