import ArgumentParser
import ArxosCore
import ArxosProtocol
import ArxosStore
import ArxosTransfer
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send branches and tags to a remote.",
            discussion: """
                Each REF is a branch or tag name, or SRC:DST. Without REF, pushes the current branch. Each ref moves on \
                the remote only if it still holds the value this push saw (compare-and-swap), and all refs of one push \
                move together or none does. A push that would drop commits on the remote (not a fast-forward) is refused \
                unless --force-with-lease is given; the lease is the remote-tracking ref (what the last fetch saw), so \
                work pushed by others since is never overwritten unknowingly.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Allow a non-fast-forward update if the remote ref still holds the value of its remote-tracking ref.") var forceWithLease = false
        @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
        @Argument(help: "The remote (default origin).", completion: .custom(completeRemotes)) var remote: String = "origin"
        @Argument(help: "The refs to push: NAME or SRC:DST (default: the current branch).", completion: .custom(completeBranches)) var refs: [String] = []

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                try withTransferErrors {
                    let repository = try context.openRepository()
                    try Remotes.validate(remote)
                    let url = try Remotes.url(repository, remote)
                    let specs = try pushSpecs(repository)
                    let connection = try RemoteConnection(url: url, directory: repository.top,
                                                          options: Remotes.options(repository, remote: remote, arxosPath: arxosPath),
                                                          meter: ProgressMeter.standardError(global))
                    let (results, stats, updates) = try connection.run { session -> ([RefResult], ClientSession.Stats, [RefUpdate]) in
                        guard session.canPush else { throw CommandFailure(message: "remote '\(remote)' does not accept pushes (receive.denyPush)") }
                        let (remoteRefs, _) = try session.listRefs(prefixes: ["refs/heads/", "refs/tags/"])
                        let current = Dictionary(remoteRefs.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
                        let updates = try plan(specs, remoteValues: current, repository: repository)
                        if updates.isEmpty { return ([], ClientSession.Stats(), []) }
                        var known = Set<ObjectID>()
                        for id in current.values where try repository.objects.contains(id) { known.insert(id) }
                        let (results, stats) = try session.push(updates, store: repository.objects, known: known, probing: !remoteRefs.isEmpty)
                        return (results, stats, updates)
                    }
                    if updates.isEmpty {
                        if !global.quiet { output("Everything up to date") }
                        return
                    }
                    if !global.quiet { output("Sent \(stats.objects) objects (\(stats.bytes) bytes) to \(remote)") }
                    try report(results, updates: updates, repository: repository)
                }
            }
        }

        /// (local ref, remote ref) pairs.
        func pushSpecs(_ repository: Repository) throws -> [(String, String)] {
            if refs.isEmpty {
                guard case let .branch(branch) = try repository.refs.head() else {
                    throw CommandFailure(message: "HEAD is detached: name the ref to push\nhint: arxos push \(remote) BRANCH")
                }
                return [("refs/heads/" + branch, "refs/heads/" + branch)]
            }
            return try refs.map { spec in
                let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let source = try fullName(parts[0], repository: repository)
                let destination = parts.count == 2 ? (parts[1].hasPrefix("refs/") ? parts[1] : (source.hasPrefix("refs/tags/") ? "refs/tags/" : "refs/heads/") + parts[1]) : source
                try RefStore.validate(destination)
                return (source, destination)
            }
        }

        func fullName(_ name: String, repository: Repository) throws -> String {
            if name.hasPrefix("refs/"), try repository.refs.read(name) != nil { return name }
            for prefix in ["refs/heads/", "refs/tags/"] where try repository.refs.read(prefix + name) != nil { return prefix + name }
            throw CommandFailure(message: "'\(name)' is not a branch or tag of this repository\nhint: list them with 'arxos branch' and 'arxos tag'")
        }

        /// The compare-and-swap updates to send; refuses a non-fast-forward without --force-with-lease and a lease
        /// that no longer holds.
        func plan(_ specs: [(String, String)], remoteValues: [String: ObjectID], repository: Repository) throws -> [RefUpdate] {
            var updates = [RefUpdate]()
            let walker = HistoryWalker(objects: repository.objects)
            for (source, destination) in specs {
                guard let new = try repository.refs.read(source) else { throw CommandFailure(message: "\(source) does not exist") }
                let old = remoteValues[destination]
                if old == new { continue }
                var force = false
                if let old {
                    let fastForward = try repository.objects.contains(old) && walker.isAncestor(old, of: new)
                    if !fastForward {
                        guard forceWithLease else {
                            throw CommandFailure(message: "\(shortRef(destination)) on \(remote) is not an ancestor of your \(shortRef(source)) (non-fast-forward); nothing was pushed\nhint: run 'arxos pull \(remote)' to integrate the remote's commits, or push with --force-with-lease to replace them")
                        }
                        let tracking = destination.hasPrefix("refs/heads/") ? "refs/remotes/\(remote)/" + destination.dropFirst("refs/heads/".count) : destination
                        let lease = try repository.refs.read(String(tracking))
                        if let lease, lease != old {
                            throw CommandFailure(message: "\(shortRef(destination)) on \(remote) moved to \(old.abbreviated()) since the last fetch (expected \(lease.abbreviated())); nothing was pushed\nhint: run 'arxos fetch \(remote)' and look at the new commits before forcing")
                        }
                        force = true
                    }
                }
                updates.append(RefUpdate(ref: destination, old: old, new: new, force: force))
            }
            return updates
        }

        func report(_ results: [RefResult], updates: [RefUpdate], repository: Repository) throws {
            let failed = results.filter { !$0.ok }
            if !failed.isEmpty {
                let first = failed.first(where: { !($0.rejection ?? "").hasPrefix("not applied") }) ?? failed[0]
                throw CommandFailure(message: "\(remote) refused \(first.ref): \(first.rejection ?? "rejected"); nothing was pushed")
            }
            // The remote now holds these values: record them in the remote-tracking refs.
            let lock = try repository.lock()
            defer { withExtendedLifetime(lock) {} }
            for update in updates {
                if !global.quiet { output("  \(shortRef(update.ref)): \(update.old.map { $0.abbreviated() } ?? "(new)")..\(update.new.map { $0.abbreviated() } ?? "(deleted)")\(update.force ? " (forced)" : "")") }
                guard update.ref.hasPrefix("refs/heads/") else { continue }
                let tracking = "refs/remotes/\(remote)/" + update.ref.dropFirst("refs/heads/".count)
                try repository.refs.update(tracking, to: update.new, expecting: .any, who: repository.identity(), message: "push: \(remote)")
            }
        }
    }
}
