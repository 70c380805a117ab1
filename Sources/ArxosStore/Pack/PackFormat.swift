import ArxosCore

/// The name of a pack: the SHA-256 of the pack file's bytes before its trailer (which is also the trailer itself).
public struct PackName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The pack checksum. It is a SHA-256 like an object id, but names no object.
    public let checksum: ObjectID

    public init(checksum: ObjectID) { self.checksum = checksum }

    /// Parses `pack-<64 hex>.pack` or `pack-<64 hex>.idx`; nil for any other file name.
    public init?(fileName: String) {
        let stem: Substring
        if fileName.hasSuffix(".pack") {
            stem = fileName.dropLast(5)
        } else if fileName.hasSuffix(".idx") {
            stem = fileName.dropLast(4)
        } else {
            return nil
        }
        guard stem.hasPrefix("pack-"), let checksum = ObjectID(hex: stem.dropFirst(5)),
              stem.dropFirst(5) == checksum.hex[...] else { return nil }
        self.checksum = checksum
    }

    /// The 64 lowercase hex digits of the checksum.
    public var hex: String { checksum.hex }
    /// `pack-<hex>.pack`
    public var packFileName: String { "pack-\(hex).pack" }
    /// `pack-<hex>.idx`
    public var indexFileName: String { "pack-\(hex).idx" }
    /// `pack-<hex>`
    public var description: String { "pack-\(hex)" }

    public static func < (a: PackName, b: PackName) -> Bool { a.checksum < b.checksum }
}

/// One problem `Pack.verify()` found, located by file, byte offset and object where they are known.
public struct PackProblem: Sendable, Equatable, CustomStringConvertible {
    /// The `.pack` or `.idx` file.
    public let file: String
    /// The byte offset in `file`; for a problem inside a chunk, the offset of the chunk.
    public let offset: Int?
    /// The object concerned, if the problem concerns one.
    public let id: ObjectID?
    /// One sentence describing the problem.
    public let message: String

    public init(file: String, offset: Int?, id: ObjectID?, message: String) {
        self.file = file; self.offset = offset; self.id = id; self.message = message
    }

    public var description: String {
        var out = file
        if let offset { out += " at byte \(offset)" }
        out += ": "
        if let id { out += "object \(id.hex): " }
        return out + message
    }
}

/// Constants and byte access for the `.pack` and `.idx` layouts of docs/format.md.
enum PackLayout {
    static let packMagic = Array("ARXPACK1".utf8)
    static let indexMagic = Array("ARXIDX01".utf8)
    /// magic, object count, chunk count.
    static let packHeaderSize = 16
    static let trailerSize = 32
    /// magic and fan-out.
    static let indexHeaderSize = 8 + 256 * 4
    /// id, location and CRC of one object.
    static let indexEntrySize = 32 + 16 + 4
    /// The header plus the pack checksum and the index checksum.
    static let indexFixedSize = indexHeaderSize + 64
    /// The largest decompressed chunk, unless it holds a single larger object.
    static let maxChunkSize = 4 << 20

    @inline(__always) static func uint32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always) static func uint64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    static func append(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// The id stored in 32 bytes at `offset`.
    @inline(__always) static func id(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> ObjectID {
        ObjectID(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 32])) ?? .zero
    }

    /// Compares the 32-byte id at `offset` with `id` as unsigned bytes, without allocating: -1, 0 or 1.
    @inline(__always) static func compare(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ id: ObjectID) -> Int {
        let a0 = uint64(bytes, offset)
        if a0 != id.w0 { return a0 < id.w0 ? -1 : 1 }
        let a1 = uint64(bytes, offset + 8)
        if a1 != id.w1 { return a1 < id.w1 ? -1 : 1 }
        let a2 = uint64(bytes, offset + 16)
        if a2 != id.w2 { return a2 < id.w2 ? -1 : 1 }
        let a3 = uint64(bytes, offset + 24)
        if a3 != id.w3 { return a3 < id.w3 ? -1 : 1 }
        return 0
    }
}

/// CRC-32 as zlib's `crc32` computes it (IEEE 802.3, reflected polynomial 0xEDB88320), eight bytes at a time.
enum CRC32 {
    /// Eight tables of 256 entries: table k advances the CRC over a byte followed by k zero bytes.
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        table.withUnsafeBufferPointer { t in
            let n = bytes.count
            var p = 0
            while n - p >= 8 {
                let lo = c ^ UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: UInt32.self))
                let hi = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: p + 4, as: UInt32.self))
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
            }
            while p < n {
                c = t[Int((c ^ UInt32(bytes[p])) & 0xFF)] ^ (c >> 8)
                p += 1
            }
        }
        return ~c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
