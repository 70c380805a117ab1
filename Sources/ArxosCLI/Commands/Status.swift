import ArgumentParser
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the files and objects changed since HEAD.",
            discussion: "Exit status is 0 whether or not there are changes; use --json for scripts.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false

        struct JSONStatus: Encodable {
            struct File: Encodable { var path: String; var change: String }
            struct Object: Encodable { var id: String; var type: String; var path: String; var change: String }
            struct Problem: Encodable { var path: String; var line: Int; var message: String }
            var branch: String?
            var head: String?
            var clean: Bool
            var files: [File]
            var objects: [Object]
            var problems: [Problem]
            /// The merge in progress, if any.
            var merge: Merging?
            struct Merging: Encodable { var name: String; var theirs: String; var openConflicts: Int; var violations: Int }
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let status = try WorkingTreeStatus.compute(in: repository)
                var branch: String? = nil
                if case let .branch(name) = try repository.refs.head() { branch = name }
                let head = try repository.refs.headCommit()
                let merging = try MergeState.load(from: repository)
                let open = try merging.map { try Merge.openConflicts(in: repository, state: $0) } ?? []
                if json {
                    try printJSON(JSONStatus(
                        branch: branch, head: head?.hex, clean: status.isClean,
                        files: status.files.map { .init(path: $0.path, change: $0.change.rawValue) },
                        objects: status.objects.map { .init(id: $0.id, type: $0.type, path: $0.path, change: $0.change.rawValue) },
                        problems: status.problems.map { .init(path: $0.path, line: $0.line, message: $0.message) },
                        merge: merging.map { .init(name: $0.name, theirs: $0.theirs.hex, openConflicts: open.count,
                                                   violations: $0.violations.filter { $0.severity == .error }.count) }))
                    return
                }
                output(branch.map { "On branch \($0)" } ?? "HEAD detached at \(head?.abbreviated() ?? "?")")
                if head == nil { output("No commits yet") }
                if let merging {
                    if open.isEmpty {
                        output("Merging '\(merging.name)': no open conflicts (run 'arxos merge --continue' to record it)")
                    } else {
                        output("Merging '\(merging.name)': \(open.count) open conflict\(open.count == 1 ? "" : "s") (see 'arxos conflicts'; 'arxos merge --abort' gives up)")
                        for conflict in open { output("  \(global.colour.paint("conflict", .red))  \(conflict.id) \(conflict.field) in \(conflict.path)") }
                    }
                }
                if status.isClean {
                    output("nothing to capture, working tree matches HEAD")
                    return
                }
                let colour = global.colour
                func tinted(_ change: FileChange) -> String {
                    let label = change.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                    return colour.paint(label, change == .added ? .green : change == .removed ? .red : .yellow)
                }
                output("Changed files:")
                for file in status.files { output("  \(tinted(file.change)) \(file.path)") }
                if !status.objects.isEmpty {
                    output("Changed objects:")
                    for object in status.objects {
                        output("  \(tinted(object.change)) \(object.id) (\(object.type)) in \(object.path)")
                    }
                }
                for problem in status.problems { output("  problem   \(problem.localizedDescription)") }
            }
        }
    }
}
