import ArgumentParser
import ArxosStore
import ArxosTransfer
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the objects and refs of a remote.",
            discussion: """
                Updates the remote-tracking refs refs/remotes/REMOTE/BRANCH and creates tags the repository lacks. Only \
                objects this repository lacks travel; they are verified in a quarantine before any of them becomes visible.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
        @Argument(help: "The remote (default origin).", completion: .custom(completeRemotes)) var remote: String = "origin"

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                try withTransferErrors {
                    let repository = try context.openRepository()
                    _ = try fetchRemote(repository, remote: remote, context: context, arxosPath: arxosPath, quiet: global.quiet)
                }
            }
        }
    }
}

/// Fetches `remote` into `repository` and prints what moved (unless quiet). Shared by fetch, pull and clone.
func fetchRemote(_ repository: Repository, remote: String, context: CommandContext, arxosPath: String?, quiet: Bool) throws -> RemoteFetch.Outcome {
    try Remotes.validate(remote)
    let url = try Remotes.url(repository, remote)
    let connection = try RemoteConnection(url: url, directory: repository.top,
                                          options: Remotes.options(repository, remote: remote, arxosPath: arxosPath),
                                          meter: quiet ? nil : ProgressMeter.standardError(context.options))
    let outcome = try connection.run { session in try RemoteFetch(repository: repository, remote: remote).run(session: session) }
    if !quiet {
        if outcome.stats.objects > 0 || !outcome.changes.isEmpty {
            output("Received \(outcome.stats.objects) objects (\(outcome.stats.bytes) bytes) from \(remote)")
        }
        for change in outcome.changes {
            let what = change.old.map { "\($0.abbreviated())..\(change.new.abbreviated())" } ?? "new \(change.new.abbreviated())"
            output("  \(shortRef(change.remote)) -> \(shortRef(change.local)) (\(what))")
        }
    }
    return outcome
}
