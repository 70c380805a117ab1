import Foundation
import Testing

/// `arxos template` on real buildings: every shipped template rendered (against golden diffs) and applied to the
/// small-building fixture, a Haystack import (Carytown) and a Brick import (the Guideline 36 AHU/VAV model); after
/// apply the state validates, captures, and a second render changes nothing. Invalid templates give one-line errors.
/// Re-record the golden files with `ARXOS_RECORD_GOLDEN=1 swift test --filter ArxosEndToEndTests.TemplateTests`.
@Suite(.tags(.endToEnd))
struct TemplateTests {
    static let shipped = ["hvac/standard", "hvac/efficient", "hvac/emergency", "electrical/standard", "electrical/backup",
                          "security/basic", "security/enhanced", "composite/office-standard", "composite/retail-standard"]

    static let goldenDirectory = ArxosBinary.packageRoot.appendingPathComponent("Tests/ArxosEndToEndTests/Golden")

    /// Compares `actual` with `Golden/NAME`, or records it when `ARXOS_RECORD_GOLDEN=1`.
    func checkGolden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ARXOS_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try #require(try? String(contentsOf: url, encoding: .utf8),
                                    "no golden file \(name); record it with ARXOS_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
        #expect(actual == expected, "\(name) differs from the golden output", sourceLocation: sourceLocation)
    }

    /// A captured copy of a fixture.
    func captured(_ fixture: Fixture) throws -> Sandbox {
        let box = try Sandbox(fixture)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "before templates"))
        return box
    }

    /// The Guideline 36 AHU/VAV Brick model imported and captured.
    func brickBuilding() throws -> Sandbox {
        let box = try Sandbox()
        expectSuccess(try box.arxos("init"))
        let file = ArxosBinary.fixtures.appendingPathComponent("shared-data/brick/g36-combined-ahu-vav.ttl").path
        expectSuccess(try box.arxos("import", "brick", file, "--building", "g36"))
        expectSuccess(try box.arxos("state", "capture", "-m", "imported from Brick"))
        return box
    }

    /// Renders (golden), applies, validates, captures and renders again (nothing left to change).
    func renderApplyCapture(_ box: Sandbox, _ name: String, golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rendered = try box.arxos("template", "render", name)
        #expect(rendered.status == 0, "\(rendered)", sourceLocation: sourceLocation)
        try checkGolden(golden, rendered.stdout + rendered.stderr.replacingOccurrences(of: "arxos: warning: ", with: "warning: "),
                        sourceLocation: sourceLocation)
        let before = try box.arxos("status")
        let applied = try box.arxos("template", "apply", name)
        #expect(applied.status == 0, "\(applied)", sourceLocation: sourceLocation)
        // apply prints the same changes it rendered.
        #expect(applied.stdoutLines.dropLast() == rendered.stdoutLines.dropLast(), "\(applied)", sourceLocation: sourceLocation)
        let changed = rendered.stdoutLines.contains { $0.hasPrefix("modified ") }
        if changed {
            let diff = try box.arxos("diff")
            #expect(diff.stdoutLines.filter { $0.hasPrefix("modified ") } == rendered.stdoutLines.filter { $0.hasPrefix("modified ") },
                    "arxos diff shows what render showed\n\(diff)", sourceLocation: sourceLocation)
        } else {
            #expect(try box.arxos("status").stdout == before.stdout, sourceLocation: sourceLocation)
        }
        let validate = try box.arxos("validate")
        #expect(validate.status == 0 && validate.stdout.contains(" 0 errors"), "\(validate)", sourceLocation: sourceLocation)
        if changed {
            expectSuccess(try box.arxos("state", "capture", "-m", "Apply \(name)"))
        }
        let again = try box.arxos("template", "render", name)
        #expect(again.status == 0 && !again.stdout.contains("modified "), "a second render changes nothing\n\(again)",
                sourceLocation: sourceLocation)
    }

    static func goldenName(_ building: String, _ template: String) -> String {
        "template-\(building)-\(template.replacingOccurrences(of: "/", with: "-")).txt"
    }

    @Test("each shipped template renders, applies, validates and captures on the small building", arguments: shipped)
    func smallBuilding(name: String) throws {
        let box = try captured(.smallBuilding)
        try renderApplyCapture(box, name, golden: Self.goldenName("small-building", name))
    }

    @Test("each shipped template renders, applies, validates and captures on the Carytown Haystack import", arguments: shipped)
    func haystack(name: String) throws {
        let box = try captured(.haystack)
        try renderApplyCapture(box, name, golden: Self.goldenName("carytown", name))
    }

    @Test("each shipped template renders, applies, validates and captures on a Brick import (Guideline 36 AHU/VAV)",
          arguments: shipped)
    func brick(name: String) throws {
        let box = try brickBuilding()
        try renderApplyCapture(box, name, golden: Self.goldenName("g36", name))
    }

    @Test("parameters convert units into the object's unit, and --target narrows every rule")
    func parametersAndTarget() throws {
        let box = try captured(.smallBuilding)
        let result = try box.arxos("template", "render", "hvac/standard", "--set", "occupiedCooling=75 °F",
                                   "--set", "minAirflowFraction=0.25", "--target", "floor = 2")
        expectSuccess(result)
        #expect(result.stdout.contains("modified hq/vav-201 (vav)"))
        #expect(result.stdout.contains("modified hq/vav-202 (vav)"))
        #expect(!result.stdout.contains("hq/vav-101") && !result.stdout.contains("hq/ahu-1"), "\(result)")
        // 75 °F − 1.5 Δ°C is 72.3 °F, written in the °C the building uses; new properties keep the parameter's unit.
        #expect(result.stdout.contains("  zoneTempSetpoint: 22.0 °C → 22.4 °C"), "\(result)")
        #expect(result.stdout.contains("  coolingSetpoint: + 75 °F"), "\(result)")
        #expect(result.stdout.contains("  heatingSetpoint: + 69.6 °F"), "\(result)")
        #expect(result.stdout.contains("  minAirflow: 150 cfm → 175 cfm"), "\(result)")
        #expect(result.stdoutLines.last == "hvac/standard: 2 objects would change of 6 selected")

        let json = try box.arxos("template", "render", "security/basic", "--json")
        expectSuccess(json)
        let document = try #require(try json.json() as? [String: Any])
        #expect(document["template"] as? String == "security/basic")
        #expect((document["parameters"] as? [String: String])?["unlockStart"] == "07:00")
        let objects = try #require(document["objects"] as? [[String: Any]])
        #expect(objects.map { $0["id"] as? String } == ["hq/door-mech-103"])
        #expect(document["applied"] as? Bool == false)
        #expect(document["files"] as? [String] == ["security/doors.yaml"])
    }

    @Test("backup power: NFPA 110 generator exercise, UPS self-test and emergency lighting tests, then a valid capture")
    func backupPower() throws {
        let box = try captured(.smallBuilding)
        try box.write("electrical/standby.yaml", """
            # Standby power added for the test.
            - id: hq/gen-1
              type: generator
              name: Generator 1
              location: hq/floor-1/room-104
              properties:
                rating: 250 kW
                voltage: 208 V
                fuel: diesel
                transferMode: manual
            - id: hq/ups-1
              type: ups
              location: hq/floor-1/room-104
              properties:
                rating: 20 kVA
                runtime: 15 min
            - id: hq/egress-lights
              type: lighting
              location: hq/floor-1/room-101
              properties:
                power: 400 W
                emergency: true
            - id: hq/office-lights
              type: lighting
              location: hq/floor-1/room-102
              properties:
                power: 900 W
                emergency: false

            """)
        expectSuccess(try box.arxos("state", "capture", "-m", "standby power"))
        let applied = try box.arxos("template", "apply", "electrical/backup", "--set", "exerciseDuration=45 min",
                                    "--target", "id ~ 'hq/*' and not type in ('circuit', 'meter', 'elec_panel')")
        expectSuccess(applied)
        #expect(applied.stdout.contains("""
            modified hq/gen-1 (generator) in electrical/standby.yaml
              transferMode: manual → automatic
              exerciseSchedule: + monthly, first Tuesday 10:00
              exerciseDuration: + 45 min
              exerciseLoad: + 30 %
              transferTime: + 10 s
              cooldownTime: + 5 min
            """), "\(applied)")
        #expect(applied.stdout.contains("modified hq/ups-1 (ups) in electrical/standby.yaml\n  selfTestSchedule: + monthly, first Tuesday 10:00"), "\(applied)")
        #expect(applied.stdout.contains("modified hq/egress-lights (lighting)") && !applied.stdout.contains("hq/office-lights"), "\(applied)")
        #expect(!applied.stdout.contains("hq/ckt-"), "--target kept the circuits out\n\(applied)")
        let text = try box.readText("electrical/standby.yaml")
        #expect(text.hasPrefix("# Standby power added for the test.\n- id: hq/gen-1\n"), "the header comment is kept\n\(text)")
        #expect(text.contains("    exerciseLoad: 30 %\n"), "\(text)")
        expectSuccess(try box.arxos("validate"))
        expectSuccess(try box.arxos("state", "capture", "-m", "Apply electrical/backup"))
        #expect(try box.arxos("query", "type = 'generator' and exerciseDuration >= 30 min", "--ids").trimmed == "hq/gen-1")
        let bad = try box.arxos("template", "render", "electrical/backup", "--set", "exerciseDuration=20 min")
        #expect(bad.status == 64)
        #expect(bad.stderrLines == ["arxos: error: --set exerciseDuration=20 min: 20 min is below the minimum 30 min of 'exerciseDuration'; give a value from 30 min to 240 min"], "\(bad)")
    }

    @Test("a repository's templates/ folder is versioned, not objects, and overrides a shipped template")
    func repositoryTemplates() throws {
        let box = try captured(.smallBuilding)
        try box.write("templates/hvac/standard.yaml", """
            # Our own standard: 23 °C cooling.
            name: hvac/standard
            description: House standard
            parameters:
              cooling: {type: quantity, unit: °C, default: 23 °C, min: 20 °C, max: 26 °C}
            rules:
              - select: "type = 'vav'"
                set: {coolingSetpoint: "${cooling}"}

            """)
        try box.write("templates/site/lobby.yaml", """
            name: site/lobby
            description: Lobby doors
            includes: [security/basic]
            rules:
              - select: "type = 'door' and name = 'Main Entrance'"
                set: {heldOpenAlarm: 60 s}

            """)
        let list = try box.arxos("template", "list")
        expectSuccess(list)
        #expect(list.stdoutLines.contains { $0.hasPrefix("hvac/standard ") && $0.hasSuffix("House standard  (repository)") }, "\(list)")
        #expect(list.stdoutLines.contains { $0.hasPrefix("site/lobby ") }, "\(list)")
        let render = try box.arxos("template", "render", "hvac/standard")
        expectSuccess(render)
        #expect(render.stdout.contains("  coolingSetpoint: + 23 °C") && !render.stdout.contains("minAirflow"), "\(render)")
        // Templates are tracked like .arxos-rules.yaml: captured, but never read as building objects.
        expectSuccess(try box.arxos("state", "capture", "-m", "our templates"))
        #expect(try box.arxos("query", "file ~ 'templates/*'", "--count").trimmed == "0")
        #expect(try box.arxos("ls-tree", "-r", "HEAD").stdout.contains("templates/site/lobby.yaml"))
        expectSuccess(try box.arxos("validate"))
        let lobby = try box.arxos("template", "apply", "site/lobby")
        expectSuccess(lobby)
        #expect(lobby.stdout.contains("  heldOpenAlarm: 30 s → 60 s"), "\(lobby)")
        let show = try box.arxos("template", "show", "site/lobby")
        expectSuccess(show)
        #expect(show.stdout.contains("includes: security/basic") && show.stdout.contains("unlockStart (time) = 07:00"), "\(show)")
    }

    @Test("invalid templates and arguments give one-line errors that say what to do")
    func errors() throws {
        let box = try captured(.smallBuilding)
        try box.write("templates/bad/selector.yaml", """
            name: bad/selector
            rules:
              - select: "type = 'vav' and (maxAirflow > 800 cfm"
                set: {occupied: true}

            """)
        try box.write("templates/bad/units.yaml", """
            name: bad/units
            parameters:
              cooling: {type: quantity, unit: °C, default: 24 °C}
            rules:
              - select: "type = 'vav'"
                set:
                  heatingSetpoint: ${cooling} - 150 cfm

            """)
        try box.write("templates/bad/a.yaml", "name: bad/a\nincludes: [bad/b]\nrules: []\n")
        try box.write("templates/bad/b.yaml", "name: bad/b\nincludes:\n  - bad/a\nrules: []\n")
        try box.write("templates/bad/range.yaml", """
            name: bad/range
            parameters:
              fraction: {type: number, default: 0.9, min: 0.1, max: 0.6}
            rules:
              - select: "type = 'vav'"
                set: {minAirflow: "${fraction} * maxAirflow"}

            """)
        let cases: [([String], Int32, String)] = [
            (["template", "validate", "bad/selector"], 1,
             "arxos: error: templates/bad/selector.yaml:3: rules[1].select: column 18 of the query: this '(' is not closed; add ')'"),
            (["template", "validate", "bad/units"], 1,
             "arxos: error: templates/bad/units.yaml:7: rules[1].set.heatingSetpoint: column 12: cannot subtract an airflow (cfm) from a temperature (°C); the dimensions differ"),
            (["template", "validate", "bad/a"], 1,
             "arxos: error: templates/bad/b.yaml:3: includes: templates include each other (bad/a → bad/b → bad/a); remove one of these includes"),
            (["template", "validate", "bad/range"], 1,
             "arxos: error: templates/bad/range.yaml:3: parameters.fraction.default: 0.9 is above the maximum 0.6 of 'fraction'; give a value from 0.1 to 0.6"),
            (["template", "render", "hvac/standrd"], 1,
             "arxos: error: no template named 'hvac/standrd'; did you mean 'hvac/standard'? 'arxos template list' shows the templates there are"),
            (["template", "render", "hvac/standard", "--set", "occupiedCooling=30 °C"], 64,
             "arxos: error: --set occupiedCooling=30 °C: 30 °C is above the maximum 27 °C of 'occupiedCooling'; give a value from 22 °C to 27 °C"),
            (["template", "render", "hvac/standard", "--set", "deadband=2 °F"], 64,
             "arxos: error: --set deadband=2 °F: '2 °F' is a temperature, and 'deadband' is a temperature difference; use a unit such as Δ°C"),
            (["template", "render", "hvac/standard", "--set", "occupiedColing=24 °C"], 64,
             "arxos: error: --set occupiedColing=24 °C: 'hvac/standard' has no parameter 'occupiedColing'; did you mean 'occupiedCooling'? 'arxos template show hvac/standard' lists them"),
            (["template", "apply", "hvac/standard", "--target", "floor >= "], 64,
             "arxos: error: --target: query:1:10: expected a value after '>='"),
        ]
        for (arguments, status, message) in cases {
            let result = try box.arxos(arguments)
            #expect(result.status == status, "\(result)")
            #expect(result.stderrLines == [message], "\(result)")
            #expect(result.stdout.isEmpty || arguments[1] == "validate", "\(result)")
        }
        // Nothing was written by the failed apply.
        #expect(try box.arxos("diff").stdout.isEmpty)

        // A template file given by path is checked the same way; all templates at once report each bad one.
        let file = try box.arxos("template", "validate", "templates/bad/selector.yaml")
        #expect(file.status == 1 && file.stderr.contains("column 18 of the query"), "\(file)")
        let all = try box.arxos("template", "validate")
        #expect(all.status == 1, "\(all)")
        #expect(all.stdout.contains("hvac/standard: valid"), "\(all)")
        #expect(all.stderrLines.count == 5, "\(all)")

        // An expression that checks but cannot be computed on an object names the object; nothing is written.
        try box.write("templates/bad/eval.yaml", """
            name: bad/eval
            parameters:
              fraction: {type: number, default: 0.5}
            rules:
              - select: "type = 'vav'"
                set: {minAirflow: "${fraction} * zoneTempSetpoint"}

            """)
        let evaluation = try box.arxos("template", "apply", "bad/eval")
        #expect(evaluation.status == 1, "\(evaluation)")
        #expect(evaluation.stderrLines == ["arxos: error: templates/bad/eval.yaml:6: set.minAirflow on hq/vav-101: column 13: cannot scale an absolute temperature; scale a temperature difference (Δ°C, Δ°F) instead"], "\(evaluation)")
        #expect(try box.arxos("diff").stdout.isEmpty)

        // Before anything is captured there is nothing to select from.
        let empty = try Sandbox()
        expectSuccess(try empty.arxos("init"))
        let uncaptured = try empty.arxos("template", "render", "hvac/standard")
        #expect(uncaptured.status == 1)
        #expect(uncaptured.stderrLines == ["arxos: error: templates select objects in the last captured state, and there is none yet; run 'arxos state capture' first"], "\(uncaptured)")
    }
}
