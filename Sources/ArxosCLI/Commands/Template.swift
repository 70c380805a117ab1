import ArgumentParser
import ArxosIndex
import ArxosMerge
import ArxosTemplates
import ArxosWorkspace
import Foundation

extension Arxos {
    struct TemplateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template",
            abstract: "List, check, render and apply configuration templates.",
            discussion: """
                A template (docs/templates.md) is YAML: parameters with types, defaults and ranges, includes of other \
                templates, and rules that select objects with a query and set their properties to values or to \
                expressions over the parameters. Templates come from the ones shipped with arxos and from the \
                repository's own templates/ folder (which wins for a name both have). 'render' prints the \
                property-level diff a template would make; 'apply' makes it in the working tree, to be reviewed with \
                'arxos diff' and captured.
                """,
            subcommands: [TemplateList.self, TemplateShow.self, TemplateValidate.self, TemplateRender.self, TemplateApply.self])
    }

    struct TemplateList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the templates there are.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false

        struct Item: Encodable {
            var name: String
            var source: String
            var file: String
            var description: String
            var includes: [String]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let registry = TemplateRegistry(repositoryTop: try context.openRepositoryIfAny()?.top)
                var items = [Item]()
                for name in registry.names {
                    guard let entry = registry.entries[name] else { continue }
                    let template = try? TemplateReader.read(entry.text, file: entry.file, name: name)
                    items.append(Item(name: name, source: entry.source.rawValue, file: entry.file,
                                      description: template?.description ?? "(does not read; run 'arxos template validate \(name)')",
                                      includes: template?.includes.map(\.name) ?? []))
                }
                if json {
                    try printJSON(["templates": items])
                    return
                }
                let width = items.map(\.name.count).max() ?? 0
                for item in items {
                    let marker = item.source == "repository" ? "  (repository)" : ""
                    output(item.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + item.description + marker)
                }
            }
        }
    }

    struct TemplateShow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a template's parameters, includes and rules.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A template name (hvac/standard) or a template file.", completion: .custom(completeTemplateNames)) var name: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let (registry, template) = try loadTemplate(name, context: context)
                let resolved = try registry.resolve(template)
                output("\(template.name): \(template.description)")
                output("file: \(template.file)")
                if !template.includes.isEmpty { output("includes: \(template.includes.map(\.name).joined(separator: ", "))") }
                output("parameters:")
                for parameter in resolved.parameters.values.sorted(by: { $0.name < $1.name }) {
                    var line = "  \(parameter.name) (\(parameter.type.rawValue)\(parameter.unit.map { ", \($0.symbol)" } ?? ""))"
                    line += " = " + (parameter.defaultValue?.description ?? "(no default; give it with --set)")
                    if parameter.min != nil || parameter.max != nil {
                        line += "  range " + (parameter.min?.description ?? "…") + " to " + (parameter.max?.description ?? "…")
                    }
                    if let allowed = parameter.allowed { line += "  one of " + allowed.joined(separator: ", ") }
                    if parameter.template != template.name { line += "  [from \(parameter.template)]" }
                    if let description = parameter.description { line += "  — " + description }
                    output(line)
                }
                output("rules:")
                for rule in resolved.rules {
                    output("  \(rule.label.map { $0 + ": " } ?? "")select \(rule.select)\(rule.template != template.name ? "  [from \(rule.template)]" : "")")
                    for assignment in rule.assignments {
                        output("    \(assignment.property): \(assignment.source)")
                    }
                }
            }
        }
    }

    struct TemplateValidate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check templates without running them (all of them when no name is given).",
            discussion: """
                Checks a template and everything it includes: the YAML and its keys, parameter types, units, defaults \
                and ranges, include names and cycles, selectors (a query that does not parse is reported with its \
                column) and the parameters and units of every expression. Exit status 1 when one is invalid.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Template names or files (default: every template).", completion: .custom(completeTemplateNames))
        var names: [String] = []

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let top = try context.openRepositoryIfAny()?.top
                let registry = TemplateRegistry(repositoryTop: top)
                let names = self.names.isEmpty ? registry.names : self.names
                var failures = 0
                for name in names {
                    do {
                        let (registry, template) = try loadTemplate(name, context: context)
                        let resolved = try registry.resolve(template)
                        _ = try resolved.bind([])
                        if !global.quiet {
                            output("\(template.name): valid (\(resolved.parameters.count) parameters, \(resolved.rules.count) rules\(resolved.templates.count > 1 ? ", \(resolved.templates.count - 1) included template\(resolved.templates.count == 2 ? "" : "s")" : ""))")
                        }
                    } catch {
                        failures += 1
                        CommandContext.report(error)
                    }
                }
                if failures > 0 { throw ExitCode(ExitCodes.failure) }
            }
        }
    }

    /// The options `render` and `apply` share.
    struct TemplateRunOptions: ParsableArguments {
        @Argument(help: "A template name (hvac/standard) or a template file.", completion: .custom(completeTemplateNames)) var name: String
        @Option(name: .customLong("set"), help: ArgumentHelp("Give a parameter a value, as in occupiedCooling='24 degC' (repeatable).", valueName: "name=value"))
        var settings: [String] = []
        @Option(help: ArgumentHelp("Only objects this query selects too (ANDed with every rule's selector).", valueName: "query"))
        var target: String?
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
    }

    struct TemplateRender: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Print the property-level diff a template would make, changing nothing.",
            discussion: """
                Selects each rule's objects in the last captured state (through the query index, like 'arxos query'), \
                computes the properties on the working tree's version of those objects, and prints what would change \
                as 'arxos diff' does. Objects lacking a property an expression reads are left alone, with a warning.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: TemplateRunOptions

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let (rendering, template) = try renderTemplate(options, repository: repository, context: context)
                try report(rendering, template: template, options: options, global: global, written: nil)
            }
        }
    }

    struct TemplateApply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Make a template's changes in the working tree (then review and capture).",
            discussion: """
                Renders the template as 'arxos template render' does and writes the files holding changed objects \
                (rewritten by arxos's YAML writer: comments inside those files are not kept, those at the top are). \
                Review with 'arxos diff', then record with 'arxos state capture'.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: TemplateRunOptions

        func run() throws {
            let context = CommandContext(global)
            try context.runLocked { repository in
                let (rendering, template) = try renderTemplate(options, repository: repository, context: context)
                try TemplateRenderer(repository: repository).write(rendering)
                try report(rendering, template: template, options: options, global: global, written: rendering.files.keys.sorted())
            }
        }
    }
}

/// The registry of the repository around the command (if any) and the template named `name`, or read from the file
/// `name` when it is a path to a `.yaml`/`.yml` file.
private func loadTemplate(_ name: String, context: CommandContext) throws -> (TemplateRegistry, Template) {
    let registry = TemplateRegistry(repositoryTop: try context.openRepositoryIfAny()?.top)
    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
        let path = name.hasPrefix("/") ? name : context.directory + "/" + name
        if let data = FileManager.default.contents(atPath: path) {
            return (registry, try TemplateReader.read(String(decoding: data, as: UTF8.self), file: name))
        }
    }
    return (registry, try registry.template(name))
}

/// Checks the template, binds the parameters and renders it; usage errors (`--set`, `--target`) exit with 64.
private func renderTemplate(_ options: Arxos.TemplateRunOptions, repository: Repository,
                            context: CommandContext) throws -> (Rendering, ResolvedTemplate) {
    let (registry, template) = try loadTemplate(options.name, context: context)
    let resolved = try registry.resolve(template)
    let values: [String: TemplateValue]
    do {
        values = try resolved.bind(ResolvedTemplate.settings(options.settings))
    } catch {
        throw CommandFailure(message: error.errorDescription ?? "\(error)", code: ExitCodes.usage)
    }
    do {
        return (try TemplateRenderer(repository: repository).render(resolved, values: values, target: options.target), resolved)
    } catch let error as QueryError {
        throw CommandFailure(message: "--target: " + (error.errorDescription ?? error.message), code: ExitCodes.usage)
    }
}

/// The JSON document of `render` and `apply` (docs/json.md#template-render).
private struct RenderDocument: Encodable {
    var template: String
    var target: String?
    var parameters: [String: String]
    var selected: Int
    var objects: [ObjectChange]
    var warnings: [String]
    var files: [String]
    var applied: Bool
}

/// Prints the changes (or the JSON document), the warnings on stderr and a summary line.
private func report(_ rendering: Rendering, template: ResolvedTemplate, options: Arxos.TemplateRunOptions,
                    global: GlobalOptions, written: [String]?) throws {
    for warning in rendering.warnings { printError("arxos: warning: " + warning) }
    if options.json {
        try printJSON(RenderDocument(template: template.root.name, target: options.target,
                                     parameters: rendering.values.mapValues(\.description), selected: rendering.selected,
                                     objects: rendering.changes, warnings: rendering.warnings,
                                     files: rendering.files.keys.sorted(), applied: written != nil))
        return
    }
    printObjectChanges(rendering.changes, colour: global.colour)
    guard !global.quiet else { return }
    let count = rendering.changes.count
    let summary = "\(template.root.name): \(count) object\(count == 1 ? "" : "s") \(written == nil ? "would change" : "changed") of \(rendering.selected) selected"
    if count == 0 {
        output("\(template.root.name): nothing to change in the \(rendering.selected) object\(rendering.selected == 1 ? "" : "s") selected")
    } else if let written {
        output(summary + "; wrote \(written.count) file\(written.count == 1 ? "" : "s"). Review with 'arxos diff', then 'arxos state capture'.")
    } else {
        output(summary)
    }
}

/// Template names (shipped and the repository's), for shell completion.
@Sendable func completeTemplateNames(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    TemplateRegistry(repositoryTop: completionRepository(words)?.top).names.filter { $0.hasPrefix(prefix) }
}
