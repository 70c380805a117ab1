import ArgumentParser
import ArxosImport
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a state to other formats.",
            discussion: "Writes the objects of the working tree or of a revision in another format. See docs/import.md.",
            subcommands: [ExportBrick.self, ExportHaystack.self])
    }

    struct ExportBrick: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "brick",
            abstract: "Export a state as a Brick model (Turtle).",
            discussion: """
                Writes each object with a type as a Brick entity: its IRI (refs.brick, else urn:arxos:ID), its \
                classes (brickClass, else the type table's class), rdfs:label from name, and brick:hasLocation, \
                brick:feeds, brick:isFedBy, brick:hasPoint and brick:isPartOf from location and the relations. \
                Properties are not exported. Exports the working tree unless REV is given.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?
        @Argument(help: "The state to export (default: the working tree).") var revision: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let objects = try Export.objects(of: revision, in: try context.openRepository())
                let (turtle, skipped) = BrickExporter().export(objects)
                if !skipped.isEmpty && !global.quiet {
                    let shown = skipped.prefix(5).joined(separator: ", ") + (skipped.count > 5 ? ", …" : "")
                    printError("warning: \(skipped.count) object\(skipped.count == 1 ? "" : "s") of unknown type without 'brickClass' not exported: \(shown)")
                }
                try Export.emit(turtle, to: output, in: context)
            }
        }
    }
}

extension Arxos.Export {
    /// The objects of `revision`, or of the working tree when it is nil.
    static func objects(of revision: String?, in repository: Repository) throws -> [ArxObject] {
        guard let revision else { return try StateObjects.loadWorkingTree(of: repository) }
        let commit = try RevisionResolver(repository: repository).resolveCommit(revision)
        return try StateObjects.load(tree: try repository.objects.readCommit(commit).tree, in: repository)
    }

    /// Writes `text` to `output` (relative to the command's directory), or to stdout when it is nil.
    static func emit(_ text: String, to output: String?, in context: CommandContext) throws {
        if let output {
            let path = output.hasPrefix("/") ? output : context.directory + "/" + output
            try FileSystem.writeAtomically(path, Array(text.utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

extension Arxos {
    /// The formats of `arxos export haystack`.
    enum HaystackExportFormat: String, ExpressibleByArgument, CaseIterable {
        case zinc, json
        /// Haystack 3 JSON (`"n:72 °F"`), for tools that do not read Hayson.
        case jsonV3 = "json-v3"
    }

    struct ExportHaystack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "haystack",
            abstract: "Export a state as a Project Haystack grid (Zinc or JSON).",
            discussion: """
                Writes one record per object: its id (refs.haystack, else made from the arxos id), dis from name, \
                the markers (properties.markers, else the type table's), siteRef/floorRef/spaceRef from location, \
                equipRef from partOf, ahuRef, elecMeterRef, elecRef and the other flow refs from fedBy, and every \
                property as a tag (quantities as numbers with units, ids as refs). arxosId, and arxosType when the \
                markers would give another type, let 'arxos import haystack' read back the same objects. JSON is \
                Hayson unless --format json-v3. Exports the working tree unless REV is given.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("zinc, json (Hayson) or json-v3 (default: json when --output ends in .json, else zinc).", valueName: "format"))
        var format: HaystackExportFormat?
        @Option(name: [.customShort("o"), .customLong("output"), .customLong("out")],
                help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?
        @Argument(help: "The state to export (default: the working tree).") var revision: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let objects = try Export.objects(of: revision, in: try context.openRepository())
                let (grid, warnings) = HaystackExporter().export(objects)
                if !global.quiet { for warning in warnings { printError("warning: " + warning) } }
                let chosen = format ?? (output?.lowercased().hasSuffix(".json") == true ? .json : .zinc)
                let text: String
                switch chosen {
                case .zinc: text = ZincWriter.write(grid)
                case .json: text = HaystackJSONWriter.write(grid, encoding: .hayson)
                case .jsonV3: text = HaystackJSONWriter.write(grid, encoding: .v3)
                }
                try Export.emit(text, to: output, in: context)
            }
        }
    }
}
