import Foundation
import Testing

/// `docs/json.md` is the schema of every `--json` document, and these tests hold the commands to it: each command of its
/// table runs on a real repository (or a real edge node), and every key printed must be documented for its object, have
/// the documented type, and every field not marked optional must be there. The CLI's own `--json` flags (read from
/// `arxos --experimental-dump-help`) and json.md's table must list the same commands, and each of them must be checked
/// here.
@Suite(.tags(.endToEnd), .serialized)
struct JSONSchemaTests {
    @Test("json.md parses: every table, type and reference resolves, and every example matches its schema")
    func theDocumentHoldsTogether() throws {
        let doc = try JSONSchemaDocument.load()
        for problem in doc.problems { Issue.record(Comment(rawValue: problem)) }
        #expect(doc.commands.count >= 30, "json.md's command table lists only \(doc.commands.count) commands")

        var referenced = Set<String>()
        func collect(_ type: JSONSchemaDocument.ValueType) { if let name = type.objectName { referenced.insert(name) } }
        for command in doc.commands { collect(command.document) }
        for (_, fields) in doc.objects { fields.forEach { collect($0.type) } }
        for name in referenced.subtracting(doc.objects.keys).sorted() {
            Issue.record("docs/json.md refers to '\(name) object', but no table is named **\(name)**")
        }
        for name in Set(doc.objects.keys).subtracting(referenced).sorted() {
            Issue.record("docs/json.md:\(doc.objectLines[name] ?? 0): the table **\(name)** is not used by any command or field")
        }
        for command in doc.commands {
            guard let anchor = command.anchor else {
                Issue.record("docs/json.md:\(command.line): the document of 'arxos \(command.name)' links to no section")
                continue
            }
            if !doc.anchors.contains(anchor) {
                Issue.record("docs/json.md:\(command.line): 'arxos \(command.name)' links to #\(anchor), which is no heading")
            }
        }
        for example in doc.examples {
            let types = Set(doc.commands.filter { $0.anchor == example.section }.map(\.document))
            guard let type = types.first, types.count == 1 else {
                Issue.record("docs/json.md:\(example.line): the example in #\(example.section) belongs to \(types.isEmpty ? "no command of the table" : "commands with different documents")")
                continue
            }
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(with: Data(example.text.utf8))
            } catch {
                Issue.record("docs/json.md:\(example.line): the example in #\(example.section) is not JSON (\(error.localizedDescription))")
                continue
            }
            for problem in doc.check(value, as: type) {
                Issue.record("docs/json.md:\(example.line): the example in #\(example.section): \(problem)")
            }
        }
    }

    @Test("json.md lists exactly the commands that take --json, and each of them is checked here")
    func everyJSONCommandIsListedAndChecked() throws {
        let doc = try JSONSchemaDocument.load()
        let listed = Set(doc.commands.map(\.name))
        let box = try Sandbox()
        let dump = try box.arxos("--experimental-dump-help")
        expectSuccess(dump)
        let withFlag = try Self.commandsWithJSONFlag(dump.json())
        #expect(withFlag.count >= 30, "found only \(withFlag.count) commands with --json in 'arxos --experimental-dump-help'")
        for name in withFlag.subtracting(listed).sorted() {
            Issue.record("'arxos \(name)' has a --json flag, but the command table of docs/json.md does not list it")
        }
        for name in listed.subtracting(withFlag).sorted() {
            Issue.record("docs/json.md lists 'arxos \(name) --json', but that command has no --json flag")
        }
        let checked = RepositoryScenario.commands.union(DeployScenario.commands)
        for name in listed.subtracting(checked).sorted() {
            Issue.record("docs/json.md lists 'arxos \(name) --json', but JSONSchemaTests runs no check of it: add a run to a scenario")
        }
        for name in checked.subtracting(listed).sorted() {
            Issue.record("JSONSchemaTests checks 'arxos \(name) --json', which the command table of docs/json.md does not list")
        }
    }

    @Test("the repository commands print what json.md documents", .tags(.slow))
    func repositoryCommands() throws {
        let doc = try JSONSchemaDocument.load()
        var scenario = try RepositoryScenario()
        try scenario.run()
        Self.check(scenario.samples, against: doc, covering: RepositoryScenario.commands)
    }

    @Test("the node, deploy and edge commands print what json.md documents", .tags(.slow))
    func deployCommands() throws {
        let doc = try JSONSchemaDocument.load()
        var scenario = try DeployScenario()
        try scenario.run()
        Self.check(scenario.samples, against: doc, covering: DeployScenario.commands)
    }

    /// The command paths (`key list`) of every command with a `--json` flag in the dump of `--experimental-dump-help`.
    static func commandsWithJSONFlag(_ dump: Any) throws -> Set<String> {
        let root = try #require((dump as? [String: Any])?["command"] as? [String: Any], "no 'command' in the help dump")
        var found = Set<String>()
        func walk(_ command: [String: Any], _ path: [String]) {
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                let names = argument["names"] as? [[String: Any]] ?? []
                if names.contains(where: { $0["kind"] as? String == "long" && $0["name"] as? String == "json" }) {
                    found.insert(path.joined(separator: " "))
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path + [sub["commandName"] as? String ?? "?"])
            }
        }
        walk(root, [])
        return found
    }

    /// Checks each run: its exit status, that stdout is one JSON document, and that the document has the shape json.md
    /// gives its command; and that the runs cover exactly `covering`.
    static func check(_ samples: [JSONRun], against doc: JSONSchemaDocument, covering: Set<String>) {
        for sample in samples {
            let result = sample.result
            #expect(result.status == sample.status && !result.timedOut,
                    "'arxos \(sample.command)' should exit \(sample.status)\n\(result)")
            guard let command = doc.commands.first(where: { $0.name == sample.command }) else {
                Issue.record("the command table of docs/json.md does not list 'arxos \(sample.command)'")
                continue
            }
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(with: result.stdoutData)
            } catch {
                Issue.record("\(sample.command): stdout is not one JSON document (\(error.localizedDescription))\n\(result)")
                continue
            }
            let problems = doc.check(value, as: command.document)
            for problem in problems {
                Issue.record(Comment(rawValue: "\(sample.command) \(problem)\n$ \(result.command.joined(separator: " "))"))
            }
        }
        let ran = Set(samples.map(\.command))
        for name in covering.subtracting(ran).sorted() { Issue.record("the scenario should have run 'arxos \(name) --json' and did not") }
        for name in ran.subtracting(covering).sorted() { Issue.record("the scenario ran 'arxos \(name) --json' without declaring it") }
    }
}

/// One run of a command with `--json`, and the exit status it should have.
struct JSONRun {
    var command: String
    var status: Int32
    var result: RunResult
}

/// A small-building repository taken through captures, tags, branches, a stopped merge, remotes, keys, the index,
/// templates, imports, rule violations and a damaged store, running every repository command with `--json` on the way.
struct RepositoryScenario {
    static let commands: Set<String> = [
        "status", "diff", "state diff", "log", "show", "branch", "tag", "reflog", "conflicts", "key list", "verify",
        "validate", "types", "import brick", "import haystack", "fsck", "config list", "remote list", "query", "index status",
        "template list", "template render", "template apply",
    ]

    let box: Sandbox
    var samples: [JSONRun] = []

    init() throws { box = try Sandbox(.smallBuilding) }

    /// Runs `arxos ARGS`, records it as a sample of `command`, and returns it.
    @discardableResult
    mutating func sample(_ command: String, _ arguments: [String], status: Int32 = 0,
                         environment: [String: String] = [:]) throws -> RunResult {
        let result = try box.arxos(arguments, environment: environment)
        samples.append(JSONRun(command: command, status: status, result: result))
        return result
    }

    mutating func run() throws {
        let box = self.box
        // Outside any repository, and without a key: `own` left out, `repository` empty.
        try sample("key list", ["key", "list", "--json"])
        try sample("template list", ["template", "list", "--json"])
        try sample("types", ["types", "--json"])
        expectSuccess(try box.arxos("key", "generate"))
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first state"))
        try sample("status", ["status", "--json"])
        try sample("log", ["log", "--json", "--show-signature"])

        expectSuccess(try box.arxos("key", "trust", try box.arxos("key", "export").trimmed))
        expectSuccess(try box.arxos("key", "revoke", "0123456789abcdef", "--comment", "lost laptop"))
        try sample("key list", ["key", "list", "--json"])
        expectSuccess(try box.arxos("tag", "v1"))
        expectSuccess(try box.arxos("tag", "-m", "commissioned", "commissioned"))
        try sample("tag", ["tag", "--json"])
        try sample("verify", ["verify", "--json", "commissioned"])
        try sample("show", ["show", "--json", "commissioned"])

        // Two branches that change one property two ways, and a second commit on each; the one on main is unsigned.
        expectSuccess(try box.arxos("branch", "feature"))
        expectSuccess(try box.arxos("switch", "feature"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 210 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "feature airflow"))
        expectSuccess(try box.arxos("switch", "main"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 220 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "main airflow", "--no-sign"))
        try sample("verify", ["verify", "--json"], status: 4)
        try sample("branch", ["branch", "--json"])
        try sample("reflog", ["reflog", "--json"])
        try sample("reflog", ["reflog", "--json", "feature"])
        try sample("log", ["log", "--json", "-n", "1"])
        try sample("diff", ["diff", "--json", "HEAD~1", "HEAD"])
        try sample("state diff", ["state", "diff", "--json", "feature", "main"])
        try sample("show", ["show", "--json"])
        try sample("show", ["show", "--json", "HEAD~1"])
        try sample("show", ["show", "--json", "HEAD:"])
        try sample("show", ["show", "--json", "HEAD:hvac/vavs.yaml"])
        try sample("show", ["show", "--json", "hq/vav-101"])
        try sample("validate", ["validate", "--json", "HEAD"])

        // A stopped merge.
        let merge = try box.arxos("merge", "feature")
        #expect(merge.status == 7, "the merge should stop on a conflict\n\(merge)")
        try sample("conflicts", ["conflicts", "--json"], status: 7)
        try sample("status", ["status", "--json"])
        expectSuccess(try box.arxos("merge", "--abort"))

        expectSuccess(try box.arxos("remote", "add", "origin", box.root.appendingPathComponent("elsewhere").path))
        expectSuccess(try box.arxos("remote", "add", "field", "ssh://edge@field.example/srv/hq", "--arxos-path", "/opt/arxos/bin/arxos"))
        try sample("remote list", ["remote", "list", "--json"])
        try sample("config list", ["config", "list", "--json"])
        try sample("config list", ["config", "list", "--json", "--env", "production"])

        try sample("index status", ["index", "status", "--json"])
        try sample("query", ["query", "--json", "type = 'vav'"])
        try sample("index status", ["index", "status", "--json"])
        try sample("query", ["query", "--json", "--buildings", "type = 'vav'"])
        try sample("template render", ["template", "render", "--json", "hvac/standard", "--target", "type = 'vav' or type = 'ahu'"])
        try sample("template apply", ["template", "apply", "--json", "security/basic"])

        let fixtures = ArxosBinary.fixtures
        try sample("import brick", ["import", "brick", "--json", "--dry-run", "--building", "lt",
                                    fixtures.appendingPathComponent("shared-data/brick/lighting.ttl").path])
        try sample("import haystack", ["import", "haystack", "--json", "--dry-run", fixtures.appendingPathComponent("haystack/office.zinc").path])

        // Rule violations in the working tree, an object moved to another file and changed, a relation changed, and
        // a file that does not parse.
        try box.replace("minAirflow: 220 cfm", with: "minAirflow: 5000 cfm", in: "hvac/vavs.yaml")
        try box.write("hvac/boiler.yaml", try box.read("hvac/boiler-1.yaml"))
        try FileManager.default.removeItem(at: box.url("hvac/boiler-1.yaml"))
        try box.replace("capacity: 500 MBH", with: "capacity: 550 MBH", in: "hvac/boiler.yaml")
        try box.replace("fedBy: [hq/ahu-1]", with: "fedBy: [hq/ahu-1, hq/boiler-1]", in: "hvac/vavs.yaml")
        try sample("validate", ["validate", "--json"], status: 6)
        try sample("diff", ["diff", "--json"])
        try box.write("hvac/broken.yaml", "id: hq/broken\ntype: [vav\n")
        try sample("status", ["status", "--json"])

        // A sound store, then one with a stray file and a damaged loose object.
        try sample("fsck", ["fsck", "--json"])
        let objects = box.storeURL.appendingPathComponent("objects")
        try FileManager.default.createDirectory(at: objects.appendingPathComponent("ab"), withIntermediateDirectories: true)
        try Data("not an object".utf8).write(to: objects.appendingPathComponent("ab/" + String(repeating: "c", count: 62)))
        try Data("stray".utf8).write(to: objects.appendingPathComponent("ab/stray"))
        try sample("fsck", ["fsck", "--json"], status: 4)
    }
}

/// A one-node fleet on loopback (`Fleet` of DeployTests) with health checks: plans, deploys, an activation in flight, a
/// refused older state, a rollback, an offline node resumed, a scheduled deploy, an inventory node that cannot be
/// reached, and the records and the node's own status.
struct DeployScenario {
    static let commands: Set<String> = [
        "node list", "node status", "deploy plan", "deploy validate", "deploy apply", "deploy resume", "deploy rollback",
        "deploy run-due", "deploy status", "deploy list", "edge status",
    ]

    let fleet: Fleet
    var samples: [JSONRun] = []

    init() throws {
        fleet = try Fleet(count: 1) { _ in
            // With the file `slow` in the node directory, the check marks its start and takes 3 seconds.
            "health:\n  required:\n    - name: bms-reachable\n      command: \"test ! -f slow || { touch started; sleep 3; }; echo ok\"\n      timeout: 10s\n"
                + "  wanted:\n    - name: trend-log\n      command: \"echo logging\"\n      timeout: 10s\n"
        }
    }

    @discardableResult
    mutating func sample(_ command: String, _ arguments: [String], status: Int32 = 0) throws -> RunResult {
        let result = try fleet.box.arxos(arguments, timeout: 120)
        samples.append(JSONRun(command: command, status: status, result: result))
        return result
    }

    /// The `deployment` of a rollout report.
    func deployment(_ result: RunResult) throws -> String {
        try #require((try result.json() as? [String: Any])?["deployment"] as? String, "no deployment id\n\(result)\n\(fleet.logs)")
    }

    mutating func run() throws {
        let edge = ["edge", "status", "--json", "--dir", fleet.node(1).path]
        try sample("node list", ["node", "list", "--json"])
        try sample("node status", ["node", "status", "--json"])
        try sample("edge status", edge)
        // A node nobody serves, with its building's directory given: `path`, an unreachable probe, a plan problem.
        expectSuccess(try fleet.box.arxos("node", "add", "n9", "--building", "b1/building", "--address", "tcp://127.0.0.1:9",
                                          "--path", "buildings/b1"))
        try sample("node list", ["node", "list", "--json"])
        try sample("node status", ["node", "status", "--json", "--target", "n9"])
        try sample("deploy plan", ["deploy", "plan", "--json", "--target", "n9"], status: 1)
        try sample("deploy validate", ["deploy", "validate", "--json", "--target", "n9"], status: 1)
        expectSuccess(try fleet.box.arxos("node", "remove", "n9"))

        try sample("deploy plan", ["deploy", "plan", "--json", "--target", "all"], status: 2)
        try sample("deploy validate", ["deploy", "validate", "--json", "--target", "all"])
        try sample("deploy apply", ["deploy", "apply", "--json", "--target", "all"])
        // Source times have one-second resolution: the next state must be at least a second younger.
        Thread.sleep(forTimeInterval: 1.1)
        try fleet.edit("faster fans", value: "950")
        let second = try deployment(try sample("deploy apply", ["deploy", "apply", "--json", "--target", "all"]))
        try sample("deploy plan", ["deploy", "plan", "--json", "--target", "all"])
        // The older state is refused by the node: the rollout aborts (`aborted`, a failed node).
        try sample("deploy apply", ["deploy", "apply", "--json", "--target", "all", "HEAD~1"], status: 12)
        try sample("deploy rollback", ["deploy", "rollback", "--json", second])
        try sample("node status", ["node", "status", "--json"])

        // An activation in flight: while its health check runs, the node holds a lease and a pending activation.
        let slow = fleet.node(1).appendingPathComponent("slow"), started = fleet.node(1).appendingPathComponent("started")
        try Data().write(to: slow)
        Thread.sleep(forTimeInterval: 1.1)
        try fleet.edit("slow check", value: "955")
        let controller = try fleet.box.startArxos(["deploy", "apply", "--target", "all"])
        var running = false
        for _ in 0..<600 where !running {
            running = FileManager.default.fileExists(atPath: started.path)
            usleep(20_000)
        }
        #expect(running, "the health check did not start\n\(fleet.logs)")
        let inFlight = try sample("edge status", edge)
        let probe = try sample("node status", ["node", "status", "--json"])
        #expect(controller.wait(timeout: 60)?.status == 0, "the deploy with a slow check failed\n\(fleet.logs)")
        try FileManager.default.removeItem(at: slow)
        let node = try #require(try inFlight.json() as? [String: Any])
        #expect(node["pending"] != nil && node["lease"] != nil, "edge status shows no pending activation and lease\n\(inFlight)")
        let probed = try #require((try probe.json() as? [[String: Any]])?.first)
        #expect(probed["pending"] != nil && probed["lease"] != nil, "node status shows no pending activation and lease\n\(probe)")

        // An offline node stays pending, and resumes.
        let port = fleet.daemons[0].port
        fleet.daemons[0].stop()
        Thread.sleep(forTimeInterval: 1.1)
        try fleet.edit("while offline", value: "960")
        let pending = try deployment(try sample("deploy apply", ["deploy", "apply", "--json", "--target", "all"], status: 10))
        try sample("node status", ["node", "status", "--json"])
        fleet.daemons[0] = try EdgeDaemon(fleet.box, directory: fleet.node(1), port: port)
        try sample("deploy resume", ["deploy", "resume", "--json", pending])
        try sample("deploy status", ["deploy", "status", "--json", pending])

        // A scheduled deploy, started by run-due.
        Thread.sleep(forTimeInterval: 1.1)
        try fleet.edit("scheduled", value: "970")
        let scheduled = try fleet.box.arxos("deploy", "apply", "--target", "all", "--at", "+1s")
        #expect(scheduled.status == 0 && scheduled.stdout.contains("scheduled for"), "\(scheduled)")
        try sample("deploy list", ["deploy", "list", "--json"])
        Thread.sleep(forTimeInterval: 1.2)
        try sample("deploy run-due", ["deploy", "run-due", "--json"])
        try sample("deploy status", ["deploy", "status", "--json"])
        try sample("deploy list", ["deploy", "list", "--json"])
        try sample("edge status", edge)
    }
}

/// docs/json.md read as a schema (its "Conventions" say how): the command table, one named field table per object, and
/// the JSON examples of each section.
struct JSONSchemaDocument {
    /// A type of json.md's vocabulary.
    indirect enum ValueType: Hashable, CustomStringConvertible {
        case string, integer, number, boolean, objectID, keyID
        case object(String)
        case array(ValueType)
        case map(ValueType)

        var description: String {
            switch self {
            case .string: "string"
            case .integer: "integer"
            case .number: "number"
            case .boolean: "boolean"
            case .objectID: "object id"
            case .keyID: "key id"
            case let .object(name): "\(name) object"
            case let .array(element): "array of \(element.plural)"
            case let .map(element): "map of \(element.plural)"
            }
        }

        var plural: String {
            switch self {
            case .objectID: "object ids"
            case .keyID: "key ids"
            case let .object(name): "\(name) objects"
            default: "\(description)s"
            }
        }

        /// The object table this type refers to, directly or through arrays and maps.
        var objectName: String? {
            switch self {
            case let .object(name): name
            case let .array(element), let .map(element): element.objectName
            default: nil
            }
        }

        /// Parses a type cell (links already removed).
        static func parse(_ text: String) -> ValueType? {
            let text = text.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("array of ") { return parsePlural(String(text.dropFirst("array of ".count))).map { .array($0) } }
            if text.hasPrefix("map of ") { return parsePlural(String(text.dropFirst("map of ".count))).map { .map($0) } }
            switch text {
            case "string": return .string
            case "integer": return .integer
            case "number": return .number
            case "boolean": return .boolean
            case "object id": return .objectID
            case "key id": return .keyID
            default:
                guard text.hasSuffix(" object") else { return nil }
                let name = String(text.dropLast(" object".count))
                return name.isEmpty ? nil : .object(name)
            }
        }

        static func parsePlural(_ text: String) -> ValueType? {
            switch text {
            case "strings": return .string
            case "integers": return .integer
            case "numbers": return .number
            case "booleans": return .boolean
            case "object ids": return .objectID
            case "key ids": return .keyID
            default:
                guard text.hasSuffix(" objects") else { return nil }
                let name = String(text.dropLast(" objects".count))
                return name.isEmpty ? nil : .object(name)
            }
        }
    }

    struct Field {
        var name: String
        var type: ValueType
        var optional: Bool
        var line: Int
    }

    struct Command {
        /// The command path: `status`, `key list`.
        var name: String
        var document: ValueType
        /// The section the document cell links to.
        var anchor: String?
        var line: Int
    }

    struct Example {
        var section: String
        var text: String
        var line: Int
    }

    var objects: [String: [Field]] = [:]
    var objectLines: [String: Int] = [:]
    var commands: [Command] = []
    var examples: [Example] = []
    var anchors: Set<String> = []
    /// What does not follow the conventions, one message each, with its line.
    var problems: [String] = []

    static let path = ArxosBinary.packageRoot.appendingPathComponent("docs/json.md").path

    static func load() throws -> JSONSchemaDocument {
        let text = try #require(try? String(contentsOfFile: path, encoding: .utf8), "cannot read \(path)")
        return JSONSchemaDocument(text: text)
    }

    init(text: String) {
        let lines = text.components(separatedBy: "\n")
        var section = ""
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                let start = index
                var body = [String]()
                index += 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    body.append(lines[index])
                    index += 1
                }
                if trimmed == "```json" { examples.append(Example(section: section, text: body.joined(separator: "\n"), line: start + 1)) }
                index += 1
                continue
            }
            if line.hasPrefix("#") {
                section = Self.anchor(line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces))
                anchors.insert(section)
                index += 1
                continue
            }
            guard trimmed.hasPrefix("|") else {
                index += 1
                continue
            }
            let start = index
            var rows = [[String]]()
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                rows.append(Self.cells(lines[index].trimmingCharacters(in: .whitespaces)))
                index += 1
            }
            readTable(rows, start: start, lines: lines)
        }
    }

    private mutating func readTable(_ rows: [[String]], start: Int, lines: [String]) {
        guard let header = rows.first else { return }
        let body = rows.dropFirst(2)
        if header == ["command", "document"] {
            for (offset, row) in body.enumerated() { readCommand(row, line: start + 3 + offset) }
        } else if header == ["field", "type", "meaning"] {
            guard let name = Self.tableName(above: start, in: lines) else {
                problems.append("docs/json.md:\(start + 1): a field table must follow a paragraph that starts with its **name**")
                return
            }
            if objects[name] != nil { problems.append("docs/json.md:\(start + 1): a second table named **\(name)**") }
            objectLines[name] = start + 1
            var fields = [Field]()
            for (offset, row) in body.enumerated() {
                let line = start + 3 + offset
                guard row.count == 3 else {
                    problems.append("docs/json.md:\(line): a row of **\(name)** needs 3 cells, has \(row.count)")
                    continue
                }
                guard let (field, optional) = Self.fieldName(row[0]) else {
                    problems.append("docs/json.md:\(line): the field cell '\(row[0])' of **\(name)** is not one key in backticks, optionally followed by ?")
                    continue
                }
                guard let type = ValueType.parse(Self.unlinked(row[1])) else {
                    problems.append("docs/json.md:\(line): '\(row[1])' (field `\(field)` of **\(name)**) is not a type of the Conventions")
                    continue
                }
                if fields.contains(where: { $0.name == field }) { problems.append("docs/json.md:\(line): **\(name)** lists `\(field)` twice") }
                fields.append(Field(name: field, type: type, optional: optional, line: line))
            }
            objects[name] = fields
        }
    }

    private mutating func readCommand(_ row: [String], line: Int) {
        guard row.count == 2, let command = Self.commandName(row[0]) else {
            problems.append("docs/json.md:\(line): a row of the command table must be '`arxos COMMAND --json …` | TYPE'")
            return
        }
        guard let type = ValueType.parse(Self.unlinked(row[1])) else {
            problems.append("docs/json.md:\(line): the document of 'arxos \(command)', '\(row[1])', is not a type of the Conventions")
            return
        }
        if commands.contains(where: { $0.name == command }) { problems.append("docs/json.md:\(line): 'arxos \(command)' is listed twice") }
        let anchor = row[1].range(of: #"\]\(#([^)]+)\)"#, options: .regularExpression).map {
            String(row[1][$0].dropFirst(3).dropLast())
        }
        commands.append(Command(name: command, document: type, anchor: anchor, line: line))
    }

    // MARK: Markdown

    /// The cells of a table row; `\|` is a `|` inside a cell.
    static func cells(_ row: String) -> [String] {
        var cells = [String]()
        var current = ""
        var escaped = false
        for character in row.dropFirst() {
            if escaped {
                current.append(character == "|" ? "|" : "\\\(character)")
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { cells.append(current.trimmingCharacters(in: .whitespaces)) }
        return cells
    }

    /// The bold name at the start of the paragraph just above line `start`.
    static func tableName(above start: Int, in lines: [String]) -> String? {
        var index = start - 1
        while index >= 0, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index -= 1 }
        guard index >= 0 else { return nil }
        while index > 0, !lines[index - 1].trimmingCharacters(in: .whitespaces).isEmpty { index -= 1 }
        let first = lines[index].trimmingCharacters(in: .whitespaces)
        guard first.hasPrefix("**") else { return nil }
        let rest = first.dropFirst(2)
        guard let end = rest.range(of: "**") else { return nil }
        let name = String(rest[..<end.lowerBound])
        return name.isEmpty ? nil : name
    }

    /// `` `key` `` or `` `key`? ``.
    static func fieldName(_ cell: String) -> (String, Bool)? {
        let optional = cell.hasSuffix("?")
        let quoted = optional ? String(cell.dropLast()) : cell
        guard quoted.count >= 3, quoted.hasPrefix("`"), quoted.hasSuffix("`") else { return nil }
        let name = String(quoted.dropFirst().dropLast())
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (name, optional)
    }

    /// The command path of the first `` `arxos …` `` span: the words after `arxos` up to the first option or operand.
    static func commandName(_ cell: String) -> String? {
        guard let open = cell.firstIndex(of: "`") else { return nil }
        let rest = cell[cell.index(after: open)...]
        guard let close = rest.firstIndex(of: "`") else { return nil }
        let words = rest[..<close].split(separator: " ").map(String.init)
        guard words.first == "arxos" else { return nil }
        let path = words.dropFirst().prefix { $0.first?.isLowercase == true && $0.allSatisfy { $0.isLowercase || $0 == "-" } }
        return path.isEmpty ? nil : path.joined(separator: " ")
    }

    /// Markdown links replaced by their text.
    static func unlinked(_ text: String) -> String {
        text.replacingOccurrences(of: #"\[([^\]]*)\]\([^)]*\)"#, with: "$1", options: .regularExpression)
    }

    /// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as `-`.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
        })
    }

    // MARK: Checking

    /// Every way `value` differs from `type`, as `PATH: what differs (docs/json.md:LINE)`.
    func check(_ value: Any, as type: ValueType) -> [String] {
        var problems = [String]()
        check(value, as: type, at: "", line: nil, into: &problems)
        return problems
    }

    private func check(_ value: Any, as type: ValueType, at path: String, line: Int?, into problems: inout [String]) {
        let place = path.isEmpty ? "(the document)" : path
        let source = line.map { " (docs/json.md:\($0))" } ?? ""
        func differ(_ what: String) { problems.append("\(place): documented as \(type), printed \(what)\(source)") }
        if value is NSNull {
            differ("null (a field without a value is left out, never null)")
            return
        }
        switch type {
        case .string, .objectID, .keyID:
            guard let string = value as? String else { return differ(Self.describe(value)) }
            if type == .objectID, !Self.isHex(string, count: 64) { differ("\"\(string)\", which is not 64 lowercase hex digits") }
            if type == .keyID, !Self.isHex(string, count: 16) { differ("\"\(string)\", which is not 16 lowercase hex digits") }
        case .boolean:
            if !Self.isBoolean(value) { differ(Self.describe(value)) }
        case .integer:
            guard let number = Self.number(value), number.rounded() == number, number.isFinite else { return differ(Self.describe(value)) }
        case .number:
            if Self.number(value) == nil { differ(Self.describe(value)) }
        case let .array(element):
            guard let array = value as? [Any] else { return differ(Self.describe(value)) }
            for (index, item) in array.enumerated() { check(item, as: element, at: "\(path)[\(index)]", line: line, into: &problems) }
        case let .map(element):
            guard let map = value as? [String: Any] else { return differ(Self.describe(value)) }
            for key in map.keys.sorted() { check(map[key] as Any, as: element, at: "\(path)[\"\(key)\"]", line: line, into: &problems) }
        case let .object(name):
            guard let object = value as? [String: Any] else { return differ(Self.describe(value)) }
            guard let fields = objects[name] else {
                problems.append("\(place): documented as \(type), but docs/json.md has no table **\(name)**")
                return
            }
            for key in object.keys.sorted() {
                guard let field = fields.first(where: { $0.name == key }) else {
                    problems.append("\(path).\(key): printed, but not a field of **\(name)** (docs/json.md:\(objectLines[name] ?? 0))")
                    continue
                }
                check(object[key] as Any, as: field.type, at: "\(path).\(key)", line: field.line, into: &problems)
            }
            for field in fields where !field.optional && object[field.name] == nil {
                problems.append("\(path).\(field.name): documented as always present in **\(name)** (docs/json.md:\(field.line)), but missing")
            }
        }
    }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// JSONSerialization gives booleans as NSNumbers of type `c` (char).
    static func isBoolean(_ value: Any) -> Bool {
        guard !(value is String), let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func number(_ value: Any) -> Double? {
        guard !(value is String), !isBoolean(value), let number = value as? NSNumber else { return nil }
        return number.doubleValue
    }

    static func describe(_ value: Any) -> String {
        if value is String { return "a string" }
        if isBoolean(value) { return "a boolean" }
        if let number = number(value) { return number.rounded() == number ? "an integer (\(String(format: "%.0f", number)))" : "a number (\(number))" }
        if value is [Any] { return "an array" }
        if value is [String: Any] { return "an object" }
        return "\(type(of: value))"
    }
}
