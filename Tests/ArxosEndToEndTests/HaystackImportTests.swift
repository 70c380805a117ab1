import Foundation
import Testing

/// `arxos import haystack` and `arxos export haystack` on the real Carytown model in
/// `Fixtures/shared-data/haystack` (a copy of shared/data), checked against oracles that share no code with arxos:
/// counts made here from the JSON with Foundation, and `Fixtures/haystack-oracle.py` (Python's json module and PyYAML,
/// compared also with what `Fixtures/generate-from-haystack.py` makes of the same grid).
@Suite(.tags(.endToEnd))
struct HaystackImportTests {
    /// `$ARXOS_HAYSTACK_JSON`, else the copy of Carytown in `Fixtures/shared-data/haystack`.
    static var carytown: URL {
        if let path = ProcessInfo.processInfo.environment["ARXOS_HAYSTACK_JSON"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return ArxosBinary.fixtures.appendingPathComponent("shared-data/haystack/carytown.json")
    }

    static let oracle = ArxosBinary.fixtures.appendingPathComponent("haystack-oracle.py").path

    /// The records of the grid, counted here: the rows, the entities by kind and the arxos type each should get.
    struct Expected {
        var records = 0
        var types = [String: Int]()
        /// Point id → the equip id its equipRef names (Haystack ids, without `@`).
        var equipOf = [String: String]()
    }

    /// Counts the grid with JSONSerialization and the marker rules of docs/import.md, written out here.
    static func expected() throws -> Expected {
        let data = try Data(contentsOf: carytown)
        let grid = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(grid["rows"] as? [[String: Any]])
        var out = Expected()
        func ref(_ value: Any?) -> String? {
            guard let text = value as? String, text.hasPrefix("r:") else { return nil }
            return String(text.dropFirst(2).split(separator: " ").first ?? "")
        }
        for row in rows {
            out.records += 1
            let markers = Set(row.filter { ($0.value as? String) == "m:" }.map(\.key))
            let type: String
            if markers.contains("site") {
                type = "building"
            } else if markers.contains("point") {
                type = markers.contains("sensor") ? "sensor" : markers.contains("sp") ? "setpoint" : markers.contains("cmd") ? "command" : "point"
                if let id = ref(row["id"]), let equip = ref(row["equipRef"]) { out.equipOf[id] = equip }
            } else if markers.contains("equip") {
                type = markers.contains("rooftop") ? "rtu" : markers.contains("meter") ? "meter" : markers.contains("lightsGroup") ? "lighting" : "equipment"
            } else {
                continue
            }
            out.types[type, default: 0] += 1
        }
        return out
    }

    /// Runs the Python oracle; nil (with a message) when PyYAML is not installed.
    func oracle(_ box: Sandbox, _ arguments: [String]) throws -> [String: Any]? {
        let result = try box.run("/usr/bin/env", ["python3", Self.oracle] + arguments, in: box.root)
        if result.status == 3 {
            print("skipping the PyYAML comparison: \(result.stderr)")
            return nil
        }
        try #require(result.succeeded, "the oracle failed\n\(result)")
        return try #require(try result.json() as? [String: Any])
    }

    @Test("Carytown imports with the counts per type, the relations and the warnings the grid calls for, and captures")
    func carytownImport() throws {
        let expected = try Self.expected()
        #expect(expected.records == 22 && expected.equipOf.count == 17, "the fixture changed? \(expected)")
        let box = try Sandbox()
        expectSuccess(try box.arxos("init"))
        let result = try box.arxos("import", "haystack", Self.carytown.path, "--json")
        expectSuccess(result)
        let document = try #require(try result.json() as? [String: Any])
        #expect(document["format"] as? String == "json-v3")
        #expect(document["building"] as? String == "carytown", "the only site names the building")
        #expect(document["records"] as? Int == expected.records)
        #expect(document["objects"] as? Int == expected.types.values.reduce(0, +))
        #expect(document["types"] as? [String: Int] == expected.types, "\(document)")
        #expect(document["dryRun"] as? Bool == false)
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String } == [
            "buildings/carytown/equipment/equipment.yaml", "buildings/carytown/equipment/lighting.yaml",
            "buildings/carytown/equipment/meter.yaml", "buildings/carytown/equipment/rtu.yaml",
            "buildings/carytown/points.yaml", "buildings/carytown/spaces.yaml",
        ])
        let warnings = try #require(document["warnings"] as? [String])
        #expect(warnings.contains("@p:demo:r:23a44701-67faf4db \"Richmond\" is not a record of the file; 21 refs to it (regionRef) kept as text"), "\(warnings)")
        #expect(warnings.contains("unit '$' is not a unit arxos knows; 2 values (costPerHour, curVal) kept as written"))
        #expect(Set(warnings).count == warnings.count, "each oddity once")

        // A few relations read straight from the files: the RTU's points are the points whose equipRef names it.
        let rtu = try box.readText("buildings/carytown/equipment/rtu.yaml")
        let rtuPoints = expected.equipOf.filter { $0.value == "p:demo:r:23a44701-7265b064" }.count
        #expect(rtu.contains("- id: carytown/rtu-1\n  type: rtu\n  name: Carytown RTU-1\n  location: carytown/building\n  points:\n"), "\(rtu)")
        #expect(rtu.components(separatedBy: "    - carytown/rtu-1/").count - 1 == rtuPoints, "\(rtu)")
        let points = try box.readText("buildings/carytown/points.yaml")
        #expect(points.contains("- id: carytown/rtu-1/zone-temp-sp\n  type: setpoint\n  name: Carytown RTU-1 ZoneTempSp\n  location: carytown/building\n  partOf: [carytown/rtu-1]\n"), "\(points.prefix(3000))")
        #expect(points.contains("    curVal: 840.5367088075697 kW\n"))
        #expect(points.contains("    elecMeterLoad: carytown/elec-meter-main\n"))

        // The state captures (validation passes) and the independent oracle agrees, also with the fixture generator.
        expectSuccess(try box.arxos("state", "capture", "-m", "Import Carytown"))
        let validate = try box.arxos("validate")
        #expect(validate.status == 0, "\(validate)")
        let generated = box.root.appendingPathComponent("generated")
        let generator = try box.run("/usr/bin/env", ["python3", ArxosBinary.fixtures.appendingPathComponent("generate-from-haystack.py").path,
                                                     generated.path, "--input", Self.carytown.path], in: box.root)
        expectSuccess(generator)
        guard let report = try oracle(box, ["import", Self.carytown.path, box.url("buildings").path, generated.path]) else { return }
        #expect((report["problems"] as? [String]) == [], "\(report)")
        let counts = try #require(report["counts"] as? [String: Any])
        #expect(counts["types"] as? [String: Int] == expected.types)
    }

    @Test("Haystack JSON → capture → export (Zinc, Hayson, Haystack 3 JSON) → import into a fresh repository gives the same files",
          arguments: ["zinc", "json", "json-v3"])
    func roundTrip(format: String) throws {
        let first = try Sandbox()
        expectSuccess(try first.arxos("init"))
        expectSuccess(try first.arxos("import", "haystack", Self.carytown.path))
        expectSuccess(try first.arxos("state", "capture", "-m", "Carytown"))
        let exported = first.root.appendingPathComponent("carytown-export.\(format == "zinc" ? "zinc" : "json")")
        let export = try first.arxos("export", "haystack", "HEAD", "--format", format, "--out", exported.path)
        expectSuccess(export)
        #expect(export.stdout.isEmpty && export.stderr.isEmpty, "\(export)")
        let text = try String(contentsOf: exported, encoding: .utf8)
        switch format {
        case "zinc": #expect(text.hasPrefix("ver:\"3.0\"\nid,dis,arxosId,"), "\(text.prefix(200))")
        case "json": #expect(text.contains("\"_kind\": \"grid\"") && text.contains("{\"_kind\": \"number\", \"val\": 840.5367088075697, \"unit\": \"kW\"}"))
        default: #expect(text.contains("\"n:840.5367088075697 kW\"") && !text.contains("_kind"))
        }

        let second = try Sandbox()
        expectSuccess(try second.arxos("init"))
        let imported = try second.arxos("import", "haystack", exported.path)
        expectSuccess(imported)
        #expect(second.workingFiles() == first.workingFiles())
        for path in first.workingFiles() {
            let text = try second.readText(path)
            let original = try first.readText(path).split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            let again = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            #expect(original == again, "\(path) differs after the round trip (beyond its first comment line)\n\(text)")
        }
        expectSuccess(try second.arxos("state", "capture", "-m", "Carytown again"))
    }

    @Test("a Haystack 4 office in Zinc: floors and rooms, flow refs, a meter, units, warts; captures and round-trips through Hayson")
    func office() throws {
        let file = ArxosBinary.fixtures.appendingPathComponent("haystack/office.zinc").path
        let box = try Sandbox()
        expectSuccess(try box.arxos("init"))
        let result = try box.arxos("import", "haystack", file, "--json")
        expectSuccess(result)
        let document = try #require(try result.json() as? [String: Any])
        #expect(document["format"] as? String == "zinc" && document["records"] as? Int == 17)
        #expect(document["types"] as? [String: Int] == ["building": 1, "floor": 2, "room": 2, "ahu": 1, "vav": 2, "chiller": 1,
                                                         "meter": 1, "sensor": 5, "setpoint": 1, "command": 1], "\(document)")
        #expect(document["warnings"] as? [String] == [
            "@hq.old is not a record of the file; 1 ref to it (equipRef) kept as text",
            "unit '%RH' is not a unit arxos knows; 1 value (curVal) kept as written",
            "1 value is NA (not available) and not kept: curVal (1)",
        ], "\(document)")
        let spaces = try box.readText("buildings/harbor-office/spaces.yaml")
        #expect(spaces.contains("- id: harbor-office/room-101\n  type: room\n  name: Room 101\n  location: harbor-office/floor-1\n"), "\(spaces)")
        #expect(spaces.contains("- id: harbor-office/floor-2\n  type: floor\n  name: Harbor Office Floor 2\n  location: harbor-office/building\n  properties:\n    area: 6200 ft²\n    level: 2\n"))
        let vavs = try box.readText("buildings/harbor-office/equipment/vav.yaml")
        #expect(vavs.contains("- id: harbor-office/vav-101\n  type: vav\n  name: Harbor Office VAV-101\n  location: harbor-office/room-101\n  fedBy: [harbor-office/ahu-1]\n"), "\(vavs)")
        #expect(vavs.contains("- id: harbor-office/vav-201\n  type: vav\n  name: Harbor Office VAV-201\n  location: harbor-office/room-201\n  fedBy: [harbor-office/ahu-1]\n"), "airRef is fedBy too")
        let ahu = try box.readText("buildings/harbor-office/equipment/ahu.yaml")
        #expect(ahu.contains("  fedBy: [harbor-office/main-meter]\n  points: [harbor-office/ahu-1/return-humidity, harbor-office/ahu-1/supply-temp]\n  manufacturer: Trane\n  model: Performance Climate Changer\n"), "\(ahu)")
        let points = try box.readText("buildings/harbor-office/points.yaml")
        #expect(points.contains("    curVal: 612 cfm\n") && points.contains("    curVal: 48.5 %RH\n") && points.contains("    equipRef: \"@hq.old\"\n"))
        expectSuccess(try box.arxos("state", "capture", "-m", "Harbor Office"))

        let exported = box.root.appendingPathComponent("office.json")
        expectSuccess(try box.arxos("export", "haystack", "--out", exported.path))
        #expect(try String(contentsOf: exported, encoding: .utf8).contains("\"floorNum\": 2"))
        let other = try Sandbox()
        expectSuccess(try other.arxos("init"))
        expectSuccess(try other.arxos("import", "haystack", exported.path))
        for path in box.workingFiles() {
            let text = try other.readText(path)
            #expect(try box.readText(path).split(separator: "\n").dropFirst() == text.split(separator: "\n").dropFirst(), "\(path)\n\(text)")
        }
    }

    @Test("the hand-written small building exports and imports back as the same objects, as arxos diff sees them")
    func smallBuildingRoundTrip() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "HQ"))
        let exported = box.root.appendingPathComponent("hq.zinc")
        let export = try box.arxos("export", "haystack", "-o", exported.path)
        expectSuccess(export)
        #expect(export.stderr.isEmpty, "\(export)")

        let other = try Sandbox()
        expectSuccess(try other.arxos("init"))
        expectSuccess(try other.arxos("import", "haystack", exported.path))
        // Replace the hand-written files with the imported ones: objects are matched by id wherever they live.
        for path in box.workingFiles() { try FileManager.default.removeItem(at: box.url(path)) }
        try FileManager.default.copyItem(at: other.url("buildings"), to: box.url("buildings"))
        let same = try box.arxos("diff", "--json")
        expectSuccess(same)
        let summary = try #require((try same.json() as? [String: Any])?["summary"] as? [String: Int])
        #expect(summary == ["added": 0, "modified": 0, "moved": 0, "removed": 0], "\(same)")

        // The comparison can see a difference.
        try box.replace("maxAirflow: 650 cfm", with: "maxAirflow: 700 cfm", in: "buildings/hq/equipment/vav.yaml")
        let changed = try box.arxos("diff", "--json")
        let after = try #require((try changed.json() as? [String: Any])?["summary"] as? [String: Int])
        #expect(after["modified"] == 1, "\(changed)")
    }

    @Test("malformed input names FILE:LINE:COLUMN, exits 1 and writes nothing; --dry-run writes nothing; existing ids are refused")
    func badInput() throws {
        let box = try Sandbox()
        expectSuccess(try box.arxos("init"))
        let before = box.storeSnapshot()
        try box.write("../bad.zinc", "ver:\"3.0\"\nid,dis,curVal\n@a \"A\",\"A\",72°F\n@b \"B\",B,1\n")
        let bad = try box.arxos("import", "haystack", box.root.appendingPathComponent("bad.zinc").path)
        expectCleanFailure(bad, mentioning: ["bad.zinc:4:8: 'B' is not a Zinc value; write a string in double quotes"], exitCode: 1)
        #expect(box.workingFiles().isEmpty && box.storeSnapshot() == before, "nothing is written")

        try box.write("../short.zinc", "ver:\"3.0\"\nid,dis,site\n@a,\"A\"\n")
        expectCleanFailure(try box.arxos("import", "haystack", "../short.zinc"),
                           mentioning: ["../short.zinc:3:7: the row ends after 2 cells but the grid has 3 columns"], exitCode: 1)
        try box.write("../bad.json", "{\"rows\": [\n {\"id\": \"r:a\", \"area\": \"n:12 ft² x\"},\n {\"id\": \"r:b\" \"dis\": \"B\"}\n]}\n")
        expectCleanFailure(try box.arxos("import", "haystack", "../bad.json"),
                           mentioning: ["../bad.json:3:15: expected ',' or '}' after a value in an object"], exitCode: 1)
        try box.write("../data.txt", "ver:\"3.0\"\nid,dis,site\n@s,\"Site\",M\n")
        expectCleanFailure(try box.arxos("import", "haystack", "../data.txt", "--format", "json"),
                           mentioning: ["../data.txt:1:1: expected a JSON object or array"], exitCode: 1)
        try box.write("../two.zinc", "ver:\"3.0\"\nid,dis,site\n@s1,\"One\",M\n@s2,\"Two\",M\n")
        expectCleanFailure(try box.arxos("import", "haystack", "../two.zinc", "--building", "x"),
                           mentioning: ["the file has 2 sites (One, Two)"], exitCode: 1)
        #expect(box.workingFiles().isEmpty && box.storeSnapshot() == before)

        // The format comes from the content when the extension says nothing; --dry-run writes nothing.
        let dry = try box.arxos("import", "haystack", "../data.txt", "--dry-run")
        expectSuccess(dry)
        #expect(dry.stdout.contains("would write buildings/site/spaces.yaml (1 object)"), "\(dry)")
        #expect(box.workingFiles().isEmpty)
        expectSuccess(try box.arxos("import", "haystack", "../data.txt"))
        #expect(try box.readText("buildings/site/spaces.yaml").contains("- id: site/building\n  type: building\n  name: Site\n"))
        expectSuccess(try box.arxos("state", "capture", "-m", "site"))
        let again = try box.arxos("import", "haystack", "../data.txt")
        #expect(again.status == 1 && again.stderr.contains("already exists") && again.stderr.contains("--force"), "\(again)")
        expectSuccess(try box.arxos("import", "haystack", "../data.txt", "--force"))
    }
}
