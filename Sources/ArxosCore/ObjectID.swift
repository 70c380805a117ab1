import Crypto
import Foundation

/// The SHA-256 id of an object's encoded bytes.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes, stored inline as four words so ids are cheap to copy, hash and compare.
    public let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let byteCount = 32
    /// The id made of zeros; stands for "no object" in reflogs.
    public static let zero = ObjectID(w0: 0, w1: 0, w2: 0, w3: 0)

    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Reads 32 raw bytes; nil when the buffer is shorter.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count >= 32 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        var index = bytes.startIndex
        for w in 0..<4 {
            var value: UInt64 = 0
            for _ in 0..<8 {
                value = value << 8 | UInt64(bytes[index])
                index = bytes.index(after: index)
            }
            words[w] = value
        }
        self.init(w0: words[0], w1: words[1], w2: words[2], w3: words[3])
    }

    /// Reads 32 raw bytes from an array slice; nil when it is shorter.
    public init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count >= 32 else { return nil }
        let words: (UInt64, UInt64, UInt64, UInt64) = bytes.withUnsafeBytes { raw in
            func word(_ i: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
            return (word(0), word(1), word(2), word(3))
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Reads 32 raw bytes from an array; nil when it is shorter.
    public init?(bytes: [UInt8]) { self.init(bytes: bytes[...]) }

    /// Parses 64 lowercase or uppercase hex digits.
    public init?<S: StringProtocol>(hex: S) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var raw = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            guard let hi = hexValue(utf8[2 * i]), let lo = hexValue(utf8[2 * i + 1]) else { return nil }
            raw[i] = hi << 4 | lo
        }
        self.init(bytes: raw)
    }

    /// The SHA-256 of `bytes`.
    public init<D: DataProtocol>(hashing bytes: D) {
        self.init(digest: SHA256.hash(data: bytes))
    }

    init(digest: SHA256.Digest) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { raw in
            func word(_ i: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
            words = (word(0), word(1), word(2), word(3))
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// The 32 raw bytes.
    public var bytes: [UInt8] {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return withUnsafeBytes(of: &words) { Array($0) }
    }

    /// Reads 32 raw bytes at the start of a buffer (which must hold at least 32).
    public init(raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= 32, "an object id needs 32 bytes")
        func word(_ i: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        self.init(w0: word(0), w1: word(1), w2: word(2), w3: word(3))
    }

    /// Appends the 32 raw bytes to `buffer`.
    public func append(to buffer: inout [UInt8]) {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        withUnsafeBytes(of: &words) { buffer.append(contentsOf: $0) }
    }

    /// The first byte, used by pack fan-out tables and loose object directories.
    public var firstByte: UInt8 { UInt8(truncatingIfNeeded: w0 >> 56) }

    /// 64 lowercase hex digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first `length` hex digits, for display.
    public func abbreviated(_ length: Int = 12) -> String { String(hex.prefix(length)) }

    public var description: String { hex }

    public static func < (a: ObjectID, b: ObjectID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }
}

@inline(__always) func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// Whether `text` is 1 to 64 hex digits (a possible id prefix).
public func isHexPrefix<S: StringProtocol>(_ text: S) -> Bool {
    !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { hexValue($0) != nil }
}
