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
    public private(set) var entries: [String: IndexEntry] = [:]
    static let magic = Array("ARXINDX1".utf8)

    public init() {}

    public init(entries: [IndexEntry]) {
        for entry in entries { self.entries[entry.path] = entry }
    }

    /// Loads the cache; a missing or damaged cache is an empty one (it is only a cache).
    public static func load(from path: String) -> StatIndex {
        guard let bytes = try? FileSystem.read(path), let index = try? StatIndex(decoding: bytes) else { return StatIndex() }
        return index
    }

    /// The entry for `path` if its stat data proves the file unchanged.
    public func unchanged(_ path: String, _ stat: FileStat) -> IndexEntry? {
        guard let entry = entries[path], !entry.racy, entry.stat == stat else { return nil }
        return entry
    }

    public subscript(path: String) -> IndexEntry? { entries[path] }

    /// Writes the cache atomically. Entries modified within 2 seconds of `now` are marked racy.
    public func save(to path: String, now: Date = Date()) throws {
        try FileSystem.writeAtomically(path, encoded(now: Int64(now.timeIntervalSince1970)), syncDirectory: false)
    }

    func encoded(now: Int64) -> [UInt8] {
        var out = StatIndex.magic
        out.reserveCapacity(entries.count * 140)
        let sorted = entries.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        out.appendBE(UInt32(sorted.count))
        for entry in sorted {
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
            entries[path] = IndexEntry(path: path, stat: stat, racy: flags & 1 != 0, blob: blob, objects: objects)
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
