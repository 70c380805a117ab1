/// The four kinds of stored object.
public enum ObjectType: String, Sendable, CaseIterable {
    case blob, tree, commit, tag
}

/// Encoding and decoding of an object's bytes `"<type> <size>\0<content>"`.
public enum ObjectEncoding {
    /// The header `"<type> <size>\0"`.
    public static func header(_ type: ObjectType, size: Int) -> [UInt8] {
        Array("\(type.rawValue) \(size)".utf8) + [0]
    }

    /// The encoded bytes of an object.
    public static func encode(_ type: ObjectType, _ content: [UInt8]) -> [UInt8] {
        var out = header(type, size: content.count)
        out.reserveCapacity(out.count + content.count)
        out.append(contentsOf: content)
        return out
    }

    /// The id of an object with this type and content.
    public static func id(_ type: ObjectType, _ content: [UInt8]) -> ObjectID {
        var hasher = IncrementalHash()
        hasher.update(header(type, size: content.count))
        hasher.update(content)
        return hasher.finalize()
    }

    /// Splits encoded bytes into type and content, checking the header and the declared size.
    public static func decode(_ encoded: [UInt8]) throws(ObjectFormatError) -> (ObjectType, ArraySlice<UInt8>) {
        let (type, size, start) = try parseHeader(encoded[...])
        guard encoded.count - start == size else {
            throw .sizeMismatch(declared: size, actual: encoded.count - start)
        }
        return (type, encoded[start...])
    }

    /// Reads `"<type> <size>\0"` at the start of `bytes`; returns the type, the size and the index where content starts.
    public static func parseHeader(_ bytes: ArraySlice<UInt8>) throws(ObjectFormatError) -> (ObjectType, Int, Int) {
        guard let space = bytes.prefix(8).firstIndex(of: 0x20),
              let type = ObjectType(rawValue: String(decoding: bytes[bytes.startIndex..<space], as: UTF8.self))
        else { throw .badHeader }
        var size = 0
        var index = space + 1
        while index < bytes.endIndex, bytes[index] != 0 {
            let c = bytes[index]
            guard c >= 0x30, c <= 0x39, index - space <= 19 else { throw .badHeader }
            if c == 0x30, size == 0, index == space + 1, index + 1 < bytes.endIndex, bytes[index + 1] != 0 { throw .badHeader }
            // A size that does not fit an Int is a bad header, never a crash.
            let (times10, overflow1) = size.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(Int(c - 0x30))
            guard !overflow1, !overflow2 else { throw .badHeader }
            size = next
            index += 1
        }
        guard index < bytes.endIndex, index > space + 1 else { throw .badHeader }
        return (type, size, index + 1)
    }
}

/// SHA-256 fed in pieces.
public struct IncrementalHash {
    private var hasher = SHA256Hasher()
    public init() {}
    public mutating func update<D: ContiguousBytes>(_ bytes: D) { hasher.update(bytes) }
    public func finalize() -> ObjectID { hasher.finalize() }
}

import Crypto
import Foundation
struct SHA256Hasher {
    private var inner = SHA256()
    mutating func update<D: ContiguousBytes>(_ bytes: D) { bytes.withUnsafeBytes { inner.update(bufferPointer: $0) } }
    func finalize() -> ObjectID { ObjectID(digest: inner.finalize()) }
}
