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
    /// The file is read through a 1 MiB buffer, not all at once.
    public static func load(from path: String) -> StatIndex {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return StatIndex() }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return StatIndex() }
        let index = try? StatIndex(contentLength: Int(info.st_size) - 32) { buffer, count in
            let before = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: count))
            var filled = 0
            while filled < count {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + before + filled, count - filled) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                filled += n
            }
            buffer.removeLast(count - filled)
            return filled
        }
        return index ?? StatIndex()
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
        var offset = 0
        try self.init(contentLength: bytes.count - 32) { buffer, count in
            let n = min(count, bytes.count - offset)
            buffer.append(contentsOf: bytes[offset..<(offset + n)])
            offset += n
            return n
        }
    }

    /// Reads an index of `contentLength` bytes before its 32-byte checksum, pulling bytes through `read` (which appends
    /// up to the asked count to the buffer and returns how many it appended) a megabyte at a time.
    init(contentLength: Int, read: @escaping (inout [UInt8], Int) throws -> Int) throws {
        guard contentLength >= 12 + 32 else { throw Truncated() }
        var reader = StreamReader(remaining: contentLength, read: read)
        guard try reader.bytes(8) == StatIndex.magic else { throw Truncated() }
        let count = Int(try reader.u32())
        let base = try reader.objectID()
        var decoded = [IndexEntry]()
        decoded.reserveCapacity(min(count, contentLength / 64))
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
            decoded.append(IndexEntry(path: path, stat: stat, racy: flags & 1 != 0, blob: blob, objects: objects))
        }
        // Everything up to the checksum is consumed, and hashes to it.
        guard try reader.atEnd(), try reader.trailer() == reader.digest else { throw Truncated() }
        entries = decoded
        tree = base == .zero ? nil : base
    }
}

/// Reads big-endian fields from a byte stream through a bounded buffer, hashing what it reads.
struct StreamReader {
    private var buffer = [UInt8]()
    private var start = 0
    /// Content bytes not yet pulled into the buffer.
    private var remaining: Int
    private var hasher = IncrementalHash()
    private let read: (inout [UInt8], Int) throws -> Int

    init(remaining: Int, read: @escaping (inout [UInt8], Int) throws -> Int) {
        self.remaining = remaining
        self.read = read
        buffer.reserveCapacity(1 << 20 + 65_600)
    }

    /// Makes `n` bytes available at `start`, reading more content if needed.
    private mutating func need(_ n: Int) throws {
        if buffer.count - start >= n { return }
        buffer.removeSubrange(0..<start)
        start = 0
        while buffer.count < n {
            let want = min(remaining, max(n - buffer.count, 1 << 20))
            guard want > 0 else { throw StatIndex.Truncated() }
            let before = buffer.count
            let got = try read(&buffer, want)
            guard got > 0 else { throw StatIndex.Truncated() }
            hasher.update(buffer[before..<buffer.count])
            remaining -= got
        }
    }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        try need(n)
        defer { start += n }
        return Array(buffer[start..<(start + n)])
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try need(size)
        defer { start += size }
        return buffer.withUnsafeBytes { T(bigEndian: $0.loadUnaligned(fromByteOffset: start, as: T.self)) }
    }

    mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws -> UInt64 { try integer(UInt64.self) }

    mutating func string16() throws -> String {
        let length = Int(try integer(UInt16.self))
        try need(length)
        defer { start += length }
        return buffer.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]), as: UTF8.self) }
    }

    mutating func objectID() throws -> ObjectID {
        try need(32)
        defer { start += 32 }
        return buffer.withUnsafeBytes { ObjectID(raw: UnsafeRawBufferPointer(rebasing: $0[start..<(start + 32)])) }
    }

    /// Whether every content byte has been read and consumed.
    func atEnd() throws -> Bool { remaining == 0 && start == buffer.count }

    var digest: ObjectID { hasher.finalize() }

    /// The 32 bytes after the content: the stored checksum.
    mutating func trailer() throws -> ObjectID {
        var tail = [UInt8]()
        guard try read(&tail, 32) == 32 else { throw StatIndex.Truncated() }
        return tail.withUnsafeBytes { ObjectID(raw: $0) }
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
