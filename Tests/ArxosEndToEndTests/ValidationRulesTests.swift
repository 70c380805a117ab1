import Foundation
import Testing

/// Validation at capture, bad input with file:line, threshold rules from `.arxos-rules.yaml`, panel load, the type table.
@Suite(.tags(.endToEnd))
struct ValidationRulesTests {
    /// The small building, captured once.
    private func captured() throws -> Sandbox {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init", "-q"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        return box
    }

    @Test("capture refuses a state with errors, naming file:line, writes nothing and exits 6; after the fix it captures")
    func captureRefused() throws {
        let box = try captured()
        let head = try box.revParse("HEAD")
        try box.replace("minAirflow: 450 cfm", with: "minAirflow: 2450 cfm", in: "hvac/vavs.yaml")
        let refused = try box.arxos("state", "capture", "-m", "more air")
        #expect(refused.status == 6, "\(refused)")
        #expect(refused.stderrLines.contains { $0.hasPrefix("hvac/vavs.yaml:56: error: hq/vav-201: minAirflow 2450 cfm is more than maxAirflow 1800 cfm [vav-airflow-range]") }, "\(refused)")
        #expect(refused.stderr.contains("arxos: error: the state breaks 1 rule (listed above); nothing was captured"), "\(refused)")
        #expect(refused.stderr.contains("--no-validate"), "the hint names the way out")
        #expect(try box.revParse("HEAD") == head, "nothing was committed")
        // The refused file is still checked on the next try (the stat cache was not updated).
        let again = try box.arxos("commit", "-m", "more air")
        #expect(again.status == 6, "\(again)")

        try box.replace("minAirflow: 2450 cfm", with: "minAirflow: 500 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "more air"))
        #expect(try box.revParse("HEAD") != head)
    }

    @Test("warnings print on stderr and do not stop a capture; config severities apply to capture")
    func warningsAndConfig() throws {
        let box = try captured()
        try box.replace("zoneTempSetpoint: 21.0 °C", with: "zoneTempSetpoint: 40 °C", in: "hvac/vavs.yaml")
        let warned = try box.arxos("state", "capture", "-m", "hot")
        expectSuccess(warned)
        #expect(warned.stderrLines.contains { $0.hasPrefix("hvac/vavs.yaml:35: warning: hq/vav-102:") && $0.hasSuffix("[zone-setpoint-range]") }, "\(warned)")

        let config = try box.readText(".arxos/config")
        try box.write(".arxos/config", config + "validate.rule.zone-setpoint-range = error\n")
        try box.replace("zoneTempSetpoint: 40 °C", with: "zoneTempSetpoint: 41 °C", in: "hvac/vavs.yaml")
        let refused = try box.arxos("state", "capture", "-m", "hotter")
        #expect(refused.status == 6, "\(refused)")
        #expect(refused.stderr.contains("error: hq/vav-102: zoneTempSetpoint 41 °C is outside 10–35 °C [zone-setpoint-range]"), "\(refused)")

        try box.write(".arxos/config", config + "validate.rule.zone-setpoint-range = off\n")
        let quiet = try box.arxos("state", "capture", "-m", "hotter")
        expectSuccess(quiet)
        #expect(!quiet.stderr.contains("zone-setpoint-range"), "\(quiet)")
    }

    @Test("--no-validate captures a broken state and records 'Validation-Skipped: yes' in the commit")
    func noValidate() throws {
        let box = try captured()
        try box.replace("location: hq/floor-1/room-104", with: "location: 104", in: "electrical/panel-lp1.yaml")
        #expect(try box.arxos("state", "capture", "-m", "emergency").status == 6)
        let forced = try box.arxos("state", "capture", "-m", "emergency", "--no-validate")
        expectSuccess(forced)
        let log = try box.arxos("log", "--json", "--max-count", "1")
        let commits = try #require(try log.json() as? [[String: Any]])
        let message = try #require(commits.first?["message"] as? String, "\(log)")
        #expect(message == "emergency\n\nValidation-Skipped: yes\n", "\(message.debugDescription)")
        // A normal capture records nothing.
        let show = try box.arxos("log", "--json", "--max-count", "2")
        let both = try #require(try show.json() as? [[String: Any]])
        #expect((both.last?["message"] as? String)?.contains("Validation-Skipped") == false)
        // The committed state is invalid, and validate says so.
        #expect(try box.arxos("validate", "HEAD").status == 6)
    }

    @Test("bad input: unknown unit, a number for a reference, a missing target, a location cycle — file:line, exit 6", arguments: [
        ("hvac/vavs.yaml", "zoneTempSetpoint: 21.5 °C", "zoneTempSetpoint: 21.5 °Q",
         "hvac/vavs.yaml:12: error: hq/vav-101: zoneTempSetpoint 21.5 °Q: unknown unit '°Q'; did you mean '°C'? [property-unit]"),
        ("electrical/panel-lp1.yaml", "location: hq/floor-1/room-104", "location: 104",
         "electrical/panel-lp1.yaml:5: error: hq/panel-lp1: location is the number 104 where an object id is expected"),
        ("hvac/chiller-1.yaml", "feeds: [hq/chwp-1]", "feeds: [hq/chwp-9]",
         "hvac/chiller-1.yaml:7: error: hq/chiller-1: feeds names 'hq/chwp-9', which is not an object of this state [relation-target]"),
        ("floors/floor-1.yaml", "  location: hq/building\n  properties:\n    level: 1", "  location: hq/floor-1/room-101\n  properties:\n    level: 1",
         "floors/floor-1.yaml:5: error: hq/floor-1: its location chain comes back to itself [location-cycle]"),
    ])
    func badInput(path: String, old: String, new: String, expected: String) throws {
        let box = try captured()
        try box.replace(old, with: new, in: path)
        for command in [["validate"], ["state", "capture", "-m", "bad"]] {
            let result = try box.arxos(command)
            #expect(result.status == 6, "\(result)")
            let lines = command == ["validate"] ? result.stdoutLines : result.stderrLines
            #expect(lines.contains { $0.hasPrefix(expected) }, "expected '\(expected)'\n\(result)")
        }
        let json = try box.arxos("validate", "--json")
        let document = try #require(try json.json() as? [String: Any])
        let violations = try #require(document["violations"] as? [[String: Any]])
        #expect(violations.contains { ($0["path"] as? String) == path && ($0["severity"] as? String) == "error" }, "\(json)")
    }

    @Test("a threshold rule from .arxos-rules.yaml fires in validate and capture; the file is versioned; a bad file is one line")
    func thresholdRules() throws {
        let box = try captured()
        try box.write(".arxos-rules.yaml", """
            # Limits agreed with the mechanical engineer.
            rules:
              - id: max-vav-airflow
                select: {type: vav}
                property: maxAirflow
                max: 850 L/s
                severity: error
                message: VAV boxes above 850 L/s need a review
            """)
        // 1800 cfm is 849.5 L/s: within. Raise it and the rule fires, in any unit.
        expectSuccess(try box.arxos("validate"))
        expectSuccess(try box.arxos("state", "capture", "-m", "rules"))
        let ls = try box.arxos("ls-tree", "HEAD")
        #expect(ls.stdout.contains(".arxos-rules.yaml"), "the rules file is in the state\n\(ls)")

        try box.replace("maxAirflow: 1800 cfm", with: "maxAirflow: 1900 cfm", in: "hvac/vavs.yaml")
        let validate = try box.arxos("validate")
        #expect(validate.status == 6, "\(validate)")
        #expect(validate.stdoutLines.contains("hvac/vavs.yaml:57: error: hq/vav-201: VAV boxes above 850 L/s need a review: maxAirflow 1900 cfm is above the maximum 850 L/s [max-vav-airflow]"), "\(validate)")
        let capture = try box.arxos("state", "capture", "-m", "bigger box")
        #expect(capture.status == 6, "\(capture)")
        #expect(capture.stderr.contains("[max-vav-airflow]"), "\(capture)")

        // Tightening the rules file re-checks unchanged objects at capture too.
        try box.replace("maxAirflow: 1900 cfm", with: "maxAirflow: 1750 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "back"))
        try box.replace("max: 850 L/s", with: "max: 800 L/s", in: ".arxos-rules.yaml")
        let tightened = try box.arxos("state", "capture", "-m", "tighter")
        #expect(tightened.status == 6, "\(tightened)")
        #expect(tightened.stderr.contains("hvac/vavs.yaml:57: error: hq/vav-201:"), "\(tightened)")

        // A severity from the config wins over the file's.
        let config = try box.readText(".arxos/config")
        try box.write(".arxos/config", config + "validate.rule.max-vav-airflow = warning\n")
        let downgraded = try box.arxos("state", "capture", "-m", "tighter")
        expectSuccess(downgraded)
        #expect(downgraded.stderr.contains("warning: hq/vav-201:"), "\(downgraded)")

        try box.replace("max: 800 L/s", with: "max: 800 L/Q", in: ".arxos-rules.yaml")
        for command in [["validate"], ["state", "capture", "-m", "typo"]] {
            let bad = try box.arxos(command)
            #expect(bad.status == 1, "\(bad)")
            #expect(bad.stderr == "arxos: error: .arxos-rules.yaml:6: rule 'max-vav-airflow': max 800 L/Q: unknown unit 'L/Q'; did you mean 'L/s'?\n", "\(bad)")
        }
        // Validating an older state uses that state's rules file.
        expectSuccess(try box.arxos("validate", "HEAD~2"))
    }

    @Test("panel-load: circuits' connectedLoad over the panel's rating is an error at capture")
    func panelLoad() throws {
        let box = try captured()
        try box.replace("    breakerRating: 150 A\n", with: "    breakerRating: 150 A\n    connectedLoad: 240 A\n", in: "electrical/circuits.yaml")
        try box.replace("    breakerRating: 40 A\n", with: "    breakerRating: 40 A\n    connectedLoad: 36 kW\n", in: "electrical/circuits.yaml")
        // 240 A + 36 kW / (208 V × √3) = 240 + 99.9 = 339.9 A, within 400 A.
        expectSuccess(try box.arxos("state", "capture", "-m", "loads"))
        try box.replace("connectedLoad: 36 kW", with: "connectedLoad: 60 kW", in: "electrical/circuits.yaml")
        // 240 + 166.5 = 406.5 A > 400 A.
        let over = try box.arxos("state", "capture", "-m", "more load")
        #expect(over.status == 6, "\(over)")
        #expect(over.stderrLines.contains { $0.hasPrefix("electrical/panel-lp1.yaml:9: error: hq/panel-lp1: the connectedLoad of the 2 loads it feeds adds up to 406.5 A, more than its rating 400 A [panel-load]") }, "\(over)")
        let validate = try box.arxos("validate")
        #expect(validate.status == 6 && validate.stdout.contains("[panel-load]"), "\(validate)")
    }

    @Test("capture follows links into unchanged files: a location cycle through one, a panel's unchanged circuits in its feeds")
    func linksIntoUnchangedFiles() throws {
        let box = try Sandbox(.smallBuilding)
        try box.write("spaces/a.yaml", "id: hq/space-a\ntype: space\nlocation: hq/space-b\n")
        try box.write("spaces/b.yaml", "id: hq/space-b\ntype: space\nlocation: hq/floor-1\n")
        try box.replace("    breakerRating: 150 A\n", with: "    breakerRating: 150 A\n    connectedLoad: 300 A\n", in: "electrical/circuits.yaml")
        // Old modification times, so that the next capture takes these files from the stat cache without reading them.
        try box.sh("find . -name '*.yaml' -not -path './.arxos/*' -exec touch -d '2024-01-01 00:00:00' {} +")
        expectSuccess(try box.arxos("init", "-q"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))

        try box.write("spaces/b.yaml", "id: hq/space-b\ntype: space\nlocation: hq/space-a\n")
        let cycle = try box.arxos("state", "capture", "-m", "loop")
        #expect(cycle.status == 6, "\(cycle)")
        #expect(cycle.stderrLines.contains("spaces/b.yaml:3: error: hq/space-b: its location chain comes back to itself [location-cycle]"), "\(cycle)")
        #expect(cycle.stdout.isEmpty && !cycle.stderr.contains("spaces/a.yaml"), "only the changed file is checked\n\(cycle)")
        try box.write("spaces/b.yaml", "id: hq/space-b\ntype: space\nlocation: hq/floor-1\n")

        // The panel changes (a lower rating); its circuits are unchanged and counted through its feeds.
        try box.replace("rating: 400 A", with: "rating: 250 A", in: "electrical/panel-lp1.yaml")
        let load = try box.arxos("state", "capture", "-m", "smaller panel")
        #expect(load.status == 6, "\(load)")
        #expect(load.stderrLines.contains { $0.hasPrefix("electrical/panel-lp1.yaml:9: error: hq/panel-lp1: the connectedLoad of the 1 load it feeds adds up to 300.0 A, more than its rating 250 A [panel-load]") }, "\(load)")
        #expect(load.stderr.contains("hq/ckt-lp1-03: breakerRating 150 A") == false, "150 A fits 250 A\n\(load)")
    }

    @Test("arxos types lists the table; --json carries Brick classes, markers and strict flags")
    func types() throws {
        let box = try Sandbox()
        let text = try box.arxos("types")
        expectSuccess(text)
        #expect(text.stdoutLines.contains { $0.hasPrefix("vav ") && $0.contains("brick:VAV") && $0.contains("equip vav air") }, "\(text)")
        #expect(text.stdoutLines.contains { $0.hasPrefix("fire_damper ") && $0.hasSuffix("(strict)") }, "\(text)")
        let json = try box.arxos("types", "--json", "door", "vav")
        let types = try #require(try json.json() as? [[String: Any]])
        #expect(types.compactMap { $0["name"] as? String } == ["vav", "door"])
        let door = try #require(types.last)
        #expect((door["strictProperties"] as? [String])?.contains("unlockSchedule") == true)
        #expect(door["brick"] as? String == "brick:Door")
        let unknown = try box.arxos("types", "gizmo")
        #expect(unknown.status == 1 && unknown.stderr.contains("'gizmo' is not a known type"), "\(unknown)")
    }
}
