import ArgumentParser
import ArxosCore
import ArxosStore
import ArxosTransfer
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch from a remote and fast-forward the current branch.",
            discussion: """
                Fetches REMOTE (default origin), then moves the current branch and the working tree to REMOTE/BRANCH \
                (default: the branch of the same name) when that is a fast-forward. When both sides have new commits, \
                nothing is changed and the command exits 1: merge them with 'arxos merge REMOTE/BRANCH'.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
        @Argument(help: "The remote (default origin).") var remote: String = "origin"
        @Argument(help: "The remote branch (default: the current branch's name).") var branch: String?

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
                    try integrate(theirs, named: "\(remote)/\(remoteBranch)", into: current, repository: repository)
                }
            }
        }

        /// Fast-forwards `branch` (and the working tree) to `theirs`. A diverged history is where a merge would go: the
        /// merge command does that work, so pull stops and says so.
        func integrate(_ theirs: ObjectID, named name: String, into branch: String, repository: Repository) throws {
            let lock = try repository.lock()
            defer { withExtendedLifetime(lock) {} }
            let ref = "refs/heads/" + branch
            let ours = try repository.refs.read(ref)
            let walker = HistoryWalker(objects: repository.objects)
            if let ours, try ours == theirs || walker.isAncestor(theirs, of: ours) {
                if !global.quiet { output("Already up to date.") }
                return
            }
            if let ours, try !walker.isAncestor(ours, of: theirs) {
                throw CommandFailure(message: "\(branch) and \(name) have diverged; nothing was changed\nhint: merge them with 'arxos merge \(name)'")
            }
            let oldTree = try ours.map { try repository.objects.readCommit($0).tree }
            let newTree = try repository.objects.readCommit(theirs).tree
            let result = try Checkout(repository: repository).switchTree(from: oldTree, to: newTree, action: "pulling \(name)")
            try repository.refs.update(ref, to: theirs, expecting: ours.map { .value($0) } ?? .absent, who: repository.identity(),
                                       message: "pull: fast-forward to \(name)", alsoLogHead: true)
            if !global.quiet {
                output("Fast-forward \(ours?.abbreviated() ?? "(none)")..\(theirs.abbreviated()): \(result.written) files written, \(result.removed) removed")
            }
        }
    }
}
