import ArxosMerge
import ArxosModel
import Testing

private func object(_ yaml: String, path: String = "hvac/vavs.yaml") throws -> ArxObject {
    try #require(try ArxObject.objects(path: path, bytes: Array(yaml.utf8)).first)
}

private let base = """
    id: hq/vav-101
    type: vav
    name: VAV 101
    location: hq/floor-1/room-101
    fedBy: [hq/ahu-1]
    points: [hq/vav-101/temp, hq/vav-101/flow]
    properties:
      minAirflow: 150 cfm
      maxAirflow: 850 cfm
      zoneTempSetpoint: 21.5 °C
    installDate: 2019-06-01
    refs:
      brick: "urn:hq#vav-101"

    """

@Suite("ObjectDiff: property-level comparison of one object")
struct ObjectDiffTests {
    @Test("the same object reformatted and reordered is no change")
    func reformatIsNoChange() throws {
        let reformatted = """
            # comment
            type: vav
            id: hq/vav-101
            refs: {brick: "urn:hq#vav-101"}
            name: "VAV 101"
            location: hq/floor-1/room-101
            fedBy:
              - hq/ahu-1
            points: [hq/vav-101/flow, hq/vav-101/temp]
            properties: {zoneTempSetpoint: 21.5 °C, maxAirflow: 850 cfm, minAirflow: 150.0 cfm}
            installDate: 2019-06-01
            """
        #expect(ObjectDiff.compare(try object(base), try object(reformatted)) == nil)
    }

    @Test("a changed property reports old → new with its unit")
    func valueChange() throws {
        let edited = base.replacingOccurrences(of: "minAirflow: 150 cfm", with: "minAirflow: 180 cfm")
        let change = try #require(ObjectDiff.compare(try object(base), try object(edited)))
        #expect(change.change == .modified)
        #expect(change.properties == [PropertyChange(name: "minAirflow", old: "150 cfm", new: "180 cfm", unit: "cfm", kind: .value)])
    }

    @Test("the same amount in another unit is a unit change, not a value change")
    func unitChange() throws {
        let edited = base.replacingOccurrences(of: "zoneTempSetpoint: 21.5 °C", with: "zoneTempSetpoint: 70.7 °F")
        let change = try #require(ObjectDiff.compare(try object(base), try object(edited)))
        #expect(change.properties.map(\.kind) == [.unit])
        let warmer = base.replacingOccurrences(of: "zoneTempSetpoint: 21.5 °C", with: "zoneTempSetpoint: 72 °F")
        let warmerChange = try #require(ObjectDiff.compare(try object(base), try object(warmer)))
        #expect(warmerChange.properties.map(\.kind) == [.value])
    }

    @Test("relations compare as sets: additions and removals, order ignored")
    func relations() throws {
        let edited = base
            .replacingOccurrences(of: "fedBy: [hq/ahu-1]", with: "fedBy: [hq/ahu-2]")
            .replacingOccurrences(of: "points: [hq/vav-101/temp, hq/vav-101/flow]", with: "points: [hq/vav-101/flow, hq/vav-101/temp, hq/vav-101/damper]")
        let change = try #require(ObjectDiff.compare(try object(base), try object(edited)))
        #expect(change.relations == [
            RelationChange(relation: "fedBy", added: ["hq/ahu-2"], removed: ["hq/ahu-1"]),
            RelationChange(relation: "points", added: ["hq/vav-101/damper"], removed: []),
        ])
        #expect(change.properties.isEmpty)
    }

    @Test("a new location is a move; added and removed fields are named; unknown fields count")
    func moveAndFields() throws {
        let edited = base
            .replacingOccurrences(of: "location: hq/floor-1/room-101", with: "location: hq/floor-1/room-102")
            .replacingOccurrences(of: "installDate: 2019-06-01\n", with: "warrantyUntil: 2029-06-01\n")
        let change = try #require(ObjectDiff.compare(try object(base), try object(edited, path: "hvac/vav-101.yaml")))
        #expect(change.change == .moved)
        #expect(change.oldPath == "hvac/vavs.yaml")
        #expect(change.path == "hvac/vav-101.yaml")
        #expect(change.properties.map(\.name) == ["location", "installDate", "warrantyUntil"])
        #expect(change.properties.map(\.kind) == [.value, .removed, .added])
    }

    @Test("added and removed objects")
    func addRemove() throws {
        let vav = try object(base)
        #expect(ObjectDiff.compare(nil, vav)?.change == .added)
        #expect(ObjectDiff.compare(vav, nil)?.change == .removed)
    }
}
