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
                'origin', creates the branch the remote's HEAD is on and checks it out. If anything fails, DIR is removed.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
        @Argument(help: "A path, file:///path, ssh://[user@]host[:port]/path or [user@]host:path.") var url: String
        @Argument(help: "The new directory.") var directory: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                try withTransferErrors {
                    _ = try RemoteURL(parsing: url, relativeTo: context.directory)
                    let name = directory ?? Clone.defaultDirectory(url)
                    let target = name.hasPrefix("/") ? name : context.directory + "/" + name
                    if FileSystem.exists(target), !FileSystem.list(target).isEmpty {
                        throw CommandFailure(message: "destination '\(name)' already exists and is not empty\nhint: name another directory: arxos clone \(url) DIR")
                    }
                    let created = !FileSystem.exists(target)
                    do {
                        try clone(into: target, context: context)
                    } catch {
                        // Leave nothing behind: the directory if the clone made it, else what it put in it.
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

        func clone(into target: String, context: CommandContext) throws {
            // A local URL is stored absolute, so the clone keeps working from any directory.
            let parsed = try RemoteURL(parsing: url, relativeTo: context.directory)
            let stored: String
            if case let .local(path) = parsed { stored = path } else { stored = url }
            try Repository.initialize(at: target)
            let repository = try Repository.discover(from: target)
            var config = repository.config
            config.set("remote.origin.url", stored)
            if let arxosPath { config.set("remote.origin.arxosPath", arxosPath) }
            try config.save()
            try repository.reloadConfig()
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
            try repository.refs.update("refs/heads/" + branch, to: tip, expecting: .absent, who: repository.identity(),
                                       message: "clone: from \(stored)", alsoLogHead: true)
            let tree = try repository.objects.readCommit(tip).tree
            let files = try TreeBuilder.flatten(tree, in: repository.objects)
            _ = try Checkout(repository: repository).populate(files)
            if !global.quiet { output("Cloned into '\(target)' on branch \(branch) at \(tip.abbreviated())") }
        }
    }
}
