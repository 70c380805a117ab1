import ArgumentParser
import ArxosImport
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import building models from other formats into the working tree.",
            discussion: """
                Writes arxos objects (YAML) into the working tree from a model in another format; nothing is \
                captured. Review the files, then run 'arxos state capture'. See docs/import.md.
                """,
            subcommands: [ImportBrick.self])
    }

    struct ImportBrick: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "brick",
            abstract: "Import a Brick model (Turtle) as arxos objects.",
            discussion: """
                Reads the file as Turtle and writes one object per entity with a Brick class: the class gives the type \
                (through the type table; unknown classes are kept in 'brickClass'), rdfs:label the name, \
                hasLocation/isLocationOf the location, feeds, isFedBy, hasPoint/isPointOf and hasPart/isPartOf the \
                relations feeds, fedBy, points and partOf; floors get a level number from their name. Objects go to \
                buildings/BUILDING/spaces.yaml, equipment/TYPE.yaml and points.yaml. Each oddity (an unknown \
                class, an untyped entity, a reference to something not in the file) is reported once as a warning on \
                stderr, and a relation to something not imported is not written. Refuses to overwrite files with \
                uncaptured edits or to write ids that already exist, unless --force. The mapping is in docs/import.md.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Option(help: ArgumentHelp("The building id, the first part of every object id (default: the file's only brick:Building, else the file name).", valueName: "id"))
        var building: String?
        @Flag(help: "Print what would be written; write nothing.") var dryRun = false
        @Flag(help: "Overwrite files with uncaptured edits and objects whose ids already exist in those files.") var force = false
        @Argument(help: ArgumentHelp("The Turtle file to read.", valueName: "file.ttl")) var file: String

        struct JSONFile: Encodable { var path: String; var objects: Int }
        struct JSONImport: Encodable {
            var file: String
            var building: String
            var triples: Int
            var objects: Int
            var types: [String: Int]
            var files: [JSONFile]
            var warnings: [String]
            var dryRun: Bool
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                if let building, building.isEmpty || building.contains("/") || building.unicodeScalars.contains(where: { $0.value <= 0x20 }) {
                    throw CommandFailure(message: "'\(building)' is not a building id; use letters, digits, '-', '_' or '.', without '/' or spaces")
                }
                let path = file.hasPrefix("/") ? file : context.directory + "/" + file
                guard let bytes = try? FileSystem.read(path) ?? nil else {
                    throw CommandFailure(message: "cannot read '\(file)': no such file or not readable")
                }
                var parser = TurtleParser(bytes: bytes, file: file)
                let triples = try parser.parse()
                let stem = (file.split(separator: "/").last.map(String.init) ?? file).replacingOccurrences(of: ".ttl", with: "")
                let result = BrickImporter(triples: triples, prefixes: parser.declaredPrefixes).run(building: building, fileStem: stem)
                let files = result.files

                // Refuse to lose work: uncaptured edits in the files written, ids that exist already.
                let targets = Set(files.map(\.path))
                let status = try WorkingTreeStatus.compute(in: repository)
                let edited = status.files.filter { targets.contains($0.path) && $0.change != .removed }.map(\.path)
                if !edited.isEmpty && !force {
                    throw CommandFailure(message: "\(edited.joined(separator: ", ")) \(edited.count == 1 ? "has" : "have") uncaptured edits; capture or restore \(edited.count == 1 ? "it" : "them") first, or give --force to overwrite")
                }
                let existing = try StateObjects.loadWorkingTree(of: repository)
                let newIDs = Set(result.objects.map(\.id))
                let clashes = existing.filter { newIDs.contains($0.id) }
                if let elsewhere = clashes.first(where: { !targets.contains($0.path) }) {
                    throw CommandFailure(message: "object '\(elsewhere.id)' already exists in \(elsewhere.path); remove it or import with another --building")
                }
                if let clash = clashes.first, !force {
                    throw CommandFailure(message: "object '\(clash.id)' already exists in \(clash.path) (\(clashes.count) object\(clashes.count == 1 ? "" : "s") in all); give --force to replace the imported files")
                }

                if !dryRun {
                    for (relative, objects) in files {
                        let target = repository.top + "/" + relative
                        try FileSystem.makeDirectories(String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)]))
                        let text = "# Imported by 'arxos import brick' from \(stem).ttl; see docs/import.md.\n"
                            + ObjectWriter.file(objects.map(\.fields), layout: .list)
                        try FileSystem.writeAtomically(target, Array(text.utf8))
                    }
                }
                if json {
                    try printJSON(JSONImport(file: file, building: result.building, triples: result.tripleCount,
                                             objects: result.objects.count, types: result.countsByType,
                                             files: files.map { JSONFile(path: $0.path, objects: $0.objects.count) },
                                             warnings: result.warnings, dryRun: dryRun))
                } else {
                    for warning in result.warnings { printError("warning: " + warning) }
                    if !global.quiet {
                        for (relative, objects) in files {
                            output("\(dryRun ? "would write" : "wrote") \(relative) (\(objects.count) object\(objects.count == 1 ? "" : "s"))")
                        }
                        let counts = result.countsByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                        output("\(result.objects.count) objects from \(result.tripleCount) triples into buildings/\(result.building): \(counts); \(result.warnings.count) warning\(result.warnings.count == 1 ? "" : "s")")
                    }
                }
            }
        }
    }
}
