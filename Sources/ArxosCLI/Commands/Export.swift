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
            subcommands: [ExportBrick.self])
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
                let repository = try context.openRepository()
                let objects: [ArxObject]
                if let revision {
                    let commit = try RevisionResolver(repository: repository).resolveCommit(revision)
                    objects = try StateObjects.load(tree: try repository.objects.readCommit(commit).tree, in: repository)
                } else {
                    objects = try StateObjects.loadWorkingTree(of: repository)
                }
                let (turtle, skipped) = BrickExporter().export(objects)
                if !skipped.isEmpty && !global.quiet {
                    let shown = skipped.prefix(5).joined(separator: ", ") + (skipped.count > 5 ? ", …" : "")
                    printError("warning: \(skipped.count) object\(skipped.count == 1 ? "" : "s") of unknown type without 'brickClass' not exported: \(shown)")
                }
                if let output {
                    let path = output.hasPrefix("/") ? output : context.directory + "/" + output
                    try FileSystem.writeAtomically(path, Array(turtle.utf8))
                } else {
                    FileHandle.standardOutput.write(Data(turtle.utf8))
                }
            }
        }
    }
}
