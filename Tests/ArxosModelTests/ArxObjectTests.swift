import ArxosModel
import Testing

@Suite("ArxObject: every field kept, in order")
struct ArxObjectTests {
    @Test("fields, nesting, unknown fields, quoting and aliases")
    func readsEverything() throws {
        let yaml = """
            defaults: &vav-defaults {minAirflow: 150 cfm, maxAirflow: 850 cfm}
            id: hq/vav-101
            type: vav
            customField: kept
            properties: *vav-defaults
            fedBy: [hq/ahu-1]
            name: "VAV 101"
            ---
            - {id: hq/vav-102, type: vav, points: [a, b]}
            - id: hq/vav-103
              type: vav
              properties:
                schedule:
                  weekday: "07:00-18:00"
            """
        let objects = try ArxObject.objects(path: "hvac/vavs.yaml", bytes: Array(yaml.utf8))
        #expect(objects.map(\.id) == ["hq/vav-101", "hq/vav-102", "hq/vav-103"])
        let first = try #require(objects.first)
        #expect(first.fields.map(\.key) == ["defaults", "id", "type", "customField", "properties", "fedBy", "name"])
        #expect(first["customField"]?.text == "kept")
        #expect(first["properties"]?.fields?.map(\.key) == ["minAirflow", "maxAirflow"], "an alias reads as the value it names")
        #expect(first["fedBy"]?.idList == ["hq/ahu-1"])
        #expect(first["name"] == .scalar("VAV 101", plain: false))
        #expect(objects[1]["points"]?.idList == ["a", "b"])
        #expect(objects[2]["properties"]?.fields?.first?.value.fields?.first?.value.text == "07:00-18:00")
        #expect(objects[2].line == 10)
    }

    @Test("a file that does not parse reports file:line, as capture does")
    func badFile() {
        #expect(throws: ModelError.self) { try ArxObject.objects(path: "x.yaml", bytes: Array("id: [\n".utf8)) }
    }
}
