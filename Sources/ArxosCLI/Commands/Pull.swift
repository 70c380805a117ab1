import ArgumentParser
import ArxosCore
import ArxosModel
import ArxosStore
import ArxosTransfer
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch from a remote and merge its branch into the current one.",
            discussion: """
                Fetches REMOTE (default origin), then merges REMOTE/BRANCH (default: the branch of the same name) into \
                the current branch exactly as 'arxos merge REMOTE/BRANCH' would: a fast-forward when possible, \
                otherwise a three-way merge of objects; conflicts stop it with exit status 7, rule errors with 6. \
                --ff-only refuses anything but a fast-forward and changes nothing.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
        @Flag(help: "Only fast-forward; refuse (changing nothing) when both sides have new commits.") var ffOnly = false
        @Flag(help: "Do not sign a merge commit even if a key exists.") var noSign = false
        @Argument(help: "The remote (default origin).", completion: .custom(completeRemotes)) var remote: String = "origin"
        @Argument(help: "The remote branch (default: the current branch's name).", completion: .custom(completeBranches)) var branch: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                try withTransferErrors {
                    let repository = try context.openRepository()
                    guard case let .branch(current) = try repository.refs.head() else {
                        throw CommandFailure(message: "HEAD is detached: switch to a branch before pulling\nhint: arxos switch BRANCH")
                    }
                    _ = try fetchRemote(repository, remote: remote, context: context, arxosPath: arxosPath, quiet: global.quiet)
                    let remoteBranch = branch ?? current
                    try RefStore.validateShort(remoteBranch)
                    let tracking = "refs/remotes/\(remote)/\(remoteBranch)"
                    guard let theirs = try repository.refs.read(tracking) else {
                        throw CommandFailure(message: "remote '\(remote)' has no branch '\(remoteBranch)'\nhint: list its branches with 'arxos branch --json' after 'arxos fetch', or name one: arxos pull \(remote) BRANCH")
                    }
                    try integrate(theirs, named: "\(remote)/\(remoteBranch)", repository: repository)
                }
            }
        }

        /// Merges `theirs` into the current branch: a fast-forward when possible, otherwise the three-way merge of
        /// `arxos merge` (conflicts and rule errors stop it the same way).
        func integrate(_ theirs: ObjectID, named name: String, repository: Repository) throws {
            var merge = Merge(repository: repository, validator: try Validator.configured(for: repository))
            merge.fastForwardOnly = ffOnly
            merge.signer = try CommandContext(global).signer(disabled: noSign)
            try report(try merge.run(theirs: theirs, name: name), name: name, global: global)
        }
    }
}
