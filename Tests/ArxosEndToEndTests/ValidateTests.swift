import Foundation
import Testing

/// `arxos validate`: the domain rules, each violation at its file and line, exit status 6 on errors.
@Suite(.tags(.endToEnd))
struct ValidateTests {
    @Test("the fixture building is valid; broken rules are reported with file:line and exit 6; config turns rules off")
    func rules() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("validate"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))

        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 950 cfm", in: "hvac/vavs.yaml")
        try box.replace("breakerRating: 20 A", with: "breakerRating: 500 A", in: "electrical/circuits.yaml")
        try box.replace("installDate: 2016-10-12", with: "installDate: 2999-01-01", in: "hvac/boiler-1.yaml")
        try box.write("security/camera-9.yaml", "id: hq/camera-9\ntype: camera\nlocation: hq/floor-9/room-999\n")
        try box.write("misc/gizmo.yaml", "id: hq/gizmo\ntype: gizmo\nlocation: hq/gizmo\n")

        let result = try box.arxos("validate")
        #expect(result.status == 6, "\(result)")
        let lines = result.stdoutLines
        #expect(lines.contains { $0.hasPrefix("hvac/vavs.yaml:") && $0.contains("[vav-airflow-range]") }, "\(result)")
        #expect(lines.contains { $0.hasPrefix("electrical/circuits.yaml:") && $0.contains("[breaker-rating]") }, "\(result)")
        #expect(lines.contains { $0.hasPrefix("hvac/boiler-1.yaml:") && $0.contains("[install-date-future]") }, "\(result)")
        #expect(lines.contains { $0.hasPrefix("security/camera-9.yaml:3") || $0.hasPrefix("security/camera-9.yaml:1") && $0.contains("hq/floor-9/room-999") }, "\(result)")
        #expect(lines.contains { $0.contains("[location-cycle]") }, "\(result)")
        #expect(lines.contains { $0.contains("warning") && $0.contains("[unknown-type]") }, "\(result)")
        #expect(result.stderr.hasPrefix("arxos: error: the state breaks"), "\(result)")

        // The committed state is still valid; the JSON document counts what the text shows.
        expectSuccess(try box.arxos("validate", "HEAD"))
        let json = try box.arxos("validate", "--json")
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect((document["errors"] as? Int ?? 0) >= 5, "\(json)")
        #expect((document["violations"] as? [[String: Any]])?.allSatisfy { $0["line"] is Int && $0["rule"] is String } == true)

        // Rules can be turned off or downgraded in the repository config.
        let config = try box.readText(".arxos/config")
        try box.write(".arxos/config", config + "validate.rule.vav-airflow-range = off\nvalidate.rule.breaker-rating = warning\nvalidate.rule.install-date-future = off\nvalidate.rule.relation-target = off\nvalidate.rule.location-cycle = off\n")
        let relaxed = try box.arxos("validate")
        expectSuccess(relaxed)
        #expect(!relaxed.stdout.contains("[vav-airflow-range]"))
        #expect(relaxed.stdoutLines.contains { $0.contains("warning") && $0.contains("[breaker-rating]") }, "\(relaxed)")
    }
}
