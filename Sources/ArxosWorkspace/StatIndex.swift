import ArxosCore
import ArxosModel
import ArxosStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the stat cache remembers about one working-tree file.
public struct IndexEntry: Sendable {
    public var path: String
    public var stat: FileStat
    public var racy: Bool
    public var blob: ObjectID
    public var objects: [ObjectSummary]
}

/// The stat cache `.arxos/index` (docs/format.md): lets a capture skip files whose stat data did not change.
public struct StatIndex: Sendable {
    /// The entries in tree order.
    public private(set) var entries: [IndexEntry] = []
    /// The root tree these entries make, when known: a capture then builds its tree by patching this one.
    public var tree: ObjectID?
    static let magic = Array("ARXINDX2".utf8)

    public init() {}

    /// An index of these entries (any order; a path given twice keeps its last entry).
    public init(entries: [IndexEntry]) {
        var sorted = entries
        sorted.sort { $0.path.treeOrderPrecedes($1.path) }
        self.entries.reserveCapacity(sorted.count)
        for entry in sorted {
            if let last = self.entries.last, last.path == entry.path { self.entries.removeLast() }
            self.entries.append(entry)
        }
    }

    /// An index of entries that are already in tree order with unique paths.
    init(treeOrdered entries: [IndexEntry]) { self.entries = entries }

    /// This index with the entry for `path` replaced, added, or (with nil) removed.
    public func updating(_ changes: [String: IndexEntry?]) -> StatIndex {
        var kept = entries.filter { changes[$0.path] == nil }
        for case let (_, entry?) in changes { kept.append(entry) }
        return StatIndex(entries: kept)
    }

    /// Loads the cache; a missing or damaged cache is an empty one (it is only a cache).
    public static func load(from path: String) -> StatIndex {
        guard let bytes = try? FileSystem.read(path), let index = try? StatIndex(decoding: bytes) else { return StatIndex() }
        return index
    }

    /// The entry for `path` if its stat data proves the file unchanged.
    public func unchanged(_ path: String, _ stat: FileStat) -> IndexEntry? {
        guard let entry = self[path], !entry.racy, entry.stat == stat else { return nil }
        return entry
    }

    /// The entry for a path (binary search in tree order).
    public subscript(path: String) -> IndexEntry? {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].path.treeOrderPrecedes(path) { low = mid + 1 } else { high = mid }
        }
        return low < entries.count && entries[low].path == path ? entries[low] : nil
    }

    /// Writes the cache atomically. Entries modified less than 1 second before `now` (or later) are marked racy.
    /// The file is streamed through a 1 MiB buffer, so saving costs no memory in proportion to the working tree.
    public func save(to path: String, now: Date = Date()) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let (fd, temp) = try FileSystem.createTemporary(in: directory)
        var hasher = IncrementalHash()
        do {
            defer { close(fd) }
            try encode(now: StatIndex.nanoseconds(now)) { (chunk: [UInt8]) throws in
                hasher.update(chunk)
                try FileSystem.writeAll(fd, chunk, path: temp)
            }
            try FileSystem.writeAll(fd, hasher.finalize().bytes, path: temp)
        } catch {
            unlink(temp)
            throw error
        }
        // A cache: replaced atomically, but not fsynced (a lost cache only makes the next capture read more files).
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw StoreError.io(path: path, operation: "rename", errno: code)
        }
    }

    /// A moment as nanoseconds since 1970.
    static func nanoseconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970 * 1_000_000_000) }

    /// The encoded bytes, checksum included (for tests).
    func encoded(now: Int64) -> [UInt8] {
        var out = [UInt8]()
        try? encode(now: now) { out += $0 }
        out.append(contentsOf: ObjectID(hashing: out).bytes)
        return out
    }

    /// Encodes everything but the checksum, handing out chunks of about 1 MiB.
    func encode(now: Int64, emit: ([UInt8]) throws -> Void) throws {
        var out = StatIndex.magic
        out.reserveCapacity(1 << 20 + 4096)
        out.appendBE(UInt32(entries.count))
        (tree ?? .zero).append(to: &out)
        for entry in entries {
            if out.count >= 1 << 20 {
                try emit(out)
                out.removeAll(keepingCapacity: true)
            }
            out.appendString16(entry.path)
            out.appendBE(entry.stat.size)
            out.appendBE(UInt64(bitPattern: entry.stat.mtimeSeconds))
            out.appendBE(entry.stat.mtimeNanoseconds)
            out.appendBE(entry.stat.inode)
            // A file modified less than a second before this write could change again within the same timestamp
            // granule without its stat data showing it: such entries are re-read next time.
            let mtime = entry.stat.mtimeSeconds &* 1_000_000_000 &+ Int64(entry.stat.mtimeNanoseconds)
            let racy = entry.racy || mtime >= now - 1_000_000_000
            out.appendBE(UInt32(racy ? 1 : 0))
            entry.blob.append(to: &out)
            out.appendBE(UInt32(entry.objects.count))
            for object in entry.objects {
                out.appendString16(object.id)
                out.appendString16(object.type)
                out.appendBE(UInt32(clamping: object.line))
            }
        }
        try emit(out)
    }

    struct Truncated: Error {}

    init(decoding bytes: [UInt8]) throws {
        guard bytes.count >= 44, Array(bytes.prefix(8)) == StatIndex.magic,
              ObjectID(hashing: bytes[..<(bytes.count - 32)]) == ObjectID(bytes: bytes.suffix(32))
        else { throw Truncated() }
        let (base, decoded): (ObjectID, [IndexEntry]) = try bytes.withUnsafeBytes { raw in
            var reader = RawReader(raw: UnsafeRawBufferPointer(rebasing: raw[8..<(raw.count - 32)]))
            let count = Int(try reader.u32())
            let base = try reader.objectID()
            var entries = [IndexEntry]()
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let path = try reader.string16()
                let stat = FileStat(size: try reader.u64(), mtimeSeconds: Int64(bitPattern: try reader.u64()),
                                    mtimeNanoseconds: try reader.u32(), inode: try reader.u64())
                let flags = try reader.u32()
                let blob = try reader.objectID()
                let objectCount = Int(try reader.u32())
                var objects = [ObjectSummary]()
                objects.reserveCapacity(objectCount)
                for _ in 0..<objectCount {
                    objects.append(ObjectSummary(id: try reader.string16(), type: try reader.string16(), line: Int(try reader.u32())))
                }
                entries.append(IndexEntry(path: path, stat: stat, racy: flags & 1 != 0, blob: blob, objects: objects))
            }
            return (base, entries)
        }
        entries = decoded
        tree = base == .zero ? nil : base
    }
}

/// Reads big-endian fields from a raw buffer, failing at its end.
struct RawReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    mutating func need(_ n: Int) throws {
        guard raw.count - offset >= n else { throw StatIndex.Truncated() }
    }

    mutating func u32() throws -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64() throws -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func string16() throws -> String {
        try need(2)
        let length = Int(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        offset += 2
        try need(length)
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]), as: UTF8.self)
    }

    mutating func objectID() throws -> ObjectID {
        try need(32)
        defer { offset += 32 }
        return ObjectID(raw: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 32)]))
    }
}

extension Array where Element == UInt8 {
    mutating func appendBE<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        Swift.withUnsafeBytes(of: &big) { append(contentsOf: $0) }
    }

    mutating func appendString16(_ string: String) {
        let utf8 = Array(string.utf8.prefix(Int(UInt16.max)))
        appendBE(UInt16(utf8.count))
        append(contentsOf: utf8)
    }
}
