import ArgumentParser
import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosWorkspace
import Foundation

extension Arxos {
    struct MergeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Join another branch or state into the current branch, object by object.",
            discussion: """
                Fast-forwards when the current branch is contained in REV. Otherwise merges three-way against the \
                common ancestor (a virtual one for criss-cross histories): different properties of one object merge \
                cleanly, equal changes merge, relations merge as sets of ids; the same property changed two ways, a \
                delete against a change, or a strict (life-safety) property changed on both sides is a conflict. \
                Conflicts are kept as data: the files stay valid YAML with a '$conflicts' field on each conflicted \
                object; list them with 'arxos conflicts', settle them with 'arxos resolve', then run \
                'arxos merge --continue' (or 'arxos merge --abort'). The validation rules run on the merged objects; \
                an error stops the merge unless --allow-violations is given. See docs/model.md, "Merging". Exit \
                status: 0 merged or up to date, 7 stopped with conflicts, 6 stopped by rule errors, 1 refused.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The branch, tag or commit to merge.", completion: .custom(completeRevisions)) var revision: String?
        @Option(name: .shortAndLong, help: "The merge commit's message.") var message: String?
        @Flag(help: "Merge, but stop before recording the commit.") var noCommit = false
        @Flag(help: "Only fast-forward; refuse if both sides have new commits.") var ffOnly = false
        @Flag(help: "Record a merge commit even when a fast-forward is possible.") var noFf = false
        @Option(name: [.customShort("X"), .long], help: ArgumentHelp("Settle every conflict with one side's value.", valueName: "ours|theirs"))
        var strategyOption: String?
        @Flag(help: "Record the merge even if the merged state breaks a rule (noted in the commit message).")
        var allowViolations = false
        @Flag(name: .customLong("continue"), help: "Record the merge commit once conflicts are resolved.") var continueMerge = false
        @Flag(help: "Give up the merge in progress and put the files back as they were.") var abort = false
        @Flag(help: "Do not sign the merge commit even if a key exists.") var noSign = false

        func validate() throws {
            if continueMerge && abort { throw ValidationError("--continue and --abort cannot be used together") }
            if (continueMerge || abort) && revision != nil { throw ValidationError("--continue and --abort take no revision") }
            if !continueMerge && !abort && revision == nil { throw ValidationError("give the branch or commit to merge") }
            if ffOnly && noFf { throw ValidationError("--ff-only and --no-ff cannot be used together") }
            if let option = strategyOption, ObjectMerge.Favor(rawValue: option) == nil {
                throw ValidationError("--strategy-option takes 'ours' or 'theirs', not '\(option)'")
            }
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                var merge = Merge(repository: repository, validator: try Validator.configured(for: repository))
                merge.message = message
                merge.noCommit = noCommit
                merge.fastForwardOnly = ffOnly
                merge.noFastForward = noFf
                merge.favor = strategyOption.flatMap(ObjectMerge.Favor.init(rawValue:))
                merge.allowViolations = allowViolations
                merge.signer = try context.signer(disabled: noSign)
                if abort {
                    let count = try merge.abort()
                    if !global.quiet { output("Merge aborted: \(count) file\(count == 1 ? "" : "s") put back as in HEAD.") }
                    return
                }
                if continueMerge {
                    let (commit, violations) = try concludeMerge(merge, allowViolations: allowViolations)
                    for violation in violations { output(violation.description) }
                    if !global.quiet { output("Merge recorded as \(commit.abbreviated()).") }
                    return
                }
                guard let revision else { return }
                let theirs = try RevisionResolver(repository: repository).resolveCommit(revision)
                try report(try merge.run(theirs: theirs, name: revision), name: revision, global: global)
            }
        }
    }
}

/// Prints what a merge (or a pull) did, or explains why it stopped and exits with the matching status: 7 for
/// conflicts, 6 for rule errors, 0 for `--no-commit`.
func report(_ outcome: Merge.Outcome, name: String, global: GlobalOptions) throws {
    /// Violations are results, like `arxos validate`'s: on stdout; the error line goes to stderr.
    func printViolations(_ violations: [Violation]) {
        for violation in violations { output(violation.description) }
    }
    switch outcome {
    case .upToDate:
        if !global.quiet { output("Already up to date.") }
    case let .fastForward(commit, written):
        if !global.quiet { output("Fast-forward to \(commit.abbreviated()): \(written) file\(written == 1 ? "" : "s") updated.") }
    case let .merged(commit, written, violations):
        printViolations(violations)
        if !global.quiet { output("Merged '\(name)' as \(commit.abbreviated()): \(written) file\(written == 1 ? "" : "s") updated.") }
    case let .stopped(state):
        if !state.conflicts.isEmpty {
            for conflict in state.conflicts {
                output("\(global.colour.paint("CONFLICT", .red)) (\(conflict.kind.rawValue)): \(conflict.id) \(conflict.field) in \(conflict.path)")
            }
            throw CommandFailure(
                message: "the merge of '\(state.name)' stopped with \(state.conflicts.count) conflict\(state.conflicts.count == 1 ? "" : "s")\nhint: 'arxos conflicts' lists them; 'arxos resolve ID --ours|--theirs|--value V', then 'arxos merge --continue' (or 'arxos merge --abort')",
                code: ExitCodes.conflict)
        }
        printViolations(state.violations)
        let errors = state.violations.filter { $0.severity == .error }
        if !errors.isEmpty { throw MergeStopped(violations: errors) }
        if !global.quiet {
            output("Merged '\(state.name)' into the working tree without a commit (--no-commit).")
            output("hint: review it, then 'arxos merge --continue' records the commit")
        }
    }
}

/// Concludes a stopped merge (`merge --continue`, or a capture while merging), printing rule errors before failing.
func concludeMerge(_ merge: Merge, allowViolations: Bool) throws -> (ObjectID, [Violation]) {
    do {
        return try merge.conclude(allowViolations: allowViolations)
    } catch let stopped as MergeStopped {
        for violation in stopped.violations { output(violation.description) }
        throw stopped
    }
}

extension Validator {
    /// The validator a merge uses: the repository's rule settings and the threshold rules file of the working tree.
    static func configured(for repository: Repository) throws -> Validator {
        try RepositoryValidation.validator(for: repository, rulesText: try RepositoryValidation.workingTreeRules(repository))
    }
}
