import Foundation
import Testing

@Suite(.tags(.endToEnd)) struct TransferFaultTests {
    /// A fake ssh that runs the far side locally, relays only the first N bytes it sends, then kills it and hangs up.
    static let cutScript = #"""
        import os, signal, subprocess, sys
        limit, command = int(sys.argv[1]), sys.argv[-1]
        server = subprocess.Popen(["/bin/sh", "-c", command], stdout=subprocess.PIPE)
        sent = 0
        while sent < limit:
            chunk = os.read(server.stdout.fileno(), min(4096, limit - sent))
            if not chunk:
                break
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            sent += len(chunk)
        server.kill()
        with open(os.environ.get("CUT_LOG", "/dev/null"), "a") as log:
            log.write("%d\n" % sent)
        """#

    @Test func aFetchCutAtAnyPointLeavesNothingAndTheNextFetchCompletes() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        for path in ["hvac/vavs.yaml", "hvac/ahu-1.yaml", "security/doors.yaml", "electrical/circuits.yaml", "floors/floor-2.yaml"] {
            try hub.write(path, try hub.readText(path) + "# changed\n")
        }
        expectSuccess(try hub.arxos("state", "capture", "-m", "many files"))
        let tip = try hub.revParse("main")
        let script = clone.root.appendingPathComponent("cut.py")
        try Data(TransferFaultTests.cutScript.utf8).write(to: script)
        expectSuccess(try clone.arxos("remote", "add", "--arxos-path", ArxosBinary.path, "cut", "fake-host:\(hub.work.path)"))
        // The length of the whole stream, from a copy of the clone (thin chunks make the pack small).
        let probe = try Sandbox()
        try FileManager.default.removeItem(at: probe.work)
        try FileManager.default.copyItem(at: clone.work, to: probe.work)
        let log = probe.root.appendingPathComponent("cut.log").path
        expectSuccess(try probe.arxos(["fetch", "cut"], environment: ["ARXOS_SSH": "python3 \(script.path) 100000000", "CUT_LOG": log]))
        let length = try #require(Int(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").last ?? ""))
        let before = clone.storeSnapshot()
        // Inside the greeting, the ref list, the probe rounds and the pack (its last bytes included).
        for offset in [3, 40, 120, 400, 900, 1500, 2500, 3200].filter({ $0 < length - 300 }) + [length - 300, length - 100, length - 40] {
            // Each cut starts from the same state: objects kept by the previous cut would shorten the stream.
            try? FileManager.default.removeItem(at: clone.storeURL.appendingPathComponent("quarantine/resume"))
            let cut = try clone.arxos(["fetch", "cut"], environment: ["ARXOS_SSH": "python3 \(script.path) \(offset)"])
            expectCleanFailure(cut)
            let after = clone.storeSnapshot().filter { !$0.key.hasPrefix("quarantine/resume/") }
            #expect(after == before, "a fetch cut at byte \(offset) changed the store\n\(cut)")
            #expect(try clone.revParse("cut/main") == nil)
        }
        // From the same state again (resuming is the next test's subject).
        try? FileManager.default.removeItem(at: clone.storeURL.appendingPathComponent("quarantine/resume"))
        let whole = try clone.arxos(["fetch", "cut"], environment: ["ARXOS_SSH": "python3 \(script.path) 100000000"])
        expectSuccess(whole)
        // A commit, the root tree, four directory trees and five blobs: nothing the clone had.
        #expect(movedObjects(whole, "Received") == 11, "\(whole)")
        #expect(try clone.revParse("cut/main") == tip)
        expectSuccess(try clone.arxos("fsck"))
        #expect(clone.files(under: clone.storeURL.appendingPathComponent("quarantine")).isEmpty)
    }

    /// A hub large enough for a pack of several chunks, served through the cutting fake ssh (`script`), which logs the
    /// length of each stream it relays to `log`.
    static func chunkedHub() throws -> (hub: Sandbox, script: String, log: String) {
        let hub = try Sandbox()
        let generator = ArxosBinary.fixtures.appendingPathComponent("generate-portfolio.py").path
        let generated = try hub.run("/usr/bin/env", ["python3", generator, "--buildings", "2", "--objects", "600", hub.work.path], in: hub.root)
        try #require(generated.succeeded, "\(generated)")
        expectSuccess(try hub.arxos("init"))
        expectSuccess(try hub.arxos("state", "capture", "-m", "portfolio"))
        // Small chunks: the pack arrives, and is verified, in several steps.
        try hub.write(".arxos/config", try hub.readText(".arxos/config") + "transfer.chunkSize = 65536\n")
        let script = hub.root.appendingPathComponent("cut.py")
        try Data(TransferFaultTests.cutScript.utf8).write(to: script)
        return (hub, script.path, hub.root.appendingPathComponent("cut.log").path)
    }

    /// The length of the last stream the cutting fake ssh relayed.
    static func lastLength(_ log: String) throws -> Int {
        try #require(Int(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").last ?? ""))
    }

    @Test func aFetchCutInThePackResumesWithoutReceivingTheVerifiedObjectsAgain() throws {
        let (hub, scriptPath, log) = try TransferFaultTests.chunkedHub()
        let script = URL(fileURLWithPath: scriptPath)

        func emptyRepository() throws -> Sandbox {
            let box = try Sandbox()
            expectSuccess(try box.arxos("init"))
            expectSuccess(try box.arxos("remote", "add", "--arxos-path", ArxosBinary.path, "hub", "fake-host:\(hub.work.path)"))
            return box
        }
        // A whole fetch, to learn the stream's length and the object count.
        let reference = try emptyRepository()
        let whole = try reference.arxos(["fetch", "hub"], environment: ["ARXOS_SSH": "python3 \(script.path) 1000000000", "CUT_LOG": log])
        expectSuccess(whole)
        let total = try #require(movedObjects(whole, "Received"))
        let length = try TransferFaultTests.lastLength(log)

        let box = try emptyRepository()
        // Past the first pack packet (64 KiB), so that several chunks have arrived whole.
        try #require(length > 72_000, "the pack is too small to cut after its first packet (\(length) bytes)")
        let cut = try box.arxos(["fetch", "hub"], environment: ["ARXOS_SSH": "python3 \(script.path) \(length - 4000)"])
        expectCleanFailure(cut)
        #expect(try box.revParse("hub/main") == nil)
        #expect(box.storeSnapshot().keys.allSatisfy { !$0.hasPrefix("objects/") }, "the cut fetch stored objects")
        let kept = box.files(under: box.storeURL.appendingPathComponent("quarantine"))
        #expect(kept.count == 2 && kept.allSatisfy { $0.hasPrefix("resume/") }, "\(kept)")

        let resumed = try box.arxos(["fetch", "hub"], environment: ["ARXOS_SSH": "python3 \(script.path) 1000000000"])
        expectSuccess(resumed)
        let received = try #require(movedObjects(resumed, "Received"))
        #expect(received < total * 3 / 4, "the resumed fetch received \(received) of \(total) objects again")
        #expect(try box.revParse("hub/main") == hub.revParse("main"))
        expectSuccess(try box.arxos("fsck"))
        #expect(box.files(under: box.storeURL.appendingPathComponent("quarantine")).isEmpty)
    }

    @Test func aCloneCutInThePackResumesWhenRunAgain() throws {
        let (hub, script, log) = try TransferFaultTests.chunkedHub()
        let box = try Sandbox()
        func clone(_ directory: String, cutAt limit: Int, url: String? = nil) throws -> RunResult {
            try box.arxos(["clone", "--arxos-path", ArxosBinary.path, url ?? "fake-host:\(hub.work.path)", directory],
                          in: box.root, environment: ["ARXOS_SSH": "python3 \(script) \(limit)", "CUT_LOG": log])
        }
        let whole = try clone("reference", cutAt: 1_000_000_000)
        expectSuccess(whole)
        let total = try #require(movedObjects(whole, "Received"))
        let length = try TransferFaultTests.lastLength(log)
        try #require(length > 72_000, "the pack is too small to cut after its first packet (\(length) bytes)")

        // Cut before any object arrived: nothing is worth keeping, and the directory goes.
        let early = try clone("site", cutAt: 400)
        expectCleanFailure(early)
        #expect(!FileManager.default.fileExists(atPath: box.root.appendingPathComponent("site").path))

        // Cut inside the pack: the verified chunks stay, invisible, with a hint saying how to go on.
        let cut = try clone("site", cutAt: length - 4000)
        expectCleanFailure(cut)
        #expect(cut.stderrLines.contains { $0.hasPrefix("hint:") && $0.contains("run 'arxos clone fake-host:\(hub.work.path) site' again to resume") },
                "\(cut)")
        let site = box.root.appendingPathComponent("site")
        let store = site.appendingPathComponent(".arxos")
        #expect(FileManager.default.fileExists(atPath: store.appendingPathComponent("clone-in-progress").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path) == [".arxos"], "the cut clone checked files out")
        #expect(box.files(under: store.appendingPathComponent("objects")).allSatisfy { !$0.hasPrefix("pack/") && $0.count != 64 + 3 },
                "the cut clone stored objects")
        #expect(box.files(under: store.appendingPathComponent("refs")).isEmpty, "the cut clone wrote refs")
        #expect(box.files(under: store.appendingPathComponent("quarantine")).allSatisfy { $0.hasPrefix("resume/") })

        // Cut again, early in the resumed run: what was kept stays kept (perhaps repacked).
        /// The objects the resume pack holds: the last fan-out entry of its index (format.md, ".idx").
        func keptObjects() throws -> Int {
            let index = try #require(box.files(under: store.appendingPathComponent("quarantine")).first { $0.hasSuffix(".idx") })
            let bytes = [UInt8](try Data(contentsOf: store.appendingPathComponent("quarantine/" + index)))
            return bytes[1028..<1032].reduce(0) { $0 << 8 | Int($1) }
        }
        let kept = try keptObjects()
        #expect(kept > 0)
        let again = try clone("site", cutAt: 400)
        expectCleanFailure(again)
        #expect(FileManager.default.fileExists(atPath: store.appendingPathComponent("clone-in-progress").path), "\(again)")
        #expect(try keptObjects() == kept, "\(again)")

        // A second clone of the directory while one is at work is refused, and leaves the first one's work alone.
        let marker = open(store.appendingPathComponent("clone-in-progress").path, O_RDWR | O_CLOEXEC)
        try #require(marker >= 0 && flock(marker, LOCK_EX) == 0)
        let second = try clone("site", cutAt: 1_000_000_000)
        close(marker)
        expectCleanFailure(second, mentioning: ["another 'arxos clone' is filling 'site'"], exitCode: 5)
        #expect(try keptObjects() == kept && FileManager.default.fileExists(atPath: store.path), "\(second)")

        // Another URL cannot take the directory over.
        let other = try clone("site", cutAt: 1_000_000_000, url: hub.root.path)
        expectCleanFailure(other, mentioning: ["holds an unfinished clone of fake-host:\(hub.work.path)"])

        // The same clone again resumes, without receiving the kept objects again.
        let resumed = try clone("site", cutAt: 1_000_000_000)
        expectSuccess(resumed)
        #expect(resumed.stdout.contains("Resuming the clone into"), "\(resumed)")
        let received = try #require(movedObjects(resumed, "Received"))
        #expect(received < total * 3 / 4, "the resumed clone received \(received) of \(total) objects again")
        #expect(try box.arxos(["rev-parse", "main"], in: site).trimmed == hub.revParse("main"))
        expectSuccess(try box.arxos(["fsck"], in: site))
        let reference = box.root.appendingPathComponent("reference")
        let files = box.files(under: site).filter { !$0.hasPrefix(".arxos/") }
        #expect(files.count > 1000 && files == box.files(under: reference).filter { !$0.hasPrefix(".arxos/") })
        #expect(files.allSatisfy { FileManager.default.contentsEqual(atPath: site.appendingPathComponent($0).path,
                                                                     andPath: reference.appendingPathComponent($0).path) })
        #expect(!FileManager.default.fileExists(atPath: store.appendingPathComponent("clone-in-progress").path))
        #expect(box.files(under: store.appendingPathComponent("quarantine")).isEmpty)
    }

    @Test func twoPushesRacingToOneRefOneWinsTheOtherIsRefused() throws {
        let boxes = try HubAndClone()
        let (hub, first) = (boxes.hub, boxes.clone)
        let second = try Sandbox()
        expectSuccess(try second.arxos(["clone", hub.work.path, second.work.path], in: second.root))
        let a = try HubAndClone.edit(first, "from the first clone")
        let b = try HubAndClone.edit(second, "from the second clone", in: "hvac/ahu-1.yaml")

        let errors = first.root.appendingPathComponent("first.err").path
        let racing = try first.startArxos(["push"], stderr: errors)
        let other = try second.arxos("push")
        let status = racing.wait(timeout: 60)?.status
        let firstError = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""

        let winners = [status == 0, other.succeeded].filter { $0 }.count
        #expect(winners == 1, "exactly one push must win\nfirst: exit \(status ?? -1) \(firstError)\nsecond: \(other)")
        let hubMain = try hub.revParse("main")
        if other.succeeded {
            #expect(hubMain == b)
            #expect(firstError.contains("non-fast-forward") || firstError.contains("stale"), "\(firstError)")
        } else {
            #expect(hubMain == a)
            expectCleanFailure(other)
            #expect(other.stderr.contains("non-fast-forward") || other.stderr.contains("stale"), "\(other)")
        }
        expectSuccess(try hub.arxos("fsck"))
    }
}
