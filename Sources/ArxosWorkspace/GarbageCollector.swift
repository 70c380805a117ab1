import ArxosCore
import ArxosStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Packs every reachable object into one pack, ordered so that versions of a file sit side by side and compress
/// against each other, and removes unreachable objects older than the grace period.
public struct GarbageCollector {
    let repository: Repository
    /// Unreachable objects younger than this many seconds are kept.
    public var grace: TimeInterval
    public var level: Int32
    public var chunkTarget: Int
    /// Told how counting, packing and removing go; nil costs nothing.
    public var progress: ProgressHandler? = nil

    /// Chunks of 1 MiB compress within a few percent of 4 MiB ones, and a read decompresses a quarter as much.
    public init(repository: Repository, grace: TimeInterval, level: Int32, chunkTarget: Int = 1 << 20) {
        self.repository = repository
        self.grace = grace
        self.level = level
        self.chunkTarget = chunkTarget
    }

    public struct Result: Sendable {
        public var packed: Int
        public var prunedLoose: Int
        public var keptUnreachable: Int
        public var packsRemoved: Int
        public var packBytes: Int
    }

    /// Parses a grace period such as `now`, `2.weeks`, `3.days`, `12.hours` or a number of seconds.
    public static func parseGrace(_ text: String) -> TimeInterval? {
        if text == "now" { return 0 }
        if let seconds = TimeInterval(text) { return seconds }
        let parts = text.split(separator: ".")
        guard parts.count == 2, let n = TimeInterval(parts[0]) else { return nil }
        let units: [String: TimeInterval] = ["seconds": 1, "minutes": 60, "hours": 3600, "days": 86_400, "weeks": 604_800]
        guard let unit = units[String(parts[1])] ?? units[String(parts[1]) + "s"] else { return nil }
        return n * unit
    }

    public func run() throws -> Result {
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        let objects = repository.objects
        let now = Date().timeIntervalSince1970

        // 1. Everything reachable from refs, HEAD and reflogs, in an order that helps compression.
        let counting = ProgressCounter(.countingObjects, total: nil, handler: progress, stride: 256)
        let order = try reachableInPackOrder(counting: counting)
        counting?.finish()
        let reachable = Set(order.map(\.id))

        // 2. Unreachable packed objects in packs younger than the grace period are kept.
        let oldPacks = try objects.packs
        var keep = [ObjectID]()
        for pack in oldPacks where now - modificationTime(pack.path) < grace {
            for id in pack.ids where !reachable.contains(id) { keep.append(id) }
        }

        // 3. Write the new pack; it is durable (and indexed) before anything is removed.
        try FileSystem.makeDirectories(objects.packDirectory)
        let writer = PackWriter(directory: objects.packDirectory, level: level, chunkTarget: chunkTarget)
        let writing = ProgressCounter(.writingPack, total: order.count + keep.count, handler: progress, stride: 256)
        do {
            for item in order {
                guard let encoded = try objects.encodedBytes(item.id) else { throw StoreError.missingObject(item.id) }
                try writer.add(encoded: encoded, id: item.id)
                writing?.add(bytes: encoded.count)
            }
            for id in keep {
                if let encoded = try objects.encodedBytes(id) { try writer.add(encoded: encoded, id: id) }
                writing?.add()
            }
        } catch {
            writer.abandon()
            throw error
        }
        let newPack = try writer.finish()
        writing?.finish()
        objects.reloadPacks()

        // 4. Remove old packs, packed loose objects, expired unreachable loose objects, and leftovers of crashed writers.
        let doomedPacks = oldPacks.filter { $0.name != newPack?.description }
        let loose = objects.looseObjects()
        let removing = ProgressCounter(.removingObjects, total: doomedPacks.count + loose.count, handler: progress, stride: 256)
        var packsRemoved = 0
        for pack in doomedPacks {
            unlink(String(pack.path.dropLast(5)) + ".idx")
            unlink(pack.path)
            packsRemoved += 1
            removing?.add()
        }
        var pruned = 0, keptLoose = 0
        let kept = Set(keep)
        for (id, path) in loose {
            if reachable.contains(id) || kept.contains(id) {
                unlink(path)
            } else if now - modificationTime(path) >= grace {
                unlink(path)
                pruned += 1
            } else {
                keptLoose += 1
            }
            removing?.add()
        }
        removing?.finish()
        for dir in FileSystem.list(objects.directory) where dir.utf8.count == 2 || dir == "pack" {
            let full = objects.directory + "/" + dir
            for name in FileSystem.list(full) where name.hasPrefix("tmp-") { unlink(full + "/" + name) }
            if dir != "pack" { rmdir(full) }
        }
        for name in FileSystem.list(objects.packDirectory) where name.hasSuffix(".pack") {
            let path = objects.packDirectory + "/" + name
            if !FileSystem.exists(String(path.dropLast(5)) + ".idx") { unlink(path) }
        }
        try FileSystem.syncDirectory(objects.packDirectory)
        objects.reloadPacks()
        let packBytes = newPack.map { Int(fileSize(objects.packDirectory + "/" + $0.packFileName)) } ?? 0
        return Result(packed: order.count + keep.count, prunedLoose: pruned, keptUnreachable: keep.count + keptLoose,
                      packsRemoved: packsRemoved, packBytes: packBytes)
    }

    struct Item { var id: ObjectID; var rank: Int; var path: String; var sequence: Int }

    /// Reachable objects: commits newest first, then tags, trees and blobs grouped by path (newest version first).
    func reachableInPackOrder(counting counter: ProgressCounter? = nil) throws -> [Item] {
        let objects = repository.objects
        var roots = Set<ObjectID>()
        for ref in try repository.refs.list("refs/") { roots.insert(ref.id) }
        if let head = try repository.refs.headCommit() { roots.insert(head) }
        for name in repository.refs.reflogNames() {
            for entry in (try? repository.refs.reflog(name)) ?? [] {
                if entry.new != .zero, try objects.contains(entry.new) { roots.insert(entry.new) }
                if entry.old != .zero, try objects.contains(entry.old) { roots.insert(entry.old) }
            }
        }
        var items = [Item]()
        var seen = Set<ObjectID>()
        var sequence = 0
        func add(_ id: ObjectID, rank: Int, path: String) -> Bool {
            guard seen.insert(id).inserted else { return false }
            items.append(Item(id: id, rank: rank, path: path, sequence: sequence))
            counter?.add()
            sequence += 1
            return true
        }
        var commits = [ObjectID]()
        for root in roots.sorted() {
            var id = root
            while true {
                let (type, content) = try objects.read(id)
                if type != .tag { break }
                _ = add(id, rank: 1, path: "")
                id = try Tag(parsing: content).object
            }
            if try objects.read(id).0 == .commit { commits.append(id) } else { try walkTree(id, path: "", rank: 2, add: add) }
        }
        try HistoryWalker(objects: objects).walk(from: commits) { id, commit in
            _ = add(id, rank: 0, path: "")
            try walkTree(commit.tree, path: "", rank: 2, add: add)
            return true
        }
        // Stable: within a path, history order (newest first) is kept.
        items.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.path != b.path { return a.path.treeOrderPrecedes(b.path) }
            return a.sequence < b.sequence
        }
        return items
    }

    private func walkTree(_ id: ObjectID, path: String, rank: Int, add: (ObjectID, Int, String) -> Bool) throws {
        guard add(id, rank, path) else { return }
        for entry in try repository.objects.readTree(id).entries {
            let child = path.isEmpty ? entry.name : path + "/" + entry.name
            switch entry.kind {
            case .file: _ = add(entry.id, 3, child)
            case .directory: try walkTree(entry.id, path: child, rank: rank, add: add)
            }
        }
    }

    func modificationTime(_ path: String) -> TimeInterval {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return TimeInterval(info.st_mtim.tv_sec)
    }

    func fileSize(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int64(info.st_size)
    }
}
