@testable import ArxosIndex
import ArxosModel
import Testing

@Suite struct IndexRecordTests {
    @Test("the index reads quantities exactly as Quantity.parse does", arguments: [
        "850 cfm", "850cfm", "21.5 °C", "21.5°C", " 70 °F ", "-3.5 °F", "−2 ΔK", "+4 kW", "0.50 inH2O", "1,200 cfm", "1,5 kW",
        ".5 W", "5. W", "1e3 W", "1_000 W", "850", "2013-08-11", "07:00", "21.5 °Q", "12 V", "3 in wc", "10 gpm", "SN-1",
        "", "-", "2.4 $", "5 KW", "5 mw", "1.2.3 m",
    ])
    func quantities(text: String) {
        let expected = Quantity.parse(text)
        let read = IndexRecord.quantity(text)
        #expect(read == expected, "'\(text)': index \(String(describing: read)), model \(String(describing: expected))")
    }

    @Test("properties are flattened, other top-level fields read as properties, relations listed once")
    func rows() throws {
        let yaml = """
            id: hq/vav-1
            type: vav
            name: VAV 1
            location: hq/room-1
            fedBy: [hq/ahu-1, hq/ahu-1]
            points: hq/vav-1/temp
            properties:
              maxAirflow: 900 cfm
              setpoints: {occupied: 21.5 °C, unoccupied: 16 °C}
              tags: [a, b]
              count: 3
              manufacturer: Inner
              empty: ~
            manufacturer: Price
            refs: {brick: "urn:x"}
            """
        let object = try #require(try ArxObject.objects(path: "a.yaml", bytes: Array(yaml.utf8)).first)
        let record = IndexRecord(object)
        let byName = Dictionary(uniqueKeysWithValues: record.properties.map { ($0.name, $0) })
        #expect(Set(byName.keys) == ["maxAirflow", "setpoints.occupied", "setpoints.unoccupied", "tags", "count", "manufacturer"])
        #expect(byName["manufacturer"]?.raw == "Inner", "a property wins over a top-level field of the same name")
        #expect(byName["tags"]?.raw == "[a, b]" && byName["tags"]?.value == nil)
        #expect(byName["count"]?.value == 3 && byName["count"]?.unit == nil)
        let airflow = try #require(byName["maxAirflow"])
        #expect(airflow.dimension == "airflow" && airflow.unit == "cfm")
        #expect(abs((airflow.value ?? 0) - 900 * 0.3048 * 0.3048 * 0.3048 / 60) < 1e-12)
        #expect(abs((byName["setpoints.occupied"]?.value ?? 0) - 294.65) < 1e-9)
        #expect(record.relations.map { "\($0.name) \($0.target)" } == ["location hq/room-1", "fedBy hq/ahu-1", "points hq/vav-1/temp"])
        #expect(record.containment.parents == ["hq/room-1"] && record.containment.points == ["hq/vav-1/temp"])
    }

    @Test("derived building and floor: containment first, breadth first, then the id prefix")
    func derivation() throws {
        var memory = MemoryContainment()
        memory.add("b", Containment(type: "building", level: nil, parents: [], points: []))
        memory.add("b/f1", Containment(type: "floor", level: 3, parents: ["b"], points: []))
        memory.add("b/f2", Containment(type: "floor", level: nil, parents: ["b"], points: []))
        memory.add("b/room", Containment(type: "room", level: nil, parents: ["b/f1"], points: []))
        memory.add("b/vav", Containment(type: "vav", level: nil, parents: ["b/room"], points: ["b/temp"]))
        memory.add("b/temp", Containment(type: "sensor", level: nil, parents: [], points: []))
        memory.add("b/loose", Containment(type: "pump", level: nil, parents: [], points: []))
        memory.add("b/nolevel", Containment(type: "room", level: nil, parents: ["b/f2", "b/f1"], points: []))
        memory.add("x/loop1", Containment(type: "room", level: nil, parents: ["x/loop2"], points: []))
        memory.add("x/loop2", Containment(type: "room", level: nil, parents: ["x/loop1"], points: []))
        memory.finish()
        #expect(try Derivation.derive("b/temp", from: &memory) == Derived(building: "b", floor: 3), "through the owner's points")
        #expect(try Derivation.derive("b/loose", from: &memory) == Derived(building: "b", floor: nil), "by id prefix")
        #expect(try Derivation.derive("b/nolevel", from: &memory) == Derived(building: "b", floor: nil), "the nearest floor has no level")
        #expect(try Derivation.derive("b", from: &memory) == Derived(building: "b", floor: nil))
        #expect(try Derivation.derive("b/f1", from: &memory) == Derived(building: "b", floor: 3))
        #expect(try Derivation.derive("x/loop1", from: &memory) == Derived(building: nil, floor: nil), "a loop ends")
    }
}
