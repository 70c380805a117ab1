import ArgumentParser
import ArxosCore
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a commit, a file of a state, or a building object.",
            discussion: """
                'arxos show REV' prints a commit and the files it changed; 'arxos show REV:PATH' prints a file (or lists \
                a directory) as it was in REV; 'arxos show ID' prints the building object with that id from HEAD \
                (for example 'arxos show hq/vav-101').
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Argument(help: "A revision, REV:PATH, or a building object id.", completion: .custom(completeRevisions)) var target: String = "HEAD"

        struct JSONShow: Encodable {
            var id: String
            var type: String
            var commit: Log.JSONCommit?
            var files: [Status.JSONStatus.File]?
            var entries: [JSONEntry]?
            var content: String?
        }

        struct JSONEntry: Encodable { var mode: String; var type: String; var id: String; var name: String }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let resolver = RevisionResolver(repository: repository)
                let id: ObjectID
                do {
                    id = try resolver.resolve(target)
                } catch let error as WorkspaceError {
                    // Not a revision: perhaps a building object id.
                    if try showBuildingObject(repository) { return }
                    throw error
                }
                try show(id, repository: repository)
            }
        }

        func show(_ id: ObjectID, repository: Repository) throws {
            let (type, content) = try repository.objects.read(id)
            switch type {
            case .blob:
                if json { try printJSON(JSONShow(id: id.hex, type: "blob", content: String(decoding: content, as: UTF8.self))) } else {
                    FileHandle.standardOutput.write(Data(content))
                }
            case .tree:
                let tree = try repository.objects.readTree(id)
                let entries = tree.entries.map { JSONEntry(mode: $0.kind.rawValue, type: $0.kind == .file ? "blob" : "tree", id: $0.id.hex, name: $0.name) }
                if json { try printJSON(JSONShow(id: id.hex, type: "tree", entries: entries)) } else {
                    for entry in tree.entries { output(entry.kind == .directory ? entry.name + "/" : entry.name) }
                }
            case .tag:
                let tag = try repository.objects.readTag(id)
                if json { try printJSON(JSONShow(id: id.hex, type: "tag", content: String(decoding: content, as: UTF8.self))) } else {
                    output("tag \(tag.name)")
                    output("Tagger: \(tag.tagger.name) <\(tag.tagger.email)>")
                    output("Date:   \(formatDate(tag.tagger))")
                    output("")
                    output(tag.message.trimmingCharacters(in: .newlines))
                    output("")
                    try show(tag.object, repository: repository)
                }
            case .commit:
                let commit = try repository.objects.readCommit(id)
                let before = try commit.parents.first.map { try TreeBuilder.flatten(try repository.objects.readCommit($0).tree, in: repository.objects) } ?? [:]
                let after = try TreeBuilder.flatten(commit.tree, in: repository.objects)
                let files = Set(before.keys).union(after.keys).sorted().compactMap { path -> Status.JSONStatus.File? in
                    if before[path] == after[path] { return nil }
                    return .init(path: path, change: before[path] == nil ? "added" : after[path] == nil ? "removed" : "modified")
                }
                if json {
                    let record = Log.JSONCommit(id: id.hex, tree: commit.tree.hex, parents: commit.parents.map(\.hex),
                                                author: JSONPerson(commit.author), committer: JSONPerson(commit.committer),
                                                message: commit.message, signatures: JSONSignature.list(commit.signatures, report: nil))
                    try printJSON(JSONShow(id: id.hex, type: "commit", commit: record, files: files))
                    return
                }
                output("commit \(id.hex)")
                if commit.parents.count > 1 { output("Merge: " + commit.parents.map { $0.abbreviated() }.joined(separator: " ")) }
                output("Author: \(commit.author.name) <\(commit.author.email)>")
                output("Date:   \(formatDate(commit.author))")
                for signature in commit.signatures { output("Signed: \(signature.split(separator: " ").prefix(2).joined(separator: " "))") }
                output("")
                for line in commit.message.split(separator: "\n", omittingEmptySubsequences: false).dropLast(commit.message.hasSuffix("\n") ? 1 : 0) {
                    output("    " + line)
                }
                output("")
                for file in files { output("  \(file.change.padding(toLength: 9, withPad: " ", startingAt: 0)) \(file.path)") }
            }
        }

        func showBuildingObject(_ repository: Repository) throws -> Bool {
            guard let head = try repository.refs.headCommit() else { return false }
            let tree = try repository.objects.readCommit(head).tree
            guard let path = try ObjectLocator(repository: repository).path(of: target, in: tree),
                  let blob = try TreeBuilder.entry(at: path, in: tree, objects: repository.objects)?.id,
                  let yaml = try ObjectFile.objectYAML(id: target, path: path, bytes: repository.objects.readBlob(blob))
            else { return false }
            if json {
                try printJSON(JSONShow(id: target, type: "object", content: yaml))
            } else {
                output("# \(target) in \(path) at \(head.abbreviated())")
                print(yaml, terminator: "")
            }
            return true
        }
    }
}
