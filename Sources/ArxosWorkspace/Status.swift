import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore

/// How a file differs between two states.
public enum FileChange: String, Sendable, Codable {
    case added, modified, removed
}

/// The differences between the working tree and HEAD, by file and by building object.
public struct WorkingTreeStatus: Sendable {
    public struct File: Sendable {
        public var path: String
        public var change: FileChange
    }

    public struct Object: Sendable {
        public var id: String
        public var type: String
        public var path: String
        public var change: FileChange
    }

    public var files: [File]
    public var objects: [Object]
    /// Files that do not parse; their objects cannot be compared.
    public var problems: [ModelError]

    public var isClean: Bool { files.isEmpty }

    /// Compares the working tree with HEAD's tree, reading only files whose stat data changed.
    public static func compute(in repository: Repository) throws -> WorkingTreeStatus {
        let head = try repository.refs.headCommit().map { try repository.objects.readCommit($0).tree }
        let index = StatIndex.load(from: repository.root + "/index")
        let tree = try WorkingTree(top: repository.top)
        let snapshot: Snapshot
        var problems = [ModelError]()
        do {
            snapshot = try SnapshotBuilder(tree: tree, previous: index, sizeLimit: repository.objects.sizeLimit,
                                           objects: repository.objects).build(into: nil)
        } catch let error as CaptureError {
            problems = error.problems
            // Fall back to comparing file contents only.
            snapshot = Snapshot(tree: .zero, index: try rawIndex(tree, previous: index), filesRead: 0)
        }
        // Same root tree, same state: the Merkle tree makes a clean working tree cheap to confirm.
        if problems.isEmpty && snapshot.tree == (head ?? ObjectEncoding.id(.tree, [])) {
            return WorkingTreeStatus(files: [], objects: [], problems: [])
        }
        let headFiles = try head.map { try TreeBuilder.flatten($0, in: repository.objects) } ?? [:]
        var files = [File]()
        var objects = [Object]()
        var current = [String: IndexEntry]()
        for entry in snapshot.index.entries { current[entry.path] = entry }
        for path in Set(headFiles.keys).union(current.keys).sorted(by: { $0.treeOrderPrecedes($1) }) {
            let before = headFiles[path], after = current[path]
            if before == after?.blob { continue }
            let change: FileChange = before == nil ? .added : after == nil ? .removed : .modified
            files.append(File(path: path, change: change))
            let oldBytes = try before.map { try repository.objects.readBlob($0) }
            let newBytes = after == nil ? nil : try? tree.read(path)
            objects += compareObjects(path: path, old: oldBytes, new: newBytes, newSummaries: after?.objects ?? [])
        }
        return WorkingTreeStatus(files: files, objects: mergeMoves(objects), problems: problems)
    }

    static func rawIndex(_ tree: WorkingTree, previous: StatIndex) throws -> StatIndex {
        var entries = [IndexEntry]()
        for file in tree.scan() {
            let blob = ObjectEncoding.id(.blob, try tree.read(file.path))
            entries.append(IndexEntry(path: file.path, stat: file.stat, racy: false, blob: blob, objects: previous[file.path]?.objects ?? []))
        }
        return StatIndex(entries: entries)
    }

    /// The objects of one changed file: added, removed, or modified — compared as `arxos diff` compares them
    /// (`ObjectDiff`: by value, quantities by amount, relations as sets), so formatting is never a change.
    static func compareObjects(path: String, old: [UInt8]?, new: [UInt8]?, newSummaries: [ObjectSummary]) -> [Object] {
        guard WorkingTree.holdsObjects(path) else { return [] }
        let oldObjects = old.flatMap { try? ArxObject.objects(path: path, bytes: $0) } ?? []
        let newObjects = new.flatMap { try? ArxObject.objects(path: path, bytes: $0) } ?? []
        let oldByID = Dictionary(oldObjects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newByID = Dictionary(newObjects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newIDs = Set(newSummaries.map(\.id))
        var out = [Object]()
        for object in newSummaries {
            guard let before = oldByID[object.id] else {
                out.append(Object(id: object.id, type: object.type, path: path, change: .added))
                continue
            }
            if newByID[object.id].map({ ObjectDiff.compare(before, $0) != nil }) ?? true {
                out.append(Object(id: object.id, type: object.type, path: path, change: .modified))
            }
        }
        for object in oldObjects where !newIDs.contains(object.id) {
            out.append(Object(id: object.id, type: object.type, path: path, change: .removed))
        }
        return out
    }

    /// An object removed from one file and added to another is reported once, as modified (moved between files).
    static func mergeMoves(_ objects: [Object]) -> [Object] {
        var added = [String: Int]()
        for (i, object) in objects.enumerated() where object.change == .added { added[object.id] = i }
        var drop = Set<Int>()
        var out = objects
        for (i, object) in objects.enumerated() where object.change == .removed {
            if let j = added[object.id] {
                out[j].change = .modified
                drop.insert(i)
            }
        }
        return out.enumerated().filter { !drop.contains($0.offset) }.map(\.element).sorted { $0.id < $1.id }
    }
}
