import ArgumentParser
import ArxosCore
import ArxosModel
import ArxosWorkspace
import Foundation

/// The options of `arxos state capture` and `arxos commit`.
struct CaptureOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The message describing this state.") var message: String?
    @Flag(help: "Record a commit even if nothing changed.") var allowEmpty = false
    @Flag(help: "Replace the last commit of the branch instead of adding one.") var amend = false
    @Option(help: ArgumentHelp("Override the author, as 'Name <email>'.", valueName: "author")) var author: String?
    @Flag(help: "Do not sign the commit even if a key exists.") var noSign = false
    @Flag(help: "Capture even if the state breaks rules (emergencies only); recorded as 'Validation-Skipped: yes' in the commit message.")
    var noValidate = false
}

extension Arxos {
    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Capture and restore states of the building.",
            subcommands: [StateCapture.self, StateRestore.self, StateDiffCommand.self])
    }

    struct StateCapture: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "capture",
            abstract: "Record the working tree as a new commit on the current branch.",
            discussion: """
                Every changed file is parsed and every object id checked for uniqueness first; a bad file stops the \
                capture with 'file:line: problem' and nothing is written. The changed objects are then checked \
                against the rules of 'arxos validate' (and the repository's .arxos-rules.yaml): an error refuses the \
                capture (exit status 6), warnings are printed. --no-validate skips the check and records it in the \
                commit. Commits are signed when you have a key ('arxos key generate'). Alias: 'arxos commit'.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: CaptureOptions

        func run() throws { try runCapture(global, options) }
    }

    struct CommitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit", abstract: "Record the working tree as a new commit (alias of 'state capture').")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: CaptureOptions

        func run() throws { try runCapture(global, options) }
    }
}

func runCapture(_ global: GlobalOptions, _ options: CaptureOptions) throws {
    let context = CommandContext(global)
    try context.run {
        let repository = try context.openRepository()
        if !options.amend, let state = try MergeState.load(from: repository) {
            // A capture while a merge is stopped records the merge commit, as 'arxos merge --continue' does.
            var merge = Merge(repository: repository, validator: try Validator.configured(for: repository))
            merge.message = options.message
            merge.signer = try context.signer(disabled: options.noSign)
            let (commit, violations) = try concludeMerge(merge, allowViolations: false)
            for violation in violations { output(violation.description) }
            refreshIndexAfterCapture(repository)
            if !global.quiet { output("Merge of '\(state.name)' recorded as \(commit.abbreviated()).") }
            return
        }
        guard options.message != nil || options.amend || options.allowEmpty else {
            throw CommandFailure(message: "a capture needs a message\nhint: arxos state capture -m \"what changed\"")
        }
        var capture = Capture(message: options.message)
        capture.allowEmpty = options.allowEmpty
        capture.amend = options.amend
        capture.signer = try context.signer(disabled: options.noSign)
        capture.validate = !options.noValidate
        capture.recordSkippedValidation = options.noValidate
        if let author = options.author {
            guard let parsed = parseAuthor(author, time: repository.identity()) else { throw WorkspaceError.badIdentity(author) }
            capture.author = parsed
        }
        // Reading many files and writing their objects shows progress on a terminal.
        let meter = ProgressMeter.standardError(global)
        capture.progress = meter?.handler
        let result: Capture.Result
        do {
            defer { meter?.end() }
            result = try capture.run(in: repository)
        } catch let failure as ValidationFailure {
            for violation in failure.violations { printError(violation.description) }
            let count = failure.errors.count
            throw CommandFailure(message: """
                the state breaks \(count) rule\(count == 1 ? "" : "s") (listed above); nothing was captured
                hint: fix the objects listed, or in an emergency capture with --no-validate (recorded in the commit)
                """, code: ExitCodes.validation)
        }
        for warning in result.warnings { printError(warning.description) }
        refreshIndexAfterCapture(repository)
        let packLimit = repository.setting("gc.autoPackLimit").flatMap(Int.init) ?? 50
        if result.packCount > packLimit {
            printError("hint: the store has \(result.packCount) packs; run 'arxos gc' to merge them and keep reads fast")
        }
        if !global.quiet {
            let place = result.branch ?? "detached HEAD"
            output("[\(place)\(result.isRoot ? " (root)" : "") \(result.commit.abbreviated())] \(options.message.map { Capture.normalize($0) }?.split(separator: "\n").first.map(String.init) ?? "")")
            output("\(result.filesRead) file\(result.filesRead == 1 ? "" : "s") read, \(result.objectsWritten) object\(result.objectsWritten == 1 ? "" : "s") written")
        }
    }
}

/// Parses `Name <email>`, keeping the time of `time`.
func parseAuthor(_ text: String, time: Person) -> Person? {
    guard let lt = text.firstIndex(of: "<"), let gt = text.lastIndex(of: ">"), lt < gt else { return nil }
    let name = text[..<lt].trimmingCharacters(in: .whitespaces)
    let email = String(text[text.index(after: lt)..<gt])
    guard Person.isValidField(name), Person.isValidField(email), !name.isEmpty else { return nil }
    return Person(name: name, email: email, seconds: time.seconds, offsetMinutes: time.offsetMinutes)
}
