import Foundation
import Testing

/// The committed completion scripts (completions/), loaded into real shells, complete what an operator types:
/// subcommands, options, and — by calling back into the built `arxos` — branch and tag names of the repository.
///
/// - bash: the script is sourced and the function `complete -p arxos` names is called with `COMP_WORDS`, `COMP_CWORD`,
///   `COMP_LINE` and `COMP_POINT` set, as bash does on TAB; `COMPREPLY` is the answer.
/// - zsh: `_arguments` and the rest of compsys only run inside a completion widget, so an interactive `zsh -f` is driven
///   through a pseudo-terminal (the `zsh/zpty` module that ships with zsh): `compinit` with completions/ on `fpath`, a
///   `compadd` wrapper that prints the matches it adds, then the command line and a TAB.
/// - fish: `complete -C LINE` for subcommands and options. Names that come from `arxos` need an interactive fish (the
///   generated script asks `commandline -C` for the cursor, which fish 3.6 refuses outside one), so for those fish is
///   driven through `zsh/zpty` the same way, and the command line after TAB is read back.
///
/// A shell that is not installed is skipped with a message; `make deps` (and so `.ci/run`) installs bash, zsh and fish.
@Suite(.tags(.endToEnd))
struct ShellCompletionTests {
    /// One command line typed before TAB, where, and the candidates the shell must offer (exactly these).
    struct Case: Sendable, CustomTestStringConvertible {
        var line: String
        var expected: [String]
        /// Run from the parent of the repository instead of inside it.
        var outsideRepository = false

        var testDescription: String { "'\(line)'" + (outsideRepository ? " outside the repository" : "") }
    }

    /// Subcommands and options: static, written into the scripts.
    static let staticCases: [Case] = [
        Case(line: "arxos me", expected: ["merge"]),
        Case(line: "arxos merge --ab", expected: ["--abort"]),
        Case(line: "arxos key re", expected: ["revoke"]),
    ]

    /// Names from the fixture repository (branches main and feature, tag v1): `arxos ---completion …` at TAB time.
    static let dynamicCases: [Case] = [
        Case(line: "arxos switch fe", expected: ["feature"]),
        Case(line: "arxos tag -d v", expected: ["v1"]),
        Case(line: "arxos log fea", expected: ["feature"]),
        Case(line: "arxos diff v", expected: ["v1"]),
        // -C on the command line is honoured: the repository is the one in work/.
        Case(line: "arxos switch -C work fe", expected: ["feature"], outsideRepository: true),
        // No repository: nothing offered, and nothing printed into the prompt.
        Case(line: "arxos switch fe", expected: [], outsideRepository: true),
    ]

    static let bash = executable(named: "bash")
    static let zsh = executable(named: "zsh")
    static let fish = executable(named: "fish")

    // MARK: bash

    @Test("bash completes subcommands, options, branch and tag names", .enabled(if: bash != nil, "bash is not installed"),
          arguments: staticCases + dynamicCases)
    func bashCompletes(_ example: Case) throws {
        let fixture = try CompletionFixture()
        let script = #"""
            source "$1" || exit 90
            spec=$(complete -p arxos) || { echo "sourcing $1 registered no completion for arxos" >&2; exit 91; }
            function=${spec##*-F }
            function=${function%% *}
            line=$2
            read -r -a COMP_WORDS <<<"$line"
            [[ $line == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE=$line
            COMP_POINT=${#line}
            COMPREPLY=()
            "$function" arxos "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            (( ${#COMPREPLY[@]} == 0 )) || printf '%s\n' "${COMPREPLY[@]}"
            """#
        let result = try fixture.run(try #require(Self.bash), ["--noprofile", "--norc", "-c", script, "bash",
                                                               fixture.completion("arxos.bash"), example.line],
                                     outsideRepository: example.outsideRepository)
        expectCandidates(result.stdoutLines, example, result)
    }

    // MARK: zsh

    @Test("zsh completes subcommands, options, branch and tag names", .enabled(if: zsh != nil, "zsh is not installed"),
          arguments: staticCases + dynamicCases)
    func zshCompletes(_ example: Case) throws {
        let fixture = try CompletionFixture()
        // The compadd wrapper prints each match after a marker, and TAB is bound to a completion widget that prints an
        // end marker when compsys is done; the markers are built at run time, so that the terminal's echo of these
        // definitions never looks like one. Nothing is typed before the shell is ready: zsh skips completion while
        // there is type-ahead.
        let script = #"""
            zmodload zsh/zpty || { print -u2 "zsh has no zsh/zpty module"; exit 92 }
            zpty shell zsh -f -i
            zpty -w shell 'PS1= PROMPT= RPROMPT='
            zpty -w shell "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
            zpty -w shell 'compadd() { if [[ " $* " == *" -"[OAD]" "* ]]; then builtin compadd "$@"; return; fi; local -a found; builtin compadd -A found "$@"; local m=@@; for f in $found; do print -r -- "${m}match${m}$f"; done; builtin compadd "$@"; }'
            zpty -w shell '_traced_complete() { _main_complete; local m=@@; print -r -- "${m}end${m}"; }; zle -C traced-complete complete-word _traced_complete; bindkey "^I" traced-complete'
            zpty -w shell 'm=@@; print -r -- "${m}ready${m}"'
            zpty -r shell out '*@@ready@@*'
            zpty -w -n shell "$2"$'\t'
            zpty -r shell out '*@@end@@*'
            zpty -d shell
            print -r -- "$out"
            """#
        let result = try fixture.run(try #require(Self.zsh), ["-f", "-c", script, "zsh",
                                                              fixture.completionsDirectory, example.line],
                                     outsideRepository: example.outsideRepository, timeout: 60)
        #expect(!result.timedOut, "zsh never finished the completion\n\(result)")
        #expect(result.stdout.contains("@@end@@"), "zsh did not complete\n\(result)")
        // A match may follow the echo of the typed line on the same terminal line.
        let matches = result.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n")
            .compactMap { line in line.range(of: "@@match@@").map { String(line[$0.upperBound...]) } }
        expectCandidates(matches, example, result, checkStderr: false)
    }

    // MARK: fish

    @Test("fish completes subcommands and options (complete -C)", .enabled(if: fish != nil, "fish is not installed"),
          arguments: staticCases)
    func fishCompletesStatically(_ example: Case) throws {
        let fixture = try CompletionFixture()
        let result = try fixture.run(try #require(Self.fish), [
            "--no-config", "-c", "source $argv[1]; and complete -C $argv[2]",
            fixture.completion("arxos.fish"), example.line,
        ], outsideRepository: example.outsideRepository)
        // Each line is the candidate, then a tab and its description. stderr is not checked: outside an interactive fish
        // the script's calls back into arxos for positional arguments fail (`commandline -C`), and say so there; the
        // interactive test below checks what a user sees.
        let candidates = result.stdoutLines.map { String($0.prefix { $0 != "\t" }) }
        expectCandidates(candidates, example, result, checkStderr: false)
    }

    @Test("fish completes branch and tag names at an interactive prompt",
          .enabled(if: fish != nil, "fish is not installed"),
          .enabled(if: zsh != nil, "zsh (for its zsh/zpty pseudo-terminal module) is not installed"),
          arguments: staticCases + dynamicCases)
    func fishCompletesInteractively(_ example: Case) throws {
        let fixture = try CompletionFixture()
        // Control-X prints the command line between markers (printf builds them, so the echo of the binding never
        // matches). One candidate: fish inserts it and a space; none: the line stays as typed.
        let script = #"""
            zmodload zsh/zpty || { print -u2 "zsh has no zsh/zpty module"; exit 92 }
            zpty shell $3 --no-config --interactive
            zpty -w shell "function fish_prompt; end; function fish_greeting; end; source ${(q)1}; bind \\cx 'printf \"\\n<%s>%s</%s>\\n\" line (commandline) line'"
            zpty -w -n shell "$2"$'\t'
            zpty -w -n shell $'\x18'
            zpty -r shell out '*</line>*'
            zpty -d shell
            print -r -- "$out"
            """#
        let result = try fixture.run(try #require(Self.zsh), ["-f", "-c", script, "zsh", fixture.completion("arxos.fish"),
                                                              example.line, try #require(Self.fish)],
                                     outsideRepository: example.outsideRepository, timeout: 60)
        #expect(!result.timedOut, "fish never finished the completion\n\(result)")
        let output = result.stdout.replacingOccurrences(of: "\r", with: "")
        let line = try #require(output.range(of: "<line>").flatMap { start in
            output.range(of: "</line>", range: start.upperBound..<output.endIndex).map { String(output[start.upperBound..<$0.lowerBound]) }
        }, "fish printed no command line\n\(result)")
        var words = example.line.split(separator: " ").map(String.init)
        let expectedLine: String
        switch example.expected.count {
        case 0: expectedLine = example.line
        case 1:
            words[words.count - 1] = example.expected[0]
            expectedLine = words.joined(separator: " ") + " "
        default:
            Issue.record("a fish case must expect at most one candidate")
            return
        }
        #expect(line == expectedLine, "after TAB on '\(example.line)' fish's command line is '\(line)'\n\(result)")
    }

    // MARK: arxos itself

    /// The call every script makes at TAB time, without a shell: `arxos ---completion SUBCOMMAND… -- positional@N
    /// WORD_INDEX CURSOR WORDS…`, one candidate per line.
    @Test("arxos offers trusted key ids to 'key revoke' and HEAD and branches to 'reflog'")
    func arxosAnswersCompletionRequests() throws {
        let fixture = try CompletionFixture()
        let box = fixture.box
        expectSuccess(try box.arxos("key", "generate", "-q"))
        let exported = try box.arxos("key", "export")
        expectSuccess(exported)
        expectSuccess(try box.arxos("key", "trust", exported.trimmed))
        let keys = try #require(try box.arxos("key", "list", "--json").json() as? [String: Any])
        let trusted = ((keys["repository"] as? [[String: Any]]) ?? []).compactMap { $0["keyId"] as? String }
        try #require(trusted.count == 1, "expected one trusted key\n\(keys)")

        let revoke = try box.arxos("---completion", "key", "revoke", "--", "positional@0", "3", "0", "arxos", "key", "revoke", "")
        #expect(revoke.stdoutLines == trusted, "TAB after 'arxos key revoke ' offered \(revoke.stdoutLines)\n\(revoke)")

        let reflog = try box.arxos("---completion", "reflog", "--", "positional@0", "2", "0", "arxos", "reflog", "")
        #expect(reflog.stdoutLines == ["HEAD", "feature", "main"], "TAB after 'arxos reflog ' offered \(reflog.stdoutLines)\n\(reflog)")

        // After --detach, switch offers every revision name, not only branches.
        let detach = try box.arxos("---completion", "switch", "--", "positional@0", "3", "0", "arxos", "switch", "--detach", "")
        #expect(detach.stdoutLines == ["feature", "main", "v1"], "TAB after 'arxos switch --detach ' offered \(detach.stdoutLines)\n\(detach)")
    }

    // MARK: Helpers

    /// The first executable `name` on `PATH`.
    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func expectCandidates(_ candidates: [String], _ example: Case, _ result: RunResult, checkStderr: Bool = true,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.succeeded, "the shell failed\n\(result)", sourceLocation: sourceLocation)
        #expect(Set(candidates) == Set(example.expected),
                "TAB after '\(example.line)' offered \(candidates), expected \(example.expected)\n\(result)",
                sourceLocation: sourceLocation)
        if checkStderr {
            #expect(result.stderr.isEmpty, "completion printed on stderr (into the prompt)\n\(result)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// A repository (Fixtures/small-building, one capture) with branches main and feature and a tag v1, and a directory
/// whose `arxos` is the binary under test, first on `PATH` for the shells (the scripts call `arxos` back by name).
final class CompletionFixture {
    let box: Sandbox
    let bin: URL

    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        box = try Sandbox(.smallBuilding, sourceLocation: sourceLocation)
        for arguments in [["init", "-q"], ["state", "capture", "-q", "-m", "Initial survey"], ["branch", "-q", "feature"],
                          ["tag", "-q", "v1"]] {
            let result = try box.arxos(arguments)
            try #require(result.succeeded, "setting up the fixture failed\n\(result)", sourceLocation: sourceLocation)
        }
        bin = box.root.appendingPathComponent("bin", isDirectory: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("arxos").path,
                                                   withDestinationPath: ArxosBinary.path)
    }

    var completionsDirectory: String { ArxosBinary.packageRoot.appendingPathComponent("completions").path }

    func completion(_ file: String) -> String { completionsDirectory + "/" + file }

    /// Runs a shell in the working tree (or its parent) with the sandbox's environment and `bin` first on `PATH`.
    func run(_ shell: String, _ arguments: [String], outsideRepository: Bool, timeout: Double = 30) throws -> RunResult {
        var environment = box.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["TERM"] = "xterm"
        return try box.run(shell, arguments, in: outsideRepository ? box.root : box.work, environment: environment,
                           timeout: timeout, name: (shell as NSString).lastPathComponent)
    }
}
