import ArgumentParser
import ArxosCore
import ArxosSigning
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the history of commits.",
            discussion: """
                Lists commits reachable from REV (default HEAD), newest first. After '--', a path limits the log to \
                commits that changed that file or directory; an object id (for example hq/vav-101) limits it to \
                commits that changed the file holding that object in REV.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: [.customShort("n"), .customLong("max-count")], help: "Show at most N commits.") var maxCount: Int?
        @Flag(help: "One line per commit: abbreviated id and subject.") var oneline = false
        @Flag(help: "Print a JSON array (schema in docs/json.md).") var json = false
        @Flag(help: "Check each commit's signatures and show the result.") var showSignature = false
        @Argument(help: "Where to start (default HEAD).", completion: .custom(completeRevisions)) var revision: String?
        @Argument(parsing: .postTerminator, help: "A path or object id to follow.") var filter: [String] = []

        struct JSONCommit: Encodable {
            var id: String
            var tree: String
            var parents: [String]
            var author: JSONPerson
            var committer: JSONPerson
            var message: String
            var signatures: [JSONSignature]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let resolver = RevisionResolver(repository: repository)
                guard let start = try revision.map({ try resolver.resolveCommit($0) }) ?? repository.refs.headCommit() else {
                    throw CommandFailure(message: "the current branch has no commits yet\nhint: arxos state capture -m \"first state\"")
                }
                let paths = try filter.map { try LogFilter.path(for: $0, at: start, in: repository) }
                let trust = showSignature ? try repository.trustStore.load() : nil
                var shown = 0
                var records = [JSONCommit]()
                try HistoryWalker(objects: repository.objects).walk(from: [start]) { id, commit in
                    if let maxCount, shown >= maxCount { return false }
                    if !paths.isEmpty, try !LogFilter.touches(commit, paths: paths, objects: repository.objects) { return true }
                    shown += 1
                    let checks = trust.map { SignatureVerifier(trust: $0).verify(commit.encoded()) }
                    if json {
                        records.append(JSONCommit(
                            id: id.hex, tree: commit.tree.hex, parents: commit.parents.map(\.hex),
                            author: JSONPerson(commit.author), committer: JSONPerson(commit.committer), message: commit.message,
                            signatures: JSONSignature.list(commit.signatures, report: checks)))
                    } else if oneline {
                        output("\(global.colour.paint(id.abbreviated(), .yellow)) \(commit.subject)")
                    } else {
                        if shown > 1 { output("") }
                        output(global.colour.paint("commit \(id.hex)", .yellow))
                        if commit.parents.count > 1 { output("Merge: " + commit.parents.map { $0.abbreviated() }.joined(separator: " ")) }
                        if let checks { for line in describe(checks) { output(line) } }
                        output("Author: \(commit.author.name) <\(commit.author.email)>")
                        output("Date:   \(formatDate(commit.author))")
                        output("")
                        for line in commit.message.split(separator: "\n", omittingEmptySubsequences: false).dropLast(commit.message.hasSuffix("\n") ? 1 : 0) {
                            output("    " + line)
                        }
                    }
                    return true
                }
                if json { try printJSON(records) }
            }
        }
    }
}

/// Describes signature checks as `Signature: good (key …)` lines.
func describe(_ report: VerificationReport) -> [String] {
    if report.checks.isEmpty { return ["Signature: none"] }
    return report.checks.map { "Signature: \($0.verdict) by key \($0.keyID)" }
}

/// Limits history to commits that changed given paths.
enum LogFilter {
    /// A tracked path, or the path of the file holding an object id in `commit`.
    static func path(for argument: String, at commit: ObjectID, in repository: Repository) throws -> String {
        let tree = try repository.objects.readCommit(commit).tree
        let trimmed = argument.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if try TreeBuilder.entry(at: trimmed, in: tree, objects: repository.objects) != nil { return trimmed }
        if let path = try ObjectLocator(repository: repository).path(of: argument, in: tree) { return path }
        throw WorkspaceError.badPath(argument)
    }

    static func touches(_ commit: Commit, paths: [String], objects: ObjectDatabase) throws -> Bool {
        let parentTree = try commit.parents.first.map { try objects.readCommit($0).tree }
        for path in paths {
            let now = try TreeBuilder.entry(at: path, in: commit.tree, objects: objects)?.id
            let before = try parentTree.flatMap { try TreeBuilder.entry(at: path, in: $0, objects: objects)?.id }
            if now != before { return true }
        }
        return false
    }
}

struct JSONPerson: Encodable {
    var name: String
    var email: String
    var time: Int64
    var offset: String
    init(_ person: Person) {
        name = person.name; email = person.email; time = person.seconds; offset = Person.formatOffset(person.offsetMinutes)
    }
}

struct JSONSignature: Encodable {
    var algorithm: String
    var keyId: String
    var verdict: String?

    static func list(_ headers: [String], report: VerificationReport?) -> [JSONSignature] {
        headers.enumerated().map { index, header in
            let parts = header.split(separator: " ")
            let verdict = report.flatMap { index < $0.checks.count ? "\($0.checks[index].verdict)" : nil }
            return JSONSignature(algorithm: parts.first.map(String.init) ?? "", keyId: parts.count > 1 ? String(parts[1]) : "", verdict: verdict)
        }
    }
}

/// `Fri Nov 27 14:36:45 2026 +0000` in the author's own offset.
func formatDate(_ person: Person) -> String {
    let formatter: DateFormatter
    if let cached = dateFormatters[person.offsetMinutes] {
        formatter = cached
    } else {
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: person.offsetMinutes * 60)
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        dateFormatters[person.offsetMinutes] = formatter
    }
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(person.seconds))) + " " + Person.formatOffset(person.offsetMinutes)
}

/// Formatters by UTC offset; commands run on one thread.
nonisolated(unsafe) private var dateFormatters: [Int: DateFormatter] = [:]
