import ArgumentParser
import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct CatObject: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cat-object", abstract: "Print an object's type, size or content (plumbing).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customShort("t"), help: "Print the type.") var type = false
        @Flag(name: .customShort("s"), help: "Print the content size in bytes.") var size = false
        @Flag(name: .customShort("p"), help: "Print the content (trees as one line per entry).") var pretty = false
        @Argument(help: "An object id, id prefix or revision.", completion: .custom(completeRevisions)) var object: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let id = try RevisionResolver(repository: repository).resolve(object)
                let (kind, content) = try repository.objects.read(id)
                if type { output(kind.rawValue); return }
                if size { output(String(content.count)); return }
                if pretty && kind == .tree {
                    for entry in try Tree(parsing: content).entries {
                        output("\(entry.kind.rawValue) \(entry.kind == .file ? "blob" : "tree") \(entry.id.hex)\t\(entry.name)")
                    }
                    return
                }
                FileHandle.standardOutput.write(Data(content))
            }
        }
    }

    struct HashObject: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-object", abstract: "Print the blob id of a file, optionally writing it to the store (plumbing).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customShort("w"), help: "Write the blob into the store.") var write = false
        @Argument(help: "The file to hash.") var file: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let path = file.hasPrefix("/") ? file : context.directory + "/" + file
                guard let bytes = try FileSystem.read(path) else { throw CommandFailure(message: "\(file): no such file") }
                if write {
                    let repository = try context.openRepository()
                    let lock = try repository.lock()
                    defer { withExtendedLifetime(lock) {} }
                    output(try repository.objects.write(.blob, bytes).hex)
                } else {
                    output(ObjectEncoding.id(.blob, bytes).hex)
                }
            }
        }
    }

    struct LsTree: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls-tree", abstract: "List the entries of a tree (plumbing).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customShort("r"), help: "Recurse into subtrees, listing files with full paths.") var recursive = false
        @Argument(help: "A revision, tree id, or REV:PATH.", completion: .custom(completeRevisions)) var revision: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let id = try RevisionResolver(repository: repository).resolveTree(revision)
                if recursive {
                    try TreeBuilder.walk(id, in: repository.objects) { path, blob in output("100644 blob \(blob.hex)\t\(path)") }
                    return
                }
                for entry in try repository.objects.readTree(id).entries {
                    output("\(entry.kind.rawValue) \(entry.kind == .file ? "blob" : "tree") \(entry.id.hex)\t\(entry.name)")
                }
            }
        }
    }

    struct RevParse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rev-parse", abstract: "Print the full id a revision names (plumbing).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Revisions such as HEAD~2, main, v1.0, a1b2c3d4 or HEAD:floors.", completion: .custom(completeRevisions)) var revisions: [String]

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let resolver = RevisionResolver(repository: repository)
                for revision in revisions { output(try resolver.resolve(revision).hex) }
            }
        }
    }
}
