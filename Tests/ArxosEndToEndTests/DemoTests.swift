import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `make demo`: `scripts/demo.sh` run with the binary under test the way CI runs it — no terminal on any stream,
/// `TMPDIR` in a sandbox — must go through the whole tour, show its key moments, and leave no edge daemon behind.
@Suite(.tags(.endToEnd, .slow)) struct DemoTests {
    @Test func theTourRunsToTheEndAndStopsItsEdgeDaemons() throws {
        let box = try Sandbox()
        let temporary = box.root.appendingPathComponent("tmp", isDirectory: true)
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        var environment = box.environment
        environment["TMPDIR"] = temporary.path
        // The demo makes its own ARXOS_HOME; without NO_COLOR, it is the pipe that must keep escapes out.
        environment["ARXOS_HOME"] = nil
        environment["NO_COLOR"] = nil

        let result = try runDemo(box, environment: environment)
        let leftovers = edgeDaemons(under: box.root.path)
        for pid in leftovers { kill(pid, SIGKILL) }
        #expect(leftovers.isEmpty, "arxos edge serve still running after the demo: pids \(leftovers)")
        #expect(result.succeeded, "\(result)")
        #expect(result.seconds < 120, "the demo took \(Int(result.seconds)) s; it should take well under two minutes")
        let out = result.stdout
        #expect(!out.contains("\u{1B}["), "escape sequences on a pipe\n\(result)")

        // The tour, in order: each key moment appears after the one before it.
        let moments = [
            "$ arxos key generate", "$ arxos init",
            "$ arxos import haystack ../survey/carytown.json", "22 objects from 22 records into buildings/carytown",
            "$ arxos import brick ../survey/rice_brick.ttl", "750 objects from 1665 triples into buildings/rice",
            "$ arxos diff", "curVal: 73 °F → 72 °F",
            // The conflict, listed, resolved, and the merge finished.
            "$ arxos merge summer", "CONFLICT (value): carytown/rtu-1/zone-temp-sp properties.curVal",
            "$ arxos conflicts", "carytown/rtu-1/zone-temp-sp properties.curVal (value): 72 °F → 71 °F | 75 °F",
            "$ arxos resolve carytown/rtu-1/zone-temp-sp properties.curVal --theirs", "$ arxos merge --continue",
            "Merge recorded as",
            "$ arxos validate", "0 errors",
            "$ arxos query \"type = 'setpoint' and curVal >= 22 °C\"", "carytown/rtu-1/zone-temp-sp  setpoint",
            "$ arxos template render composite/retail-standard", "occupancySchedule: + Mon-Sun 09:30-20:30",
            "$ arxos edge serve --dir ../edge/carytown --listen 127.0.0.1:0 &", "listening on 127.0.0.1:",
            "$ arxos edge serve --dir ../edge/rice --listen 127.0.0.1:0 &", "listening on 127.0.0.1:",
            "$ arxos node add carytown-edge", "$ arxos node add rice-edge",
            "$ arxos deploy plan --target all", "node carytown-edge (building carytown/building): 22 objects change",
            // A canary that passes, then one whose health check fails: the node switches back by itself.
            "$ arxos deploy apply --plan ../plan.json --strategy canary --canary 1", "(2 succeeded)",
            "$ arxos deploy apply --target all --strategy canary --canary 1", "(1 succeeded, 1 unchanged)",
            "$ arxos deploy apply --target all --strategy canary --canary 1",
            "carytown-edge\tfailed\trequired check 'bms-accepts-setpoints' failed",
            "BMS refused zone setpoint 24 °F; the node switched back",
            "rice-edge\tcancelled", "aborted-rolled-back",
            // The explicit signed rollback, and where it left the nodes.
            "$ arxos deploy rollback d", "carytown-edge\tsucceeded",
            "$ arxos node status", "$ arxos edge status --dir ../edge/carytown", "rollback  confirmed",
            "Everything is left in \(temporary.path)/arxos-demo.",
        ]
        var rest = Substring(out)
        for moment in moments {
            guard let found = rest.range(of: moment) else {
                Issue.record("the demo's output lacks '\(moment)' (after the moments before it)\n\(result)")
                break
            }
            rest = rest[found.upperBound...]
        }

        // What the output says happened, happened: the store's node ran the failed state, switched back, and the
        // signed rollback is what it runs now.
        let line = try #require(result.stdoutLines.first { $0.hasPrefix("Done in ") }, "\(result)")
        let work = try #require(line.components(separatedBy: "Everything is left in ").last?.dropLast(), "\(line)")
        let status = try box.arxos("edge", "status", "--dir", "\(work)/edge/carytown", "--json")
        expectSuccess(status)
        let node = try #require(try status.json() as? [String: Any])
        let deployments = try #require(node["deployments"] as? [[String: Any]])
        let kinds = deployments.map { $0["kind"] as? String ?? "" }
        let outcomes = deployments.map { $0["status"] as? String ?? "" }
        #expect(kinds == ["rollback", "deploy", "deploy", "deploy"], "\(status)")
        #expect(outcomes == ["confirmed", "rolled-back", "confirmed", "confirmed"], "\(status)")
        #expect(node["current"] as? String == deployments.first?["commit"] as? String, "\(status)")
        let rice = try box.arxos("edge", "status", "--dir", "\(work)/edge/rice", "--json")
        expectSuccess(rice)
        #expect((try rice.json() as? [String: Any])?["current"] is String, "Rice Hall's node runs no state\n\(rice)")
    }

    /// Runs `bash scripts/demo.sh ARXOS` in the sandbox with stdin, stdout and stderr not terminals. On a timeout it
    /// sends SIGTERM first, so the script's trap can stop its daemons, then SIGKILL.
    private func runDemo(_ box: Sandbox, environment: [String: String]) throws -> RunResult {
        let script = ArxosBinary.packageRoot.appendingPathComponent("scripts/demo.sh").path
        let outPath = box.root.appendingPathComponent("demo.out").path
        let errPath = box.root.appendingPathComponent("demo.err").path
        let start = Date()
        let child = try ChildProcess("/bin/bash", [script, ArxosBinary.path], directory: box.root.path,
                                     environment: environment, stdout: .file(outPath), stderr: .file(errPath))
        var exit = child.wait(timeout: 300)
        let timedOut = exit == nil
        if timedOut {
            child.kill(SIGTERM)
            exit = child.wait(timeout: 10)
            if exit == nil {
                child.kill(SIGKILL)
                exit = child.wait()
            }
        }
        return RunResult(command: ["scripts/demo.sh", ArxosBinary.path], status: exit?.status ?? -1,
                         stdoutData: FileManager.default.contents(atPath: outPath) ?? Data(),
                         stderrData: FileManager.default.contents(atPath: errPath) ?? Data(),
                         timedOut: timedOut, seconds: Date().timeIntervalSince(start))
    }

    /// The pids of running `arxos edge serve` processes started in, or naming, a directory under `root`.
    private func edgeDaemons(under root: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let edge = arguments.firstIndex(of: "edge"), arguments.dropFirst(edge + 1).first == "serve" else {
                return nil
            }
            let directory = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")) ?? ""
            let inside = directory.hasPrefix(root) || arguments.contains { $0.hasPrefix(root) }
            return inside ? pid : nil
        }
    }
}
