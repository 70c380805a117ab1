import Foundation
import Testing

/// `arxos diff`: objects matched by id across files, properties compared by amount, relations as sets.
@Suite(.tags(.endToEnd))
struct DiffTests {
    @Test("working tree vs HEAD: value change, unit change, relation change, move between files, reformat, add, remove")
    func workingTreeDiff() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        let clean = try box.arxos("diff", "--exit-code")
        #expect(clean.status == 0 && clean.stdout.isEmpty, "\(clean)")

        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 240 cfm", in: "hvac/vavs.yaml")
        try box.replace("zoneTempSetpoint: 21.0 °C", with: "zoneTempSetpoint: 69.8 °F", in: "hvac/vavs.yaml")
        try box.replace("capacity: 500 MBH", with: "capacity:    500 MBH    # reformatted only", in: "hvac/boiler-1.yaml")
        // Move the meter's object into a new file: the same object, in another file.
        let meter = try box.readText("electrical/meter-main.yaml")
        try box.sh("rm electrical/meter-main.yaml")
        try box.write("electrical/metering/main.yaml", meter)
        try box.write("security/camera-2.yaml", "id: hq/camera-2\ntype: camera\nname: Camera 2\n")

        let text = try box.arxos("diff")
        expectSuccess(text)
        #expect(text.stdout.contains("minAirflow: 200 cfm → 240 cfm"), "\(text)")
        #expect(text.stdout.contains("zoneTempSetpoint: 21.0 °C → 69.8 °F (same amount, unit changed)"), "\(text)")
        #expect(text.stdout.contains("hvac/boiler-1.yaml: no semantic change"), "\(text)")
        #expect(text.stdout.contains("added hq/camera-2 (camera) in security/camera-2.yaml"), "\(text)")
        #expect(!text.stdout.contains("meter"), "a file move alone is no change of the object\n\(text)")

        let json = try box.arxos("diff", "--json")
        expectSuccess(json)
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(document["from"] as? String == "HEAD")
        #expect(document["to"] as? String == "working tree")
        let objects = try #require(document["objects"] as? [[String: Any]])
        let kinds = objects.flatMap { ($0["properties"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
        #expect(Set(kinds) == ["value", "unit"], "\(json)")
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary["added"] == 1 && summary["modified"] == 2 && summary["removed"] == 0, "\(json)")

        #expect(try box.arxos("diff", "--name-only").stdoutLines.sorted() == ["hq/camera-2", "hq/vav-101", "hq/vav-102"].sorted())
        #expect(try box.arxos("diff", "--name-only", "--type", "camera").stdoutLines == ["hq/camera-2"])
        #expect(try box.arxos("diff", "--name-only", "--", "hq/vav-10").stdoutLines.count == 2)
        #expect(try box.arxos("diff", "--exit-code").status == 1)
        let stat = try box.arxos("diff", "--stat")
        #expect(stat.stdoutLines.contains { $0.hasPrefix("hq") && $0.contains("camera") }, "\(stat)")
    }

    @Test("between two commits: relations as sets, a new location is a move, a removed object is reported")
    func commitDiff() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        let vavs = try box.readText("hvac/vavs.yaml")
        let firstLocation = try #require(vavs.split(separator: "\n").first { $0.contains("location:") })
        try box.replace(String(firstLocation), with: "  location: hq/floor-2/room-201", in: "hvac/vavs.yaml")
        try box.sh("rm hvac/boiler-1.yaml")
        // The pump it fed no longer names it (capture refuses relations to missing objects).
        try box.replace("fedBy: [hq/boiler-1]", with: "fedBy: []", in: "hvac/pumps.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "moves"))
        let diff = try box.arxos("state", "diff", "HEAD~1", "HEAD")
        expectSuccess(diff)
        #expect(diff.stdout.contains("moved hq/vav-101 (vav)"), "\(diff)")
        #expect(diff.stdout.contains("location: "), "\(diff)")
        #expect(diff.stdout.contains("removed hq/boiler-1"), "\(diff)")
        #expect(try box.arxos("diff", "HEAD", "HEAD", "--exit-code").status == 0)
        expectCleanFailure(try box.arxos("diff", "nope"), mentioning: ["nope"])
    }
}
