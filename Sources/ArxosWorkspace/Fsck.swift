import ArxosCore
import ArxosStore
import Foundation

/// One problem found by fsck: what is wrong, with the object and the file.
public struct FsckProblem: Sendable, Encodable, CustomStringConvertible {
    public var object: String?
    public var file: String
    public var message: String

    public var description: String { "\(file): \(object.map { "object \($0): " } ?? "")\(message)" }
}

/// Checks a whole repository: every object's id and structure, loose and packed; every ref, reflog entry and link.
public struct Fsck {
    let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    public struct Report: Sendable, Encodable {
        /// Objects examined, loose and packed (an object stored twice counts twice).
        public var objects: Int
        public var looseObjects: Int
        public var packs: Int
        public var reachable: Int
        public var problems: [FsckProblem]
        public var ok: Bool { problems.isEmpty }

        enum CodingKeys: String, CodingKey { case objects, looseObjects, packs, reachable, problems, ok }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(objects, forKey: .objects)
            try container.encode(looseObjects, forKey: .looseObjects)
            try container.encode(packs, forKey: .packs)
            try container.encode(reachable, forKey: .reachable)
            try container.encode(problems, forKey: .problems)
            try container.encode(ok, forKey: .ok)
        }
    }

    public func run() throws -> Report {
        let objects = repository.objects
        var problems = [FsckProblem]()
        var valid = [ObjectID: ObjectType]()
        var examined = 0

        // Loose objects: the file decompresses, hashes to its name, and parses.
        let loose = objects.looseObjects()
        examined += loose.count
        for (id, path) in loose {
            do {
                guard let encoded = try objects.readLoose(id) else { continue }
                checkStructure(encoded, id: id, file: path, into: &valid, problems: &problems)
            } catch {
                problems.append(FsckProblem(object: id.hex, file: path, message: Fsck.reason(error)))
            }
        }
        for dir in FileSystem.list(objects.directory) where dir.utf8.count == 2 && isHexPrefix(dir) {
            for name in FileSystem.list(objects.directory + "/" + dir) where ObjectID(hex: dir + name) == nil && !name.hasPrefix("tmp-") {
                problems.append(FsckProblem(object: nil, file: objects.directory + "/" + dir + "/" + name, message: "not an object file name"))
            }
        }

        // Packs: checksums, CRCs and ids, then each object's structure.
        var packCount = 0
        for name in FileSystem.list(objects.packDirectory).sorted() where name.hasSuffix(".pack") {
            let path = objects.packDirectory + "/" + name
            guard FileSystem.exists(String(path.dropLast(5)) + ".idx") else {
                problems.append(FsckProblem(object: nil, file: path, message: "pack has no index (an interrupted write?); 'arxos gc' removes it"))
                continue
            }
            packCount += 1
            let packProblems = Pack.verify(path: path)
            problems += packProblems.map { FsckProblem(object: $0.id?.hex, file: $0.file, message: $0.message + ($0.offset.map { " (offset \($0))" } ?? "")) }
            guard packProblems.isEmpty, let pack = try? Pack(path: path) else { continue }
            do {
                examined += pack.count
                try pack.forEachObject(limit: objects.sizeLimit) { id, encoded in
                    checkStructure(encoded, id: id, file: path, into: &valid, problems: &problems)
                }
            } catch {
                problems.append(FsckProblem(object: nil, file: path, message: Fsck.message(error)))
            }
        }

        // Refs, HEAD and reflogs, then everything they reach.
        var roots = [(ObjectID, String)]()
        do {
            for ref in try repository.refs.list("refs/") { roots.append((ref.id, repository.root + "/" + ref.name)) }
        } catch {
            problems.append(FsckProblem(object: nil, file: repository.root + "/refs", message: Fsck.message(error)))
        }
        do {
            if case let .detached(id) = try repository.refs.head() { roots.append((id, repository.root + "/HEAD")) }
        } catch {
            problems.append(FsckProblem(object: nil, file: repository.root + "/HEAD", message: Fsck.message(error)))
        }
        for name in repository.refs.reflogNames() {
            do {
                for entry in try repository.refs.reflog(name) where entry.new != .zero {
                    roots.append((entry.new, repository.root + "/logs/" + name))
                }
            } catch {
                problems.append(FsckProblem(object: nil, file: repository.root + "/logs/" + name, message: Fsck.message(error)))
            }
        }
        var reached = Set<ObjectID>()
        for (id, file) in roots {
            connect(id, from: file, valid: valid, reached: &reached, problems: &problems)
        }
        return Report(objects: examined, looseObjects: loose.count, packs: packCount, reachable: reached.count, problems: problems)
    }

    private func checkStructure(_ encoded: [UInt8], id: ObjectID, file: String, into valid: inout [ObjectID: ObjectType],
                                problems: inout [FsckProblem]) {
        switch Fsck.parse(encoded) {
        case let .success(type): valid[id] = type
        case let .failure(error):
            problems.append(FsckProblem(object: id.hex, file: file, message: "malformed: " + (error.errorDescription ?? "\(error)")))
        }
    }

    /// Parses an object's bytes by type, returning the type or the format error.
    static func parse(_ encoded: [UInt8]) -> Result<ObjectType, ObjectFormatError> {
        do {
            let (type, content) = try ObjectEncoding.decode(encoded)
            switch type {
            case .blob: break
            case .tree: _ = try Tree(parsing: content)
            case .commit: _ = try Commit(parsing: content)
            case .tag: _ = try Tag(parsing: content)
            }
            return .success(type)
        } catch {
            return .failure(error)
        }
    }

    /// Follows links from a root, reporting links to objects that are missing, invalid or of the wrong type.
    private func connect(_ root: ObjectID, from file: String, valid: [ObjectID: ObjectType], reached: inout Set<ObjectID>,
                         problems: inout [FsckProblem]) {
        var stack: [(ObjectID, ObjectType?, String)] = [(root, nil, file)]
        while let (id, expected, referrer) = stack.popLast() {
            guard reached.insert(id).inserted else { continue }
            guard let type = valid[id] else {
                problems.append(FsckProblem(object: id.hex, file: referrer, message: "refers to a missing or damaged object"))
                continue
            }
            if let expected, expected != type {
                problems.append(FsckProblem(object: id.hex, file: referrer, message: "refers to a \(type.rawValue) where a \(expected.rawValue) belongs"))
                continue
            }
            let what = "object \(id.abbreviated())"
            do {
                switch type {
                case .blob: break
                case .tree:
                    for entry in try repository.objects.readTree(id).entries {
                        stack.append((entry.id, entry.kind == .file ? .blob : .tree, "tree " + id.hex))
                    }
                case .commit:
                    let commit = try repository.objects.readCommit(id)
                    stack.append((commit.tree, .tree, "commit " + id.hex))
                    for parent in commit.parents { stack.append((parent, .commit, "commit " + id.hex)) }
                case .tag:
                    let tag = try repository.objects.readTag(id)
                    stack.append((tag.object, tag.type, "tag " + id.hex))
                }
            } catch {
                problems.append(FsckProblem(object: id.hex, file: what, message: Fsck.message(error)))
            }
        }
    }

    /// What is wrong with an object, without repeating its id and file (the problem names those already).
    static func reason(_ error: Error) -> String {
        switch error {
        case let StoreError.corrupt(_, reason): return "corrupt: " + reason
        case let StoreError.idMismatch(_, _, actual): return "content hashes to \(actual.hex), not to its name"
        case let StoreError.tooLarge(_, declared, limit): return "declares \(declared) bytes, more than the limit of \(limit)"
        case let StoreError.malformed(_, _, format): return "malformed: " + (format.errorDescription ?? "\(format)")
        default: return message(error)
        }
    }

    static func message(_ error: Error) -> String {
        ((error as? LocalizedError)?.errorDescription ?? "\(error)").split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}
