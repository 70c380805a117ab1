import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation
import Testing

/// The merge scenario table: each row builds a base commit, changes it one way on a branch and another way on main,
/// merges, and checks the golden result — the merged objects (compared as objects, by id and file) or the conflicts.
@Suite struct MergeScenarioTests {
    /// A building small enough to read, with every kind of field the scenarios touch.
    static let base: [String: String] = [
        "spaces.yaml": """
            # Spaces of the test building.
            - id: b
              type: building
              name: Test building
            - id: f1
              type: floor
              location: b
            - id: r1
              type: room
              location: f1
            - id: r2
              type: room
              location: f1
            """,
        "hvac.yaml": """
            - id: ahu-1
              type: ahu
              location: f1
              feeds: [vav-1, vav-2]
            - id: vav-1
              type: vav
              name: VAV 1
              location: r1
              fedBy: [ahu-1]
              points: [p1, p2]
              properties:
                minAirflow: 150 cfm
                maxAirflow: 800 cfm
                zoneTempSetpoint: 21.5 °C
                controls: {mode: auto, deadband: 1 K}
            - id: vav-2
              type: vav
              name: VAV 2
              location: r2
              fedBy: [ahu-1]
              properties:
                minAirflow: 200 cfm
                maxAirflow: 900 cfm
            """,
        "points.yaml": """
            - {id: p1, type: point, location: r1}
            - {id: p2, type: point, location: r1}
            - {id: p3, type: point, location: r1}
            - {id: p4, type: point, location: r1}
            """,
        "safety.yaml": """
            - id: fd-1
              type: fire_damper
              location: r1
              properties:
                position: open
            - id: door-1
              type: door
              location: r1
              properties:
                schedule: weekdays 07:00-19:00
                label: Main door
            """,
    ]

    /// A file's content with one line replaced (the scenarios are edits of the base).
    static func edit(_ path: String, _ old: String, _ new: String) -> (String, String?) {
        let text = base[path] ?? ""
        precondition(text.contains(old), "\(path) has no '\(old)'")
        return (path, text.replacingOccurrences(of: old, with: new))
    }

    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var ours: [(String, String?)]
        var theirs: [(String, String?)]
        /// Expected merged objects as YAML (`id@path` keys check the file too); checked only when `conflicts` is empty.
        var expect: [String: String] = [:]
        /// Ids that must be gone after the merge.
        var gone: [String] = []
        /// Expected conflicts as `id field kind`.
        var conflicts: [String] = []
        /// Expected rule ids that stop the merge.
        var violations: [String] = []
        var favor: ObjectMerge.Favor? = nil
        var allowViolations = false
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = {
        let e = edit
        return [
            Scenario(name: "different properties of one object merge",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 180 cfm")],
                     theirs: [e("hvac.yaml", "zoneTempSetpoint: 21.5 °C", "zoneTempSetpoint: 22 °C")],
                     expect: ["vav-1": "{properties: {minAirflow: 180 cfm, zoneTempSetpoint: 22 °C, maxAirflow: 800 cfm}}"]),
            Scenario(name: "the same property changed the same way merges",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 180 cfm")],
                     theirs: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 180.0 cfm")],
                     expect: ["vav-1": "{properties: {minAirflow: 180 cfm}}"]),
            Scenario(name: "the same property changed two ways conflicts",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 180 cfm")],
                     theirs: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 200 cfm")],
                     conflicts: ["vav-1 properties.minAirflow value"]),
            Scenario(name: "a change on ours only is kept",
                     ours: [e("hvac.yaml", "maxAirflow: 900 cfm", "maxAirflow: 950 cfm")],
                     theirs: [e("spaces.yaml", "name: Test building", "name: HQ")],
                     expect: ["vav-2": "{properties: {maxAirflow: 950 cfm}}", "b": "{name: HQ}"]),
            Scenario(name: "changes to different objects of one file merge",
                     ours: [e("hvac.yaml", "name: VAV 1", "name: VAV one")],
                     theirs: [e("hvac.yaml", "name: VAV 2", "name: VAV two")],
                     expect: ["vav-1": "{name: VAV one}", "vav-2": "{name: VAV two}"]),
            Scenario(name: "deleted on ours, changed on theirs conflicts",
                     ours: [e("hvac.yaml", """
                         - id: vav-2
                           type: vav
                           name: VAV 2
                           location: r2
                           fedBy: [ahu-1]
                           properties:
                             minAirflow: 200 cfm
                             maxAirflow: 900 cfm
                         """, ""), e("hvac.yaml", "feeds: [vav-1, vav-2]", "feeds: [vav-1]")],
                     theirs: [e("hvac.yaml", "maxAirflow: 900 cfm", "maxAirflow: 1000 cfm")],
                     conflicts: ["vav-2 (object) delete/modify"]),
            Scenario(name: "changed on ours, deleted on theirs conflicts",
                     ours: [e("safety.yaml", "label: Main door", "label: Front door")],
                     theirs: [("safety.yaml", """
                         - id: fd-1
                           type: fire_damper
                           location: r1
                           properties:
                             position: open
                         """)],
                     conflicts: ["door-1 (object) modify/delete"]),
            Scenario(name: "deleted on both sides is deleted",
                     ours: [e("points.yaml", "- {id: p4, type: point, location: r1}", "")],
                     theirs: [e("points.yaml", "- {id: p4, type: point, location: r1}", "")],
                     gone: ["p4"]),
            Scenario(name: "the same object added on both sides merges",
                     ours: [("extra.yaml", "id: p9\ntype: point\nlocation: r2\n")],
                     theirs: [("extra.yaml", "{id: p9, type: point, location: r2}\n")],
                     expect: ["p9@extra.yaml": "{location: r2}"]),
            Scenario(name: "one id added on both sides with different content conflicts",
                     ours: [("extra.yaml", "id: p9\ntype: point\nlocation: r2\n")],
                     theirs: [("extra.yaml", "id: p9\ntype: point\nlocation: r1\n")],
                     conflicts: ["p9 location add/add"]),
            Scenario(name: "different objects added to one new file merge",
                     ours: [("extra.yaml", "id: p8\ntype: point\nlocation: r2\n")],
                     theirs: [("extra.yaml", "id: p9\ntype: point\nlocation: r2\n")],
                     expect: ["p8@extra.yaml": "{location: r2}", "p9@extra.yaml": "{location: r2}"]),
            Scenario(name: "objects added in different files merge",
                     ours: [("a.yaml", "id: p8\ntype: point\nlocation: r2\n")],
                     theirs: [("b.yaml", "id: p9\ntype: point\nlocation: r2\n")],
                     expect: ["p8@a.yaml": "{type: point}", "p9@b.yaml": "{type: point}"]),
            Scenario(name: "a move (location) on one side and an edit on the other merge",
                     ours: [e("hvac.yaml", "location: r1\n  fedBy", "location: r2\n  fedBy")],
                     theirs: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 170 cfm")],
                     expect: ["vav-1": "{location: r2, properties: {minAirflow: 170 cfm}}"]),
            Scenario(name: "two different moves conflict",
                     ours: [e("points.yaml", "{id: p3, type: point, location: r1}", "{id: p3, type: point, location: r2}")],
                     theirs: [e("points.yaml", "{id: p3, type: point, location: r1}", "{id: p3, type: point, location: f1}")],
                     conflicts: ["p3 location value"]),
            Scenario(name: "an object moved to another file on ours and edited on theirs",
                     ours: [e("points.yaml", "- {id: p4, type: point, location: r1}", ""),
                            ("more-points.yaml", "- {id: p4, type: point, location: r1}\n")],
                     theirs: [e("points.yaml", "{id: p4, type: point, location: r1}", "{id: p4, type: point, location: r1, name: Four}")],
                     expect: ["p4@more-points.yaml": "{name: Four}"]),
            Scenario(name: "an object moved to another file on theirs and edited on ours",
                     ours: [e("points.yaml", "{id: p4, type: point, location: r1}", "{id: p4, type: point, location: r1, name: Four}")],
                     theirs: [e("points.yaml", "- {id: p4, type: point, location: r1}", ""),
                              ("more-points.yaml", "- {id: p4, type: point, location: r1}\n")],
                     expect: ["p4@more-points.yaml": "{name: Four}"]),
            Scenario(name: "ids added to a list on both sides merge as a set",
                     ours: [e("hvac.yaml", "points: [p1, p2]", "points: [p1, p2, p3]")],
                     theirs: [e("hvac.yaml", "points: [p1, p2]", "points: [p1, p2, p4]")],
                     expect: ["vav-1": "{points: [p1, p2, p3, p4]}"]),
            Scenario(name: "an id removed on one side and another added on the other",
                     ours: [e("hvac.yaml", "points: [p1, p2]", "points: [p2]")],
                     theirs: [e("hvac.yaml", "points: [p1, p2]", "points: [p1, p2, p3]")],
                     expect: ["vav-1": "{points: [p2, p3]}"]),
            Scenario(name: "the same id added on both sides appears once",
                     ours: [e("hvac.yaml", "points: [p1, p2]", "points: [p1, p2, p3]")],
                     theirs: [e("hvac.yaml", "points: [p1, p2]", "points: [p3, p1, p2, p4]")],
                     expect: ["vav-1": "{points: [p1, p2, p3, p4]}"]),
            Scenario(name: "a reformat on one side and an edit on the other",
                     ours: [("hvac.yaml", """
                         - {id: ahu-1, type: ahu, location: f1, feeds: [vav-1, vav-2]}
                         - id: vav-1
                           name: "VAV 1"
                           type: vav
                           location: r1
                           fedBy:
                             - ahu-1
                           points: [p1, p2]
                           properties: {minAirflow: 150.0 cfm, maxAirflow: 800 cfm, zoneTempSetpoint: 21.5 °C, controls: {mode: auto, deadband: 1 K}}
                         - id: vav-2
                           type: vav
                           name: VAV 2
                           location: r2
                           fedBy: [ahu-1]
                           properties:
                             minAirflow: 200 cfm
                             maxAirflow: 900 cfm
                         """)],
                     theirs: [e("hvac.yaml", "maxAirflow: 800 cfm", "maxAirflow: 850 cfm")],
                     expect: ["vav-1": "{properties: {maxAirflow: 850 cfm, minAirflow: 150 cfm}}"]),
            Scenario(name: "a unit change on one side yields to a value change on the other",
                     ours: [e("hvac.yaml", "zoneTempSetpoint: 21.5 °C", "zoneTempSetpoint: 70.7 °F")],
                     theirs: [e("hvac.yaml", "zoneTempSetpoint: 21.5 °C", "zoneTempSetpoint: 23 °C")],
                     expect: ["vav-1": "{properties: {zoneTempSetpoint: 23 °C}}"]),
            Scenario(name: "the same unit change on both sides merges",
                     ours: [e("hvac.yaml", "zoneTempSetpoint: 21.5 °C", "zoneTempSetpoint: 70.7 °F")],
                     theirs: [e("hvac.yaml", "zoneTempSetpoint: 21.5 °C", "zoneTempSetpoint: 70.7 °F")],
                     expect: ["vav-1": "{properties: {zoneTempSetpoint: 70.7 °F}}"]),
            Scenario(name: "value changes in different units to the same amount merge",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 200 cfm")],
                     theirs: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 94.39 L/s")],
                     expect: ["vav-1": "{properties: {minAirflow: 200 cfm}}"]),
            Scenario(name: "a strict property changed the same way on both sides still conflicts",
                     ours: [e("safety.yaml", "schedule: weekdays 07:00-19:00", "schedule: weekdays 06:00-20:00")],
                     theirs: [e("safety.yaml", "schedule: weekdays 07:00-19:00", "schedule: weekdays 06:00-20:00")],
                     conflicts: ["door-1 properties.schedule strict"]),
            Scenario(name: "a field of a strict type changed on both sides conflicts",
                     ours: [e("safety.yaml", "position: open", "position: closed")],
                     theirs: [e("safety.yaml", "position: open", "position: auto")],
                     conflicts: ["fd-1 properties.position strict"]),
            Scenario(name: "a strict property changed on one side merges",
                     ours: [e("safety.yaml", "schedule: weekdays 07:00-19:00", "schedule: always locked")],
                     theirs: [e("safety.yaml", "label: Main door", "label: Lobby door")],
                     expect: ["door-1": "{properties: {schedule: always locked, label: Lobby door}}"]),
            Scenario(name: "a property removed on one side and changed on the other conflicts",
                     ours: [e("hvac.yaml", "    minAirflow: 200 cfm\n", "")],
                     theirs: [e("hvac.yaml", "minAirflow: 200 cfm", "minAirflow: 250 cfm")],
                     conflicts: ["vav-2 properties.minAirflow value"]),
            Scenario(name: "a property added on both sides with different values conflicts",
                     ours: [e("hvac.yaml", "maxAirflow: 900 cfm", "maxAirflow: 900 cfm\n    reheat: electric")],
                     theirs: [e("hvac.yaml", "maxAirflow: 900 cfm", "maxAirflow: 900 cfm\n    reheat: hot water")],
                     conflicts: ["vav-2 properties.reheat value"]),
            Scenario(name: "different keys of a nested map merge",
                     ours: [e("hvac.yaml", "controls: {mode: auto, deadband: 1 K}", "controls: {mode: occupied, deadband: 1 K}")],
                     theirs: [e("hvac.yaml", "controls: {mode: auto, deadband: 1 K}", "controls: {mode: auto, deadband: 2 K}")],
                     expect: ["vav-1": "{properties: {controls: {mode: occupied, deadband: 2 K}}}"]),
            Scenario(name: "the name changed two ways conflicts",
                     ours: [e("spaces.yaml", "name: Test building", "name: North")],
                     theirs: [e("spaces.yaml", "name: Test building", "name: South")],
                     conflicts: ["b name value"]),
            Scenario(name: "a whole file deleted on one side",
                     ours: [("points.yaml", "- {id: p1, type: point, location: r1}\n- {id: p2, type: point, location: r1}\n")],
                     theirs: [("safety.yaml", nil)],
                     expect: ["p1@points.yaml": "{type: point}"],
                     gone: ["fd-1", "door-1", "p3", "p4"]),
            Scenario(name: "a clean merge that breaks a rule stops",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 700 cfm")],
                     theirs: [e("hvac.yaml", "maxAirflow: 800 cfm", "maxAirflow: 600 cfm")],
                     violations: ["vav-airflow-range"]),
            Scenario(name: "--allow-violations records the merge anyway",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 700 cfm")],
                     theirs: [e("hvac.yaml", "maxAirflow: 800 cfm", "maxAirflow: 600 cfm")],
                     expect: ["vav-1": "{properties: {minAirflow: 700 cfm, maxAirflow: 600 cfm}}"], allowViolations: true),
            Scenario(name: "a merge that adds a relation to a deleted object stops",
                     ours: [e("points.yaml", "- {id: p4, type: point, location: r1}", "")],
                     theirs: [e("hvac.yaml", "points: [p1, p2]", "points: [p1, p2, p4]")],
                     violations: ["relation-target"]),
            Scenario(name: "--strategy-option ours settles conflicts with ours",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 180 cfm")],
                     theirs: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 200 cfm"),
                              e("hvac.yaml", "name: VAV 2", "name: VAV two")],
                     expect: ["vav-1": "{properties: {minAirflow: 180 cfm}}", "vav-2": "{name: VAV two}"], favor: .ours),
            Scenario(name: "--strategy-option theirs settles conflicts with theirs",
                     ours: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 180 cfm")],
                     theirs: [e("hvac.yaml", "minAirflow: 150 cfm", "minAirflow: 200 cfm")],
                     expect: ["vav-1": "{properties: {minAirflow: 200 cfm}}"], favor: .theirs),
        ]
    }()

    /// Applies edits that all start from the base: edits to one path are applied in turn.
    static func apply(_ edits: [(String, String?)], in sandbox: Sandbox) throws {
        var contents = [String: String?]()
        for (path, new) in edits {
            if let new, let current = contents[path] ?? nil, let original = base[path], current != original {
                // A second edit of the same file: apply it as a replacement of what changed from the base.
                contents[path] = .some(merge(current, original, new))
            } else {
                contents[path] = .some(new)
            }
        }
        for (path, content) in contents {
            if let content { try sandbox.write(path, content) } else { try sandbox.remove(path) }
        }
    }

    /// Two edits of one base text: the lines of `second` that differ from `original` are applied to `first`.
    static func merge(_ first: String, _ original: String, _ second: String) -> String {
        var lines = first.components(separatedBy: "\n")
        let before = original.components(separatedBy: "\n"), after = second.components(separatedBy: "\n")
        for (index, line) in after.enumerated() where index < before.count && before[index] != line {
            if let position = lines.firstIndex(of: before[index]) { lines[position] = line }
        }
        return lines.joined(separator: "\n")
    }

    static func quietCapture(_ repository: Repository, _ message: String) throws {
        var capture = Capture(message: message)
        capture.author = author
        try capture.run(in: repository)
    }

    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) throws {
        let sandbox = try Sandbox("merge")
        _ = try Repository.initialize(at: sandbox.path)
        let repository = try Repository.discover(from: sandbox.path)
        for (path, text) in MergeScenarioTests.base { try sandbox.write(path, text + "\n") }
        try MergeScenarioTests.quietCapture(repository, "base")
        let baseCommit = try #require(try repository.refs.headCommit())
        try repository.refs.update("refs/heads/theirs", to: baseCommit, expecting: .absent, who: author, message: "branch")
        try MergeScenarioTests.apply(scenario.ours, in: sandbox)
        try MergeScenarioTests.quietCapture(repository, "ours")
        // Theirs: the base plus their edits, committed on the branch.
        let oursCommit = try #require(try repository.refs.headCommit())
        _ = try Checkout(repository: repository).switchTree(from: try repository.objects.readCommit(oursCommit).tree,
                                                           to: try repository.objects.readCommit(baseCommit).tree, action: "test")
        try repository.refs.setHead(branch: "theirs")
        try MergeScenarioTests.apply(scenario.theirs, in: sandbox)
        try MergeScenarioTests.quietCapture(repository, "theirs")
        let theirsCommit = try #require(try repository.refs.headCommit())
        _ = try Checkout(repository: repository).switchTree(from: try repository.objects.readCommit(theirsCommit).tree,
                                                           to: try repository.objects.readCommit(oursCommit).tree, action: "test")
        try repository.refs.setHead(branch: "main")

        var merge = Merge(repository: repository, validator: Validator())
        merge.favor = scenario.favor
        merge.allowViolations = scenario.allowViolations
        let outcome = try merge.run(theirs: theirsCommit, name: "theirs")

        if !scenario.conflicts.isEmpty || !scenario.violations.isEmpty {
            guard case let .stopped(state) = outcome else {
                Issue.record("expected the merge to stop, got \(outcome)")
                return
            }
            #expect(state.conflicts.map { "\($0.id) \($0.field) \($0.kind.rawValue)" }.sorted() == scenario.conflicts.sorted())
            #expect(Set(state.violations.filter { $0.severity == .error }.map(\.rule)) == Set(scenario.violations))
            // The working tree stays valid YAML with valid objects, and lists the conflicts as data.
            let open = try Merge.openConflicts(in: repository, state: state)
            #expect(open.map { "\($0.id) \($0.field)" }.sorted() == state.conflicts.map { "\($0.id) \($0.field)" }.sorted())
            _ = try StateObjects.loadWorkingTree(of: repository)
            // Abort puts back exactly ours.
            _ = try merge.abort()
            let status = try WorkingTreeStatus.compute(in: repository)
            #expect(status.isClean)
            for (path, text) in MergeScenarioTests.base where !scenario.ours.contains(where: { $0.0 == path }) {
                #expect(sandbox.read(path) == text + "\n", "abort must restore \(path) byte for byte")
            }
            return
        }
        guard case let .merged(commit, _, _) = outcome else {
            Issue.record("expected a merge commit, got \(outcome)")
            return
        }
        let merged = try repository.objects.readCommit(commit)
        #expect(merged.parents == [oursCommit, theirsCommit])
        if scenario.allowViolations { #expect(merged.message.contains("Allowed-Violation: vav-airflow-range vav-1")) }
        #expect(try WorkingTreeStatus.compute(in: repository).isClean, "the working tree matches the merge commit")
        let objects = try StateObjects.load(tree: merged.tree, in: repository)
        var byID = [String: ArxObject]()
        for object in objects { byID[object.id] = object }
        for gone in scenario.gone { #expect(byID[gone] == nil, "\(gone) should be deleted") }
        for (key, yaml) in scenario.expect {
            let parts = key.split(separator: "@").map(String.init)
            let id = parts[0]
            guard let object = byID[id] else { Issue.record("\(id) is missing after the merge"); continue }
            if parts.count > 1 { #expect(object.path == parts[1], "\(id) lives in \(object.path)") }
            let expected = try #require(ModelValue.parse(yaml)?.fields)
            MergeScenarioTests.check(expected, in: object.fields, at: id)
        }
        // Nothing of ours or theirs is lost: every base object not deleted is still there.
        #expect(objects.count >= 13 - scenario.gone.count)
    }

    /// Every expected field is in `fields` with an equal value (maps compared key by key, lists exactly).
    static func check(_ expected: [ModelValue.Field], in fields: [ModelValue.Field], at path: String) {
        for field in expected {
            guard let actual = fields.first(where: { $0.key == field.key })?.value else {
                Issue.record("\(path).\(field.key) is missing")
                continue
            }
            if let inner = field.value.fields, let actualInner = actual.fields {
                check(inner, in: actualInner, at: path + "." + field.key)
            } else {
                #expect(ObjectWriter.inline(actual) == ObjectWriter.inline(field.value), "\(path).\(field.key)")
            }
        }
    }
}
