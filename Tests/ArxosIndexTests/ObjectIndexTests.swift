import ArxosCore
@testable import ArxosIndex
import ArxosStore
import ArxosWorkspace
import Foundation
import GRDB
import Testing

/// A fresh repository in a temporary directory, removed when the value goes away.
final class TestRepository {
    let path: String
    let repository: Repository

    init(_ files: [String: String] = TestRepository.building) throws {
        let raw = NSTemporaryDirectory() + "/arxos-index-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        path = URL(fileURLWithPath: raw).standardizedFileURL.path
        try Repository.initialize(at: path)
        repository = try Repository.discover(from: path)
        for (file, text) in files { try write(file, text) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ file: String, _ text: String) throws {
        let full = path + "/" + file
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func replace(_ old: String, with new: String, in file: String) throws {
        let text = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
        #expect(text.contains(old), "'\(old)' is not in \(file)")
        try write(file, text.replacingOccurrences(of: old, with: new))
    }

    /// Captures the working tree; returns the new tree.
    @discardableResult
    func capture(_ message: String = "state") throws -> ObjectID {
        var capture = Capture(message: message)
        capture.author = Person(name: "Test", email: "test@example.com", seconds: 1_700_000_000, offsetMinutes: 0)
        capture.validate = false
        return try capture.run(in: repository).tree
    }

    /// Two buildings: `hq/building` (found by containment) and `lab` (found by the id prefix).
    static let building: [String: String] = [
        "hq/building.yaml": """
            id: hq/building
            type: building
            name: Riverside HQ
            properties:
              region: west
              grossArea: 2450 m²
            """,
        "hq/floors.yaml": """
            - id: hq/floor-1
              type: floor
              name: Ground floor
              location: hq/building
              properties: {level: 0}
            - id: hq/floor-2
              type: floor
              name: First floor
              location: hq/building
              properties: {level: 1}
            - id: hq/room-101
              type: room
              location: hq/floor-1
            - id: hq/room-201
              type: room
              location: hq/floor-2
            """,
        "hq/hvac/ahu.yaml": """
            id: hq/ahu-1
            type: ahu
            name: AHU-1
            location: hq/room-101
            feeds: [hq/vav-101, hq/vav-201]
            properties:
              designAirflow: 5000 cfm
            """,
        "hq/hvac/vavs.yaml": """
            - id: hq/vav-101
              type: vav
              name: VAV 101
              location: hq/room-101
              fedBy: [hq/ahu-1]
              points: [hq/vav-101/temp]
              properties:
                maxAirflow: 900 cfm
                zoneTempSetpoint: 21.1 °C
                reheat: hot water
                occupied: true
              manufacturer: Price
            - id: hq/vav-201
              type: vav
              name: VAV 201
              location: hq/room-201
              fedBy: hq/ahu-1
              properties:
                maxAirflow: 700 cfm
                zoneTempSetpoint: 20.0 °C
                occupied: false
            - id: hq/vav-101/temp
              type: sensor
              name: VAV 101 zone temperature
            """,
        "lab/site.yaml": """
            - id: lab
              type: building
              name: Lab
              properties: {region: east}
            - id: lab/vav-1
              type: vav
              properties:
                maxAirflow: 400 L/s
            - id: lab/pump-1
              type: pump
              properties:
                designFlow: 10 gpm
                setpoints: {night: 15 °C}
            """,
    ]
}

private func ids(_ objects: [IndexedObject]) -> [String] { objects.map(\.id) }

@Suite struct ObjectIndexTests {
    @Test("a built index answers queries on fields, properties with units, derived fields and relations")
    func queries() throws {
        let repo = try TestRepository()
        let tree = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        let built = try engine.prepare(tree)
        #expect(built.how == .built && built.objectsWritten == 12 && built.state.followsHead)
        func select(_ query: String) throws -> [String] { ids(try engine.select(query, at: tree)) }

        #expect(try select("type = 'vav'") == ["hq/vav-101", "hq/vav-201", "lab/vav-1"])
        #expect(try select("type != 'vav' and type != 'room' and type != 'floor'") == ["hq/ahu-1", "hq/building", "hq/vav-101/temp", "lab", "lab/pump-1"])
        // 400 L/s is 847.5 cfm.
        #expect(try select("maxAirflow > 800 cfm") == ["hq/vav-101", "lab/vav-1"])
        // The query's value is exact: 900 cfm (0.425 m³/s) is more than 0.4 m³/s however few digits that has.
        #expect(try select("maxAirflow <= 0.4 m³/s") == ["hq/vav-201", "lab/vav-1"])
        // A stored value is known to half a unit in its last digit: 900 cfm is 899.5 to 900.5 cfm.
        #expect(try select("maxAirflow = 424.9 L/s") == ["hq/vav-101"])
        #expect(try select("maxAirflow = 424.5 L/s") == [])
        #expect(try select("maxAirflow = 900.4 cfm") == [], "in the same unit the numbers decide")
        #expect(try select("maxAirflow = 400 L/s") == ["lab/vav-1"])
        #expect(try select("maxAirflow in (700 cfm, 400 L/s)") == ["hq/vav-201", "lab/vav-1"])
        // 21.1 °C is 69.98 °F: the same amount as 70 °F at the precision both are written with.
        #expect(try select("zoneTempSetpoint >= 70 °F") == ["hq/vav-101"])
        #expect(try select("zoneTempSetpoint > 70 °F") == [])
        #expect(try select("zoneTempSetpoint < 69 °F") == ["hq/vav-201"])
        #expect(try select("designFlow >= 0.6 L/s") == ["lab/pump-1"], "10 gpm is 0.63 L/s: flow and airflow convert")
        #expect(try select("setpoints.night < 16 °C") == ["lab/pump-1"])
        #expect(try select("reheat = 'hot water'") == ["hq/vav-101"])
        #expect(try select("occupied = false") == ["hq/vav-201"])
        #expect(try select("manufacturer = 'Price'") == ["hq/vav-101"])
        #expect(try select("has reheat") == ["hq/vav-101"])
        #expect(try select("not has location and type = 'vav'") == ["lab/vav-1"])
        #expect(try select("id ~ 'hq/vav-*'") == ["hq/vav-101", "hq/vav-101/temp", "hq/vav-201"])
        #expect(try select("name !~ 'VAV*' and type = 'vav'") == [], "no name: no match, either way")
        #expect(try select("name ~ 'VAV 2*'") == ["hq/vav-201"])
        #expect(try select("file ~ 'lab/*' and type in ('vav', 'pump')") == ["lab/pump-1", "lab/vav-1"])

        // Derived fields: containment (location, partOf, points owners), then the id prefix.
        #expect(try select("floor = 0") == ["hq/ahu-1", "hq/floor-1", "hq/room-101", "hq/vav-101", "hq/vav-101/temp"])
        #expect(try select("floor >= 1") == ["hq/floor-2", "hq/room-201", "hq/vav-201"])
        #expect(try select("not floor = 0 and building = 'hq/building'") == ["hq/building", "hq/floor-2", "hq/room-201", "hq/vav-201"])
        #expect(try select("building = 'lab'") == ["lab", "lab/pump-1", "lab/vav-1"])
        #expect(try select("building.region = 'west' and type = 'vav'") == ["hq/vav-101", "hq/vav-201"])
        #expect(try select("building.name = 'Lab'") == ["lab", "lab/pump-1", "lab/vav-1"])

        // Relations.
        #expect(try select("fedBy->type = 'ahu'") == ["hq/vav-101", "hq/vav-201"])
        #expect(try select("fedBy->id = 'hq/ahu-1' and fedBy->floor = 0") == ["hq/vav-101", "hq/vav-201"])
        #expect(try select("fedBy = 'hq/ahu-1'") == ["hq/vav-101", "hq/vav-201"])
        #expect(try select("feeds->maxAirflow > 800 cfm") == ["hq/ahu-1"])
        #expect(try select("points->type = 'sensor'") == ["hq/vav-101"])
        #expect(try select("location->location->id = 'hq/floor-2'") == ["hq/vav-201"])

        let objects = try engine.select("id = 'hq/vav-101/temp'", at: tree)
        #expect(objects == [IndexedObject(id: "hq/vav-101/temp", type: "sensor", name: "VAV 101 zone temperature",
                                          building: "hq/building", floor: 0, file: "hq/hvac/vavs.yaml")])
        #expect(try engine.count("type = 'vav'", at: tree) == 3)
        #expect(ids(try engine.buildings(matching: "maxAirflow > 800 cfm", at: tree)) == ["hq/building", "lab"])
        #expect(ids(try engine.buildings(matching: "building.region = 'east'", at: tree)) == ["lab"])
    }

    @Test("the same query twice reads the cached state; nothing is written")
    func cached() throws {
        let repo = try TestRepository()
        let tree = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        #expect(try engine.prepare(tree).how == .built)
        #expect(try engine.prepare(tree).how == .cached)
        #expect(try engine.index.states().count == 1)
    }

    @Test("after a capture only the changed objects' rows are written, and derived fields follow containment")
    func incremental() throws {
        let repo = try TestRepository()
        let first = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        _ = try engine.prepare(first)

        // Two objects of vavs.yaml change (the third does not), one is added to lab/site.yaml, none elsewhere.
        try repo.replace("maxAirflow: 700 cfm", with: "maxAirflow: 850 cfm", in: "hq/hvac/vavs.yaml")
        try repo.replace("name: VAV 101\n", with: "name: VAV 101 (east)\n", in: "hq/hvac/vavs.yaml")
        try repo.replace("- id: lab/pump-1", with: "- id: lab/vav-2\n  type: vav\n  properties: {maxAirflow: 300 cfm}\n- id: lab/pump-1", in: "lab/site.yaml")
        let second = try repo.capture()
        let update = try engine.prepare(second)
        #expect(update.how == .updated)
        #expect(update.filesRead == 4, "both sides of the two changed files")
        #expect(update.objectsWritten == 3)
        #expect(update.objectsDeleted == 2)
        #expect(update.derivedUpdated == 0)
        #expect(update.state.objects == 13)
        #expect(try engine.index.states().map(\.tree) == [second], "the state following HEAD moved; nothing else is kept")
        #expect(ids(try engine.select("maxAirflow > 800 cfm", at: second)) == ["hq/vav-101", "hq/vav-201", "lab/vav-1"])
        #expect(ids(try engine.select("building = 'lab' and type = 'vav'", at: second)) == ["lab/vav-1", "lab/vav-2"])

        // A floor's level changes: its own row, plus the derived floor of everything on it.
        try repo.replace("properties: {level: 1}", with: "properties: {level: 2}", in: "hq/floors.yaml")
        let third = try repo.capture()
        let moved = try engine.prepare(third)
        #expect(moved.objectsWritten == 1 && moved.objectsDeleted == 1)
        #expect(moved.derivedUpdated == 2, "hq/room-201 and hq/vav-201 are on that floor")
        #expect(ids(try engine.select("floor = 2", at: third)) == ["hq/floor-2", "hq/room-201", "hq/vav-201"])

        // A room moves to the other floor: the VAV inside it follows.
        try repo.replace("location: hq/floor-2", with: "location: hq/floor-1", in: "hq/floors.yaml")
        let fourth = try repo.capture()
        let relocated = try engine.prepare(fourth)
        #expect(relocated.objectsWritten == 1 && relocated.derivedUpdated == 1)
        #expect(try engine.select("id = 'hq/vav-201'", at: fourth).first?.floor == 0)
        try expectSameRows(engine, fourth, repo)
    }

    @Test("removing an object's file deletes its rows; the building found by prefix goes when the building does")
    func removal() throws {
        let repo = try TestRepository()
        let first = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        _ = try engine.prepare(first)
        try repo.replace("- id: lab\n  type: building", with: "- id: lab\n  type: space", in: "lab/site.yaml")
        try FileManager.default.removeItem(atPath: repo.path + "/hq/hvac/ahu.yaml")
        let second = try repo.capture()
        let update = try engine.prepare(second)
        #expect(update.objectsDeleted == 2 && update.objectsWritten == 1)
        #expect(update.derivedUpdated == 2, "lab/vav-1 and lab/pump-1 lose their building")
        #expect(ids(try engine.select("fedBy->type = 'ahu'", at: second)) == [])
        #expect(ids(try engine.select("fedBy = 'hq/ahu-1'", at: second)) == ["hq/vav-101", "hq/vav-201"], "the ids are kept as written")
        #expect(ids(try engine.select("has building and id ~ 'lab*'", at: second)) == [])
        try expectSameRows(engine, second, repo)
    }

    @Test("rebuild writes every row again and answers the same")
    func rebuild() throws {
        let repo = try TestRepository()
        let tree = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        let before = try engine.select("has id", at: tree)
        let rebuilt = try engine.index.rebuild(tree: tree, in: repo.repository, followHead: true)
        #expect(rebuilt.how == .built && rebuilt.objectsWritten == 12)
        #expect(try engine.index.states().count == 1)
        #expect(try engine.select("has id", at: tree) == before)
    }

    @Test("another revision is built as its own state; HEAD's state stays and still follows HEAD")
    func otherRevision() throws {
        let repo = try TestRepository()
        let first = try repo.capture()
        try repo.replace("maxAirflow: 700 cfm", with: "maxAirflow: 950 cfm", in: "hq/hvac/vavs.yaml")
        let second = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        #expect(ids(try engine.select("maxAirflow > 800 cfm", revision: "HEAD")).contains("hq/vav-201"))
        #expect(!ids(try engine.select("maxAirflow > 800 cfm", revision: "HEAD~1")).contains("hq/vav-201"))
        let states = try engine.index.states()
        #expect(Set(states.map(\.tree)) == [first, second])
        #expect(states.first { $0.followsHead }?.tree == second)
    }

    @Test("old revisions beyond the kept count are dropped, least recently built first")
    func eviction() throws {
        let repo = try TestRepository()
        var trees = [try repo.capture()]
        for n in 1...5 {
            try repo.replace("grossArea: \(2450 + n - 1) m²", with: "grossArea: \(2450 + n) m²", in: "hq/building.yaml")
            trees.append(try repo.capture("edit \(n)"))
        }
        let engine = try QueryEngine(repository: repo.repository)
        _ = try engine.prepare(trees[5])
        for tree in trees[0...4] { _ = try engine.prepare(tree) }
        let states = try engine.index.states()
        #expect(states.count == ObjectIndex.keptStates + 1)
        #expect(states.contains { $0.tree == trees[5] && $0.followsHead })
        #expect(Set(states.map(\.tree)).isSuperset(of: trees[2...4]))
    }

    @Test("a query error names the column and writes nothing")
    func errors() throws {
        let repo = try TestRepository()
        let tree = try repo.capture()
        let engine = try QueryEngine(repository: repo.repository)
        #expect(throws: QueryError("unknown field or property 'maxAirflw'; did you mean 'maxAirflow'?", at: QueryPosition(line: 1, column: 18))) {
            try engine.select("type = 'vav' and maxAirflw > 3 cfm", at: tree)
        }
        #expect(throws: QueryError.self) { try engine.select("type = ", at: tree) }
        // A property only this state's data knows (no type table entry) is checked against its values too.
        #expect(throws: QueryError("'region' holds no quantities; compare it with text in quotes", at: QueryPosition(line: 1, column: 21))) {
            try engine.select("building.region = 3 m", at: tree)
        }
    }
}

/// Checks that the rows of `tree` in `engine`'s index equal those of a fresh full build in another index.
func expectSameRows(_ engine: QueryEngine, _ tree: ObjectID, _ repo: TestRepository,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let fresh = try ObjectIndex(path: repo.path + "/.arxos/fresh-\(UUID().uuidString).db")
    _ = try fresh.rebuild(tree: tree, in: repo.repository, followHead: false)
    func dump(_ index: ObjectIndex) throws -> [String] {
        try index.read { db in
            guard let state = try Int64.fetchOne(db, sql: "SELECT num FROM state WHERE tree = ?", arguments: [tree.hex]) else { return [] }
            let objects = try Row.fetchAll(db, sql: "SELECT id, type, name, file, building, floor FROM object WHERE state = ? ORDER BY id", arguments: [state])
                .map { "object \($0["id"] as String) \($0["type"] as String) \($0["name"] as String? ?? "-") \($0["file"] as String) \($0["building"] as String? ?? "-") \($0["floor"] as Int? ?? -99)" }
            let properties = try Row.fetchAll(db, sql: """
                SELECT o.id, p.name, p.raw, p.value, p.unit, p.dimension FROM property p JOIN object o ON o.num = p.object
                WHERE p.state = ? ORDER BY o.id, p.name
                """, arguments: [state]).map { "property \($0["id"] as String) \($0["name"] as String) \($0["raw"] as String) \($0["value"] as Double? ?? .nan) \($0["unit"] as String? ?? "-")" }
            let relations = try Row.fetchAll(db, sql: """
                SELECT o.id, r.name, r.target FROM relation r JOIN object o ON o.num = r.object WHERE r.state = ? ORDER BY 1, 2, 3
                """, arguments: [state]).map { "relation \($0[0] as String) \($0[1] as String) \($0[2] as String)" }
            return objects + properties + relations
        }
    }
    let incremental = try dump(engine.index), full = try dump(fresh)
    #expect(!full.isEmpty, sourceLocation: sourceLocation)
    #expect(incremental == full, "incremental rows differ from a full build: \(Set(incremental).symmetricDifference(full).sorted())",
            sourceLocation: sourceLocation)
}
