import Foundation
import Testing

/// The shell completions and man pages in the repository are generated from the command definitions by `make docs`
/// (scripts/gen-docs.sh). These tests fail when a command changed and nobody regenerated them.
@Suite(.tags(.endToEnd))
struct GeneratedDocsTests {
    static let regenerate = "run 'make docs' and commit completions/ and man/"

    /// Runs scripts/gen-docs.sh — the script `make docs` runs — on the binary under test into a temporary directory, and
    /// compares every file it writes with the committed one. The man pages come from the generate-manual tool the
    /// GenerateManual plugin builds (`GEN_DOCS_MANUAL_TOOL`), run directly: no SwiftPM inside the tests.
    @Test("the committed man pages and completions are what scripts/gen-docs.sh generates")
    func generatedFilesAreCurrent() throws {
        let box = try Sandbox()
        let tool = try #require(Self.manualTool(), """
            no generate-manual-tool next to \(ArxosBinary.path): the GenerateManual plugin builds it. Run 'make docs', or \
            'swift package --scratch-path <scratch> generate-manual --help' once (make test does)
            """)
        let output = box.root.appendingPathComponent("generated", isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var environment = box.environment
        environment["GEN_DOCS_MANUAL_TOOL"] = tool
        let script = ArxosBinary.packageRoot.appendingPathComponent("scripts/gen-docs.sh").path
        let result = try box.run("/usr/bin/env", ["bash", script, ArxosBinary.path, Self.manDate, output.path],
                                 in: ArxosBinary.packageRoot, environment: environment, timeout: 120, name: "gen-docs.sh")
        try #require(result.succeeded, "scripts/gen-docs.sh failed\n\(result)")
        // A fragment of a command that is gone, or a command without exit statuses, is a mistake in scripts/man-sections/.
        #expect(!result.stderr.contains("scripts/man-sections/"), "scripts/gen-docs.sh warned about scripts/man-sections/\n\(result)")

        for directory in ["man", "completions"] {
            let generated = Set(box.files(under: output.appendingPathComponent(directory)))
            let committed = Set(box.files(under: ArxosBinary.packageRoot.appendingPathComponent(directory))
                .filter { !$0.hasPrefix(".") && !$0.contains("/.") })
            try #require(!generated.isEmpty, "scripts/gen-docs.sh wrote nothing into \(directory)/\n\(result)")
            for file in generated.subtracting(committed).sorted() {
                Issue.record("\(directory)/\(file) is generated but not committed: \(Self.regenerate)")
            }
            for file in committed.subtracting(generated).sorted() {
                Issue.record("\(directory)/\(file) is committed but no longer generated: \(Self.regenerate)")
            }
            for file in generated.intersection(committed).sorted() {
                let new = try Data(contentsOf: output.appendingPathComponent("\(directory)/\(file)"))
                let old = try Data(contentsOf: ArxosBinary.packageRoot.appendingPathComponent("\(directory)/\(file)"))
                guard new != old else { continue }
                let difference = Self.firstDifference(String(decoding: old, as: UTF8.self), String(decoding: new, as: UTF8.self))
                Issue.record("\(directory)/\(file) is out of date with the command definitions: \(Self.regenerate)\n\(difference)")
            }
        }
    }

    static let mandoc = ShellCompletionTests.executable(named: "mandoc")

    /// mandoc's `-W warning` level: what it reports there is a real defect (a sentence not on its own line, an empty
    /// paragraph, a bad macro). STYLE-level notes (lines over 80 bytes, references to pages not installed) are allowed.
    @Test("every man page is clean under mandoc -T lint -W warning",
          .enabled(if: mandoc != nil, "mandoc is not installed (apt-get install mandoc; make deps installs it)"))
    func manPagesLintClean() throws {
        let box = try Sandbox()
        let manDirectory = ArxosBinary.packageRoot.appendingPathComponent("man")
        let pages = box.files(under: manDirectory).filter { $0.hasSuffix(".1") }.map { manDirectory.appendingPathComponent($0).path }
        try #require(pages.count > 10, "man/ holds only \(pages.count) pages: \(Self.regenerate)")
        let result = try box.run(try #require(Self.mandoc), ["-T", "lint", "-W", "warning"] + pages, in: manDirectory)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty && result.status == 0,
                "mandoc -T lint -W warning found problems (fix scripts/gen-docs.sh or scripts/man-sections/, then \(Self.regenerate))\n\(result)")
    }

    /// The commands whose pages must show examples (scripts/man-sections/examples/).
    static let pagesWithExamples = [
        "arxos", "arxos.init", "arxos.state.capture", "arxos.commit", "arxos.status", "arxos.diff", "arxos.log", "arxos.merge",
        "arxos.conflicts", "arxos.resolve", "arxos.validate", "arxos.config", "arxos.gc", "arxos.fsck", "arxos.key",
        "arxos.verify", "arxos.branch", "arxos.switch", "arxos.tag", "arxos.restore", "arxos.state.restore",
    ]

    @Test("every man page lists its exit statuses; the main commands' pages have examples; arxos.1 has the environment")
    func manPagesHaveTheirSections() throws {
        let box = try Sandbox()
        let manDirectory = ArxosBinary.packageRoot.appendingPathComponent("man")
        let pages = box.files(under: manDirectory).filter { $0.hasSuffix(".1") }
        try #require(pages.count > 10, "man/ holds only \(pages.count) pages: \(Self.regenerate)")
        var texts = [String: String]()
        for page in pages {
            texts[String(page.dropLast(2))] = try String(contentsOf: manDirectory.appendingPathComponent(page), encoding: .utf8)
        }
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            let lines = text.split(separator: "\n").map(String.init)
            let exitSection = lines.drop { $0 != ".Sh EXIT STATUS" }.dropFirst().prefix { !$0.hasPrefix(".Sh ") }
            #expect(exitSection.contains(".It 0") && exitSection.contains(".It 64"),
                    "man/\(name).1 does not list exit statuses 0 and 64 in EXIT STATUS: \(Self.regenerate)")
            #expect(!text.contains(".Ex -std"), "man/\(name).1 still has the generic '.Ex -std': \(Self.regenerate)")
        }
        for name in Self.pagesWithExamples {
            let text = try #require(texts[name], "man/\(name).1 is missing: \(Self.regenerate)")
            #expect(text.contains("\n.Sh EXAMPLES\n"), "man/\(name).1 has no EXAMPLES section")
        }
        // The statuses that only some commands have, on the pages of those commands.
        for (name, status) in [("arxos.validate", "6"), ("arxos.merge", "7"), ("arxos.merge", "6"), ("arxos.conflicts", "7"),
                               ("arxos.verify", "4"), ("arxos.fsck", "4"), ("arxos.state.capture", "5")] {
            #expect(texts[name]?.contains("\n.It \(status)\n") == true, "man/\(name).1 does not list exit status \(status)")
        }
        let main = try #require(texts["arxos"])
        for variable in ["ARXOS_HOME", "ARXOS_ENV", "ARXOS_CONFIG_COUNT", "ARXOS_AUTHOR_NAME", "ARXOS_AUTHOR_EMAIL",
                         "ARXOS_AUTHOR_DATE", "ARXOS_LOCK_TIMEOUT", "NO_COLOR", "ARXOS_SSH"] {
            #expect(main.contains("Ev \(variable)"), "man/arxos.1 does not describe \(variable) in ENVIRONMENT")
        }
        for file in [".arxos/", ".arxos/config", ".arxos/merge.json", ".arxosignore", "$ARXOS_HOME/config"] {
            #expect(main.contains(".It Pa \(file)"), "man/arxos.1 does not describe \(file) in FILES")
        }
    }

    @Test("man/arxos.1 names every subcommand, and every command has its page")
    func manPagesCoverTheCommands() throws {
        let box = try Sandbox()
        let dump = try box.arxos("--experimental-dump-help")
        expectSuccess(dump)
        let root = try #require(try dump.json() as? [String: Any])
        let command = try #require(root["command"] as? [String: Any], "no 'command' in the help dump\n\(dump)")
        let topLevel = Self.subcommands(of: command).map(Self.name)
        try #require(topLevel.contains("init") && topLevel.contains("state"), "the help dump lists no subcommands\n\(dump)")

        let manDirectory = ArxosBinary.packageRoot.appendingPathComponent("man")
        let mainPage = manDirectory.appendingPathComponent("arxos.1")
        let text = try #require(try? String(contentsOf: mainPage, encoding: .utf8), "man/arxos.1 is missing: \(Self.regenerate)")

        // The main page's SEE ALSO refers to each top-level subcommand's page, and to nothing else.
        let referenced = Set(text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix(".Xr arxos.") else { return nil }
            return line.dropFirst(".Xr arxos.".count).split(separator: " ").first.map(String.init)
        })
        for name in topLevel where !referenced.contains(name) {
            Issue.record("man/arxos.1 does not mention 'arxos \(name)': \(Self.regenerate)")
        }
        for name in referenced.subtracting(topLevel).sorted() {
            Issue.record("man/arxos.1 mentions 'arxos \(name)', which is no longer a command: \(Self.regenerate)")
        }

        // One page per command at every level (arxos.key.generate.1 …), and no page for a command that is gone.
        let expected = Set(Self.pageNames(of: command, prefix: "arxos"))
        let present = Set(((try? FileManager.default.contentsOfDirectory(atPath: manDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".1") })
        for page in expected.subtracting(present).sorted() {
            Issue.record("man/\(page) is missing: \(Self.regenerate)")
        }
        for page in present.subtracting(expected).sorted() {
            Issue.record("man/\(page) belongs to no command: \(Self.regenerate)")
        }
    }

    // MARK: Helpers

    /// The date `make docs` prints in the pages (the Makefile's MAN_DATE).
    static var manDate: String {
        let makefile = (try? String(contentsOf: ArxosBinary.packageRoot.appendingPathComponent("Makefile"), encoding: .utf8)) ?? ""
        for line in makefile.split(separator: "\n") where line.hasPrefix("MAN_DATE ?=") {
            return line.dropFirst("MAN_DATE ?=".count).trimmingCharacters(in: .whitespaces)
        }
        return "2026-11-27"
    }

    /// The generate-manual tool in the build directory of the binary under test (the ancestor of `ArxosBinary.path`
    /// holding workspace-state.json), where the GenerateManual plugin builds it: `<scratch>/<triple>/debug/generate-manual-tool`.
    static func manualTool() -> String? {
        var directory = URL(fileURLWithPath: ArxosBinary.path).deletingLastPathComponent().resolvingSymlinksInPath()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("workspace-state.json").path) { break }
            directory = directory.deletingLastPathComponent()
        }
        guard directory.path != "/" else { return nil }
        let triples = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.sorted() ?? []
        for triple in triples {
            for configuration in ["debug", "release"] {
                let tool = directory.appendingPathComponent("\(triple)/\(configuration)/generate-manual-tool").path
                if FileManager.default.isExecutableFile(atPath: tool) { return tool }
            }
        }
        return nil
    }

    static func subcommands(of command: [String: Any]) -> [[String: Any]] {
        (command["subcommands"] as? [[String: Any]]) ?? []
    }

    static func name(_ command: [String: Any]) -> String { command["commandName"] as? String ?? "" }

    /// `arxos.1`, `arxos.init.1`, `arxos.key.1`, `arxos.key.generate.1`, …: the pages `generate-manual --multi-page`
    /// writes.
    static func pageNames(of command: [String: Any], prefix: String) -> [String] {
        [prefix + ".1"] + subcommands(of: command).flatMap { pageNames(of: $0, prefix: prefix + "." + name($0)) }
    }

    /// The first line where two texts differ, for the failure message.
    static func firstDifference(_ committed: String, _ generated: String) -> String {
        let old = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = generated.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(old.count, new.count) {
            let a = index < old.count ? String(old[index]) : "(end of file)"
            let b = index < new.count ? String(new[index]) : "(end of file)"
            if a != b { return "first difference at line \(index + 1):\n  committed: \(a)\n  generated: \(b)" }
        }
        return "the files differ only in their final newline"
    }
}
