import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `arxos edge serve --listen 127.0.0.1:PORT` for one node directory, stopped on deinit.
final class EdgeDaemon {
    let process: ChildProcess
    let port: Int
    let log: String

    init(_ box: Sandbox, directory: URL, port fixed: Int = 0) throws {
        log = box.root.appendingPathComponent("edge-\(UUID().uuidString).log").path
        process = try box.startArxos(["edge", "serve", "--dir", directory.path, "--listen", "127.0.0.1:\(fixed)"], stderr: log)
        var found: Int?
        for _ in 0..<300 where found == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix(while: \.isNumber))
            } else if process.wait(timeout: 0.05) != nil {
                break
            }
        }
        port = try #require(found, "arxos edge serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        process.kill(SIGKILL)
        process.wait(timeout: 5)
    }

    deinit { stop() }
}

/// A portfolio of `count` buildings (the small-building fixture under `buildings/bK/`, ids renamed) and one edge node
/// per building, served over TCP on loopback, trusting the controller's key.
final class Fleet {
    let box: Sandbox
    var daemons: [EdgeDaemon] = []
    let count: Int

    init(count: Int, hooks: (Int) -> String = { _ in "" }) throws {
        box = try Sandbox()
        self.count = count
        for k in 1...count {
            let target = box.url("buildings/b\(k)")
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ArxosBinary.fixtures.appendingPathComponent("small-building"), to: target)
            expectSuccess(try box.sh("find . -name '*.yaml' -exec sed -i 's#hq/#b\(k)/#g' {} +", in: target))
        }
        expectSuccess(try box.arxos("key", "generate"))
        expectSuccess(try box.arxos("init"))
        let key = try box.arxos("key", "export").trimmed
        for k in 1...count {
            let dir = node(k)
            let made = try box.arxos("edge", "init", "--building", "b\(k)/building", "--dir", dir.path)
            expectSuccess(made)
            expectSuccess(try box.arxos("edge", "trust", key, "--dir", dir.path))
            let extra = hooks(k)
            if !extra.isEmpty {
                let config = dir.appendingPathComponent("node.yaml")
                try (try String(contentsOf: config, encoding: .utf8) + extra).write(to: config, atomically: true, encoding: .utf8)
            }
            let daemon = try EdgeDaemon(box, directory: dir)
            daemons.append(daemon)
            let nodeKey = try #require(made.stdoutLines.first { $0.hasPrefix("node key: ") }).dropFirst("node key: ".count)
            expectSuccess(try box.arxos("node", "add", "n\(k)", "--building", "b\(k)/building", "--address", "tcp://127.0.0.1:\(daemon.port)",
                                        "--key", String(nodeKey), "--tag", "region=\(k % 2 == 0 ? "east" : "west")"))
        }
        expectSuccess(try box.arxos("state", "capture", "-m", "portfolio"))
    }

    func node(_ k: Int) -> URL { box.root.appendingPathComponent("node\(k)") }

    /// The daemons' logs, for failure messages.
    var logs: String {
        daemons.enumerated().map { "--- node\($0.offset + 1)\n" + ((try? String(contentsOfFile: $0.element.log, encoding: .utf8)) ?? "") }
            .joined(separator: "\n")
    }

    /// The node's `edge status --json`.
    func status(_ k: Int) throws -> [String: Any] {
        let result = try box.arxos("edge", "status", "--dir", node(k).path, "--json")
        expectSuccess(result)
        return try #require(try result.json() as? [String: Any])
    }

    func current(_ k: Int) throws -> String? { try status(k)["current"] as? String }

    /// Changes one property in every building and captures.
    func edit(_ message: String, value: String) throws {
        for k in 1...count {
            expectSuccess(try box.sh("sed -i 's/^\\(  *maxAirflow: \\).*/\\1\(value) cfm/' buildings/b\(k)/hvac/vavs.yaml"))
        }
        expectSuccess(try box.arxos("state", "capture", "-m", message))
    }

    func deploy(_ arguments: String..., timeout: Double = 120) throws -> RunResult {
        try box.arxos(["deploy", "apply"] + arguments, timeout: timeout)
    }

    /// Node → status of the rollout report `result` printed: one report, or `run-due`'s array holding one.
    func report(_ result: RunResult) throws -> [String: String] {
        let document = try result.json()
        let reports = document as? [[String: Any]]
        if let reports { try #require(reports.count == 1, "expected one report\n\(result)") }
        let json = try #require(reports?.first ?? document as? [String: Any])
        let nodes = try #require(json["nodes"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: nodes.map { ($0["node"] as? String ?? "", $0["status"] as? String ?? "") })
    }
}

@Suite(.tags(.endToEnd), .serialized) struct DeployTests {
    @Test func rollingDeployPlanAndStalePlan() throws {
        let fleet = try Fleet(count: 5)
        let plan = try fleet.box.arxos("deploy", "plan", "--target", "all")
        #expect(plan.status == 2, "\(plan)")
        #expect(plan.stdout.contains("node n1 (building b1/building)"))
        // The query language selects nodes through the buildings of the objects it matches.
        let byQuery = try fleet.box.arxos("deploy", "plan", "--target", "query:type = 'vav' and id ~ 'b3/*'")
        #expect(byQuery.status == 2, "\(byQuery)")
        #expect(byQuery.stdout.contains("node n3 (building b3/building)") && !byQuery.stdout.contains("node n1 "), "\(byQuery)")

        let first = try fleet.deploy("--target", "all", "--strategy", "rolling", "--batches", "1,3,100%", "--json")
        #expect(first.status == 0, "\(first)")
        #expect(try fleet.report(first).values.allSatisfy { $0 == "succeeded" })
        #expect(first.stderr.contains("batch 3 of 3"))
        let running = try (1...5).map { try fleet.current($0) }
        #expect(running.allSatisfy { $0 != nil })
        let applied = try #require(try fleet.box.arxos("deploy", "plan", "--target", "all"))
        #expect(applied.status == 0, "\(applied)")

        // Only the changed objects travel: one vavs.yaml and the trees above it, plus the deploy commit.
        try fleet.edit("faster fans", value: "950")
        let second = try fleet.deploy("--target", "region=west", "--json")
        #expect(second.status == 0, "\(second)")
        let west = try #require(try second.json() as? [String: Any])
        for node in try #require(west["nodes"] as? [[String: Any]]) {
            let objects = try #require(node["objects"] as? Int)
            #expect(objects >= 2 && objects <= 6, "sent \(objects) objects to \(node["node"] ?? "")")
        }
        #expect(try fleet.current(2) == running[1], "an east node was not selected")

        // A saved plan refuses a node whose state moved since.
        try fleet.edit("even faster", value: "990")
        let saved = try fleet.box.arxos("deploy", "plan", "--target", "all", "--out", "plan.json")
        #expect(saved.status == 2, "\(saved)")
        expectSuccess(try fleet.deploy("--target", "n2"))
        let stale = try fleet.deploy("--plan", "plan.json", "--json")
        #expect(stale.status == 10, "\(stale)\n\(fleet.logs)")
        let statuses = try fleet.report(stale)
        #expect(statuses["n2"] == "skipped")
        #expect(statuses["n1"] == "succeeded")
    }

    @Test func canaryFailureStopsTheRolloutAndTheNodeSwitchesBack() throws {
        let fleet = try Fleet(count: 3) { k in k == 1 ? "apply: \"test -f fail-next && exit 3; echo ok\"\n" : "" }
        expectSuccess(try fleet.deploy("--target", "all"))
        let before = try (1...3).map { try fleet.current($0) }
        try Data().write(to: fleet.node(1).appendingPathComponent("fail-next"))
        try fleet.edit("new airflow", value: "900")
        let result = try fleet.deploy("--target", "all", "--strategy", "canary", "--canary", "1", "--json")
        #expect(result.status == 12, "\(result)")
        let statuses = try fleet.report(result)
        #expect(statuses["n1"] == "failed")
        #expect(statuses["n2"] == "cancelled" && statuses["n3"] == "cancelled")
        #expect(try (1...3).map { try fleet.current($0) } == before)
        let node = try fleet.status(1)
        let deployments = try #require(node["deployments"] as? [[String: Any]])
        #expect(deployments.first?["status"] as? String == "rolled-back")
        #expect((deployments.first?["reason"] as? String)?.contains("apply hook failed") == true)
        // The record says so too.
        let status = try fleet.box.arxos("deploy", "status")
        #expect(status.stdout.contains("aborted-rolled-back"), "\(status)")
    }

    @Test func thresholdReachedContinuesExceededAborts() throws {
        let fleet = try Fleet(count: 4) { k in
            k == 4 ? "health:\n  required:\n    - name: bms\n      command: \"test ! -f broken\"\n      timeout: 5s\n" : ""
        }
        expectSuccess(try fleet.deploy("--target", "all"))
        try Data().write(to: fleet.node(4).appendingPathComponent("broken"))
        try fleet.edit("one", value: "910")
        let reached = try fleet.deploy("--target", "all", "--max-failures", "1", "--json")
        #expect(reached.status == 11, "\(reached)")
        #expect(try fleet.report(reached) == ["n1": "succeeded", "n2": "succeeded", "n3": "succeeded", "n4": "failed"])
        #expect(reached.stderr.contains("reached, within --max-failures 1"))

        try fleet.edit("two", value: "920")
        let before = try (1...4).map { try fleet.current($0) }
        let exceeded = try fleet.deploy("--target", "all", "--max-failures", "0", "--json")
        #expect(exceeded.status == 12, "\(exceeded)")
        let statuses = try fleet.report(exceeded)
        #expect(statuses["n4"] == "failed")
        #expect(["n1", "n2", "n3"].allSatisfy { statuses[$0] == "rolled-back" }, "\(statuses)")
        // Rolled back by signed rollbacks: the states are the old trees again (new deploy commits, same content).
        for k in 1...3 {
            let now = try #require(try fleet.current(k))
            #expect(now != before[k - 1])
            let tree = try fleet.box.arxos("edge", "status", "--dir", fleet.node(k).path).stdout
            #expect(tree.contains("rollback"))
        }

        // With --on-failure halt the others keep the new state and the exit code says so.
        try fleet.edit("three", value: "925")
        let halted = try fleet.deploy("--target", "all", "--max-failures", "0", "--on-failure", "halt", "--json")
        #expect(halted.status == 13, "\(halted)")
        #expect(try fleet.report(halted) == ["n1": "succeeded", "n2": "succeeded", "n3": "succeeded", "n4": "failed"])
    }

    @Test func blueGreenSwitchesEveryNodeBackWhenOneFailsHealth() throws {
        let fleet = try Fleet(count: 3) { k in
            k == 2 ? "health:\n  required:\n    - name: bms\n      command: \"test ! -f broken\"\n" : ""
        }
        let first = try fleet.deploy("--target", "all", "--strategy", "blue-green")
        #expect(first.status == 0, "\(first)")
        let before = try (1...3).map { try fleet.current($0) }
        try Data().write(to: fleet.node(2).appendingPathComponent("broken"))
        try fleet.edit("blue-green", value: "930")
        let result = try fleet.deploy("--target", "all", "--strategy", "blue-green", "--json")
        #expect(result.status == 12, "\(result)")
        #expect(try fleet.report(result) == ["n1": "rolled-back", "n2": "failed", "n3": "rolled-back"])
        #expect(try (1...3).map { try fleet.current($0) } == before)
    }

    @Test func offlineNodeStaysPendingAndResumes() throws {
        let fleet = try Fleet(count: 3)
        let port = fleet.daemons[2].port
        fleet.daemons[2].stop()
        let result = try fleet.deploy("--target", "all", "--json")
        #expect(result.status == 10, "\(result)")
        #expect(try fleet.report(result)["n3"] == "offline")
        let id = try #require((try result.json() as? [String: Any])?["deployment"] as? String)
        fleet.daemons[2] = try EdgeDaemon(fleet.box, directory: fleet.node(3), port: port)
        let resumed = try fleet.box.arxos("deploy", "resume", id)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(try fleet.current(3) != nil)
    }

    @Test func killedControllerLeavesTheNodeToSwitchBackAndTheLeaseToExpire() throws {
        let fleet = try Fleet(count: 1) { _ in
            "health:\n  required:\n    - name: slow\n      command: \"touch switched; sleep 2\"\n      timeout: 10s\n"
        }
        expectSuccess(try fleet.deploy("--target", "all"))
        let before = try fleet.current(1)
        try fleet.edit("to be abandoned", value: "940")
        let controller = try fleet.box.startArxos(["deploy", "apply", "--target", "all", "--confirm-timeout", "2s", "--lease", "4s"])
        let marker = fleet.node(1).appendingPathComponent("switched")
        try? FileManager.default.removeItem(at: marker)
        var seen = false
        for _ in 0..<400 where !seen { seen = FileManager.default.fileExists(atPath: marker.path); usleep(25_000) }
        #expect(seen)
        controller.kill(SIGKILL)
        controller.wait(timeout: 5)
        #expect(try fleet.current(1) != before, "the node switched before the controller died")
        Thread.sleep(forTimeInterval: 6)
        #expect(try fleet.current(1) == before)
        let deployments = try #require(try fleet.status(1)["deployments"] as? [[String: Any]])
        #expect((deployments.first?["reason"] as? String)?.contains("not confirmed") == true)
        // The lease of the killed controller expired: the next deploy goes through.
        let again = try fleet.deploy("--target", "all")
        #expect(again.status == 0, "\(again)")
    }

    @Test func racingDeploysAndRefusals() throws {
        let fleet = try Fleet(count: 1) { _ in "health:\n  required:\n    - name: slow\n      command: \"touch checking; sleep 4\"\n" }
        let first = try fleet.box.startArxos(["deploy", "apply", "--target", "all"])
        // Wait until the first deploy holds the node (its health check runs).
        let checking = fleet.node(1).appendingPathComponent("checking")
        for _ in 0..<800 where !FileManager.default.fileExists(atPath: checking.path) { usleep(25_000) }
        #expect(FileManager.default.fileExists(atPath: checking.path))
        // Breaking a lease needs its id.
        let wrong = try fleet.box.arxos("deploy", "unlock", "n1", "--lease", "00000000")
        expectCleanFailure(wrong, mentioning: ["holds no lease '00000000'"])
        let second = try fleet.deploy("--target", "all", "--json")
        let firstExit = first.wait(timeout: 60)
        #expect(firstExit?.status == 0)
        #expect(second.status == 10, "\(second)")
        #expect(try fleet.report(second)["n1"] == "locked")

        // An untrusted controller key is refused at the handshake: nothing changes on the node.
        let before = try fleet.current(1)
        try fleet.edit("stranger", value: "960")
        let strangerHome = fleet.box.root.appendingPathComponent("stranger")
        try FileManager.default.createDirectory(at: strangerHome, withIntermediateDirectories: true)
        expectSuccess(try fleet.box.arxos(["key", "generate"], environment: ["ARXOS_HOME": strangerHome.path]))
        let refused = try fleet.box.arxos(["deploy", "apply", "--target", "all", "--json"], environment: ["ARXOS_HOME": strangerHome.path])
        #expect(refused.status == 12, "\(refused)")
        #expect(refused.stderr.contains("did not accept our key"))
        #expect(try fleet.current(1) == before)

        // A revoked key: refused the same way.
        let keyID = try #require(try fleet.status(1)["trusted"] as? [String]).first ?? ""
        expectSuccess(try fleet.box.arxos("edge", "revoke", keyID, "--dir", fleet.node(1).path))
        let revoked = try fleet.deploy("--target", "all")
        #expect(revoked.status == 12, "\(revoked)")
        #expect(try fleet.current(1) == before)
    }

    @Test func onATerminalADeployKeepsABarBelowItsLines() throws {
        // A slow apply hook: the rollout lasts long enough for the bar to be drawn between its lines.
        let fleet = try Fleet(count: 2) { _ in "apply: \"sleep 1\"\n" }
        try fleet.edit("terminal", value: "940")
        let drawn = try ProgressTests().arxos(fleet.box, ["deploy", "apply", "--target", "all", "--parallel", "1"], stderr: .terminal)
        expectSuccess(drawn)
        #expect(drawn.stderr.contains("arxos deploy: n1: succeeded") && drawn.stderr.contains("arxos deploy: n2: succeeded"), "\(drawn)")
        #expect(drawn.stderr.contains("Deploying to nodes:") && drawn.stderr.contains("100% (2/2)"), "\(drawn)")
        // The bar is drawn again below each line (a carriage return, the line, a newline, the bar), and ends finished.
        #expect(try Regex(#"\r\n[^\r\n]*Deploying to nodes:"#).firstMatch(in: drawn.stderr) != nil, "\(drawn)")
        #expect(try Regex(#"Deploying to nodes: 100% \(2/2\).*, done\."#).firstMatch(in: drawn.stderr) != nil, "\(drawn)")
        try fleet.edit("piped", value: "930")
        let piped = try ProgressTests().arxos(fleet.box, ["deploy", "apply", "--target", "all"], stderr: .pipe)
        expectSuccess(piped)
        #expect(!piped.stderr.contains("Deploying to nodes") && !piped.stderr.contains("\r"), "\(piped)")
        #expect(piped.stderr.contains("arxos deploy: n1: succeeded"), "\(piped)")
    }

    @Test func windowsSchedulesAndApprovals() throws {
        let fleet = try Fleet(count: 2)
        let box = fleet.box
        // n2 is in a deny window all week: deny wins.
        let inventory = box.url(".arxos-nodes.yaml")
        try (try String(contentsOf: inventory, encoding: .utf8)
            + "windows:\n  - match: n2\n    deny: {days: [mon-sun], start: '00:00', duration: 24h, timezone: Europe/Berlin}\n")
            .write(to: inventory, atomically: true, encoding: .utf8)
        expectSuccess(try box.arxos("state", "capture", "-m", "windows"))
        let outside = try fleet.deploy("--target", "all", "--json")
        #expect(outside.status == 10, "\(outside)")
        #expect(try fleet.report(outside) == ["n1": "succeeded", "n2": "outside-window"])
        let validate = try box.arxos("deploy", "validate", "--target", "n2")
        #expect(validate.status == 1 && validate.stdout.contains("deny window"), "\(validate)")
        let overridden = try fleet.deploy("--target", "n2", "--override-window")
        #expect(overridden.status == 0, "\(overridden)")
        let recorded = try #require(try box.arxos("deploy", "status", "--json").json() as? [String: Any])
        #expect(((recorded["deployment"] as? [String: Any])?["options"] as? String)?.contains("\"overrideWindow\":true") == true)

        // A scheduled deploy starts only when due.
        try fleet.edit("scheduled", value: "970")
        let scheduled = try fleet.deploy("--target", "n1", "--at", "+2s")
        #expect(scheduled.status == 0 && scheduled.stdout.contains("scheduled for"), "\(scheduled)")
        let early = try box.arxos("deploy", "run-due")
        #expect(early.status == 0 && early.stdout.contains("no deployment is due"), "\(early)")
        let before = try fleet.current(1)
        Thread.sleep(forTimeInterval: 2.5)
        let due = try box.arxos("deploy", "run-due")
        #expect(due.status == 0, "\(due)")
        #expect(try fleet.current(1) != before)

        // main is protected: a deploy waits for an approval by another trusted key.
        try (try String(contentsOf: inventory, encoding: .utf8) + "protected:\n  - {branch: main, approvals: 1}\n")
            .write(to: inventory, atomically: true, encoding: .utf8)
        try fleet.edit("protected", value: "980")
        let waiting = try fleet.deploy("--target", "n1")
        #expect(waiting.status == 14, "\(waiting)")
        let id = try #require(waiting.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let own = try box.arxos("deploy", "approve", id)
        expectCleanFailure(own, mentioning: ["other than the author's"])
        let reviewer = box.root.appendingPathComponent("reviewer")
        try FileManager.default.createDirectory(at: reviewer, withIntermediateDirectories: true)
        expectSuccess(try box.arxos(["key", "generate"], environment: ["ARXOS_HOME": reviewer.path]))
        let untrusted = try box.arxos(["deploy", "approve", id], environment: ["ARXOS_HOME": reviewer.path])
        expectCleanFailure(untrusted, mentioning: ["not trusted by this repository"])
        let reviewerKey = try box.arxos(["key", "export"], environment: ["ARXOS_HOME": reviewer.path]).trimmed
        expectSuccess(try box.arxos("key", "trust", reviewerKey))
        let approved = try box.arxos(["deploy", "approve", id], environment: ["ARXOS_HOME": reviewer.path])
        #expect(approved.status == 0 && approved.stdout.contains("(1 of 1)"), "\(approved)")
        let run = try box.arxos("deploy", "run-due", "--json")
        #expect(run.status == 0, "\(run)")
        #expect(try fleet.report(run) == ["n1": "succeeded"])
    }

    @Test func olderStatesNeedASignedRollbackAndBrokenStatesAreNotDeployed() throws {
        let fleet = try Fleet(count: 1)
        let box = fleet.box
        let first = try fleet.deploy("--target", "all", "--json")
        expectSuccess(first)
        let firstState = try fleet.current(1)
        // Source times have one-second resolution: the newer state must be at least a second younger.
        Thread.sleep(forTimeInterval: 1.1)
        try fleet.edit("newer", value: "955")
        let second = try fleet.deploy("--target", "all", "--json")
        expectSuccess(second)
        let secondID = try #require((try second.json() as? [String: Any])?["deployment"] as? String)

        // Going back by deploying an older revision is refused by the node itself.
        let older = try fleet.deploy("HEAD~1", "--target", "all", "--json")
        #expect(older.status == 12, "\(older)")
        let refused = try #require((try older.json() as? [String: Any])?["nodes"] as? [[String: Any]]).first
        #expect((refused?["reason"] as? String)?.contains("only a signed rollback goes back") == true, "\(older)")

        // A signed rollback of the last deployment is the way back: the node runs the first state's tree again.
        let rollback = try box.arxos("deploy", "rollback", secondID, "--json")
        #expect(rollback.status == 0, "\(rollback)")
        let back = try #require(try fleet.current(1))
        #expect(back != firstState)
        let trees = try box.arxos("edge", "status", "--dir", fleet.node(1).path)
        #expect(trees.stdout.contains("rollback  confirmed"), "\(trees)")
        let plan = try box.arxos("deploy", "plan", "HEAD~1", "--target", "all")
        #expect(plan.status == 0 && plan.stdout.contains("up to date"), "\(plan)")

        // A state that breaks a validation rule is not deployed at all.
        expectSuccess(try box.sh("sed -i 's/^\\(  *minAirflow: \\).*/\\15000 cfm/' buildings/b1/hvac/vavs.yaml"))
        expectSuccess(try box.arxos("state", "capture", "-m", "broken", "--no-validate"))
        let broken = try fleet.deploy("--target", "all")
        #expect(broken.status == 6, "\(broken)")
        #expect(broken.stderr.contains("validation rule"))
        #expect(try fleet.current(1) == back)
    }

    @Test func aNodeKilledDuringActivationSwitchesBackWhenItStartsAgain() throws {
        let fleet = try Fleet(count: 1) { _ in
            "health:\n  required:\n    - name: slow\n      command: \"touch switched; sleep 4\"\n      timeout: 10s\n"
        }
        expectSuccess(try fleet.deploy("--target", "all"))
        let before = try fleet.current(1)
        try fleet.edit("power cut", value: "945")
        let marker = fleet.node(1).appendingPathComponent("switched")
        try? FileManager.default.removeItem(at: marker)
        let controller = try fleet.box.startArxos(["deploy", "apply", "--target", "all"])
        var seen = false
        for _ in 0..<400 where !seen { seen = FileManager.default.fileExists(atPath: marker.path); usleep(25_000) }
        #expect(seen)
        let port = fleet.daemons[0].port
        fleet.daemons[0].stop()            // the power goes
        controller.kill(SIGKILL)
        controller.wait(timeout: 5)
        // Read the link itself: `edge status` would settle the interrupted activation first.
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: fleet.node(1).appendingPathComponent("current").path)
        #expect(link != "states/" + (before ?? ""), "the node had switched")
        fleet.daemons[0] = try EdgeDaemon(fleet.box, directory: fleet.node(1), port: port)
        #expect(try fleet.current(1) == before)
        let deployments = try #require(try fleet.status(1)["deployments"] as? [[String: Any]])
        #expect((deployments.first?["reason"] as? String) == "interrupted before confirmation")
        expectSuccess(try fleet.box.arxos("-C", fleet.node(1).appendingPathComponent("store").path, "fsck"))
    }
}

@Suite(.tags(.endToEnd), .enabled(if: LoopbackSSHServer.available, "sshd, ssh or ssh-keygen is not installed"))
struct DeployOverSSHTests {
    @Test func deployThroughARealSSHServerAndACutTransfer() throws {
        let box = try Sandbox(.smallBuilding)
        let server = try LoopbackSSHServer(in: box)
        box.environment["ARXOS_SSH"] = server.sshCommand
        expectSuccess(try box.arxos("key", "generate"))
        expectSuccess(try box.arxos("init"))
        try box.write(".arxos/config", try box.readText(".arxos/config") + "deploy.arxosPath = \(ArxosBinary.path)\n")
        let node = box.root.appendingPathComponent("edge")
        expectSuccess(try box.arxos("edge", "init", "--building", "hq/building", "--dir", node.path))
        expectSuccess(try box.arxos("edge", "trust", try box.arxos("key", "export").trimmed, "--dir", node.path))
        expectSuccess(try box.arxos("node", "add", "hq", "--building", "hq/building",
                                    "--address", "ssh://\(server.user)@127.0.0.1:\(server.port)\(node.path)"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first"))

        // The first transfer is cut after 1,500 bytes of the controller's stream: nothing is switched, the node is
        // offline (pending), and its store holds nothing half-received.
        let cutter = box.root.appendingPathComponent("cut-ssh")
        // dd with 1-byte blocks passes each byte on at once (head would hold them in its output buffer).
        try "#!/bin/sh\ndd bs=1 count=1500 status=none | \(server.sshCommand) \"$@\"\n".write(to: cutter, atomically: true, encoding: .utf8)
        chmod(cutter.path, 0o755)
        let cut = try box.arxos(["deploy", "apply", "--target", "all", "--json"], environment: ["ARXOS_SSH": cutter.path])
        #expect(cut.status == 10, "\(cut)")
        let report = try #require(try cut.json() as? [String: Any])
        let outcome = try #require((report["nodes"] as? [[String: Any]])?.first)
        #expect(outcome["status"] as? String == "offline", "\(cut)")
        let status = try box.arxos("edge", "status", "--dir", node.path, "--json")
        #expect((try status.json() as? [String: Any])?["current"] == nil)
        expectSuccess(try box.arxos("-C", node.appendingPathComponent("store").path, "fsck"))

        // Resumed over the real connection, it completes.
        let id = try #require(report["deployment"] as? String)
        let resumed = try box.arxos("deploy", "resume", id)
        #expect(resumed.status == 0, "\(resumed)")
        let after = try #require(try box.arxos("edge", "status", "--dir", node.path, "--json").json() as? [String: Any])
        #expect(after["current"] as? String != nil)
        #expect(FileManager.default.fileExists(atPath: node.appendingPathComponent("current/building.yaml").path))
    }
}
