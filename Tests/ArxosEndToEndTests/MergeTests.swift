import Foundation
import Testing

/// `arxos merge`, `conflicts`, `resolve`, `--continue` and `--abort` through the real binary on the small building.
@Suite(.tags(.endToEnd))
struct MergeTests {
    /// A repository with a base commit, a `feature` branch with `theirs` applied, and `main` with `ours` applied.
    func diverged(ours: [(String, String, String)], theirs: [(String, String, String)]) throws -> Sandbox {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        expectSuccess(try box.arxos("switch", "-c", "feature"))
        for (path, old, new) in theirs { try box.replace(old, with: new, in: path) }
        expectSuccess(try box.arxos("state", "capture", "-m", "theirs"))
        expectSuccess(try box.arxos("switch", "main"))
        for (path, old, new) in ours { try box.replace(old, with: new, in: path) }
        expectSuccess(try box.arxos("state", "capture", "-m", "ours"))
        return box
    }

    func snapshot(_ box: Sandbox) throws -> [String: Data] {
        var out = [String: Data]()
        for file in box.files(under: box.work) where !file.hasPrefix(".arxos/") { out[file] = try box.read(file) }
        return out
    }

    @Test("different properties of one VAV merge into a commit with both parents; the working tree matches it")
    func cleanMerge() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm")],
                               theirs: [("hvac/vavs.yaml", "zoneTempSetpoint: 21.5 °C\n    reheat: hot water",
                                         "zoneTempSetpoint: 22.5 °C\n    reheat: hot water")])
        let ours = try #require(try box.revParse("HEAD")), theirs = try #require(try box.revParse("feature"))
        let merged = try box.arxos("merge", "feature")
        expectSuccess(merged)
        #expect(merged.stdout.contains("Merged 'feature'"))
        let show = try box.arxos("show", "--json", "HEAD")
        #expect(show.stdout.contains(ours) && show.stdout.contains(theirs), "the merge commit has both parents")
        let vavs = try box.readText("hvac/vavs.yaml")
        #expect(vavs.contains("minAirflow: 210 cfm") && vavs.contains("zoneTempSetpoint: 22.5 °C"))
        #expect(vavs.hasPrefix("# The four VAV boxes"), "the file's header comment is kept")
        #expect(try box.arxos("status", "--json").stdout.contains("\"clean\" : true"))
        expectSuccess(try box.arxos("fsck"))
        // Merging again: nothing to do.
        #expect(try box.arxos("merge", "feature").stdout.contains("Already up to date"))
    }

    @Test("fast-forward, --ff-only and --no-ff")
    func fastForward() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        expectSuccess(try box.arxos("switch", "-c", "feature"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 230 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "theirs"))
        expectSuccess(try box.arxos("switch", "main"))
        let forward = try box.arxos("merge", "feature")
        expectSuccess(forward)
        #expect(forward.stdout.contains("Fast-forward"))
        #expect(try box.revParse("HEAD") == box.revParse("feature"))
        #expect(try box.readText("hvac/vavs.yaml").contains("minAirflow: 230 cfm"))
        // --no-ff records a merge commit even though a fast-forward was possible.
        expectSuccess(try box.arxos("switch", "-c", "feature2"))
        try box.replace("minAirflow: 230 cfm", with: "minAirflow: 240 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "more"))
        expectSuccess(try box.arxos("switch", "main"))
        let before = try #require(try box.revParse("HEAD"))
        expectSuccess(try box.arxos("merge", "--no-ff", "feature2", "-m", "merge with a commit"))
        #expect(try box.arxos("log", "-n", "1").stdout.contains("merge with a commit"))
        #expect(try box.revParse("HEAD~1") == before)
        #expect(try box.revParse("HEAD^2") == box.revParse("feature2"))
        #expect(try box.readText("hvac/vavs.yaml").contains("minAirflow: 240 cfm"))
    }

    @Test("--ff-only refuses diverged branches and changes nothing")
    func fastForwardOnlyRefuses() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm")],
                               theirs: [("hvac/vavs.yaml", "minAirflow: 150 cfm", "minAirflow: 160 cfm")])
        let before = try snapshot(box)
        expectCleanFailure(try box.arxos("merge", "--ff-only", "feature"), mentioning: ["feature", "fast-forward"], exitCode: 1)
        #expect(try snapshot(box) == before)
    }

    @Test("a conflict stops with 7, stays valid YAML, is listed as data, resolves each way, and --continue records it")
    func conflictResolveContinue() throws {
        let box = try diverged(
            ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm"),
                   ("hvac/vavs.yaml", "minAirflow: 150 cfm", "minAirflow: 155 cfm"),
                   ("hvac/vavs.yaml", "minAirflow: 450 cfm", "minAirflow: 460 cfm")],
            theirs: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 220 cfm"),
                     ("hvac/vavs.yaml", "minAirflow: 150 cfm", "minAirflow: 165 cfm"),
                     ("hvac/vavs.yaml", "minAirflow: 450 cfm", "minAirflow: 470 cfm")])
        let stopped = try box.arxos("merge", "feature")
        #expect(stopped.status == 7, "\(stopped)")
        #expect(stopped.stdout.contains("CONFLICT (value): hq/vav-101 properties.minAirflow in hvac/vavs.yaml"))
        #expect(stopped.stderrLines.first?.hasPrefix("arxos: error: the merge of 'feature' stopped with") == true)

        // The working tree parses, and the conflicts are data.
        expectSuccess(try box.arxos("validate"))
        let listed = try box.arxos("conflicts", "--json")
        #expect(listed.status == 7)
        let document = try #require(try listed.json() as? [String: Any])
        let conflicts = try #require(document["conflicts"] as? [[String: Any]])
        #expect(conflicts.count >= 3)
        let first = try #require(conflicts.first { $0["id"] as? String == "hq/vav-101" })
        #expect(first["base"] as? String == "200 cfm" && first["ours"] as? String == "210 cfm" && first["theirs"] as? String == "220 cfm")
        #expect(first["field"] as? String == "properties.minAirflow" && first["kind"] as? String == "value")
        let status = try box.arxos("status", "--json")
        #expect(status.stdout.contains("\"merge\""), "status shows the merge in progress")
        #expect(try box.arxos("status").stdout.contains("Merging 'feature'"))

        // --continue refuses while conflicts are open; a capture does too.
        expectCleanFailure(try box.arxos("merge", "--continue"), mentioning: ["not resolved"], exitCode: 7)

        // Resolve each way: ours, theirs, a value, and one by editing the file.
        expectSuccess(try box.arxos("resolve", "hq/vav-101", "properties.minAirflow", "--theirs"))
        let ids = conflicts.compactMap { $0["id"] as? String }.filter { $0 != "hq/vav-101" }.sorted()
        expectSuccess(try box.arxos("resolve", ids[0], "--ours"))
        expectSuccess(try box.arxos("resolve", ids[1], "properties.minAirflow", "--value", "500 cfm"))
        for id in ids.dropFirst(2) { expectSuccess(try box.arxos("resolve", id, "--ours")) }
        expectCleanFailure(try box.arxos("resolve", "hq/vav-101", "--ours"), mentioning: ["hq/vav-101", "no open conflict"], exitCode: 1)
        #expect(try box.arxos("conflicts").status == 0)
        let text = try box.readText("hvac/vavs.yaml")
        #expect(!text.contains("$conflicts"))
        #expect(text.contains("minAirflow: 220 cfm") && text.contains("minAirflow: 500 cfm"))

        let done = try box.arxos("merge", "--continue")
        expectSuccess(done)
        let log = try box.arxos("log", "-n", "1").stdout
        #expect(log.contains("Merge 'feature' into main"))
        #expect(try box.arxos("status", "--json").stdout.contains("\"clean\" : true"))
        expectCleanFailure(try box.arxos("conflicts"), mentioning: ["no merge in progress"], exitCode: 1)
    }

    @Test("resolving by editing the file, then 'arxos commit' concludes the merge")
    func resolveByEditing() throws {
        let box = try diverged(ours: [("building.yaml", "name: Riverside HQ", "name: North HQ")],
                               theirs: [("building.yaml", "name: Riverside HQ", "name: South HQ")])
        #expect(try box.arxos("merge", "feature").status == 7)
        var text = try box.readText("building.yaml")
        // Keep ours and drop the $conflicts field by hand.
        let marker = try #require(text.range(of: "$conflicts:"))
        text = String(text[..<marker.lowerBound])
        try box.write("building.yaml", text)
        #expect(try box.arxos("conflicts").status == 0)
        let committed = try box.arxos("commit", "-m", "merge feature by hand")
        expectSuccess(committed)
        #expect(committed.stdout.contains("Merge of 'feature' recorded"))
        #expect(try box.arxos("log", "-n", "1").stdout.contains("merge feature by hand"))
        let parents = try box.arxos("show", "--json", "HEAD").stdout
        #expect(parents.contains(try #require(try box.revParse("feature"))))
    }

    @Test("--abort puts every file back byte for byte and forgets the merge")
    func abortRestoresExactly() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm")],
                               theirs: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 220 cfm"),
                                        ("hvac/boiler-1.yaml", "capacity: 500 MBH", "capacity: 520 MBH")])
        let before = try snapshot(box)
        let head = try box.revParse("HEAD")
        #expect(try box.arxos("merge", "feature").status == 7)
        #expect(try snapshot(box) != before)
        expectSuccess(try box.arxos("resolve", "hq/vav-101", "--theirs"))
        expectSuccess(try box.arxos("merge", "--abort"))
        #expect(try snapshot(box) == before, "abort must restore the tree exactly")
        #expect(try box.revParse("HEAD") == head)
        #expect(try box.arxos("status", "--json").stdout.contains("\"clean\" : true"))
        expectCleanFailure(try box.arxos("merge", "--abort"), mentioning: ["no merge in progress"], exitCode: 1)
    }

    @Test("a merge refuses uncaptured changes and a second merge while one is stopped")
    func refusals() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm")],
                               theirs: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 220 cfm")])
        try box.replace("capacity: 500 MBH", with: "capacity: 505 MBH", in: "hvac/boiler-1.yaml")
        expectCleanFailure(try box.arxos("merge", "feature"), mentioning: ["hvac/boiler-1.yaml", "uncaptured"], exitCode: 1)
        try box.replace("capacity: 505 MBH", with: "capacity: 500 MBH", in: "hvac/boiler-1.yaml")
        #expect(try box.arxos("merge", "feature").status == 7)
        expectCleanFailure(try box.arxos("merge", "feature"), mentioning: ["in progress", "--abort"], exitCode: 1)
        expectCleanFailure(try box.arxos("switch", "feature"), mentioning: ["in progress", "--abort"], exitCode: 1)
        expectCleanFailure(try box.arxos("merge", "no-such-branch"), mentioning: ["no-such-branch"], exitCode: 1)
    }

    @Test("a rule broken only by the combination stops the merge with 6; --allow-violations records it with a trailer")
    func violationsAfterCleanMerge() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 700 cfm")],
                               theirs: [("hvac/vavs.yaml", "maxAirflow: 900 cfm", "maxAirflow: 600 cfm")])
        let stopped = try box.arxos("merge", "feature")
        #expect(stopped.status == 6, "\(stopped)")
        #expect(stopped.stdout.contains("vav-airflow-range") && stopped.stdout.contains("hq/vav-101"))
        #expect(stopped.stderrLines.first == "arxos: error: the merged state breaks 1 rule (listed above)")
        expectCleanFailure(try box.arxos("merge", "--continue"), mentioning: ["breaks 1 rule"], exitCode: 6)
        expectSuccess(try box.arxos("merge", "--continue", "--allow-violations"))
        let show = try box.arxos("show", "HEAD").stdout
        #expect(show.contains("Allowed-Violation: vav-airflow-range hq/vav-101"))
    }

    @Test("--no-commit merges into the working tree and stops; --continue records it with both parents")
    func noCommit() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm")],
                               theirs: [("hvac/boiler-1.yaml", "capacity: 500 MBH", "capacity: 520 MBH")])
        let head = try #require(try box.revParse("HEAD"))
        let stopped = try box.arxos("merge", "--no-commit", "feature")
        expectSuccess(stopped)
        #expect(stopped.stdout.contains("without a commit"))
        #expect(try box.revParse("HEAD") == head, "no commit yet")
        #expect(try box.readText("hvac/boiler-1.yaml").contains("capacity: 520 MBH"))
        #expect(try box.arxos("status").stdout.contains("Merging 'feature'"))
        expectSuccess(try box.arxos("merge", "--continue", "-m", "reviewed merge"))
        #expect(try box.revParse("HEAD~1") == head)
        #expect(try box.revParse("HEAD^2") == box.revParse("feature"))
        #expect(try box.arxos("log", "-n", "1").stdout.contains("reviewed merge"))
    }

    @Test("--strategy-option theirs settles conflicts without stopping")
    func strategyOption() throws {
        let box = try diverged(ours: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 210 cfm")],
                               theirs: [("hvac/vavs.yaml", "minAirflow: 200 cfm", "minAirflow: 220 cfm")])
        expectSuccess(try box.arxos("merge", "-X", "theirs", "feature"))
        #expect(try box.readText("hvac/vavs.yaml").contains("minAirflow: 220 cfm"))
        let usage = try box.arxos("merge", "-X", "mine", "feature")
        #expect(usage.status == 64 && usage.stderr.contains("'ours' or 'theirs'"))
    }

    @Test("criss-cross history: two merge bases are merged into a virtual base, and the merge is clean")
    func crissCross() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        expectSuccess(try box.arxos("branch", "feature"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 210 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "A"))
        expectSuccess(try box.arxos("switch", "feature"))
        try box.replace("capacity: 500 MBH", with: "capacity: 520 MBH", in: "hvac/boiler-1.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "B"))
        // Cross-merge: each side merges the other's first commit.
        let a = try #require(try box.revParse("main")), b = try #require(try box.revParse("feature"))
        expectSuccess(try box.arxos("merge", a, "-m", "feature takes A"))
        expectSuccess(try box.arxos("switch", "main"))
        expectSuccess(try box.arxos("merge", b, "-m", "main takes B"))
        // Then both sides change different things again and merge: the bases are the two cross merges' parents.
        try box.replace("minAirflow: 150 cfm", with: "minAirflow: 175 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "main again"))
        expectSuccess(try box.arxos("switch", "feature"))
        try box.replace("maxAirflow: 650 cfm", with: "maxAirflow: 680 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "feature again"))
        expectSuccess(try box.arxos("switch", "main"))
        let merged = try box.arxos("merge", "feature")
        expectSuccess(merged)
        let vavs = try box.readText("hvac/vavs.yaml")
        #expect(vavs.contains("minAirflow: 210 cfm") && vavs.contains("minAirflow: 175 cfm") && vavs.contains("maxAirflow: 680 cfm"))
        #expect(try box.readText("hvac/boiler-1.yaml").contains("capacity: 520 MBH"))
        expectSuccess(try box.arxos("fsck"))
    }
}
