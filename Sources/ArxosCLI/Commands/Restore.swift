import ArgumentParser
import ArxosCore
import ArxosWorkspace
import Foundation

/// The options of `arxos state restore` and `arxos restore`.
struct RestoreOptions: ParsableArguments {
    @Argument(help: "The state to restore from (a revision).", completion: .custom(completeRevisions)) var revision: String
    @Argument(help: "Files or directories to restore (default: the whole working tree).") var paths: [String] = []
}

extension Arxos {
    struct StateRestore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Bring back files, or the whole working tree, as they were in a state.",
            discussion: """
                Overwrites the named files (or every tracked file) with their content in REV and removes tracked files \
                that REV does not have. HEAD does not move; capture afterwards to record the result. Alias: 'arxos restore'.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: RestoreOptions

        func run() throws { try runRestore(global, options) }
    }

    struct RestoreCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: "Bring back files as they were in a state (alias of 'state restore').")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: RestoreOptions

        func run() throws { try runRestore(global, options) }
    }
}

func runRestore(_ global: GlobalOptions, _ options: RestoreOptions) throws {
    try CommandContext(global).runLocked { repository in
        let commit = try RevisionResolver(repository: repository).resolveCommit(options.revision)
        let source = try TreeBuilder.flatten(try repository.objects.readCommit(commit).tree, in: repository.objects)
        let tree = try WorkingTree(top: repository.top)
        let present = Set(tree.scan().map(\.path))
        let prefixes = options.paths.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        func selected(_ path: String) -> Bool {
            prefixes.isEmpty || prefixes.contains { $0 == path || $0 == "." || path.hasPrefix($0 + "/") }
        }
        for prefix in prefixes where prefix != "." {
            if !source.keys.contains(where: { $0 == prefix || $0.hasPrefix(prefix + "/") })
                && !present.contains(where: { $0 == prefix || $0.hasPrefix(prefix + "/") }) {
                throw WorkspaceError.badPath(prefix)
            }
        }
        // Files HEAD does not track are never removed: uncaptured new work stays.
        let tracked = try repository.refs.headCommit().map { try TreeBuilder.flatten(try repository.objects.readCommit($0).tree, in: repository.objects) } ?? [:]
        let paths = Set(source.keys).union(present.filter { tracked[$0] != nil }).filter(selected).sorted()
        let result = try Checkout(repository: repository).apply(old: [:], new: source, paths: paths)
        if !global.quiet {
            output("Restored \(result.written) file\(result.written == 1 ? "" : "s") from \(commit.abbreviated())\(result.removed > 0 ? ", removed \(result.removed)" : "")")
        }
    }
}
