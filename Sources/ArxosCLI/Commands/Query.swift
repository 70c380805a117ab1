import ArgumentParser
import ArxosCore
import ArxosIndex
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Select objects of a state with a query.",
            usage: "arxos query EXPR [--rev REV] [--json | --count | --ids] [--buildings]",
            discussion: """
                Runs a query of docs/query.md against HEAD's state (or REV's) and prints the objects it selects, in \
                id order: fields (id, type, name, building, floor, file), properties with units converted \
                (maxAirflow > 800 cfm, zoneTempSetpoint >= 70 degF), and, or, not, parentheses, in (...), has NAME, glob \
                matching with ~ (id ~ 'hq/vav-*'), building properties (building.region = 'west') and relations \
                (fedBy->type = 'ahu'). Queries read the index .arxos/index.db, which is built on first use and kept \
                up to date by captures; uncaptured edits are not seen. A query that cannot be read fails with its \
                line and column (exit status 64).
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The query, for example \"type = 'vav' and maxAirflow > 800 cfm\".") var expression: String
        @Option(help: ArgumentHelp("The state to query (default HEAD).", valueName: "rev"), completion: .custom(completeRevisions))
        var rev = "HEAD"
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Flag(help: "Print only the number of objects selected.") var count = false
        @Flag(help: "Print only the ids, one per line.") var ids = false
        @Flag(help: "Select the buildings of the objects the query selects, each once.") var buildings = false

        func validate() throws {
            if [json, count, ids].filter({ $0 }).count > 1 { throw ValidationError("give at most one of --json, --count, --ids") }
        }

        struct Document: Encodable {
            var revision: String
            var tree: String
            var query: String
            var buildings: Bool
            var count: Int
            var objects: [IndexedObject]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let parsed = try Self.parse(expression)
                let engine = try QueryEngine(repository: repository)
                let tree = try engine.tree(of: rev)
                let objects: [IndexedObject]
                do {
                    objects = buildings ? try engine.buildings(matching: expression, at: tree) : try engine.select(parsed, at: tree)
                } catch let error as QueryError {
                    throw CommandFailure(message: error.errorDescription ?? error.message, code: ExitCodes.usage)
                }
                if json {
                    try printJSON(Document(revision: rev, tree: tree.hex, query: expression, buildings: buildings,
                                           count: objects.count, objects: objects))
                } else if count {
                    output("\(objects.count)")
                } else if ids {
                    if !objects.isEmpty { output(objects.map(\.id).joined(separator: "\n")) }
                } else {
                    Self.table(objects, quiet: global.quiet)
                }
            }
        }

        /// Parses the query first, so a bad query fails before any index is opened.
        static func parse(_ expression: String) throws -> QueryExpression {
            do {
                return try QueryParser.parse(expression)
            } catch {
                throw CommandFailure(message: error.errorDescription ?? error.message, code: ExitCodes.usage)
            }
        }

        /// Aligned columns: id, type, building, floor, name; then the count unless quiet.
        static func table(_ objects: [IndexedObject], quiet: Bool) {
            let rows = objects.map { [$0.id, $0.type, $0.building ?? "-", $0.floor.map(String.init) ?? "-", $0.name ?? ""] }
            var widths = [Int](repeating: 0, count: 4)
            for row in rows { for i in 0..<4 { widths[i] = max(widths[i], row[i].count) } }
            var lines = [String]()
            for row in rows {
                var line = ""
                for i in 0..<4 { line += row[i] + String(repeating: " ", count: widths[i] - row[i].count + 2) }
                lines.append((line + row[4]).trimmingCharacters(in: .whitespaces))
            }
            if !lines.isEmpty { output(lines.joined(separator: "\n")) }
            if !quiet { output("\(objects.count) object\(objects.count == 1 ? "" : "s")") }
        }
    }

    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build or inspect the query index (.arxos/index.db).",
            discussion: """
                The index is a cache of the objects of states for 'arxos query': it can be deleted at any time and is \
                rebuilt when needed. Captures keep it up to date once it exists.
                """,
            subcommands: [IndexRebuild.self, IndexStatus.self])
    }

    struct IndexRebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild",
            abstract: "Index every object of a state again (default HEAD).",
            discussion: """
                Reads every file of REV's state and writes its rows again, replacing what the index held for it. An \
                index file that cannot be opened is deleted and created anew.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The state to index (default HEAD).", completion: .custom(completeRevisions)) var revision: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let resolver = RevisionResolver(repository: repository)
                let tree = try resolver.resolveTree(revision ?? "HEAD")
                let headTree = try? resolver.resolveTree("HEAD")
                let start = Date()
                let index: ObjectIndex
                do {
                    index = try ObjectIndex(repository: repository)
                } catch IndexError.unreadable {
                    try ObjectIndex.remove(in: repository)
                    index = try ObjectIndex(repository: repository)
                }
                let update = try index.rebuild(tree: tree, in: repository, followHead: tree == headTree)
                if !global.quiet {
                    let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
                    output("indexed \(update.state.objects) objects in \(update.state.files) files of \(revision ?? "HEAD") (tree \(tree.abbreviated())) in \(seconds) s")
                }
            }
        }
    }

    struct IndexStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "List the states the index holds.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON (docs/json.md).") var json = false

        /// `index status --json` (docs/json.md).
        struct Report: Encodable {
            var path: String
            var exists: Bool
            var bytes: Int
            var states: [State]
            struct State: Encodable {
                var tree: String
                var objects: Int
                var files: Int
                var updated: Int
                var head: Bool
                var followsHead: Bool
            }
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                guard ObjectIndex.exists(in: repository) else {
                    if json {
                        try printJSON(Report(path: repository.root + "/index.db", exists: false, bytes: 0, states: []))
                    } else {
                        output("no index yet; the first 'arxos query' builds it (or run 'arxos index rebuild')")
                    }
                    return
                }
                let index = try ObjectIndex(repository: repository)
                let headTree = try? RevisionResolver(repository: repository).resolveTree("HEAD")
                let bytes = ["", "-wal"].compactMap {
                    (try? FileManager.default.attributesOfItem(atPath: index.path + $0))?[.size] as? Int
                }.reduce(0, +)
                if json {
                    let states = try index.states().map {
                        Report.State(tree: $0.tree.hex, objects: $0.objects, files: $0.files, updated: Int($0.updated),
                                     head: $0.tree == headTree, followsHead: $0.followsHead)
                    }
                    try printJSON(Report(path: index.path, exists: true, bytes: bytes, states: states))
                    return
                }
                output("\(index.path): \(bytes / 1024) KiB")
                let formatter = ISO8601DateFormatter()
                for state in try index.states() {
                    let notes = [state.tree == headTree ? "HEAD" : nil,
                                 state.followsHead && state.tree != headTree ? "follows HEAD, updated by the next query" : nil].compactMap { $0 }
                    output("tree \(state.tree.abbreviated())  \(state.objects) objects  \(state.files) files  updated \(formatter.string(from: Date(timeIntervalSince1970: state.updated)))  \(notes.joined(separator: ", "))")
                }
            }
        }
    }
}

/// After a capture: brings the index up to HEAD's new state when the repository has an index (one that never
/// queried pays nothing). The index is a cache, so a failure here is a warning and the capture still succeeds.
func refreshIndexAfterCapture(_ repository: Repository) {
    guard ObjectIndex.exists(in: repository) else { return }
    do {
        let engine = try QueryEngine(repository: repository)
        try engine.prepare(try engine.tree(of: "HEAD"))
    } catch {
        let reason = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        printError("arxos: warning: the query index was not updated (\(reason)); the next query updates it, or run 'arxos index rebuild'")
    }
}
