import ArgumentParser
import ArxosCore
import ArxosMerge
import ArxosWorkspace
import Foundation

/// The options of `arxos diff` and `arxos state diff`.
struct DiffOptions: ParsableArguments {
    @Flag(help: "Counts of changed objects per building and type.") var stat = false
    @Flag(help: "Only the ids of changed objects, one per line.") var nameOnly = false
    @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
    @Option(name: .customLong("type"), help: ArgumentHelp("Only objects of this type (repeatable).", valueName: "type"))
    var types: [String] = []
    @Flag(help: "Exit with status 1 when there are changes, 0 when there are none.") var exitCode = false
    @Argument(help: "The state to compare from (default HEAD).", completion: .custom(completeRevisions)) var from: String?
    @Argument(help: "The state to compare to (default: the working tree).", completion: .custom(completeRevisions)) var to: String?
    @Argument(parsing: .postTerminator, help: "Only objects whose id starts with one of these prefixes.") var idPrefixes: [String] = []
}

extension Arxos {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed, object by object and property by property.",
            discussion: """
                Compares HEAD (or FROM) with the working tree (or TO). Objects are matched by id, so an object that moved \
                to another file is compared with itself; quantities are compared by amount, so a temperature rewritten \
                from Celsius to Fahrenheit is reported as a unit change, not a new value; relations are compared as sets \
                of ids. A file whose objects mean the same after an edit (reformatted, reordered) is listed as 'no \
                semantic change'. Also 'arxos state diff'.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: DiffOptions

        func run() throws { try runDiff(global, options) }
    }

    struct StateDiffCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff", abstract: "Show what changed between states (same as 'arxos diff').")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: DiffOptions

        func run() throws { try runDiff(global, options) }
    }
}

/// The JSON document of `arxos diff --json`.
struct JSONDiff: Encodable {
    struct Summary: Encodable { var added = 0, removed = 0, modified = 0, moved = 0 }
    var from: String
    var to: String
    var objects: [ObjectChange]
    var unchangedMeaning: [String]
    var summary: Summary
}

func runDiff(_ global: GlobalOptions, _ options: DiffOptions) throws {
    let context = CommandContext(global)
    var changed = false
    try context.run {
        let repository = try context.openRepository()
        let resolver = RevisionResolver(repository: repository)
        let fromName = options.from ?? "HEAD"
        let fromTree: ObjectID? = options.from == nil ? try repository.refs.headCommit().map { try repository.objects.readCommit($0).tree } : try resolver.resolveTree(fromName)
        var diff: StateDiff
        let toName: String
        if let to = options.to {
            diff = try StateDiff.between(fromTree, try resolver.resolveTree(to), in: repository)
            toName = to
        } else {
            diff = try StateDiff.workingTree(against: fromTree, in: repository)
            toName = "working tree"
        }
        diff.objects = diff.objects.filter { object in
            (options.types.isEmpty || options.types.contains(object.type))
                && (options.idPrefixes.isEmpty || options.idPrefixes.contains { object.id.hasPrefix($0) })
        }
        changed = !diff.objects.isEmpty
        var summary = JSONDiff.Summary()
        for object in diff.objects {
            switch object.change {
            case .added: summary.added += 1
            case .removed: summary.removed += 1
            case .modified: summary.modified += 1
            case .moved: summary.moved += 1
            }
        }
        if options.json {
            try printJSON(JSONDiff(from: fromName, to: toName, objects: diff.objects, unchangedMeaning: diff.unchangedMeaning, summary: summary))
        } else if options.nameOnly {
            for object in diff.objects { output(object.id) }
        } else if options.stat {
            printStat(diff.objects)
        } else {
            printChanges(diff, colour: global.colour)
            if !global.quiet && (changed || !diff.unchangedMeaning.isEmpty) {
                output("\(diff.objects.count) object\(diff.objects.count == 1 ? "" : "s") changed: \(summary.added) added, \(summary.removed) removed, \(summary.modified) modified, \(summary.moved) moved")
            }
        }
    }
    if options.exitCode && changed { throw ExitCode(1) }
}

/// `modified hq/vav-101 (vav) in hvac/vavs.yaml` and one line per property and relation; coloured on a terminal.
func printChanges(_ diff: StateDiff, colour: Colour = Colour(.never)) {
    printObjectChanges(diff.objects, colour: colour)
    for path in diff.unchangedMeaning { output("\(path): \(colour.paint("no semantic change", .cyan))") }
}

/// The objects of a diff (or of a template's rendering), each with its changed properties and relations.
func printObjectChanges(_ objects: [ObjectChange], colour: Colour) {
    for object in objects {
        let tint: Colour.Tint = switch object.change {
        case .added: .green
        case .removed: .red
        case .modified, .moved: .yellow
        }
        var header = "\(colour.paint(object.change.rawValue, tint)) \(colour.paint(object.id, .bold)) (\(object.type)) in \(object.path)"
        if let oldPath = object.oldPath { header += " (was in \(oldPath))" }
        output(header)
        for property in object.properties {
            let old = colour.paint(property.old ?? "", .red), new = colour.paint(property.new ?? "", .green)
            switch property.kind {
            case .added: output("  \(property.name): + \(new)")
            case .removed: output("  \(property.name): − \(old)")
            case .value: output("  \(property.name): \(old) → \(new)")
            case .unit: output("  \(property.name): \(property.old ?? "") → \(property.new ?? "") \(colour.paint("(same amount, unit changed)", .cyan))")
            }
        }
        for relation in object.relations {
            let parts = relation.added.map { colour.paint("+ " + $0, .green) } + relation.removed.map { colour.paint("− " + $0, .red) }
            output("  \(relation.relation): " + parts.joined(separator: ", "))
        }
    }
}

/// Counts per building (the part of the id before its first `/`) and type.
func printStat(_ objects: [ObjectChange]) {
    struct Key: Hashable, Comparable {
        var building: String, type: String
        static func < (a: Key, b: Key) -> Bool { (a.building, a.type) < (b.building, b.type) }
    }
    var counts = [Key: [ObjectChange.Change: Int]]()
    for object in objects {
        let building = object.id.split(separator: "/", maxSplits: 1).first.map(String.init) ?? object.id
        counts[Key(building: building, type: object.type), default: [:]][object.change, default: 0] += 1
    }
    output("building".padding(toLength: 16, withPad: " ", startingAt: 0) + "type".padding(toLength: 16, withPad: " ", startingAt: 0) + "added removed modified moved")
    for key in counts.keys.sorted() {
        let c = counts[key] ?? [:]
        let columns = [c[.added] ?? 0, c[.removed] ?? 0, c[.modified] ?? 0, c[.moved] ?? 0]
        output(key.building.padding(toLength: 16, withPad: " ", startingAt: 0) + key.type.padding(toLength: 16, withPad: " ", startingAt: 0)
               + zip(columns, [5, 7, 8, 5]).map { String(repeating: " ", count: max(0, $1 - String($0).count)) + String($0) }.joined(separator: " "))
    }
}
