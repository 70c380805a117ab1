import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `arxos serve --listen 127.0.0.1:0 --root ROOT` started for a test, with its own node key; stopped on deinit.
final class TCPDaemon {
    let process: ChildProcess
    let port: Int
    let log: String

    init(_ box: Sandbox, root: URL, home: URL) throws {
        log = box.root.appendingPathComponent("serve-\(UUID().uuidString).log").path
        process = try box.startArxos(["serve", "--listen", "127.0.0.1:0", "--root", root.path],
                                     environment: ["ARXOS_HOME": home.path], stderr: log)
        var found: Int?
        for _ in 0..<200 where found == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix(while: \.isNumber))
            } else if process.wait(timeout: 0.05) != nil {
                break
            }
        }
        port = try #require(found, "arxos serve --listen did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    var url: String { "tcp://127.0.0.1:\(port)" }

    deinit {
        process.kill(SIGTERM)
        process.wait(timeout: 5)
    }
}

@Suite(.tags(.endToEnd)) struct TCPTransportTests {
    /// A served root holding `hub` (from the small-building fixture), a node key, and three client homes: one
    /// authorized read-write, one read-only, one unknown.
    struct Setup {
        let box: Sandbox
        let root: URL
        let daemon: TCPDaemon
        let writer: URL, reader: URL, stranger: URL

        init() throws {
            box = try Sandbox(.smallBuilding)
            root = box.root.appendingPathComponent("served")
            let hub = root.appendingPathComponent("hub")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: box.work, to: hub)
            try FileManager.default.createDirectory(at: box.work, withIntermediateDirectories: true)
            expectSuccess(try box.arxos(["init"], in: hub))
            expectSuccess(try box.arxos(["state", "capture", "-m", "first"], in: hub))
            try (try String(contentsOf: hub.appendingPathComponent(".arxos/config"), encoding: .utf8) + "receive.denyCurrentBranch = false\n")
                .write(to: hub.appendingPathComponent(".arxos/config"), atomically: true, encoding: .utf8)
            let node = box.root.appendingPathComponent("node-home")
            writer = box.root.appendingPathComponent("writer-home")
            reader = box.root.appendingPathComponent("reader-home")
            stranger = box.root.appendingPathComponent("stranger-home")
            var lines = [String]()
            for (home, right) in [(node, ""), (writer, "read-write"), (reader, "read"), (stranger, "")] {
                try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
                expectSuccess(try box.arxos(["key", "generate"], in: box.root, environment: ["ARXOS_HOME": home.path]))
                let exported = try box.arxos(["key", "export"], in: box.root, environment: ["ARXOS_HOME": home.path])
                if !right.isEmpty { lines.append("\(right) \(exported.trimmed)") }
            }
            try (lines.joined(separator: "\n") + "\n").write(to: root.appendingPathComponent("authorized_keys"), atomically: true, encoding: .utf8)
            daemon = try TCPDaemon(box, root: root, home: node)
        }

        func arxos(_ arguments: [String], as home: URL, in directory: URL? = nil) throws -> RunResult {
            try box.arxos(arguments, in: directory ?? box.root, environment: ["ARXOS_HOME": home.path])
        }

        var hub: URL { root.appendingPathComponent("hub") }
    }

    @Test func cloneFetchPushOverTCPWithAnAuthorizedKey() throws {
        let setup = try Setup()
        let clone = setup.box.root.appendingPathComponent("clone")
        let cloned = try setup.arxos(["clone", setup.daemon.url + "/hub", clone.path], as: setup.writer)
        expectSuccess(cloned)
        #expect(movedObjects(cloned, "Received") == 21, "\(cloned)")
        // The server's key is pinned on first use.
        let pinned = try String(contentsOf: clone.appendingPathComponent(".arxos/known_hosts"), encoding: .utf8)
        #expect(pinned.hasPrefix("127.0.0.1:\(setup.daemon.port) ed25519 "))

        try (try String(contentsOf: clone.appendingPathComponent("hvac/vavs.yaml"), encoding: .utf8) + "# over tcp\n")
            .write(to: clone.appendingPathComponent("hvac/vavs.yaml"), atomically: true, encoding: .utf8)
        expectSuccess(try setup.arxos(["state", "capture", "-m", "over tcp"], as: setup.writer, in: clone))
        let pushed = try setup.arxos(["push"], as: setup.writer, in: clone)
        expectSuccess(pushed)
        #expect(movedObjects(pushed, "Sent") == 4, "\(pushed)")
        let tip = try setup.arxos(["rev-parse", "main"], as: setup.writer, in: clone).trimmed
        #expect(try setup.arxos(["rev-parse", "main"], as: setup.writer, in: setup.hub).trimmed == tip)
        expectSuccess(try setup.arxos(["fsck"], as: setup.writer, in: setup.hub))

        // A changed server key is refused.
        try "127.0.0.1:\(setup.daemon.port) ed25519 \(String(repeating: "A", count: 43))=\n"
            .write(to: clone.appendingPathComponent(".arxos/known_hosts"), atomically: true, encoding: .utf8)
        let spoofed = try setup.arxos(["fetch"], as: setup.writer, in: clone)
        expectCleanFailure(spoofed, mentioning: ["not the pinned"])
    }

    @Test func theDaemonEndsEverySessionItServes() throws {
        let setup = try Setup()
        let clone = setup.box.root.appendingPathComponent("clone")
        expectSuccess(try setup.arxos(["clone", setup.daemon.url + "/hub", clone.path], as: setup.writer))
        let proc = "/proc/\(setup.daemon.process.pid)"
        func count(_ directory: String) -> Int { (try? FileManager.default.contentsOfDirectory(atPath: proc + "/" + directory).count) ?? -1 }
        // Settled after one session: its threads and descriptors are what every later session should leave.
        expectSuccess(try setup.arxos(["fetch"], as: setup.writer, in: clone))
        Thread.sleep(forTimeInterval: 0.3)
        let (threads, descriptors) = (count("task"), count("fd"))
        for _ in 0..<12 { expectSuccess(try setup.arxos(["fetch"], as: setup.writer, in: clone)) }
        expectSuccess(try setup.arxos(["push"], as: setup.writer, in: clone))
        // A session thread that never ends keeps its pipes and the repository it served: 12 fetches would leave 12.
        var settled = false
        for _ in 0..<50 where !settled {
            settled = count("task") <= threads + 2 && count("fd") <= descriptors + 2
            if !settled { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(settled, "arxos serve went from \(threads) threads and \(descriptors) descriptors to \(count("task")) and \(count("fd"))")
    }

    @Test func unknownKeysLearnNothingAndReadOnlyKeysCannotPush() throws {
        let setup = try Setup()
        let refused = try setup.arxos(["clone", setup.daemon.url + "/hub", setup.box.root.appendingPathComponent("x").path], as: setup.stranger)
        expectCleanFailure(refused, mentioning: ["not authorized"])
        #expect(!refused.stdout.contains("Received"))
        #expect(!FileManager.default.fileExists(atPath: setup.box.root.appendingPathComponent("x").path))

        // Garbage on the port: the daemon drops it and keeps serving.
        let garbage = try setup.box.python("""
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"GET / HTTP/1.1\\r\\nHost: hub\\r\\n\\r\\n" + b"A" * 64)
            s.settimeout(10)
            print(len(s.recv(4096)))
            """, [String(setup.daemon.port)])
        #expect(garbage.succeeded && garbage.trimmed == "0", "\(garbage)")

        let readerClone = setup.box.root.appendingPathComponent("reader-clone")
        expectSuccess(try setup.arxos(["clone", setup.daemon.url + "/hub", readerClone.path], as: setup.reader))
        try (try String(contentsOf: readerClone.appendingPathComponent("hvac/vavs.yaml"), encoding: .utf8) + "# reader\n")
            .write(to: readerClone.appendingPathComponent("hvac/vavs.yaml"), atomically: true, encoding: .utf8)
        expectSuccess(try setup.arxos(["state", "capture", "-m", "reader"], as: setup.reader, in: readerClone))
        let before = try setup.arxos(["rev-parse", "main"], as: setup.reader, in: setup.hub).trimmed
        let pushed = try setup.arxos(["push"], as: setup.reader, in: readerClone)
        expectCleanFailure(pushed, mentioning: ["does not accept pushes"])
        #expect(try setup.arxos(["rev-parse", "main"], as: setup.reader, in: setup.hub).trimmed == before)

        let missing = try setup.arxos(["clone", setup.daemon.url + "/nothere", setup.box.root.appendingPathComponent("y").path], as: setup.writer)
        expectCleanFailure(missing, mentioning: ["remote:", "no arxos repository", "nothere"])
        let escape = try setup.arxos(["clone", setup.daemon.url + "/../served/hub", setup.box.root.appendingPathComponent("z").path], as: setup.writer)
        expectSuccess(escape)  // normalised inside the root: the same repository
        let outside = try setup.arxos(["clone", setup.daemon.url + "/../../", setup.box.root.appendingPathComponent("w").path], as: setup.writer)
        expectCleanFailure(outside, mentioning: ["no arxos repository"])
    }
}
