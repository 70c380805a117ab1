import ArgumentParser
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a state against the domain rules.",
            discussion: """
                Checks the working tree (or REV) against the rules of docs/model.md: the type table's schema (value \
                kinds, units of the right dimension, required properties, ids where references are expected), \
                relations and locations that point at existing objects, no location cycles, VAV minAirflow <= \
                maxAirflow, heating <= cooling setpoints, zone setpoints in a plausible range, circuit breakers and \
                panel loads within their panel's rating, no install dates in the future, known types, and the \
                repository's threshold rules in .arxos-rules.yaml. Each violation is printed as 'file:line: severity: \
                object: message [rule]'. A rule's severity is set, or the rule turned off, with \
                'validate.rule.<id> = error|warning|off' in .arxos/config. Exit status 6 when there is an error, 0 \
                otherwise (warnings included).
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Argument(help: "The state to check (default: the working tree).", completion: .custom(completeRevisions)) var revision: String?

        struct JSONValidation: Encodable {
            var state: String
            var objects: Int
            var errors: Int
            var warnings: Int
            var violations: [Violation]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let objects: [ArxObject]
                let rulesText: String?
                let read: (String) -> [UInt8]?
                if let revision {
                    let commit = try RevisionResolver(repository: repository).resolveCommit(revision)
                    let tree = try repository.objects.readCommit(commit).tree
                    objects = try StateObjects.load(tree: tree, in: repository)
                    rulesText = try RepositoryValidation.rules(inTree: tree, of: repository)
                    read = { path in
                        guard let entry = try? TreeBuilder.entry(at: path, in: tree, objects: repository.objects) else { return nil }
                        return try? repository.objects.readBlob(entry.id)
                    }
                } else {
                    objects = try StateObjects.loadWorkingTree(of: repository)
                    rulesText = try RepositoryValidation.workingTreeRules(repository)
                    let top = repository.top
                    read = { path in try? FileSystem.read(top + "/" + path) ?? nil }
                }
                let validator = try RepositoryValidation.validator(for: repository, rulesText: rulesText)
                let violations = RepositoryValidation.locate(validator.validate(objects), read: read)
                let errors = violations.filter { $0.severity == .error }.count
                if json {
                    try printJSON(JSONValidation(state: revision ?? "working tree", objects: objects.count, errors: errors,
                                                 warnings: violations.count - errors, violations: violations))
                } else {
                    for violation in violations { output(violation.description) }
                    if !global.quiet {
                        output("\(objects.count) objects checked: \(errors) error\(errors == 1 ? "" : "s"), \(violations.count - errors) warning\(violations.count - errors == 1 ? "" : "s")")
                    }
                }
                if errors > 0 {
                    throw CommandFailure(message: "the state breaks \(errors) rule\(errors == 1 ? "" : "s") (listed above)", code: ExitCodes.validation)
                }
            }
        }
    }
}
