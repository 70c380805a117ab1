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
        // Entries are compared as raw bytes; only the names of entries that differ are decoded (and checked).
        func entries(_ id: ObjectID?) throws -> [Tree.RawEntry] {
            guard let id else { return [] }
            do { return try Tree.rawEntries(try objects.read(id, as: .tree)) } catch let error as ObjectFormatError {
                throw StoreError.malformed(id, file: "tree", error)
            }
        }
        let a = try entries(old), b = try entries(new)
        var out = [FileChange]()
        // Both trees are sorted by name bytes: walk them side by side.
        var i = 0, j = 0
        while i < a.count || j < b.count {
            var x: Tree.RawEntry? = nil, y: Tree.RawEntry? = nil
            if j == b.count || (i < a.count && a[i].name.lexicographicallyPrecedes(b[j].name)) {
                x = a[i]; i += 1
            } else if i == a.count || b[j].name.lexicographicallyPrecedes(a[i].name) {
                y = b[j]; j += 1
            } else {
                x = a[i]; y = b[j]; i += 1; j += 1
                if x?.id == y?.id && x?.kind == y?.kind { continue }
            }
            let name: String
            do { name = try (x ?? y)?.decodedName() ?? "" } catch { throw StoreError.malformed(old ?? new ?? .zero, file: "tree", error) }
            let path = prefix.isEmpty ? name : prefix + "/" + name
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
