import ArgumentParser
import ArxosStore
import ArxosWorkspace

extension Arxos {
    struct Fsck: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole store: every object, pack, ref and reflog entry.",
            discussion: "Exit status 0 when the repository is sound, 4 when any problem is found (each is printed with its object and file).")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let report = try ArxosWorkspace.Fsck(repository: repository).run()
                if json {
                    try printJSON(report)
                } else {
                    for problem in report.problems { output("error: \(problem)") }
                    if !global.quiet {
                        output("checked \(report.objects) objects (\(report.looseObjects) loose, \(report.packs) pack\(report.packs == 1 ? "" : "s")), \(report.reachable) reachable: \(report.ok ? "ok" : "\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")")")
                    }
                }
                if !report.ok {
                    throw CommandFailure(message: "fsck found \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")", code: ExitCodes.verification)
                }
            }
        }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Pack loose objects and remove unreachable ones.",
            discussion: """
                Writes every object reachable from refs, HEAD and reflogs into one pack (versions of a file compress \
                against each other), then removes the old packs and loose copies. Unreachable objects are removed once \
                older than the grace period (--prune, else gc.pruneExpire, else the environment's state.retentionDays, else 2.weeks).
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Remove unreachable objects older than this: 'now', '2.weeks', '3.days' or seconds.", valueName: "age"))
        var prune: String?
        @Option(help: "zstd level for the pack (1-22; default pack.gcLevel or 9).") var level: Int32?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                // The environment's retention (state.retentionDays, e.g. 90 in production) sets the grace period
                // unless gc.pruneExpire or --prune says otherwise.
                let retention = repository.setting("state.retentionDays").flatMap(Int.init).map { "\($0).days" }
                let graceText = prune ?? repository.setting("gc.pruneExpire") ?? retention ?? "2.weeks"
                guard let grace = GarbageCollector.parseGrace(graceText) else {
                    throw CommandFailure(message: "'\(graceText)' is not a grace period\nhint: use 'now', '2.weeks', '3.days', '12.hours' or a number of seconds")
                }
                let level = level ?? repository.setting("pack.gcLevel").flatMap(Int32.init) ?? 9
                guard (1...22).contains(level) else { throw CommandFailure(message: "--level must be between 1 and 22") }
                var collector = GarbageCollector(repository: repository, grace: grace, level: level)
                // Counting, packing and removing many objects show progress on a terminal.
                let meter = ProgressMeter.standardError(global)
                collector.progress = meter?.handler
                let result: GarbageCollector.Result
                do {
                    defer { meter?.end() }
                    result = try collector.run()
                }
                if !global.quiet {
                    output("packed \(result.packed) objects (\(result.packBytes) bytes), removed \(result.packsRemoved) old pack\(result.packsRemoved == 1 ? "" : "s") and \(result.prunedLoose) unreachable loose object\(result.prunedLoose == 1 ? "" : "s"); kept \(result.keptUnreachable) recent unreachable")
                }
            }
        }
    }
}
