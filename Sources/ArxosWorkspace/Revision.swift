import ArxosCore
import ArxosStore
import Foundation

/// Resolves revision expressions: `HEAD`, `@`, branch and tag names, `refs/…`, ids and unique id prefixes (≥ 4 hex digits),
/// followed by any number of `~N`, `^N`, `~` and `^` suffixes, and `REV:PATH` for an entry inside a commit's tree.
public struct RevisionResolver {
    let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// The object a revision names (a commit for plain revisions, a blob or tree for `REV:PATH`).
    public func resolve(_ text: String) throws -> ObjectID {
        if let colon = text.firstIndex(of: ":"), !text.hasPrefix("refs/") || text[..<colon].contains("/") {
            let rev = String(text[..<colon])
            let path = String(text[text.index(after: colon)...]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            let commit = try resolveCommit(rev.isEmpty ? "HEAD" : rev)
            let tree = try repository.objects.readCommit(commit).tree
            if path.isEmpty { return tree }
            guard let entry = try TreeBuilder.entry(at: path, in: tree, objects: repository.objects) else {
                throw WorkspaceError.badRevision(text, reason: "path '\(path)' does not exist in \(rev.isEmpty ? "HEAD" : rev)")
            }
            return entry.id
        }
        return try resolveSuffixes(text)
    }

    /// A revision that must name a commit (annotated tags are peeled).
    public func resolveCommit(_ text: String) throws -> ObjectID {
        let id = try resolve(text)
        return try peelToCommit(id, original: text)
    }

    /// A revision that names a tree: a tree itself, or the tree of the commit a revision (or tag) names.
    public func resolveTree(_ text: String) throws -> ObjectID {
        let id = try resolve(text)
        if try repository.objects.read(id).0 == .tree { return id }
        return try repository.objects.readCommit(try peelToCommit(id, original: text)).tree
    }

    func peelToCommit(_ id: ObjectID, original: String) throws -> ObjectID {
        var current = id
        for _ in 0..<16 {
            let (type, content) = try repository.objects.read(current)
            switch type {
            case .commit: return current
            case .tag:
                do { current = try Tag(parsing: content).object } catch {
                    throw StoreError.malformed(current, file: "tag", error)
                }
            default: throw WorkspaceError.badRevision(original, reason: "it names a \(type.rawValue), not a commit")
            }
        }
        throw WorkspaceError.badRevision(original, reason: "tags nest too deeply")
    }

    private func resolveSuffixes(_ text: String) throws -> ObjectID {
        // Split the base name from trailing ~N / ^N operators.
        var base = Substring(text)
        var operators = [(Character, Int)]()
        while let last = base.lastIndex(where: { $0 == "~" || $0 == "^" }) {
            let digits = base[base.index(after: last)...]
            guard digits.allSatisfy(\.isNumber) else { break }
            let count = digits.isEmpty ? 1 : Int(digits) ?? -1
            guard count >= 0 else { throw WorkspaceError.badRevision(text, reason: "'\(digits)' is not a number") }
            operators.insert((base[last], count), at: 0)
            base = base[..<last]
        }
        guard !base.isEmpty else { throw WorkspaceError.badRevision(text, reason: "it is empty") }
        var id = try resolveName(String(base), original: text)
        for (op, count) in operators {
            id = try peelToCommit(id, original: text)
            if op == "~" {
                for step in 0..<count {
                    guard let parent = try repository.objects.readCommit(id).parents.first else {
                        throw WorkspaceError.badRevision(text, reason: "history ends \(step) commits back")
                    }
                    id = parent
                }
            } else if count > 0 {
                let parents = try repository.objects.readCommit(id).parents
                guard count <= parents.count else {
                    throw WorkspaceError.badRevision(text, reason: "the commit has \(parents.count) parent\(parents.count == 1 ? "" : "s"), not \(count)")
                }
                id = parents[count - 1]
            }
        }
        return id
    }

    private func resolveName(_ name: String, original: String) throws -> ObjectID {
        let refs = repository.refs
        // `NAME@{n}`: where the ref pointed n moves ago, from its reflog (as `arxos reflog` numbers them).
        if name.hasSuffix("}"), let at = name.range(of: "@{", options: .backwards) {
            let base = String(name[..<at.lowerBound])
            guard let n = Int(name[at.upperBound..<name.index(before: name.endIndex)]), n >= 0 else {
                throw WorkspaceError.badRevision(original, reason: "'@{…}' takes a number of moves back, such as HEAD@{1}")
            }
            let ref: String
            if base.isEmpty || base == "HEAD" || base == "@" { ref = "HEAD" } else if base.hasPrefix("refs/") { ref = base } else { ref = "refs/heads/" + base }
            let entries = try refs.reflog(ref)
            guard n < entries.count else {
                throw WorkspaceError.badRevision(original, reason: "the reflog of \(ref) has only \(entries.count) entries")
            }
            let id = entries[entries.count - 1 - n].new
            guard id != .zero else { throw WorkspaceError.badRevision(original, reason: "\(ref) did not exist at that point") }
            return id
        }
        if name == "HEAD" || name == "@" {
            guard let id = try refs.headCommit() else {
                throw WorkspaceError.badRevision(original, reason: "HEAD has no commits yet (capture something first)")
            }
            return id
        }
        for candidate in [name, "refs/" + name, "refs/tags/" + name, "refs/heads/" + name, "refs/remotes/" + name]
        where candidate.hasPrefix("refs/") {
            if (try? RefStore.validate(candidate)) != nil, let id = try refs.read(candidate) { return id }
        }
        if let id = ObjectID(hex: name) {
            guard try repository.objects.contains(id) else { throw WorkspaceError.badRevision(original, reason: "no object \(id.hex) in the store") }
            return id
        }
        if isHexPrefix(name) {
            guard name.count >= 4 else { throw WorkspaceError.badRevision(original, reason: "an id prefix needs at least 4 hex digits") }
            let matches = try repository.objects.ids(withPrefix: name)
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 { throw WorkspaceError.ambiguousRevision(original, candidates: matches.map { $0.abbreviated() }) }
        }
        throw WorkspaceError.badRevision(original, reason: "no branch, tag or object of that name")
    }
}
