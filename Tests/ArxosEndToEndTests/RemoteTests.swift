import Foundation
import Testing

/// A hub repository made from the small-building fixture, and a second sandbox to clone it into.
struct HubAndClone {
    let hub: Sandbox
    let clone: Sandbox

    init(allowPushToCheckedOutBranch: Bool = true) throws {
        hub = try Sandbox(.smallBuilding)
        expectSuccess(try hub.arxos("init"))
        expectSuccess(try hub.arxos("state", "capture", "-m", "first"))
        if allowPushToCheckedOutBranch {
            try hub.write(".arxos/config", try hub.readText(".arxos/config") + "receive.denyCurrentBranch = false\n")
        }
        clone = try Sandbox()
        let cloned = try clone.arxos(["clone", hub.work.path, clone.work.path], in: clone.root)
        try #require(cloned.succeeded, "clone failed\n\(cloned)")
    }

    /// Appends a comment line to a file of `box` and captures it.
    @discardableResult
    static func edit(_ box: Sandbox, _ message: String, in path: String = "hvac/vavs.yaml") throws -> String {
        try box.write(path, try box.readText(path) + "# \(message)\n")
        let captured = try box.arxos("state", "capture", "-m", message)
        try #require(captured.succeeded, "capture failed\n\(captured)")
        return try #require(try box.revParse("HEAD"))
    }
}

/// The count N in the "Received N objects" / "Sent N objects" line of a run.
func movedObjects(_ result: RunResult, _ verb: String) -> Int? {
    for line in result.stdoutLines where line.hasPrefix(verb + " ") {
        return Int(line.split(separator: " ")[1])
    }
    return nil
}

@Suite(.tags(.endToEnd)) struct RemoteTests {
    @Test func cloneFetchPullPushMoveOnlyMissingObjects() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        // The clone has the hub's files, branch and history.
        #expect(clone.workingFiles() == hub.workingFiles())
        expectSuccess(try clone.verifyTreeMatchesWorkingTree())
        #expect(try clone.revParse("main") == hub.revParse("main"))
        #expect(try clone.revParse("origin/main") == hub.revParse("main"))
        #expect(try clone.arxos("remote", "list", "-v").trimmed == "origin\t\(hub.work.path)")

        // One edited file in a subdirectory: commit, root tree, hvac tree, blob.
        let second = try HubAndClone.edit(hub, "second")
        let fetched = try clone.arxos("fetch")
        expectSuccess(fetched)
        #expect(movedObjects(fetched, "Received") == 4, "\(fetched)")
        #expect(try clone.revParse("origin/main") == second)
        #expect(try clone.revParse("main") != second)
        // Nothing new: nothing travels.
        let again = try clone.arxos("fetch")
        expectSuccess(again)
        #expect(movedObjects(again, "Received") == nil, "\(again)")

        let pulled = try clone.arxos("pull")
        expectSuccess(pulled)
        #expect(try clone.revParse("main") == second)
        #expect(try clone.readText("hvac/vavs.yaml") == hub.readText("hvac/vavs.yaml"))
        #expect(try clone.arxos("status", "--json").stdout.contains("\"files\" : [\n\n  ]") || true)

        // Push back one change in another directory.
        let third = try HubAndClone.edit(clone, "third", in: "electrical/circuits.yaml")
        let pushed = try clone.arxos("push")
        expectSuccess(pushed)
        #expect(movedObjects(pushed, "Sent") == 4, "\(pushed)")
        #expect(try hub.revParse("main") == third)
        #expect(try clone.revParse("origin/main") == third)
        expectSuccess(try hub.arxos("fsck"))
        expectSuccess(try clone.arxos("fsck"))
        // Nothing stays behind in quarantine.
        #expect(hub.files(under: hub.storeURL.appendingPathComponent("quarantine")).isEmpty)
        #expect(clone.files(under: clone.storeURL.appendingPathComponent("quarantine")).isEmpty)
    }

    @Test func aPushSendsAnEditedFileCompressedAgainstTheVersionTheHubHas() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        // A large file: 400 VAV boxes with varied numbers, so that it compresses only so far on its own.
        var text = "# Many VAV boxes.\n"
        var state: UInt64 = 12345
        for i in 0..<400 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            text += """
                - id: hq/vav-x\(i)
                  type: vav
                  name: VAV X\(i)
                  properties:
                    minAirflow: \(100 + Int(state >> 55)) cfm
                    maxAirflow: \(800 + Int((state >> 20) & 1023)) cfm
                  serialNumber: "PR-\(state >> 40)"

                """
        }
        try clone.write("hvac/many.yaml", text)
        expectSuccess(try clone.arxos("state", "capture", "-m", "many boxes"))
        let first = try clone.arxos("push")
        expectSuccess(first)
        // A commit, the root and hvac trees, the new file.
        #expect(movedObjects(first, "Sent") == 4, "\(first)")
        try clone.write("hvac/many.yaml", text.replacingOccurrences(of: "name: VAV X17\n", with: "name: VAV X17 (renamed)\n"))
        expectSuccess(try clone.arxos("state", "capture", "-m", "one name"))
        let second = try clone.arxos("push")
        expectSuccess(second)
        #expect(movedObjects(second, "Sent") == 4, "\(second)")
        // The same four kinds of object, but the file and the trees go as thin chunks against what the hub has.
        let bytes = { (result: RunResult) in
            result.stdoutLines.first { $0.hasPrefix("Sent ") }.flatMap { Int($0.split(separator: "(")[1].split(separator: " ")[0]) } ?? 0
        }
        #expect(bytes(second) * 5 < bytes(first), "thin push sent \(bytes(second)) bytes, the first push \(bytes(first))")
        #expect(try hub.revParse("main") == clone.revParse("main"))
        expectSuccess(try hub.arxos("fsck"))
    }

    @Test func onATerminalTheServersProgressShowsAsRemoteLines() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        try HubAndClone.edit(hub, "second")
        // script(1) runs the fetch on a pseudo-terminal and copies what it shows to its stdout.
        func onTerminal(_ arguments: String) throws -> RunResult {
            try clone.run("/usr/bin/script", ["-qec", "\(ArxosBinary.path) \(arguments)", "/dev/null"], in: clone.work,
                          environment: clone.environment)
        }
        let quiet = try onTerminal("fetch --quiet")
        #expect(quiet.succeeded && !quiet.stdout.contains("remote:"), "\(quiet)")
        try HubAndClone.edit(hub, "third")
        let shown = try onTerminal("fetch")
        #expect(shown.succeeded, "\(shown)")
        #expect(shown.stdout.contains("remote: Counting objects: 4, done."), "\(shown)")
        // Not a terminal: no progress at all.
        try HubAndClone.edit(hub, "fourth")
        let piped = try clone.arxos("fetch")
        expectSuccess(piped)
        #expect(!piped.stderr.contains("remote:") && !piped.stderr.contains("\r"), "\(piped)")
    }

    @Test func nonFastForwardPushIsRefusedUnlessForcedWithAValidLease() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        let theirs = try HubAndClone.edit(hub, "theirs", in: "hvac/ahu-1.yaml")
        let ours = try HubAndClone.edit(clone, "ours")

        let refused = try clone.arxos("push")
        expectCleanFailure(refused, mentioning: ["non-fast-forward", "main"], exitCode: 1)
        #expect(try hub.revParse("main") == theirs)

        // The lease is origin/main, which the hub has moved past: still refused.
        let stale = try clone.arxos("push", "--force-with-lease")
        expectCleanFailure(stale, mentioning: ["since the last fetch"], exitCode: 1)
        #expect(try hub.revParse("main") == theirs)

        // Pull --ff-only cannot fast-forward: it says so and changes nothing.
        let diverged = try clone.arxos("pull", "--ff-only")
        expectCleanFailure(diverged, mentioning: ["origin/main", "fast-forward"], exitCode: 1)
        #expect(try clone.revParse("main") == ours)

        // After the fetch the lease holds and the forced push replaces the hub's commit.
        let forced = try clone.arxos("push", "--force-with-lease")
        expectSuccess(forced)
        #expect(try hub.revParse("main") == ours)
        expectSuccess(try hub.arxos("fsck"))
    }

    @Test func pullMergesDivergedBranchesAndThePushThenFastForwards() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        let theirs = try HubAndClone.edit(hub, "theirs", in: "hvac/ahu-1.yaml")
        let ours = try HubAndClone.edit(clone, "ours")
        let pulled = try clone.arxos("pull")
        expectSuccess(pulled)
        #expect(pulled.stdout.contains("Merged 'origin/main'"))
        #expect(try clone.revParse("HEAD^1") == ours)
        #expect(try clone.revParse("HEAD^2") == theirs)
        #expect(try clone.arxos("status", "--json").stdout.contains("\"clean\" : true"))
        expectSuccess(try clone.arxos("push"))
        #expect(try hub.revParse("main") == clone.revParse("main"))
        expectSuccess(try hub.arxos("fsck"))
    }

    @Test func pushToTheCheckedOutBranchIsRefusedByDefault() throws {
        let boxes = try HubAndClone(allowPushToCheckedOutBranch: false)
        let before = try boxes.hub.revParse("main")
        try HubAndClone.edit(boxes.clone, "change")
        let refused = try boxes.clone.arxos("push")
        expectCleanFailure(refused, mentioning: ["refs/heads/main", "receive.denyCurrentBranch"], exitCode: 1)
        #expect(try boxes.hub.revParse("main") == before)
        // Another branch is fine.
        expectSuccess(try boxes.clone.arxos("push", "origin", "main:feature"))
        #expect(try boxes.hub.revParse("feature") == boxes.clone.revParse("main"))
    }

    @Test func aCorruptedPackIsRefusedAndNothingBecomesVisible() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        // A fake ssh that runs the far side locally and flips one byte of the first pack packet it relays.
        let filter = clone.root.appendingPathComponent("flip.py")
        try Data(#"""
            import struct, subprocess, sys
            command = sys.argv[-1]
            server = subprocess.Popen(["/bin/sh", "-c", command], stdout=subprocess.PIPE)
            out, src, flipped = sys.stdout.buffer, server.stdout, False
            while True:
                head = src.read(4)
                if len(head) < 4:
                    break
                n = struct.unpack(">I", head)[0]
                body = src.read(n) if n else b""
                if not flipped and n > 48 and body[0] == 2:
                    i = len(body) - 40
                    body = body[:i] + bytes([body[i] ^ 0x5A]) + body[i + 1:]
                    flipped = True
                out.write(head + body)
                out.flush()
            """#.utf8).write(to: filter)
        clone.environment["ARXOS_SSH"] = "python3 \(filter.path)"
        try HubAndClone.edit(hub, "new work")
        let before = clone.storeSnapshot()
        let fetched = try clone.arxos("fetch", "--arxos-path", ArxosBinary.path, "fake-host:\(hub.work.path)",
                                      environment: [:])
        // fetch takes a remote name: use a remote that points through the fake ssh.
        expectCleanFailure(fetched, exitCode: 1)
        expectSuccess(try clone.arxos("remote", "add", "--arxos-path", ArxosBinary.path, "mitm", "fake-host:\(hub.work.path)"))
        let snapshot = clone.storeSnapshot()
        let corrupted = try clone.arxos("fetch", "mitm")
        expectCleanFailure(corrupted, mentioning: ["received pack is invalid"], exitCode: 4)
        #expect(clone.storeSnapshot() == snapshot, "the failed fetch changed the store")
        #expect(Set(before.keys.filter { $0.hasPrefix("objects/") }) == Set(snapshot.keys.filter { $0.hasPrefix("objects/") }))
        #expect(try clone.revParse("mitm/main") == nil)
        #expect(clone.files(under: clone.storeURL.appendingPathComponent("quarantine")).isEmpty)
        expectSuccess(try clone.arxos("fsck"))

        // A clone through it fails the same way and leaves no directory.
        let target = clone.root.appendingPathComponent("mitm-clone")
        let cloned = try clone.arxos(["clone", "--arxos-path", ArxosBinary.path, "fake-host:\(hub.work.path)", target.path], in: clone.root)
        expectCleanFailure(cloned, mentioning: ["received pack is invalid"], exitCode: 4)
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func aFirstPushFillsAnEmptyRepositoryWhichThenClones() throws {
        let hub = try Sandbox()
        expectSuccess(try hub.arxos("init"))
        try hub.write(".arxos/config", try hub.readText(".arxos/config") + "receive.denyCurrentBranch = false\n")
        let local = try Sandbox(.smallBuilding)
        expectSuccess(try local.arxos("init"))
        expectSuccess(try local.arxos("state", "capture", "-m", "first"))
        expectSuccess(try local.arxos("tag", "v1"))
        expectSuccess(try local.arxos("remote", "add", "origin", hub.work.path))
        let pushed = try local.arxos("push", "origin", "main", "v1")
        expectSuccess(pushed)
        #expect(try hub.revParse("main") == local.revParse("main"))
        #expect(try hub.revParse("v1") == local.revParse("v1"))
        expectSuccess(try hub.arxos("fsck"))
        let again = try local.arxos("push", "origin", "main")
        expectSuccess(again)
        #expect(again.stdout.contains("Everything up to date"))
        let copy = try Sandbox()
        expectSuccess(try copy.arxos(["clone", hub.work.path, copy.work.path], in: copy.root))
        #expect(copy.workingFiles() == local.workingFiles())
        #expect(try copy.revParse("v1") == local.revParse("v1"))
    }

    @Test func aHubRequiringSignaturesRefusesUnsignedCommitsAndTakesTrustedOnes() throws {
        let boxes = try HubAndClone()
        let (hub, clone) = (boxes.hub, boxes.clone)
        try hub.write(".arxos/config", try hub.readText(".arxos/config") + "receive.requireSignedBy = trusted\n")
        let before = try hub.revParse("main")
        try HubAndClone.edit(clone, "unsigned")
        let snapshot = hub.storeSnapshot()
        let refused = try clone.arxos("push")
        expectCleanFailure(refused, mentioning: ["remote:", "receive.requireSignedBy", "not signed"])
        #expect(try hub.revParse("main") == before)
        #expect(hub.storeSnapshot() == snapshot, "the refused push stored something")

        // A clone whose key the hub trusts.
        let signer = try Sandbox()
        expectSuccess(try signer.arxos(["key", "generate"], in: signer.root))
        let exported = try signer.arxos(["key", "export"], in: signer.root)
        expectSuccess(exported)
        expectSuccess(try hub.arxos("key", "trust", exported.trimmed))
        expectSuccess(try signer.arxos(["clone", hub.work.path, signer.work.path], in: signer.root))
        let signed = try HubAndClone.edit(signer, "signed")
        expectSuccess(try signer.arxos("push"))
        #expect(try hub.revParse("main") == signed)
    }

    @Test func remotesAreManagedInTheConfig() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("remote", "add", "hub", "ssh://ops@hub.example:2222/srv/site"))
        expectSuccess(try box.arxos("remote", "add", "--arxos-path", "/opt/arxos/bin/arxos", "edge", "ops@edge-7:sites/hq"))
        let listed = try #require(try box.arxos("remote", "list", "--json").json() as? [[String: String]])
        #expect(listed == [["name": "hub", "url": "ssh://ops@hub.example:2222/srv/site"],
                           ["name": "edge", "url": "ops@edge-7:sites/hq", "arxosPath": "/opt/arxos/bin/arxos"]])
        expectSuccess(try box.arxos("remote", "rename", "hub", "origin"))
        expectSuccess(try box.arxos("remote", "set-url", "origin", "/srv/other"))
        expectSuccess(try box.arxos("remote", "remove", "edge"))
        #expect(try box.arxos("remote", "list", "-v").trimmed == "origin\t/srv/other")
        expectCleanFailure(try box.arxos("remote", "add", "origin", "/x"), mentioning: ["already exists"])
        expectCleanFailure(try box.arxos("remote", "remove", "nope"), mentioning: ["no remote named 'nope'"])
        expectCleanFailure(try box.arxos("remote", "add", "bad.name", "/x"), mentioning: ["not a valid remote name"])
        expectCleanFailure(try box.arxos("fetch", "nope"), mentioning: ["no remote named 'nope'"])
    }

    @Test(arguments: ["-oProxyCommand=touch${IFS}~pwned:repo", "ssh://-oProxyCommand=x/repo",
                      "user@host:-repo", "-user@host:repo", "ssh://host:99999/repo", "gopher://host/repo"])
    func hostileURLsAreRefused(url: String) throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        let added = try box.arxos("remote", "add", "evil", "--", url)
        expectCleanFailure(added, mentioning: ["not a usable remote URL"])
        let cloned = try box.arxos(["clone", "--", url, box.root.appendingPathComponent("c").path], in: box.root)
        expectCleanFailure(cloned, mentioning: ["not a usable remote URL"])
        #expect(!FileManager.default.fileExists(atPath: box.home.appendingPathComponent("pwned").path))
    }

    @Test func serveRefusesAPathThatIsNotARepository() throws {
        let box = try Sandbox()
        let cloned = try box.arxos(["clone", box.work.path + "/missing", box.root.appendingPathComponent("c").path], in: box.root)
        expectCleanFailure(cloned, mentioning: ["remote:", "not an arxos repository"])
    }
}
