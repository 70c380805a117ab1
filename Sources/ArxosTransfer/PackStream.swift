import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation

/// Builds the bytes of a pack (docs/format.md, "Packs") in memory, for sending as a pack message.
public enum PackStreamWriter {
    /// The pack holding `ids` read from `objects`, in that order; empty when `ids` is.
    public static func build(_ ids: [ObjectID], from objects: ObjectDatabase, level: Int32 = 3,
                             chunkTarget: Int = 1 << 20) throws -> [UInt8] {
        guard !ids.isEmpty else { return [] }
        var body = [UInt8]()
        var chunk = [UInt8]()
        var chunks = 0
        func flushChunk() throws {
            guard !chunk.isEmpty else { return }
            body += try Zstd.compress(chunk, level: level)
            chunks += 1
            chunk.removeAll(keepingCapacity: true)
        }
        for id in ids {
            guard let encoded = try objects.encodedBytes(id) else { throw StoreError.missingObject(id) }
            if !chunk.isEmpty, chunk.count + encoded.count > 4 << 20 { try flushChunk() }
            chunk += encoded
            if chunk.count >= chunkTarget { try flushChunk() }
        }
        try flushChunk()
        var out = Array("ARXPACK1".utf8)
        appendUInt32(UInt32(ids.count), to: &out)
        appendUInt32(UInt32(chunks), to: &out)
        out += body
        out += ObjectID(hashing: out).bytes
        return out
    }

    /// The decompressed size at which a sent chunk is closed: `transfer.chunkSize` (bytes), default 1 MiB. Smaller
    /// chunks compress a little worse but are verified, and kept for a resumed fetch, in smaller steps.
    public static func chunkTarget(_ repository: Repository) -> Int {
        repository.setting("transfer.chunkSize").flatMap(Int.init).map { min(max($0, 4096), 4 << 20) } ?? 1 << 20
    }

    static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Limits a receiver enforces on incoming packs (docs/protocol.md, "Receiving").
public struct ReceiveLimits: Sendable {
    /// The largest pack in bytes.
    public var packBytes: UInt64 = 4 << 30
    /// The largest object (encoded bytes).
    public var objectBytes: Int = 256 << 20
    /// The most entries in one tree.
    public var treeEntries: Int = 100_000

    public init() {}

    /// Limits from a repository's settings: `receive.maxPackSize`, `core.objectSizeLimit`, `receive.maxTreeEntries`.
    public init(setting: (String) -> String?) {
        if let v = setting("receive.maxPackSize").flatMap(UInt64.init) { packBytes = v }
        if let v = setting("core.objectSizeLimit").flatMap(Int.init) { objectBytes = v }
        if let v = setting("receive.maxTreeEntries").flatMap(Int.init) { treeEntries = v }
    }
}

/// What a received object refers to, kept for the connectivity check.
public struct ReceivedObject: Sendable {
    public var type: ObjectType
    /// (id, expected type) of each object it names.
    public var links: [(ObjectID, ObjectType)]
}

/// Parses a pack stream as its bytes arrive, in any split: checks the header, the limits (a chunk's declared size before
/// decompressing it), every object's id and structure, and the trailer, handing each verified object to `sink`.
public struct PackStreamParser {
    public let limits: ReceiveLimits
    private var buffer: [UInt8] = []
    private var hash = IncrementalHash()
    private var objectCount: Int?
    private var chunkCount = 0
    private var chunksSeen = 0
    public private(set) var objectsSeen = 0
    public private(set) var received: [ObjectID: ReceivedObject] = [:]
    private var finished = false

    public init(limits: ReceiveLimits) { self.limits = limits }

    /// The largest decompressed chunk accepted.
    private var chunkLimit: Int { max(4 << 20, limits.objectBytes) }

    /// Consumes more bytes of the stream; `sink` gets each verified object's id and encoded bytes.
    public mutating func consume(_ bytes: [UInt8], sink: (ObjectID, [UInt8]) throws -> Void) throws {
        guard !finished else { throw TransferError.badPack("bytes follow the trailer") }
        buffer += bytes
        if objectCount == nil {
            guard buffer.count >= 16 else { return }
            guard buffer.prefix(8).elementsEqual("ARXPACK1".utf8) else { throw TransferError.badPack("it does not start with ARXPACK1") }
            let count = Int(readUInt32(8)), chunks = Int(readUInt32(12))
            guard count > 0, chunks > 0, chunks <= count else {
                throw TransferError.badPack("the header declares \(count) objects in \(chunks) chunks")
            }
            objectCount = count
            chunkCount = chunks
            take(16)
        }
        while chunksSeen < chunkCount {
            // A zstd frame header is at most 18 bytes: check the declared size before waiting for the whole frame.
            let declared = buffer.withUnsafeBytes { Zstd.declaredSize($0) }
            if let declared, declared > UInt64(chunkLimit) {
                throw TransferError.limit("chunk \(chunksSeen + 1) of the pack (declared decompressed size)", value: declared, limit: UInt64(chunkLimit))
            }
            if declared == nil, buffer.count >= 18 {
                throw TransferError.badPack("chunk \(chunksSeen + 1) is not a zstd frame with a declared content size")
            }
            guard let length = buffer.withUnsafeBytes({ Zstd.frameLength($0) }) else {
                if buffer.count > chunkLimit + (chunkLimit >> 7) + (1 << 16) {
                    throw TransferError.badPack("chunk \(chunksSeen + 1) is not a valid zstd frame")
                }
                return
            }
            let chunk: [UInt8]
            do {
                chunk = try buffer.withUnsafeBytes { raw in
                    try Zstd.decompress(UnsafeRawBufferPointer(rebasing: raw[0..<length]), limit: chunkLimit, what: "chunk \(chunksSeen + 1) of the received pack")
                }
            } catch {
                throw TransferError.badPack("chunk \(chunksSeen + 1) does not decompress: \(error.localizedDescription)")
            }
            take(length)
            chunksSeen += 1
            try split(chunk, sink: sink)
        }
        if buffer.count >= 32 {
            let trailer = ObjectID(bytes: buffer[0..<32]) ?? .zero
            guard trailer == hash.finalize() else { throw TransferError.badPack("the trailer is not the SHA-256 of the pack") }
            guard buffer.count == 32 else { throw TransferError.badPack("\(buffer.count - 32) bytes follow the trailer") }
            buffer = []
            finished = true
        }
    }

    /// Counts an object verified earlier (kept from an interrupted fetch) as received.
    mutating func adopt(_ id: ObjectID, _ object: ReceivedObject) {
        if received[id] == nil { received[id] = object }
    }

    /// Checks that the whole pack arrived.
    public func finish() throws {
        guard finished else {
            throw TransferError.badPack(objectCount == nil ? "it ended inside the header" : "it ended after \(chunksSeen) of \(chunkCount) chunks, before the trailer")
        }
        guard objectsSeen == objectCount else { throw TransferError.countMismatch(declared: objectCount ?? 0, received: objectsSeen) }
    }

    private func readUInt32(_ offset: Int) -> UInt32 {
        UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16 | UInt32(buffer[offset + 2]) << 8 | UInt32(buffer[offset + 3])
    }

    private mutating func take(_ count: Int) {
        hash.update(buffer[0..<count].withUnsafeBytes { Array($0) })
        buffer.removeSubrange(0..<count)
    }

    /// Splits a decompressed chunk into objects and verifies each.
    private mutating func split(_ chunk: [UInt8], sink: (ObjectID, [UInt8]) throws -> Void) throws {
        var start = 0
        while start < chunk.count {
            let header: (ObjectType, Int, Int)
            do {
                header = try ObjectEncoding.parseHeader(chunk[start...])
            } catch {
                throw TransferError.badPack("chunk \(chunksSeen) has no valid object header at byte \(start)")
            }
            let (type, size, contentStart) = header
            let end = contentStart + size
            guard size <= limits.objectBytes else {
                throw TransferError.limit("an object in chunk \(chunksSeen)", value: UInt64(size), limit: UInt64(limits.objectBytes))
            }
            guard end <= chunk.count else { throw TransferError.badPack("an object runs past the end of chunk \(chunksSeen)") }
            let encoded = Array(chunk[start..<end])
            let id = ObjectID(hashing: encoded)
            objectsSeen += 1
            guard objectsSeen <= objectCount ?? 0 else { throw TransferError.countMismatch(declared: objectCount ?? 0, received: objectsSeen) }
            if received[id] == nil {
                received[id] = try Self.check(id: id, type: type, content: encoded[(contentStart - start)...], limits: limits)
                try sink(id, encoded)
            }
            start = end
        }
    }

    /// Parses one object's content by its type and lists what it names.
    static func check(id: ObjectID, type: ObjectType, content: ArraySlice<UInt8>, limits: ReceiveLimits) throws -> ReceivedObject {
        do {
            switch type {
            case .blob:
                return ReceivedObject(type: .blob, links: [])
            case .tree:
                let tree = try Tree(parsing: content)
                guard tree.entries.count <= limits.treeEntries else {
                    throw TransferError.limit("tree \(id.hex) (entries)", value: UInt64(tree.entries.count), limit: UInt64(limits.treeEntries))
                }
                return ReceivedObject(type: .tree, links: tree.entries.map { ($0.id, $0.kind == .directory ? .tree : .blob) })
            case .commit:
                let commit = try Commit(parsing: content)
                return ReceivedObject(type: .commit, links: [(commit.tree, .tree)] + commit.parents.map { ($0, .commit) })
            case .tag:
                let tag = try Tag(parsing: content)
                return ReceivedObject(type: .tag, links: [(tag.object, tag.type)])
            }
        } catch let error as ObjectFormatError {
            throw TransferError.badObject(id, error.localizedDescription)
        }
    }
}
