import ArgumentParser
import ArxosCore
import ArxosStore
import ArxosWorkspace

extension Arxos {
    struct TagCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag",
            abstract: "List, create or delete tags.",
            discussion: """
                Without a name, lists tags. With -m or -s, creates an annotated tag object (signed when you have a key, \
                or always with -s); otherwise a lightweight tag that names the commit directly.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .shortAndLong, help: "The message of an annotated tag.") var message: String?
        @Flag(name: .shortAndLong, help: "Make a signed annotated tag (fails without a key).") var sign = false
        @Flag(help: "Do not sign an annotated tag.") var noSign = false
        @Flag(name: .shortAndLong, help: "Delete the tag.") var delete = false
        @Flag(help: "Print a JSON array (schema in docs/json.md).") var json = false
        @Argument(help: "The tag name.", completion: .custom(completeTags)) var name: String?
        @Argument(help: "What to tag (default HEAD).", completion: .custom(completeRevisions)) var revision: String?

        struct JSONTag: Encodable { var name: String; var id: String; var commit: String?; var annotated: Bool }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let resolver = RevisionResolver(repository: repository)
                guard let name else {
                    let tags = try repository.refs.list("refs/tags/").map { ref -> JSONTag in
                        let annotated = (try? repository.objects.read(ref.id).0) == .tag
                        return JSONTag(name: String(ref.name.dropFirst("refs/tags/".count)), id: ref.id.hex,
                                       commit: (try? resolver.resolveCommit(ref.name))?.hex, annotated: annotated)
                    }
                    if json { try printJSON(tags); return }
                    for tag in tags { output(tag.name) }
                    return
                }
                let lock = try repository.lock()
                defer { withExtendedLifetime(lock) {} }
                try RefStore.validateShort(name)
                let ref = "refs/tags/" + name
                let who = repository.identity()
                if delete {
                    guard let current = try repository.refs.read(ref) else { throw CommandFailure(message: "there is no tag named '\(name)'") }
                    try repository.refs.update(ref, to: nil, expecting: .value(current), who: who, message: "tag: deleted")
                    if !global.quiet { output("Deleted tag '\(name)' (was \(current.abbreviated()))") }
                    return
                }
                if try repository.refs.read(ref) != nil { throw WorkspaceError.tagExists(name) }
                let target = try resolver.resolve(revision ?? "HEAD")
                var value = target
                if message != nil || sign {
                    let (type, _) = try repository.objects.read(target)
                    var tag = Tag(object: target, type: type, name: name, tagger: who, message: Capture.normalize(message ?? ""))
                    let signer = try context.signer(disabled: noSign && !sign)
                    if sign && signer == nil {
                        throw CommandFailure(message: "-s needs a signing key, and you have none\nhint: arxos key generate")
                    }
                    if let signer { tag.signatures = [try signer.signatureHeader(for: tag.signedPayload())] }
                    value = try repository.objects.write(.tag, tag.encoded())
                }
                try repository.refs.update(ref, to: value, expecting: .absent, who: who, message: "tag: \(name)")
                if !global.quiet { output("Tagged \(target.abbreviated()) as '\(name)'") }
            }
        }
    }

    struct Reflog: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where a ref has pointed, newest first.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON array (schema in docs/json.md).") var json = false
        @Argument(help: "HEAD, a branch name or a full ref name.", completion: .custom(completeReflogRefs)) var ref: String = "HEAD"

        struct JSONEntry: Encodable { var old: String; var new: String; var who: JSONPerson; var message: String }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let full = ref == "HEAD" || ref.hasPrefix("refs/") ? ref : "refs/heads/" + ref
                let entries = try repository.refs.reflog(full).reversed()
                if json {
                    try printJSON(entries.map { JSONEntry(old: $0.old.hex, new: $0.new.hex, who: JSONPerson($0.who), message: $0.message) })
                    return
                }
                let short = ref == "HEAD" ? "HEAD" : String(full.split(separator: "/").last ?? "")
                for (n, entry) in entries.enumerated() {
                    output("\(entry.new.abbreviated()) \(short)@{\(n)}: \(entry.message)")
                }
            }
        }
    }
}
