import Foundation
import Testing

/// A whole working session on a real building, through the built binary: capture, history, branches, restore, tags.
@Suite(.tags(.endToEnd))
struct RoundTripTests {
    /// What each fixture's session edits.
    struct Plan: Sendable, CustomStringConvertible {
        var fixture: Fixture
        /// The file edited on main, the text replaced and its replacement.
        var file: String
        var old: String
        var new: String
        /// The building object in `file` and the text that shows the edit in it.
        var objectID: String
        /// A second edit of `file`, made on a branch.
        var branchNew: String
        /// The prefix for ids of new objects.
        var site: String

        var description: String { fixture.rawValue }
    }

    static let plans = [
        Plan(fixture: .smallBuilding, file: "hvac/ahu-1.yaml", old: "designAirflow: 6500 cfm", new: "designAirflow: 7200 cfm",
             objectID: "hq/ahu-1", branchNew: "designAirflow: 8000 cfm", site: "hq"),
        Plan(fixture: .haystack, file: "carytown/equip/rtu-1.yaml", old: "navName: RTU-1\n", new: "navName: RTU-1 East\n",
             objectID: "carytown/rtu-1", branchNew: "navName: RTU-1 West\n", site: "carytown"),
    ]

    @Test("init, capture, edit, history, branches, restore, tags, reflog, fsck", arguments: plans)
    func roundTrip(_ plan: Plan) throws {
        let box = try Sandbox(plan.fixture)
        let tracked = box.workingFiles()
        try #require(tracked.contains(plan.file))
        let original = try box.read(plan.file)

        // init and the first capture.
        let initialized = try box.arxos("init")
        expectSuccess(initialized)
        #expect(initialized.stdout.contains("Initialized empty arxos repository"))
        #expect(box.exists(".arxos/config"))
        let first = try box.arxos("state", "capture", "-m", "first state")
        expectSuccess(first)
        #expect(first.stdout.contains("(root)"))
        #expect(first.stdout.contains("\(tracked.count) files read"), "\(first)")
        let firstID = try #require(try box.revParse("HEAD"))
        #expect(firstID.count == 64 && firstID.allSatisfy(\.isHexDigit))
        #expect(first.stdout.contains(String(firstID.prefix(12))), "the capture summary names the commit\n\(first)")

        // Every file is in the commit's tree.
        let listed = try box.arxos("ls-tree", "-r", "HEAD")
        expectSuccess(listed)
        #expect(listed.stdoutLines.compactMap { $0.split(separator: "\t").last.map(String.init) }.sorted() == tracked)

        // Edit, then status --json sees the file and the object.
        try box.replace(plan.old, with: plan.new, in: plan.file)
        let edited = try box.read(plan.file)
        let dirty = try box.arxos("status", "--json")
        expectSuccess(dirty)
        let dirtyStatus = try #require(try dirty.json() as? [String: Any], "\(dirty)")
        #expect(dirtyStatus["clean"] as? Bool == false)
        #expect(dirtyStatus["branch"] as? String == "main")
        #expect(dirtyStatus["head"] as? String == firstID)
        let changedFiles = (dirtyStatus["files"] as? [[String: Any]]) ?? []
        #expect(changedFiles.count == 1)
        #expect(changedFiles.first?["path"] as? String == plan.file)
        #expect(changedFiles.first?["change"] as? String == "modified")
        let changedObjects = (dirtyStatus["objects"] as? [[String: Any]]) ?? []
        #expect(changedObjects.contains { $0["id"] as? String == plan.objectID && $0["change"] as? String == "modified" },
                "\(dirty)")

        // The second capture.
        expectSuccess(try box.arxos("state", "capture", "-m", "second state\n\nwith a body"))
        let secondID = try #require(try box.revParse("HEAD"))
        #expect(secondID != firstID)
        #expect(try box.revParse("HEAD~1") == firstID)
        #expect(try box.revParse("main") == secondID)
        let clean = try box.arxos("status", "--json")
        let cleanStatus = try #require(try clean.json() as? [String: Any], "\(clean)")
        #expect(cleanStatus["clean"] as? Bool == true)
        #expect(cleanStatus["head"] as? String == secondID)
        #expect((cleanStatus["files"] as? [Any])?.isEmpty == true)

        // log --oneline and --json.
        let oneline = try box.arxos("log", "--oneline")
        expectSuccess(oneline)
        #expect(oneline.stdoutLines.count == 2)
        #expect(oneline.stdoutLines.first.map { secondID.hasPrefix($0.prefix { $0 != " " }) && $0.hasSuffix(" second state") } == true,
                "\(oneline)")
        #expect(oneline.stdoutLines.last.map { firstID.hasPrefix($0.prefix { $0 != " " }) && $0.hasSuffix(" first state") } == true,
                "\(oneline)")
        let logJSON = try box.arxos("log", "--json")
        expectSuccess(logJSON)
        let commits = try #require(try logJSON.json() as? [[String: Any]], "\(logJSON)")
        #expect(commits.map { $0["id"] as? String } == [secondID, firstID])
        #expect(commits.first?["parents"] as? [String] == [firstID])
        #expect((commits.last?["parents"] as? [String])?.isEmpty == true)
        #expect(commits.first?["message"] as? String == "second state\n\nwith a body\n")
        #expect((commits.first?["author"] as? [String: Any])?["email"] as? String == "engineer@example.com")
        #expect((commits.first?["author"] as? [String: Any])?["name"] as? String == "Test Engineer")

        // show HEAD, show REV:PATH, show <object id>.
        let shown = try box.arxos("show", "HEAD")
        expectSuccess(shown)
        #expect(shown.stdout.contains("commit \(secondID)"))
        #expect(shown.stdout.contains("second state"))
        #expect(shown.stdoutLines.contains { $0.contains("modified") && $0.hasSuffix(plan.file) }, "\(shown)")
        let showFile = try box.arxos("show", "HEAD:\(plan.file)")
        expectSuccess(showFile)
        #expect(showFile.stdoutData == edited)
        let showOldFile = try box.arxos("show", "HEAD~1:\(plan.file)")
        expectSuccess(showOldFile)
        #expect(showOldFile.stdoutData == original)
        let showObject = try box.arxos("show", plan.objectID)
        expectSuccess(showObject)
        #expect(showObject.stdout.contains("id: \(plan.objectID)"), "\(showObject)")
        #expect(showObject.stdout.contains(plan.new.trimmingCharacters(in: .newlines)), "\(showObject)")
        #expect(!showObject.stdout.contains(plan.old.trimmingCharacters(in: .newlines) + "\n"), "\(showObject)")

        // branch and switch -c; a capture on the branch.
        expectSuccess(try box.arxos("branch", "feature"))
        let branches = try box.arxos("branch")
        expectSuccess(branches)
        #expect(branches.stdoutLines.contains("* main"))
        #expect(branches.stdoutLines.contains("  feature"))
        #expect(try box.revParse("feature") == secondID)
        expectSuccess(try box.arxos("switch", "-c", "experiment"))
        #expect(try box.readText(".arxos/HEAD") == "ref: refs/heads/experiment\n")
        try box.replace(plan.new, with: plan.branchNew, in: plan.file)
        let branchOnly = "branch-only.yaml"
        try box.write(branchOnly, "id: \(plan.site)/branch-sensor\ntype: sensor\nname: Branch Sensor\n")
        let onBranch = try box.arxos("state", "capture", "-m", "on the branch")
        expectSuccess(onBranch)
        #expect(onBranch.stdout.contains("[experiment "), "\(onBranch)")
        let branchID = try #require(try box.revParse("experiment"))
        #expect(try box.revParse("experiment~1") == secondID)
        #expect(try box.revParse("main") == secondID, "a capture on a branch must not move main")

        // Switching back brings main's content back and removes the branch's file.
        expectSuccess(try box.arxos("switch", "main"))
        #expect(try box.read(plan.file) == edited)
        #expect(!box.exists(branchOnly))
        #expect(try box.revParse("HEAD") == secondID)
        expectSuccess(try box.arxos("switch", "experiment"))
        #expect(try box.readText(plan.file).contains(plan.branchNew))
        #expect(box.exists(branchOnly))
        expectSuccess(try box.arxos("switch", "main"))
        #expect(try box.read(plan.file) == edited)

        // Restore one file from an earlier revision; HEAD does not move.
        let restoreOne = try box.arxos("restore", "HEAD~1", plan.file)
        expectSuccess(restoreOne)
        #expect(try box.read(plan.file) == original)
        #expect(try box.revParse("HEAD") == secondID)
        let afterRestore = try #require(try box.arxos("status", "--json").json() as? [String: Any])
        #expect((afterRestore["files"] as? [[String: Any]])?.map { $0["path"] as? String } == [plan.file])
        expectSuccess(try box.arxos("state", "restore", "HEAD"))
        #expect(try box.read(plan.file) == edited)
        // The whole tree from an earlier revision, then back.
        expectSuccess(try box.arxos("state", "restore", "HEAD~1"))
        #expect(try box.read(plan.file) == original)
        #expect(box.workingFiles() == tracked)
        expectSuccess(try box.arxos("restore", "HEAD"))
        #expect(try box.read(plan.file) == edited)
        // On the branch, a whole-tree restore of main removes the file only the branch tracks, and HEAD brings it back.
        expectSuccess(try box.arxos("switch", "experiment"))
        expectSuccess(try box.arxos("restore", "main"))
        #expect(!box.exists(branchOnly), "a whole-tree restore removes tracked files the revision does not have")
        #expect(try box.read(plan.file) == edited)
        #expect(box.workingFiles() == tracked)
        expectSuccess(try box.arxos("restore", "HEAD"))
        #expect(box.exists(branchOnly))
        #expect(try box.readText(plan.file).contains(plan.branchNew))
        expectSuccess(try box.arxos("switch", "main"))
        #expect(box.workingFiles() == tracked)
        let restored = try #require(try box.arxos("status", "--json").json() as? [String: Any])
        #expect(restored["clean"] as? Bool == true)

        // Tags: lightweight and annotated.
        expectSuccess(try box.arxos("tag", "v1"))
        expectSuccess(try box.arxos("tag", "-m", "commissioned", "v0", "HEAD~1"))
        #expect(try box.readText(".arxos/refs/tags/v1") == secondID + "\n")
        let tagList = try box.arxos("tag")
        #expect(tagList.stdoutLines == ["v0", "v1"])
        let tags = try #require(try box.arxos("tag", "--json").json() as? [[String: Any]])
        let v0 = try #require(tags.first { $0["name"] as? String == "v0" })
        let v1 = try #require(tags.first { $0["name"] as? String == "v1" })
        #expect(v1["annotated"] as? Bool == false)
        #expect(v1["commit"] as? String == secondID)
        #expect(v0["annotated"] as? Bool == true)
        #expect(v0["commit"] as? String == firstID)
        #expect(v0["id"] as? String != firstID)
        let tagType = try box.arxos("cat-object", "-t", "v0")
        #expect(tagType.trimmed == "tag", "\(tagType)")
        let showTag = try box.arxos("show", "v0")
        expectSuccess(showTag)
        #expect(showTag.stdout.contains("tag v0"))
        #expect(showTag.stdout.contains("commissioned"))
        #expect(showTag.stdout.contains("commit \(firstID)"))
        #expect(try box.arxos("show", "v0:\(plan.file)").stdoutData == original)

        // rev-parse of relative revisions.
        let parsed = try box.arxos("rev-parse", "HEAD~1", "HEAD", "v1", "experiment")
        expectSuccess(parsed)
        #expect(parsed.stdoutLines == [firstID, secondID, secondID, branchID])
        expectCleanFailure(try box.arxos("rev-parse", "HEAD~5"))

        // The reflog of HEAD: newest first, every move.
        let reflog = try box.arxos("reflog")
        expectSuccess(reflog)
        let moves = reflog.stdoutLines
        #expect(moves.first?.hasPrefix(String(secondID.prefix(12))) == true, "\(reflog)")
        #expect(moves.last?.hasPrefix(String(firstID.prefix(12))) == true, "\(reflog)")
        #expect(moves.last?.contains("first state") == true, "\(reflog)")
        #expect(moves.contains { $0.contains("second state") })
        #expect(moves.contains { $0.contains("on the branch") })
        #expect(moves.filter { $0.contains("switch") }.count == 6, "\(reflog)")
        let branchLog = try box.arxos("reflog", "experiment")
        #expect(branchLog.stdoutLines.count == 2, "\(branchLog)")

        // The store is sound.
        let fsck = try box.arxos("fsck")
        expectSuccess(fsck)
        #expect(fsck.stdout.contains(": ok"), "\(fsck)")
    }
}
