import ArxosStore
@testable import ArxosWorkspace
import Foundation
import Testing

struct IgnoreCase: CustomTestStringConvertible, Sendable {
    var rules: String
    var path: String
    var isDirectory = false
    var ignored: Bool
    var testDescription: String { "\(rules.debugDescription) \(ignored ? "ignores" : "keeps") \(path)\(isDirectory ? "/" : "")" }
}

private let cases: [IgnoreCase] = [
    // A name pattern matches at any depth, files and directories.
    IgnoreCase(rules: "*.bak.yaml", path: "a.bak.yaml", ignored: true),
    IgnoreCase(rules: "*.bak.yaml", path: "hvac/deep/a.bak.yaml", ignored: true),
    IgnoreCase(rules: "*.bak.yaml", path: "hvac/a.yaml", ignored: false),
    IgnoreCase(rules: "scratch", path: "scratch", isDirectory: true, ignored: true),
    IgnoreCase(rules: "scratch", path: "floors/scratch", isDirectory: true, ignored: true),
    IgnoreCase(rules: "scratch", path: "floors/scratch.yaml", ignored: false),
    IgnoreCase(rules: "draft.yaml", path: "a/b/c/draft.yaml", ignored: true),
    // A leading / anchors at the top.
    IgnoreCase(rules: "/draft.yaml", path: "draft.yaml", ignored: true),
    IgnoreCase(rules: "/draft.yaml", path: "hvac/draft.yaml", ignored: false),
    IgnoreCase(rules: "/hvac", path: "hvac", isDirectory: true, ignored: true),
    IgnoreCase(rules: "/hvac", path: "old/hvac", isDirectory: true, ignored: false),
    // A / in the middle anchors too.
    IgnoreCase(rules: "hvac/*.yaml", path: "hvac/ahu.yaml", ignored: true),
    IgnoreCase(rules: "hvac/*.yaml", path: "site/hvac/ahu.yaml", ignored: false),
    IgnoreCase(rules: "hvac/*.yaml", path: "hvac/sub/ahu.yaml", ignored: false),
    // A trailing / matches directories only.
    IgnoreCase(rules: "archive/", path: "archive", isDirectory: true, ignored: true),
    IgnoreCase(rules: "archive/", path: "old/archive", isDirectory: true, ignored: true),
    IgnoreCase(rules: "archive/", path: "archive", isDirectory: false, ignored: false),
    IgnoreCase(rules: "/archive/", path: "old/archive", isDirectory: true, ignored: false),
    // ! negates; the last matching rule decides.
    IgnoreCase(rules: "*.yaml\n!keep.yaml", path: "keep.yaml", ignored: false),
    IgnoreCase(rules: "*.yaml\n!keep.yaml", path: "hvac/keep.yaml", ignored: false),
    IgnoreCase(rules: "*.yaml\n!keep.yaml", path: "drop.yaml", ignored: true),
    IgnoreCase(rules: "!keep.yaml\n*.yaml", path: "keep.yaml", ignored: true),
    // ** crosses directories, * and ? do not.
    IgnoreCase(rules: "**/tmp", path: "tmp", isDirectory: true, ignored: true),
    IgnoreCase(rules: "**/tmp", path: "a/b/tmp", isDirectory: true, ignored: true),
    IgnoreCase(rules: "a/**/b.yaml", path: "a/b.yaml", ignored: true),
    IgnoreCase(rules: "a/**/b.yaml", path: "a/x/b.yaml", ignored: true),
    IgnoreCase(rules: "a/**/b.yaml", path: "a/x/y/b.yaml", ignored: true),
    IgnoreCase(rules: "a/**", path: "a/x/y.yaml", ignored: true),
    IgnoreCase(rules: "a/**", path: "a", isDirectory: true, ignored: false),
    IgnoreCase(rules: "a/*", path: "a/x/y.yaml", ignored: false),
    IgnoreCase(rules: "a/*/c.yaml", path: "a/x/c.yaml", ignored: true),
    IgnoreCase(rules: "a/*/c.yaml", path: "a/x/y/c.yaml", ignored: false),
    IgnoreCase(rules: "vav-?.yaml", path: "vav-1.yaml", ignored: true),
    IgnoreCase(rules: "vav-?.yaml", path: "vav-10.yaml", ignored: false),
    IgnoreCase(rules: "/a?b.yaml", path: "a/b.yaml", ignored: false),
    // Character classes.
    IgnoreCase(rules: "floor-[a-c].yaml", path: "floor-b.yaml", ignored: true),
    IgnoreCase(rules: "floor-[a-c].yaml", path: "floor-d.yaml", ignored: false),
    IgnoreCase(rules: "floor-[!a-c].yaml", path: "floor-d.yaml", ignored: true),
    IgnoreCase(rules: "floor-[!a-c].yaml", path: "floor-a.yaml", ignored: false),
    IgnoreCase(rules: "floor-[13].yaml", path: "floor-3.yaml", ignored: true),
    IgnoreCase(rules: "floor-[13].yaml", path: "floor-2.yaml", ignored: false),
    // Comments, blank lines, trailing spaces and CRLF.
    IgnoreCase(rules: "# draft.yaml\n\n", path: "draft.yaml", ignored: false),
    IgnoreCase(rules: "draft.yaml   \n", path: "draft.yaml", ignored: true),
    IgnoreCase(rules: "\\#hash.yaml", path: "#hash.yaml", ignored: true),
    IgnoreCase(rules: "", path: "anything.yaml", ignored: false),
]

/// gitignore semantics for `**`: it matches whole path components, never part of a name.
private let componentCases: [IgnoreCase] = [
    IgnoreCase(rules: "**/tmp", path: "attmp", isDirectory: true, ignored: false),
    IgnoreCase(rules: "**/tmp", path: "a/xtmp", isDirectory: true, ignored: false),
    IgnoreCase(rules: "a/**/b.yaml", path: "a/xb.yaml", ignored: false),
    IgnoreCase(rules: "**/old.yaml", path: "hvac/bold.yaml", ignored: false),
]

@Suite("IgnoreRules: .arxosignore patterns")
struct IgnoreRulesTests {
    @Test(arguments: cases)
    func pattern(_ c: IgnoreCase) {
        #expect(IgnoreRules(text: c.rules).isIgnored(c.path, isDirectory: c.isDirectory) == c.ignored)
    }

    @Test("** only matches whole path components", arguments: componentCases)
    func doubleStarStopsAtComponents(_ c: IgnoreCase) {
        // Regression test for a fixed bug: IgnoreRules.glob tries every byte offset after `**`, not only offsets after a `/`, so `**/tmp`
        // ignores `attmp` and `a/xtmp`, and `**/old.yaml` ignores `hvac/bold.yaml`: files are silently left out of
        // captures. In gitignore, `**/` matches zero or more whole directories.
        #expect(IgnoreRules(text: c.rules).isIgnored(c.path, isDirectory: c.isDirectory) == c.ignored)
    }

    @Test("a .arxosignore with CRLF line endings works like one with LF")
    func crlfLines() {
        let rules = IgnoreRules(text: "# written on Windows\r\n*.draft.yaml\r\narchive/\r\n!keep.draft.yaml\r\n")
        // Regression test for a fixed bug: IgnoreRules(text:) splits with String.split(separator: "\n"), but "\r\n" is a single Character in Swift,
        // so a CRLF file is never split into lines: it becomes one pattern that matches nothing, and every rule of an
        // .arxosignore saved with Windows line endings is silently ignored (the code's "\r" trimming never runs).
        #expect(rules.isIgnored("x.draft.yaml", isDirectory: false))
        #expect(rules.isIgnored("old/archive", isDirectory: true))
        #expect(!rules.isIgnored("keep.draft.yaml", isDirectory: false))
    }

    @Test func emptyRules() {
        #expect(IgnoreRules().isEmpty)
        #expect(IgnoreRules(text: "# only comments\n\n").isEmpty)
        #expect(!IgnoreRules(text: "x").isEmpty)
    }

    @Test("the scan of a working tree applies .arxosignore")
    func scanAppliesRules() throws {
        let sandbox = try Sandbox("ignore")
        try sandbox.write(".arxosignore", "archive/\n*.draft.yaml\n!keep.draft.yaml\n/top-only.yaml\n")
        for path in ["a.yaml", "archive/old.yaml", "x/archive/old.yaml", "x/b.draft.yaml", "x/keep.draft.yaml",
                     "top-only.yaml", "x/top-only.yaml", "notes.txt", ".hidden/a.yaml", "x/c.yml"] {
            try sandbox.write(path, "id: \(path)\ntype: vav\n")
        }
        let scanned = try WorkingTree(top: sandbox.path).scan().map(\.path)
        #expect(scanned == [".arxosignore", "a.yaml", "x/c.yml", "x/keep.draft.yaml", "x/top-only.yaml"])
    }
}
