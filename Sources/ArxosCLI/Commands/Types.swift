import ArgumentParser
import ArxosModel
import Foundation

extension Arxos {
    struct Types: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the object types arxos knows, with their Brick classes and Haystack markers.",
            discussion: """
                Prints the type table shipped with arxos (docs/model.md, "The type table"): each type's Brick class, \
                Haystack markers, whether it is strict (every field conflicts when changed on two branches), its \
                strict properties, and with --json its known properties and their kinds. Unknown types are kept in a \
                repository; 'arxos validate' only flags them. Needs no repository.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Argument(help: "Show only these types.") var types: [String] = []

        struct JSONProperty: Encodable { var name: String; var kind: String; var strict: Bool; var required: Bool }
        struct JSONType: Encodable {
            var name: String
            var summary: String
            var brick: String
            var haystack: [String]
            var strict: Bool
            var strictProperties: [String]
            var properties: [JSONProperty]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let table = TypeTable.standard
                var entries = table.entries
                if !types.isEmpty {
                    for name in types where table.entry(name) == nil {
                        throw CommandFailure(message: "'\(name)' is not a known type\nhint: 'arxos types' lists them")
                    }
                    entries = entries.filter { types.contains($0.name) }
                }
                if json {
                    try printJSON(entries.map { entry in
                        JSONType(name: entry.name, summary: entry.summary, brick: entry.brickClass, haystack: entry.haystackMarkers,
                                 strict: entry.strict, strictProperties: entry.strictProperties.sorted(),
                                 properties: entry.properties.map {
                                     JSONProperty(name: $0.name, kind: $0.kind.description, strict: $0.strict, required: $0.required)
                                 })
                    })
                    return
                }
                let common = Set(table.commonProperties.filter(\.strict).map(\.name))
                let width = (entries.map(\.name.count).max() ?? 4) + 2
                let brickWidth = (entries.map(\.brickClass.count).max() ?? 5) + 2
                for entry in entries {
                    let own = entry.strictProperties.subtracting(common)
                    let strict = entry.strict ? "strict" : own.isEmpty ? "" : "strict: " + own.sorted().joined(separator: ", ")
                    let line = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
                        + entry.brickClass.padding(toLength: brickWidth, withPad: " ", startingAt: 0)
                        + entry.haystackMarkers.joined(separator: " ")
                        + (strict.isEmpty ? "" : "  (\(strict))")
                    output(line)
                }
                if !global.quiet && !common.isEmpty {
                    output("strict for every type: " + common.sorted().joined(separator: ", "))
                }
            }
        }
    }
}
