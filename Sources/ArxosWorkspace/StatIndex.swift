import ArxosCore
import ArxosModel
import ArxosStore
import Foundation

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
    private var positions: [String: Int] = [:]
    static let magic = Array("ARXINDX1".utf8)

    public init() {}

    /// An index of these entries (any order; a path given twice keeps its last entry).
    public init(entries: [IndexEntry]) {
        var sorted = entries
        sorted.sort { $0.path.treeOrderPrecedes($1.path) }
        self.entries.reserveCapacity(sorted.count)
        positions.reserveCapacity(sorted.count)
        for entry in sorted {
            if let last = self.entries.last, last.path == entry.path { self.entries.removeLast() }
            self.entries.append(entry)
        }
        for (i, entry) in self.entries.enumerated() { positions[entry.path] = i }
    }

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

    public subscript(path: String) -> IndexEntry? { positions[path].map { entries[$0] } }

    /// Writes the cache atomically. Entries modified within 2 seconds of `now` are marked racy.
    public func save(to path: String, now: Date = Date()) throws {
        try FileSystem.writeAtomically(path, encoded(now: Int64(now.timeIntervalSince1970)), syncDirectory: false)
    }

    func encoded(now: Int64) -> [UInt8] {
        var out = StatIndex.magic
        out.reserveCapacity(entries.count * 140)
        out.appendBE(UInt32(entries.count))
        for entry in entries {
            out.appendString16(entry.path)
            out.appendBE(entry.stat.size)
            out.appendBE(UInt64(bitPattern: entry.stat.mtimeSeconds))
            out.appendBE(entry.stat.mtimeNanoseconds)
            out.appendBE(entry.stat.inode)
            let racy = entry.racy || entry.stat.mtimeSeconds >= now - 2
            out.appendBE(UInt32(racy ? 1 : 0))
            out.append(contentsOf: entry.blob.bytes)
            out.appendBE(UInt32(entry.objects.count))
            for object in entry.objects {
                out.appendString16(object.id)
                out.appendString16(object.type)
                out.appendBE(UInt32(clamping: object.line))
            }
        }
        out.append(contentsOf: ObjectID(hashing: out).bytes)
        return out
    }

    struct Truncated: Error {}

    init(decoding bytes: [UInt8]) throws {
        guard bytes.count >= 44, Array(bytes.prefix(8)) == StatIndex.magic,
              ObjectID(hashing: bytes[..<(bytes.count - 32)]) == ObjectID(bytes: bytes.suffix(32))
        else { throw Truncated() }
        var reader = ByteReader(bytes: bytes[8..<(bytes.count - 32)])
        let count = try reader.u32()
        entries.reserveCapacity(Int(count))
        positions.reserveCapacity(Int(count))
        for _ in 0..<count {
            let path = try reader.string16()
            let stat = FileStat(size: try reader.u64(), mtimeSeconds: Int64(bitPattern: try reader.u64()),
                                mtimeNanoseconds: try reader.u32(), inode: try reader.u64())
            let flags = try reader.u32()
            guard let blob = ObjectID(bytes: try reader.take(32)) else { throw Truncated() }
            let objectCount = try reader.u32()
            var objects = [ObjectSummary]()
            objects.reserveCapacity(Int(objectCount))
            for _ in 0..<objectCount {
                objects.append(ObjectSummary(id: try reader.string16(), type: try reader.string16(), line: Int(try reader.u32())))
            }
            positions[path] = entries.count
            entries.append(IndexEntry(path: path, stat: stat, racy: flags & 1 != 0, blob: blob, objects: objects))
        }
    }
}

struct ByteReader {
    var bytes: ArraySlice<UInt8>

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard bytes.count >= n else { throw StatIndex.Truncated() }
        defer { bytes = bytes.dropFirst(n) }
        return bytes.prefix(n)
    }

    mutating func uint(_ n: Int) throws -> UInt64 {
        var value: UInt64 = 0
        for b in try take(n) { value = value << 8 | UInt64(b) }
        return value
    }

    mutating func u16() throws -> UInt16 { UInt16(try uint(2)) }
    mutating func u32() throws -> UInt32 { UInt32(try uint(4)) }
    mutating func u64() throws -> UInt64 { try uint(8) }
    mutating func string16() throws -> String { String(decoding: try take(Int(try u16())), as: UTF8.self) }
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
