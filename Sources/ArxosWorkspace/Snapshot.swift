import ArxosCore
import ArxosModel
import ArxosStore
import Foundation

/// A problem that stops a capture: bad files or duplicate ids. Nothing was written.
public struct CaptureError: Error, LocalizedError {
    public var problems: [ModelError]
    public var errorDescription: String? {
        let shown = problems.prefix(20).map { $0.localizedDescription }
        let more = problems.count > 20 ? ["… and \(problems.count - 20) more problems"] : []
        return (shown + more + ["hint: fix these files, then capture again; nothing was written"]).joined(separator: "\n")
    }
}

/// Sees each object file a snapshot reads (new or changed since the stat cache), from the reading threads, with the
/// file's bytes and objects: capture validates changed objects this way without reading them twice.
public protocol SnapshotVisitor: Sendable {
    func visit(path: String, bytes: [UInt8], objects: [ObjectSummary])
    /// Every file has been read and parsed, ids are unique, and the trees are not built yet; `entries` lists every
    /// file with its objects, in tree order. Throwing stops the snapshot.
    func finishedReading(entries: [IndexEntry]) throws
}

extension SnapshotVisitor {
    public func finishedReading(entries: [IndexEntry]) throws {}
}

/// The working tree turned into blobs and a Merkle tree of trees.
public struct Snapshot: Sendable {
    public var tree: ObjectID
    public var index: StatIndex
    /// Files whose content was read because their stat data changed (or were new).
    public var filesRead: Int
}

/// Reads the working tree into a snapshot: unchanged files come from the stat cache, changed ones are read and parsed in
/// parallel, ids are checked for uniqueness, and new blobs and trees go into `batch` (if given).
public struct SnapshotBuilder: Sendable {
    let tree: WorkingTree
    /// The stat cache, given or loaded from a file while the working tree is scanned.
    let previousSource: PreviousIndex
    /// Files larger than this (the store's object size limit) are refused.
    let sizeLimit: Int
    /// The store holding the cache's tree, if the new tree may be built by patching it.
    let objects: ObjectDatabase?
    /// Called for every object file that is read and parses.
    public var visitor: (any SnapshotVisitor)? = nil
    /// Told how many changed files there are to read and how many have been read.
    public var progress: ProgressHandler? = nil

    public enum PreviousIndex: Sendable {
        case value(StatIndex)
        case file(String)
    }

    public init(tree: WorkingTree, previous: StatIndex, sizeLimit: Int = Int.max, objects: ObjectDatabase? = nil) {
        self.init(tree: tree, previous: .value(previous), sizeLimit: sizeLimit, objects: objects)
    }

    public init(tree: WorkingTree, previous: PreviousIndex, sizeLimit: Int = Int.max, objects: ObjectDatabase? = nil) {
        self.tree = tree
        self.previousSource = previous
        self.sizeLimit = sizeLimit
        self.objects = objects
    }

    struct Read: Sendable {
        var blob: ObjectID
        var encoded: [UInt8]
        var objects: [ObjectSummary]
        var error: ModelError?
    }

    public func build(into batch: ObjectBatch?) throws -> Snapshot {
        // Loading the stat cache and scanning the working tree do not depend on each other: do both at once.
        switch previousSource {
        case let .value(index):
            var previous = index
            return try build(files: tree.scan(), previous: &previous, into: batch)
        case let .file(path):
            let loaded = UnsafeResults<StatIndex>(count: 1)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { loaded[0] = StatIndex.load(from: path) }
            let scanned = tree.scan()
            group.wait()
            var previous = loaded[0] ?? StatIndex()
            loaded[0] = nil
            return try build(files: scanned, previous: &previous, into: batch)
        }
    }

    /// `previous` is emptied once it has been compared, so that its memory goes before the trees are built.
    private func build(files: [(path: String, stat: FileStat)], previous: inout StatIndex, into batch: ObjectBatch?) throws -> Snapshot {
        var entries = [IndexEntry]()
        entries.reserveCapacity(files.count)
        var problems = [ModelError]()
        var filesRead = 0

        var pendingPositions = [Int]()
        // What the cache said about each pending file (nil: a new file), and the cached files that are gone.
        var cachedBlobs = [ObjectID?]()
        var removed = [(String, ObjectID?)]()
        // Both the scan and the cache are in tree order: walk them side by side instead of looking paths up.
        let base = previous.tree
        var cache = previous.entries
        previous = StatIndex()
        var cursor = 0
        for (position, file) in files.enumerated() {
            while cursor < cache.count, cache[cursor].path != file.path, cache[cursor].path.treeOrderPrecedes(file.path) {
                removed.append((cache[cursor].path, nil))
                cursor += 1
            }
            let match = cursor < cache.count && cache[cursor].path == file.path
            if match, !cache[cursor].racy, cache[cursor].stat == file.stat {
                entries.append(cache[cursor])
            } else {
                entries.append(IndexEntry(path: file.path, stat: file.stat, racy: false, blob: .zero, objects: []))
                pendingPositions.append(position)
                cachedBlobs.append(match ? cache[cursor].blob : nil)
            }
            if match { cursor += 1 }
        }
        while cursor < cache.count {
            removed.append((cache[cursor].path, nil))
            cursor += 1
        }
        cache = []
        // Changed files are read, hashed and parsed in parallel, a slice at a time to bound memory.
        let sliceSize = 4096
        var start = 0
        let reading = ProgressCounter(.readingFiles, total: pendingPositions.count, handler: progress)
        while start < pendingPositions.count {
            let slice = Array(pendingPositions[start..<min(start + sliceSize, pendingPositions.count)])
            start += slice.count
            let results = try readInParallel(slice.map { files[$0].path }, counting: reading)
            for (position, result) in zip(slice, results) {
                filesRead += 1
                if let error = result.error { problems.append(error); continue }
                entries[position].blob = result.blob
                entries[position].objects = result.objects
                try batch?.add(encoded: result.encoded, id: result.blob)
            }
        }
        reading?.finish()
        problems += duplicateIDs(entries)
        if !problems.isEmpty { throw CaptureError(problems: problems) }
        try visitor?.finishedReading(entries: entries)
        var patched: ObjectID? = nil
        if let base, let objects, (try? objects.contains(base)) == true {
            // The cache describes `base`: the new tree is `base` with the changed paths replaced, so the work follows
            // the size of the change, not of the building.
            var changes = removed
            for (slot, position) in pendingPositions.enumerated() where entries[position].blob != cachedBlobs[slot] {
                changes.append((entries[position].path, entries[position].blob))
            }
            // A base tree that cannot be read (damaged store) only costs a full build.
            patched = try? TreeBuilder.patch(base, with: changes, objects: objects, into: batch)
        }
        let root = try patched ?? TreeBuilder.build(entries.map { ($0.path, $0.blob) }, into: batch)
        var index = StatIndex(treeOrdered: entries)
        index.tree = root
        return Snapshot(tree: root, index: index, filesRead: filesRead)
    }

    private func readInParallel(_ paths: [String], counting counter: ProgressCounter?) throws -> [Read] {
        try parallelMap(count: paths.count) {
            let read = try readOne(paths[$0])
            counter?.add(bytes: read.encoded.count)
            return read
        }
    }

    private func readOne(_ path: String) throws -> Read {
        let bytes = try tree.read(path)
        if bytes.count > sizeLimit - 32 {
            return Read(blob: .zero, encoded: [], objects: [], error: ModelError(
                path: path, line: 1,
                message: "the file is \(bytes.count) bytes, more than core.objectSizeLimit (\(sizeLimit)); split it into smaller files or raise the limit"))
        }
        let encoded = ObjectEncoding.encode(.blob, bytes)
        let blob = ObjectID(hashing: encoded)
        guard WorkingTree.holdsObjects(path) else { return Read(blob: blob, encoded: encoded, objects: [], error: nil) }
        do {
            let objects = try ObjectFile.summaries(path: path, bytes: bytes)
            visitor?.visit(path: path, bytes: bytes, objects: objects)
            return Read(blob: blob, encoded: encoded, objects: objects, error: nil)
        } catch {
            return Read(blob: blob, encoded: [], objects: [], error: error)
        }
    }

    /// Every object id that appears twice, reported where it repeats with where it first appeared.
    /// The common case (no duplicates) costs one set insertion per object; locations are looked up only on a repeat.
    private func duplicateIDs(_ entries: [IndexEntry]) -> [ModelError] {
        var ids = Set<String>(minimumCapacity: entries.count)
        var repeated = false
        for entry in entries {
            for object in entry.objects where !ids.insert(object.id).inserted { repeated = true }
        }
        guard repeated else { return [] }
        var firstSeen = [String: (String, Int)]()
        firstSeen.reserveCapacity(entries.count)
        var problems = [ModelError]()
        for entry in entries {
            for object in entry.objects {
                if let (otherPath, otherLine) = firstSeen[object.id] {
                    problems.append(ModelError(path: entry.path, line: object.line,
                                               message: "duplicate id '\(object.id)' (first defined at \(otherPath):\(otherLine)); ids must be unique"))
                } else {
                    firstSeen[object.id] = (entry.path, object.line)
                }
            }
        }
        return problems
    }
}

/// Fixed-size storage written by concurrent workers, each at its own indexes. The buffer is allocated once and written
/// through its pointer, so no worker ever touches shared array bookkeeping.
/// Runs `body` for every index of `0..<count` on up to 8 threads, each taking one contiguous slice (so a slice of
/// paths in tree order stays together), and returns the results in index order, or throws the error of the lowest
/// index that failed. A worker stops its slice at its first error.
func parallelMap<T>(count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let results = UnsafeResults<T>(count: count)
    let failures = UnsafeResults<Error>(count: count)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let per = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let lower = worker * per, upper = min(lower + per, count)
        guard lower < upper else { return }
        for i in lower..<upper {
            do {
                results[i] = try body(i)
            } catch {
                failures[i] = error
                return
            }
        }
    }
    if let failure = failures.first { throw failure }
    return try results.all().enumerated().map { index, value in
        guard let value else { throw StoreError.corrupt("parallel work", "slot \(index) of \(count) was not filled") }
        return value
    }
}

final class UnsafeResults<T>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<T?>
    let count: Int

    init(count: Int) {
        self.count = count
        storage = UnsafeMutablePointer<T?>.allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: max(count, 1))
    }

    deinit {
        storage.deinitialize(count: max(count, 1))
        storage.deallocate()
    }

    subscript(i: Int) -> T? {
        get { storage[i] }
        set { storage[i] = newValue }
    }

    var first: T? {
        for i in 0..<count { if let value = storage[i] { return value } }
        return nil
    }

    /// Every slot's value; a slot no worker filled is a programming error reported as nil in place.
    func all() -> [T?] { (0..<count).map { storage[$0] } }
}

/// Builds the Merkle tree of a list of files.
public enum TreeBuilder {
    /// Builds nested trees from `(path, blob)` pairs (any order) and returns the root tree's id.
    ///
    /// Files are taken in tree order (a depth-first walk of sorted directories, which is how a scan delivers them, so
    /// the sort is linear); each directory's files are then contiguous and the trees are built with one stack of open
    /// directories.
    public static func build(_ files: [(String, ObjectID)], into batch: ObjectBatch?) throws -> ObjectID {
        var ordered = files
        ordered.sort { $0.0.treeOrderPrecedes($1.0) }
        var stack: [[TreeEntry]] = [[]]
        var openNames: [Substring] = []
        var currentDirectory: Substring? = nil

        func close() throws {
            let entries = stack.removeLast()
            let name = String(openNames.removeLast())
            stack[stack.count - 1].append(TreeEntry(kind: .directory, name: name, id: try store(entries, batch)))
        }

        for (path, id) in ordered {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { path[..<$0] } ?? ""
            if directory != currentDirectory {
                let components = directory.split(separator: "/", omittingEmptySubsequences: false).filter { !$0.isEmpty }
                var common = 0
                while common < min(components.count, openNames.count), components[common] == openNames[common] { common += 1 }
                while openNames.count > common { try close() }
                for component in components[common...] {
                    stack.append([])
                    openNames.append(component)
                }
                currentDirectory = directory
            }
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            stack[stack.count - 1].append(TreeEntry(kind: .file, name: name, id: id))
        }
        while !openNames.isEmpty { try close() }
        return try store(stack[0], batch)
    }

    /// The tree `base` with each changed path set to a blob or (nil) removed. Only the trees on the changed paths are
    /// read and rebuilt; a directory left empty disappears, as it would from a fresh build.
    public static func patch(_ base: ObjectID, with changes: [(String, ObjectID?)], objects: ObjectDatabase,
                             into batch: ObjectBatch?) throws -> ObjectID {
        let split = changes.map { (Array($0.0.split(separator: "/").map(String.init)), $0.1) }
        return try patch(base, split[...], depth: 0, objects: objects, batch: batch) ?? store([], batch)
    }

    private static func patch(_ base: ObjectID?, _ changes: ArraySlice<([String], ObjectID?)>, depth: Int,
                              objects: ObjectDatabase, batch: ObjectBatch?) throws -> ObjectID? {
        guard depth < 256 else { throw StoreError.corrupt("working tree", "paths nest deeper than 256 directories") }
        var entries = try base.map { try objects.readTree($0).entries } ?? []
        var groups = [String: [([String], ObjectID?)]]()
        for change in changes { groups[change.0[depth], default: []].append(change) }
        for (name, group) in groups {
            let existing = entries.firstIndex { $0.name.utf8.elementsEqual(name.utf8) }
            let fileChange = group.last { $0.0.count == depth + 1 }
            let deeper = group.filter { $0.0.count > depth + 1 }
            var replacement: TreeEntry? = nil
            if !deeper.isEmpty {
                let subtree = existing.flatMap { entries[$0].kind == .directory ? entries[$0].id : nil }
                if let id = try patch(subtree, deeper[...], depth: depth + 1, objects: objects, batch: batch) {
                    replacement = TreeEntry(kind: .directory, name: name, id: id)
                }
            } else if let fileChange, let blob = fileChange.1 {
                replacement = TreeEntry(kind: .file, name: name, id: blob)
            } else if let existing, entries[existing].kind == .directory, fileChange?.1 == nil {
                // A removed file whose name is now a directory: keep the directory.
                replacement = entries[existing]
            }
            if let existing { entries.remove(at: existing) }
            if let replacement { entries.append(replacement) }
        }
        if entries.isEmpty && depth > 0 { return nil }
        return try store(entries, batch)
    }

    private static func store(_ entries: [TreeEntry], _ batch: ObjectBatch?) throws -> ObjectID {
        let content = try Tree(entries: entries).encoded()
        if let batch { return try batch.add(.tree, content) }
        return ObjectEncoding.id(.tree, content)
    }

    /// Every file of a tree as `path → blob id`.
    public static func flatten(_ id: ObjectID, in objects: ObjectDatabase, prefix: String = "") throws -> [String: ObjectID] {
        var out = [String: ObjectID]()
        try walk(id, in: objects, prefix: prefix) { path, blob in out[path] = blob }
        return out
    }

    /// Calls `visit` for every file under a tree, depth first in entry order.
    public static func walk(_ id: ObjectID, in objects: ObjectDatabase, prefix: String = "", depth: Int = 0,
                            visit: (String, ObjectID) throws -> Void) throws {
        guard depth < 256 else { throw StoreError.corrupt("tree \(id.hex)", "trees nest deeper than 256 levels") }
        for entry in try objects.readTree(id).entries {
            let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
            switch entry.kind {
            case .file: try visit(path, entry.id)
            case .directory: try walk(entry.id, in: objects, prefix: path, depth: depth + 1, visit: visit)
            }
        }
    }

    /// The entry at a `/`-separated path inside a tree, nil if absent.
    public static func entry(at path: String, in root: ObjectID, objects: ObjectDatabase) throws -> TreeEntry? {
        var current = TreeEntry(kind: .directory, name: "", id: root)
        for component in path.split(separator: "/") {
            guard current.kind == .directory, let next = try objects.readTree(current.id)[String(component)] else { return nil }
            current = next
        }
        return current
    }
}
