import ArgumentParser
import ArxosModel
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the open conflicts of the merge in progress.",
            discussion: """
                Each line is 'file:line: id field (kind):' and the base, our and their values. A conflict is open while its entry \
                is in the object's '$conflicts' field in the working tree; 'arxos resolve' or an edit removes it. \
                Exit status 0 with no open conflict, 7 with some, 1 when no merge is in progress.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false

        struct JSONConflicts: Encodable {
            var merging: String
            var theirs: String
            var conflicts: [OpenConflict]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                guard let state = try MergeState.load(from: repository) else { throw MergeError.noMergeInProgress }
                let open = try Merge.openConflicts(in: repository, state: state)
                if json {
                    try printJSON(JSONConflicts(merging: state.name, theirs: state.theirs.hex, conflicts: open))
                } else {
                    for conflict in open {
                        let sides = "\(conflict.base ?? "(none)") → \(conflict.ours ?? "(none)") | \(conflict.theirs ?? "(none)")"
                        output("\(conflict.path):\(conflict.line): \(conflict.id) \(conflict.field) (\(conflict.kind.rawValue)): \(sides)")
                    }
                    if !global.quiet {
                        output(open.isEmpty ? "No open conflicts; 'arxos merge --continue' records the merge."
                                            : "\(open.count) open conflict\(open.count == 1 ? "" : "s") (base → ours | theirs)")
                    }
                }
                if !open.isEmpty { throw ExitCode(ExitCodes.conflict) }
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a merge conflict: keep ours, take theirs, or give the value.",
            discussion: """
                Without FIELD every open conflict of the object is settled. For a conflict about the whole object \
                (deleted on one side, changed on the other) --ours or --theirs keeps or deletes it. The object is \
                rewritten in its file without its '$conflicts' entry. Examples: 'arxos resolve hq/vav-101 \
                properties.minAirflow --theirs', 'arxos resolve hq/vav-101 properties.minAirflow --value "180 cfm"'.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The object id.", completion: .custom(completeConflictedObjects)) var id: String
        @Argument(help: "The field, as 'arxos conflicts' shows it (properties.minAirflow, name, (object)).") var field: String?
        @Flag(help: "Keep our value.") var ours = false
        @Flag(help: "Take their value.") var theirs = false
        @Option(help: "Set this value (YAML, e.g. '180 cfm').") var value: String?

        func validate() throws {
            if [ours, theirs, value != nil].filter({ $0 }).count != 1 {
                throw ValidationError("give exactly one of --ours, --theirs, --value")
            }
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let choice: ConflictResolver.Choice
                if ours { choice = .ours } else if theirs { choice = .theirs } else {
                    guard let text = value, let parsed = ModelValue.parse(text) else {
                        throw CommandFailure(message: "--value '\(value ?? "")' is not a YAML value\nhint: quote it for the shell, e.g. --value '180 cfm'")
                    }
                    choice = .value(parsed)
                }
                let resolved = try ConflictResolver(repository: repository).resolve(id: id, field: field, choice: choice)
                if !global.quiet { output("Resolved \(id): \(resolved.joined(separator: ", "))") }
            }
        }
    }
}
