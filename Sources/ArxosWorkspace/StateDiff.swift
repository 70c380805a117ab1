import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore

/// The property-level differences between two states of a building, matched by object id across files.
public struct StateDiff: Sendable {
    /// One changed object per entry, in id order.
    public var objects: [ObjectChange]
    /// Files whose bytes changed but whose objects mean the same (reformatted, reordered, comments).
    public var unchangedMeaning: [String]

    /// A file that differs between two states, with its blob on each side (nil where absent).
    public struct FileChange: Sendable {
        public var path: String
        public var old: ObjectID?
        public var new: ObjectID?
    }

    /// The files that differ between two trees. Subtrees with the same id are skipped without being read, so the cost
    /// follows the size of the change.
    public static func changedFiles(_ old: ObjectID?, _ new: ObjectID?, objects: ObjectDatabase, prefix: String = "") throws -> [FileChange] {
        if old == new { return [] }
        let a = try old.map { try objects.readTree($0).entries } ?? []
        let b = try new.map { try objects.readTree($0).entries } ?? []
        var out = [FileChange]()
        var names = Set(a.map(\.name)).union(b.map(\.name)).sorted { $0.utf8Precedes($1) }
        names = names.filter { name in a.first { $0.name == name } != b.first { $0.name == name } }
        for name in names {
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let x = a.first { $0.name == name }, y = b.first { $0.name == name }
            let oldTree = x?.kind == .directory ? x?.id : nil, newTree = y?.kind == .directory ? y?.id : nil
            let oldFile = x?.kind == .file ? x?.id : nil, newFile = y?.kind == .file ? y?.id : nil
            if oldFile != nil || newFile != nil { out.append(FileChange(path: path, old: oldFile, new: newFile)) }
            if oldTree != nil || newTree != nil { out += try changedFiles(oldTree, newTree, objects: objects, prefix: path) }
        }
        return out
    }

    /// Compares two trees of the store.
    public static func between(_ old: ObjectID?, _ new: ObjectID?, in repository: Repository) throws -> StateDiff {
        let files = try changedFiles(old, new, objects: repository.objects)
        return try compare(files) { blob, _ in try repository.objects.readBlob(blob) } newBytes: { change in
            try change.new.map { try repository.objects.readBlob($0) }
        }
    }

    /// Compares a tree of the store (HEAD, usually) with the working tree.
    public static func workingTree(against tree: ObjectID?, in repository: Repository) throws -> StateDiff {
        let status = try WorkingTreeStatus.compute(in: repository)
        if let problem = status.problems.first { throw problem }
        let working = try WorkingTree(top: repository.top)
        let files = try status.files.map { file -> FileChange in
            let old = try tree.flatMap { try TreeBuilder.entry(at: file.path, in: $0, objects: repository.objects) }
            return FileChange(path: file.path, old: old?.kind == .file ? old?.id : nil,
                              new: file.change == .removed ? nil : ObjectEncoding.id(.blob, try working.read(file.path)))
        }
        return try compare(files) { blob, _ in try repository.objects.readBlob(blob) } newBytes: { change in
            change.new == nil ? nil : try working.read(change.path)
        }
    }

    static func compare(_ files: [FileChange], oldBytes: (ObjectID, String) throws -> [UInt8],
                        newBytes: (FileChange) throws -> [UInt8]?) throws -> StateDiff {
        var before = [String: ArxObject](), after = [String: ArxObject]()
        var objectsByFile = [String: [String]]()
        for file in files where WorkingTree.holdsObjects(file.path) {
            if let blob = file.old {
                for object in try ArxObject.objects(path: file.path, bytes: try oldBytes(blob, file.path)) {
                    before[object.id] = object
                    objectsByFile[file.path, default: []].append(object.id)
                }
            }
            if let bytes = try newBytes(file) {
                for object in try ArxObject.objects(path: file.path, bytes: bytes) {
                    after[object.id] = object
                    objectsByFile[file.path, default: []].append(object.id)
                }
            }
        }
        var changes = [ObjectChange]()
        var changedIDs = Set<String>()
        for id in Set(before.keys).union(after.keys).sorted() {
            if let change = ObjectDiff.compare(before[id], after[id]) {
                changes.append(change)
                changedIDs.insert(id)
            }
        }
        let quiet = files.filter { file in
            file.old != nil && file.new != nil && !(objectsByFile[file.path] ?? []).contains(where: changedIDs.contains)
        }.map(\.path)
        return StateDiff(objects: changes, unchangedMeaning: quiet)
    }
}
