import Foundation
import Testing

/// `arxos diff` on real building data (the Carytown Haystack site) against golden outputs, text and JSON.
/// Re-record with `ARXOS_RECORD_GOLDEN=1 swift test --filter DiffGoldenTests` and review the change.
@Suite(.tags(.endToEnd))
struct DiffGoldenTests {
    static let goldenDirectory = ArxosBinary.packageRoot.appendingPathComponent("Tests/ArxosEndToEndTests/Golden")

    /// Compares `actual` with the golden file, or records it when asked to.
    func checkGolden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = DiffGoldenTests.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ARXOS_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: DiffGoldenTests.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try #require(try? String(contentsOf: url, encoding: .utf8), "no golden file \(name); record it with ARXOS_RECORD_GOLDEN=1",
                                    sourceLocation: sourceLocation)
        #expect(actual == expected, "\(name) differs from the golden output", sourceLocation: sourceLocation)
    }

    /// The Carytown model after a realistic set of edits: a setpoint value, a unit rewrite of the same area, a point
    /// dropped from the RTU (and deleted), a point added, an object moved to another file, a reformatted file.
    func editedCarytown() throws -> Sandbox {
        let box = try Sandbox(.haystack)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "imported from Haystack"))
        // Same area in another unit: a unit change, not a value change.
        try box.replace("area: 3149 ft²", with: "area: 292.6 m²", in: "carytown/building.yaml")
        try box.replace("yearBuilt: 1996", with: "yearBuilt: 1997", in: "carytown/building.yaml")
        // The RTU loses its second heating stage: relation and object removed.
        try box.replace("carytown/rtu-1/heat-1, carytown/rtu-1/heat-2,", with: "carytown/rtu-1/heat-1,", in: "carytown/equip/rtu-1.yaml")
        var rtu = try box.readText("carytown/equip/rtu-1.yaml")
        let start = try #require(rtu.range(of: "- id: carytown/rtu-1/heat-2\n"))
        let end = try #require(rtu.range(of: "\n- id: ", range: start.upperBound..<rtu.endIndex))
        let heat2 = String(rtu[start.lowerBound..<end.lowerBound])
        rtu.removeSubrange(start.lowerBound..<end.upperBound)
        rtu.insert(contentsOf: "- id: ", at: start.lowerBound)
        try box.write("carytown/equip/rtu-1.yaml", rtu)
        #expect(heat2.contains("heat-2"))
        // A new sensor on the RTU, in its own file, and the RTU lists it.
        try box.replace("carytown/rtu-1/zone-temp-sp]", with: "carytown/rtu-1/zone-temp-sp, carytown/rtu-1/mixed-air-temp]",
                        in: "carytown/equip/rtu-1.yaml")
        try box.write("carytown/equip/rtu-1-added.yaml", """
            id: carytown/rtu-1/mixed-air-temp
            type: sensor
            name: Carytown RTU-1 Mixed Air Temp
            location: carytown/building
            partOf: [carytown/rtu-1]
            properties:
              unit: °F
              markers: [air, mixed, point, sensor, temp]

            """)
        // The main meter moves to a file of its own, unchanged: matched by id, no semantic change.
        var meters = try box.readText("carytown/equip/elec-meter-main.yaml")
        #expect(meters.hasPrefix("#"))
        let body = meters.components(separatedBy: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        meters = "# the main meter, reformatted\n" + body
        try box.write("carytown/equip/elec-meter-main.yaml", meters)
        expectSuccess(try box.arxos("state", "capture", "-m", "survey corrections"))
        return box
    }

    /// Commit ids and times change from run to run; the rest of the output must not.
    func normalized(_ text: String, _ box: Sandbox) throws -> String {
        var out = text
        for revision in ["HEAD", "HEAD~1"] {
            if let id = try box.revParse(revision) {
                out = out.replacingOccurrences(of: id, with: "<\(revision)>")
                out = out.replacingOccurrences(of: String(id.prefix(12)), with: "<\(revision)>")
            }
        }
        return out
    }

    @Test("text diff of the edited Carytown model matches the golden output")
    func textGolden() throws {
        let box = try editedCarytown()
        let diff = try box.arxos("diff", "HEAD~1", "HEAD")
        expectSuccess(diff)
        try checkGolden("carytown-diff.txt", try normalized(diff.stdout, box))
        // The same with --stat and --name-only.
        try checkGolden("carytown-diff-stat.txt", try normalized(try box.arxos("diff", "--stat", "HEAD~1", "HEAD").stdout, box))
        try checkGolden("carytown-diff-name-only.txt", try normalized(try box.arxos("diff", "--name-only", "HEAD~1", "HEAD").stdout, box))
    }

    @Test("JSON diff of the edited Carytown model matches the golden output")
    func jsonGolden() throws {
        let box = try editedCarytown()
        let diff = try box.arxos("diff", "--json", "HEAD~1", "HEAD")
        expectSuccess(diff)
        _ = try diff.json()
        try checkGolden("carytown-diff.json", try normalized(diff.stdout, box))
    }
}
