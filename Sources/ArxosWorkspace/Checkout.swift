import ArxosCore
import ArxosModel
import ArxosStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes the working tree match a tree: writes changed files, removes files the tree does not have.
public struct Checkout {
    let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    public struct Result: Sendable {
        public var written: Int
        public var removed: Int
    }

    /// Moves the working tree from `current` (the tree it matched) to `target`.
    /// Refuses, naming the files, if a file that differs between the trees has uncaptured changes.
    public func switchTree(from current: ObjectID?, to target: ObjectID, action: String) throws -> Result {
        let objects = repository.objects
        let old = try current.map { try TreeBuilder.flatten($0, in: objects) } ?? [:]
        let new = try TreeBuilder.flatten(target, in: objects)
        let status = try WorkingTreeStatus.compute(in: repository)
        let dirty = Set(status.files.map(\.path))
        let touched = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }
        let conflicts = dirty.intersection(touched).sorted()
        if !conflicts.isEmpty { throw WorkspaceError.uncapturedChanges(paths: conflicts, action: action) }
        return try apply(old: old, new: new, paths: touched.sorted())
    }

    /// Writes `paths` of `new` into the working tree (removing those `new` lacks), whatever their current content.
    public func apply(old: [String: ObjectID], new: [String: ObjectID], paths: [String]) throws -> Result {
        let tree = try WorkingTree(top: repository.top)
        let index = StatIndex.load(from: repository.root + "/index")
        var written = 0, removed = 0
        var changes = [String: IndexEntry?]()
        for path in paths {
            if let blob = new[path] {
                let bytes = try repository.objects.readBlob(blob)
                // Not fsynced, as git's checkouts are not: the content is durable in the store already.
                let stat = try tree.write(path, bytes, durable: false)
                let objects = WorkingTree.holdsObjects(path) ? ((try? ObjectFile.summaries(path: path, bytes: bytes)) ?? []) : []
                changes[path] = IndexEntry(path: path, stat: stat, racy: false, blob: blob, objects: objects)
                written += 1
            } else {
                try tree.remove(path)
                changes[path] = .some(nil)
                removed += 1
            }
        }
        try index.updating(changes).save(to: repository.root + "/index")
        return Result(written: written, removed: removed)
    }

    /// Fills an empty working tree (a new clone's) with `files` (path → blob) and records them all in the stat cache.
    /// Faster than `apply`, which replaces files one by one: each file is created in place (there is no content to
    /// replace atomically, and a failed clone removes the whole directory), each directory is made once, and the
    /// files are read, written and summarised on as many threads as there are processors. Refuses a path that
    /// already exists.
    public func populate(_ files: [String: ObjectID], progress: ProgressHandler? = nil) throws -> Result {
        let tree = try WorkingTree(top: repository.top)
        let paths = files.keys.sorted { $0.treeOrderPrecedes($1) }
        var directories = Set<Substring>()
        for path in paths {
            guard let slash = path.lastIndex(of: "/") else { continue }
            let directory = path[..<slash]
            if directories.insert(directory).inserted { try FileSystem.makeDirectories(tree.top + "/" + directory) }
        }
        let objects = repository.objects
        let counter = ProgressCounter(.checkingOut, total: paths.count, handler: progress, stride: 256)
        let entries = try parallelMap(count: paths.count) { i -> IndexEntry? in
            let path = paths[i]
            guard let blob = files[path] else { return nil }
            let bytes = try objects.readBlob(blob)
            let stat = try Checkout.create(tree.top + "/" + path, bytes)
            counter?.add(bytes: bytes.count)
            let summaries = WorkingTree.holdsObjects(path) ? ((try? ObjectFile.summaries(path: path, bytes: bytes)) ?? []) : []
            return IndexEntry(path: path, stat: stat, racy: false, blob: blob, objects: summaries)
        }
        counter?.finish()
        try StatIndex(treeOrdered: entries.compactMap { $0 }).save(to: repository.root + "/index")
        return Result(written: paths.count, removed: 0)
    }

    /// Creates the file at `path`, which must not exist, with `bytes` (not fsynced, as in `apply`); returns its stat.
    private static func create(_ path: String, _ bytes: [UInt8]) throws -> FileStat {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "create", errno: errno) }
        defer { close(fd) }
        try FileSystem.writeAll(fd, bytes, path: path)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(path: path, operation: "stat", errno: errno) }
        return FileStat(info)
    }

    /// Writes files given by content (nil removes the file) and records them in the stat cache. `tree`, when given,
    /// is the root tree the whole working tree matches afterwards, so the next capture can patch it.
    public func write(_ files: [(path: String, bytes: [UInt8]?)], tree rootTree: ObjectID?, index current: StatIndex? = nil) throws -> Int {
        let tree = try WorkingTree(top: repository.top)
        let index = current ?? StatIndex.load(from: repository.root + "/index")
        var changes = [String: IndexEntry?]()
        for file in files {
            if let bytes = file.bytes {
                let stat = try tree.write(file.path, bytes, durable: false)
                let objects = WorkingTree.holdsObjects(file.path) ? ((try? ObjectFile.summaries(path: file.path, bytes: bytes)) ?? []) : []
                changes[file.path] = IndexEntry(path: file.path, stat: stat, racy: false, blob: ObjectEncoding.id(.blob, bytes),
                                                objects: objects)
            } else {
                try tree.remove(file.path)
                changes[file.path] = .some(nil)
            }
        }
        var updated = index.updating(changes)
        updated.tree = rootTree
        try updated.save(to: repository.root + "/index")
        return files.count
    }
}
