import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Materializing states and switching `current` (docs/deploy.md, "Power loss").
extension EdgeNode {
    /// Writes the files of deploy commit `id`'s tree into `states/<id>`: into `states/<id>.tmp` first, every file and
    /// directory fsynced, then renamed, so a state directory is complete before its name exists.
    func materialize(_ id: ObjectID) throws {
        let target = stateDirectory(id)
        if FileSystem.isDirectory(target) { return }
        let temporary = target + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        let commit = try store.objects.readCommit(id)
        let files = try TreeBuilder.flatten(commit.tree, in: store.objects)
        var directories = Set<String>([temporary])
        try FileSystem.makeDirectories(temporary)
        for (path, blob) in files.sorted(by: { $0.key < $1.key }) {
            let full = temporary + "/" + path
            let parent = (full as NSString).deletingLastPathComponent
            if directories.insert(parent).inserted { try FileSystem.makeDirectories(parent) }
            let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o444)
            guard fd >= 0 else { throw StoreError.io(path: full, operation: "create", errno: errno) }
            defer { close(fd) }
            try FileSystem.writeAll(fd, try store.objects.readBlob(blob), path: full)
        }
        // Every file and directory durable before the rename: one syncfs(2) of the file system when the C library has
        // it (one call instead of one fsync per file), else an fsync of each.
        if !syncFileSystem(of: temporary) {
            for path in files.keys {
                let full = temporary + "/" + path
                let fd = open(full, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw StoreError.io(path: full, operation: "open", errno: errno) }
                defer { close(fd) }
                guard fsync(fd) == 0 else { throw StoreError.io(path: full, operation: "fsync", errno: errno) }
            }
            for directory in directories.sorted(by: >) { try FileSystem.syncDirectory(directory) }
        }
        guard rename(temporary, target) == 0 else { throw StoreError.io(path: target, operation: "rename", errno: errno) }
        try FileSystem.syncDirectory(statesDirectory)
    }

    /// Points `current` at `id`'s state (nil: no state) by renaming a new symbolic link over it, then fsyncs.
    func switchCurrent(to id: ObjectID?) throws {
        guard let id else {
            if unlink(currentLink) != 0, errno != ENOENT { throw StoreError.io(path: currentLink, operation: "unlink", errno: errno) }
            try FileSystem.syncDirectory(directory)
            return
        }
        let temporary = directory + "/.current-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard symlink("states/" + id.hex, temporary) == 0 else { throw StoreError.io(path: temporary, operation: "symlink", errno: errno) }
        guard rename(temporary, currentLink) == 0 else {
            unlink(temporary)
            throw StoreError.io(path: currentLink, operation: "rename", errno: errno)
        }
        try FileSystem.syncDirectory(directory)
    }

    /// Removes state directories beyond the current one, a pending one and the `keep` newest confirmed others.
    func prune(database: NodeDatabase) throws {
        var keepSet = Set<String>()
        if let current = current() { keepSet.insert(current.hex) }
        if let pending = pending() { keepSet.insert(pending.commit); if let previous = pending.previous { keepSet.insert(previous) } }
        let confirmed = try database.recent(limit: 1000).filter { $0.status == "confirmed" }.map(\.commit)
        for commit in confirmed where !keepSet.contains(commit) {
            if keepSet.count >= config.keep + 1 { break }
            keepSet.insert(commit)
        }
        for name in FileSystem.list(statesDirectory) where !keepSet.contains(name) {
            try? FileManager.default.removeItem(atPath: statesDirectory + "/" + name)
        }
    }
}

/// Flushes the whole file system holding `path` with syncfs(2), looked up at run time; false when unavailable or failed.
private func syncFileSystem(of path: String) -> Bool {
    typealias SyncFS = @convention(c) (Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return false }
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0
}
