import ArgumentParser
import ArxosCore
import ArxosStore
import ArxosTransfer
import ArxosTransport
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Clone: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a remote repository into a new directory.",
            discussion: """
                Creates DIR (default: the last component of URL), fetches every branch and tag from URL as remote \
                'origin', creates the branch the remote's HEAD is on and checks it out. If the connection is cut, the objects \
                received and verified so far are kept in DIR (invisible until the clone completes) and running the same \
                clone again resumes it, without receiving them again; if anything else fails, DIR is removed.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
        @Argument(help: "A path, file:///path, ssh://[user@]host[:port]/path or [user@]host:path.") var url: String
        @Argument(help: "The new directory.") var directory: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                try withTransferErrors {
                    // A local URL is stored absolute, so the clone keeps working from any directory.
                    let stored: String
                    if case let .local(path) = try RemoteURL(parsing: url, relativeTo: context.directory) { stored = path } else { stored = url }
                    let name = directory ?? Clone.defaultDirectory(url)
                    let target = name.hasPrefix("/") ? name : context.directory + "/" + name
                    let unfinished = UnfinishedClone.read(target)
                    if let unfinished {
                        guard unfinished.url == stored else {
                            throw CommandFailure(message: "'\(name)' holds an unfinished clone of \(unfinished.url), not of \(stored)\nhint: resume it with 'arxos clone \(unfinished.url) \(name)', or remove '\(name)'")
                        }
                    } else if FileSystem.exists(target), !FileSystem.list(target).isEmpty {
                        throw CommandFailure(message: "destination '\(name)' already exists and is not empty\nhint: name another directory: arxos clone \(url) DIR")
                    }
                    let created = unfinished?.created ?? !FileSystem.exists(target)
                    // This process owns the directory once it holds the lock on the marker; only then may a failure
                    // clean it up (a second clone of the same directory must not remove the first one's work).
                    var claimed = false
                    do {
                        if unfinished != nil {
                            try UnfinishedClone.claim(top: target, name: name)
                            claimed = true
                        }
                        try clone(into: target, stored: stored, resuming: unfinished != nil, created: created, claimed: &claimed,
                                  context: context)
                    } catch {
                        guard claimed else { throw error }
                        // Cut off after some objects arrived whole: keep them (still in quarantine, invisible) for the
                        // next attempt. Anything else leaves nothing behind: the directory if a clone made it, else
                        // what it put in it.
                        let kept = (try? Repository.discover(from: target)).map { Quarantine.resumableObjects(in: $0) } ?? 0
                        if kept > 0 {
                            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                            throw CommandFailure(message: text + "\nhint: the \(kept) objects received and verified are kept in '\(name)': "
                                                 + "run 'arxos clone \(url) \(name)' again to resume, or remove '\(name)'",
                                                 code: CommandContext.exitCode(for: error))
                        }
                        if created {
                            try? FileManager.default.removeItem(atPath: target)
                        } else {
                            for name in FileSystem.list(target) { try? FileManager.default.removeItem(atPath: target + "/" + name) }
                        }
                        throw error
                    }
                }
            }
        }

        /// `a/b/site.arxos` → `site`; `host:dir/` → `dir`.
        static func defaultDirectory(_ url: String) -> String {
            var last = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? "repository"
            if last.hasSuffix(".arxos") { last = String(last.dropLast(".arxos".count)) }
            return last.isEmpty || last == "." || last == ".." ? "repository" : last
        }

        func clone(into target: String, stored: String, resuming: Bool, created: Bool, claimed: inout Bool,
                   context: CommandContext) throws {
            let repository: Repository
            if resuming {
                repository = try Repository.discover(from: target)
                let kept = Quarantine.resumableObjects(in: repository)
                if !global.quiet { output("Resuming the clone into '\(target)'" + (kept > 0 ? " (\(kept) objects kept)" : "")) }
            } else {
                try Repository.initialize(at: target)
                repository = try Repository.discover(from: target)
                var config = repository.config
                config.set("remote.origin.url", stored)
                if let arxosPath { config.set("remote.origin.arxosPath", arxosPath) }
                try config.save()
                try repository.reloadConfig()
                try UnfinishedClone(url: stored, created: created).create(repository, name: target)
                claimed = true
            }
            let outcome = try fetchRemote(repository, remote: "origin", context: context, arxosPath: arxosPath, quiet: global.quiet)
            guard let head = outcome.remoteHead, head.hasPrefix("refs/heads/") else {
                if !global.quiet { printError("warning: the remote's HEAD names no branch; nothing was checked out") }
                return
            }
            let branch = String(head.dropFirst("refs/heads/".count))
            try RefStore.validateShort(branch)
            try repository.refs.setHead(branch: branch)
            guard let tip = try repository.refs.read("refs/remotes/origin/" + branch) else {
                if !global.quiet { printError("warning: the remote's branch \(branch) has no commits yet; nothing was checked out") }
                return
            }
            let lock = try repository.lock()
            defer { withExtendedLifetime(lock) {} }
            // A resumed clone may have been stopped after making the branch, or during the checkout: whatever the
            // working tree holds came from that checkout, and is written again.
            if try repository.refs.read("refs/heads/" + branch) != tip {
                try repository.refs.update("refs/heads/" + branch, to: tip, expecting: .absent, who: repository.identity(),
                                           message: "clone: from \(stored)", alsoLogHead: true)
            }
            if resuming {
                for name in FileSystem.list(repository.top) where name != ".arxos" {
                    try FileManager.default.removeItem(atPath: repository.top + "/" + name)
                }
            }
            let tree = try repository.objects.readCommit(tip).tree
            let files = try TreeBuilder.flatten(tree, in: repository.objects)
            _ = try Checkout(repository: repository).populate(files, progress: ProgressMeter.standardError(global)?.handler)
            UnfinishedClone.remove(repository)
            if !global.quiet { output("Cloned into '\(target)' on branch \(branch) at \(tip.abbreviated())") }
        }
    }
}

/// `.arxos/clone-in-progress`: written when a clone creates its repository, removed when it has checked out. Its
/// presence lets the same `arxos clone` resume, and refuses a clone of another URL into the directory (format.md).
struct UnfinishedClone {
    var url: String
    /// Whether the clone made the directory (so giving up removes it) rather than filling an empty one.
    var created: Bool

    static func path(_ top: String) -> String { top + "/.arxos/clone-in-progress" }

    static func read(_ top: String) -> UnfinishedClone? {
        guard let text = try? String(contentsOfFile: path(top), encoding: .utf8) else { return nil }
        var url: String?, created = true
        for line in text.split(separator: "\n") {
            if line.hasPrefix("url ") { url = String(line.dropFirst(4)) }
            if line == "created false" { created = false }
        }
        return url.map { UnfinishedClone(url: $0, created: created) }
    }

    /// Writes the marker, which must not exist yet, and holds its lock until the process ends.
    func create(_ repository: Repository, name: String) throws {
        let path = UnfinishedClone.path(repository.top)
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw UnfinishedClone.busy(name) }
            throw StoreError.io(path: path, operation: "create", errno: errno)
        }
        try UnfinishedClone.lock(fd, name: name)
        try FileSystem.writeAll(fd, Array("url \(url)\ncreated \(created)\n".utf8), path: path)
        guard fsync(fd) == 0 else { throw StoreError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Takes the lock of an unfinished clone's marker until the process ends: refused while another clone holds it.
    static func claim(top: String, name: String) throws {
        let fd = open(path(top), O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path(top), operation: "open", errno: errno) }
        try lock(fd, name: name)
    }

    /// Locks `fd` (never closed: the kernel releases the lock when the process ends, however it ends).
    private static func lock(_ fd: Int32, name: String) throws {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw busy(name)
        }
    }

    private static func busy(_ name: String) -> CommandFailure {
        CommandFailure(message: "another 'arxos clone' is filling '\(name)'\nhint: wait for it to finish, or clone into another directory",
                       code: ExitCodes.locked)
    }

    static func remove(_ repository: Repository) { unlink(path(repository.top)) }
}
