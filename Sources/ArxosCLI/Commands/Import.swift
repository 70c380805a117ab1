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
            subcommands: [ImportBrick.self, ImportHaystack.self])
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
                try Import.check(building: building)
                let bytes = try Import.input(file, in: context)
                var parser = TurtleParser(bytes: bytes, file: file)
                let triples = try parser.parse()
                let stem = (file.split(separator: "/").last.map(String.init) ?? file).replacingOccurrences(of: ".ttl", with: "")
                let result = BrickImporter(triples: triples, prefixes: parser.declaredPrefixes).run(building: building, fileStem: stem)
                let files = result.files

                let header = "# Imported by 'arxos import brick' from \(stem).ttl; see docs/import.md.\n"
                try Import.write(files.map { ($0.path, $0.objects.map(\.fields)) }, ids: Set(result.objects.map(\.id)),
                                 header: header, in: repository, force: force, dryRun: dryRun)
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

extension Arxos.Import {
    /// Writes the files of an import into the working tree, after checking that no work is lost: a file with
    /// uncaptured edits is refused unless `force`, an id that exists in another file always, an id that exists in a
    /// file being replaced unless `force`. With `dryRun`, checks only.
    static func write(_ files: [(path: String, objects: [[ModelValue.Field]])], ids newIDs: Set<String>, header: String,
                      in repository: Repository, force: Bool, dryRun: Bool) throws {
        let targets = Set(files.map(\.path))
        let status = try WorkingTreeStatus.compute(in: repository)
        let edited = status.files.filter { targets.contains($0.path) && $0.change != .removed }.map(\.path)
        if !edited.isEmpty && !force {
            throw CommandFailure(message: "\(edited.joined(separator: ", ")) \(edited.count == 1 ? "has" : "have") uncaptured edits; capture or restore \(edited.count == 1 ? "it" : "them") first, or give --force to overwrite")
        }
        let existing = try StateObjects.loadWorkingTree(of: repository)
        let clashes = existing.filter { newIDs.contains($0.id) }
        if let elsewhere = clashes.first(where: { !targets.contains($0.path) }) {
            throw CommandFailure(message: "object '\(elsewhere.id)' already exists in \(elsewhere.path); remove it or import with another --building")
        }
        if let clash = clashes.first, !force {
            throw CommandFailure(message: "object '\(clash.id)' already exists in \(clash.path) (\(clashes.count) object\(clashes.count == 1 ? "" : "s") in all); give --force to replace the imported files")
        }
        guard !dryRun else { return }
        for (relative, objects) in files {
            let target = repository.top + "/" + relative
            try FileSystem.makeDirectories(String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)]))
            try FileSystem.writeAtomically(target, Array((header + ObjectWriter.file(objects, layout: .list)).utf8))
        }
    }

    /// The bytes of the file to import, `file` relative to the command's directory.
    static func input(_ file: String, in context: CommandContext) throws -> [UInt8] {
        let path = file.hasPrefix("/") ? file : context.directory + "/" + file
        guard let bytes = try? FileSystem.read(path) ?? nil else {
            throw CommandFailure(message: "cannot read '\(file)': no such file or not readable")
        }
        return bytes
    }

    /// A `--building` value, checked: letters, digits, `-`, `_` or `.`, without `/` or spaces.
    static func check(building: String?) throws {
        if let building, building.isEmpty || building.contains("/") || building.unicodeScalars.contains(where: { $0.value <= 0x20 }) {
            throw CommandFailure(message: "'\(building)' is not a building id; use letters, digits, '-', '_' or '.', without '/' or spaces")
        }
    }
}

extension Arxos {
    /// The two file formats of `arxos import haystack`.
    enum HaystackFileFormat: String, ExpressibleByArgument, CaseIterable {
        case zinc, json
    }

    struct ImportHaystack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "haystack",
            abstract: "Import a Project Haystack model (Zinc or JSON) as arxos objects.",
            discussion: """
                Reads a Zinc grid or a Haystack JSON grid (Haystack 3 JSON or Hayson, told apart by their values) and \
                writes one object per site, space, equip and point record: the markers give the type (through the type \
                table; the markers are kept in properties.markers), dis the name, spaceRef/floorRef/siteRef the \
                location, equipRef partOf (and the equip's points), ahuRef, elecMeterRef and the other flow refs \
                fedBy; every other tag becomes a property, numbers with units as arxos quantities. Each site is a \
                building; objects go to buildings/BUILDING/spaces.yaml, equipment/TYPE.yaml and points.yaml. Each \
                oddity (a ref to a record not in the file, an unknown unit, a duplicate id, a record without a name) is \
                reported once as a warning on stderr, and nothing is invented. Refuses to overwrite files with \
                uncaptured edits or to write ids that already exist, unless --force. The mapping is in docs/import.md.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Option(help: ArgumentHelp("The building id, the first part of every object id (default: the name of the file's only site, else the file name).", valueName: "id"))
        var building: String?
        @Option(help: ArgumentHelp("The file's format (default: from its extension, .zinc or .json, else from its first character).", valueName: "zinc|json"))
        var format: HaystackFileFormat?
        @Flag(help: "Print what would be written; write nothing.") var dryRun = false
        @Flag(help: "Overwrite files with uncaptured edits and objects whose ids already exist in those files.") var force = false
        @Argument(help: ArgumentHelp("The Zinc or JSON file to read.", valueName: "file")) var file: String

        struct JSONFile: Encodable { var path: String; var objects: Int }
        struct JSONImport: Encodable {
            var file: String
            var format: String
            var building: String
            var buildings: [String]
            var records: Int
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
                try Import.check(building: building)
                let bytes = try Import.input(file, in: context)
                let name = file.split(separator: "/").last.map(String.init) ?? file
                let lower = name.lowercased()
                let chosen: HaystackFileFormat
                if let format {
                    chosen = format
                } else if lower.hasSuffix(".zinc") {
                    chosen = .zinc
                } else if lower.hasSuffix(".json") {
                    chosen = .json
                } else if let first = bytes.drop(while: { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }).first {
                    chosen = first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .zinc
                } else {
                    throw CommandFailure(message: "'\(file)' is empty; expected a Zinc or Haystack JSON grid")
                }
                let grid: HaystackGrid
                let formatName: String
                switch chosen {
                case .zinc:
                    grid = try ZincReader.read(bytes, file: file)
                    formatName = "zinc"
                case .json:
                    let read = try HaystackJSONReader.read(bytes, file: file)
                    grid = read.grid
                    formatName = read.encoding.rawValue
                }
                var stem = name
                if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
                let result = try HaystackImporter(grid: grid).run(building: building, fileStem: stem)
                let files = result.files
                let header = "# Imported by 'arxos import haystack' from \(name); see docs/import.md.\n"
                try Import.write(files.map { ($0.path, $0.objects.map(\.fields)) }, ids: Set(result.objects.map(\.id)),
                                 header: header, in: repository, force: force, dryRun: dryRun)
                if json {
                    try printJSON(JSONImport(file: file, format: formatName, building: result.buildings.first ?? "",
                                             buildings: result.buildings, records: result.records, objects: result.objects.count,
                                             types: result.countsByType,
                                             files: files.map { JSONFile(path: $0.path, objects: $0.objects.count) },
                                             warnings: result.warnings, dryRun: dryRun))
                } else {
                    for warning in result.warnings { printError("warning: " + warning) }
                    if !global.quiet {
                        for (relative, objects) in files {
                            output("\(dryRun ? "would write" : "wrote") \(relative) (\(objects.count) object\(objects.count == 1 ? "" : "s"))")
                        }
                        let counts = result.countsByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                        let places = result.buildings.map { "buildings/" + $0 }.joined(separator: ", ")
                        output("\(result.objects.count) objects from \(result.records) records into \(places): \(counts); \(result.warnings.count) warning\(result.warnings.count == 1 ? "" : "s")")
                    }
                }
            }
        }
    }
}
