import Foundation
import Testing

/// The shell completions and man pages in the repository are generated from the command definitions by `make docs`
/// (scripts/gen-docs.sh). These tests fail when a command changed and nobody regenerated them.
@Suite(.tags(.endToEnd))
struct GeneratedDocsTests {
    /// The committed completion file of each shell.
    static let completions: [(shell: String, file: String)] = [
        ("bash", "completions/arxos.bash"),
        ("zsh", "completions/_arxos"),
        ("fish", "completions/arxos.fish"),
    ]

    static let regenerate = "run 'make docs' and commit completions/ and man/"

    @Test("the committed completions are what the binary generates", arguments: completions.map(\.shell))
    func completionsAreCurrent(_ shell: String) throws {
        let file = try #require(Self.completions.first { $0.shell == shell }?.file)
        let box = try Sandbox()
        let generated = try box.arxos("--generate-completion-script", shell)
        expectSuccess(generated)
        #expect(!generated.stdout.isEmpty, "arxos printed no \(shell) completion script\n\(generated)")
        let url = ArxosBinary.packageRoot.appendingPathComponent(file)
        let committed = try #require(FileManager.default.contents(atPath: url.path),
                                     "\(file) is missing: \(Self.regenerate)")
        guard committed != generated.stdoutData else { return }
        let difference = Self.firstDifference(String(decoding: committed, as: UTF8.self), generated.stdout)
        Issue.record("\(file) is out of date with the command definitions: \(Self.regenerate)\n\(difference)")
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
