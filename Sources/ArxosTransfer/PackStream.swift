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

    /// Plans the pack holding `ids` for streaming. Where a pack of the store holds a chunk whose objects are all
    /// among `ids` (a clone sends whole packs), the chunk is sent as stored, neither decompressed nor recompressed
    /// (the receiver verifies every object); the other objects are read, checked against their ids and compressed
    /// into new chunks of about `chunkTarget` bytes. Memory holds those new chunks only.
    ///
    /// `deltaBases` (for a receiver that accepts thin chunks) maps objects to older versions the receiver has: those
    /// objects go into thin chunks compressed against their bases (protocol.md 5.1), which for trees that differ from
    /// their base by a few entries is most of the saving.
    /// `progress` is called after each chunk with the objects placed so far and how many of them are in stored chunks.
    /// New chunks are compressed at zstd level 3: at level 1 zstd finds few matches in a thin chunk's dictionary,
    /// and a fetch of 100 edited objects sent 15 times the bytes.
    public static func plan(_ ids: [ObjectID], from objects: ObjectDatabase, level: Int32 = 3,
                            chunkTarget: Int = 1 << 20, deltaBases: [ObjectID: ObjectID] = [:],
                            progress: ((_ placed: Int, _ stored: Int) throws -> Void)? = nil) throws -> PackStreamPlan {
        var plan = PackStreamPlan()
        guard !ids.isEmpty else { return plan }
        var stored = 0
        var left = Set(ids)
        for pack in try objects.packs where left.count * 4 >= pack.count {
            // Only worth a look when a good share of the pack is wanted.
            // A stored chunk much larger than `chunkTarget` is recut, so that a cut transfer keeps what it verified in
            // steps of about `transfer.chunkSize`.
            // Objects with a delta base go into thin chunks instead.
            for chunk in try pack.storedChunks() where chunk.size <= 2 * chunkTarget
                && chunk.ids.allSatisfy({ left.contains($0) && deltaBases[$0] == nil }) {
                guard Set(chunk.ids).count == chunk.ids.count else { continue }
                for id in chunk.ids { left.remove(id) }
                plan.pieces.append(.stored(pack, chunk))
                plan.objectCount += chunk.ids.count
                stored += chunk.ids.count
            }
        }
        try progress?(plan.objectCount, stored)
        var chunk = [UInt8]()
        func flushChunk() throws {
            guard !chunk.isEmpty else { return }
            plan.pieces.append(.compressed(try Zstd.compress(chunk, level: level)))
            chunk.removeAll(keepingCapacity: true)
            try progress?(plan.objectCount, stored)
        }
        // Thin chunks: objects with a base, at most `thinBases` bases and `chunkTarget` bytes of bases per chunk.
        var thin = [UInt8](), bases = [ObjectID](), dictionary = [UInt8]()
        func flushThin() throws {
            guard !thin.isEmpty else { return }
            var piece = PackStreamWriter.thinMagic
            PackStreamWriter.appendUInt32LE(UInt32(bases.count * 32), to: &piece)
            for base in bases { piece += base.bytes }
            piece += try Zstd.compress(thin, level: level, dictionary: dictionary)
            plan.pieces.append(.compressed(piece))
            try progress?(plan.objectCount, stored)
            thin.removeAll(keepingCapacity: true)
            bases.removeAll(keepingCapacity: true)
            dictionary.removeAll(keepingCapacity: true)
        }
        for id in ids where deltaBases[id] != nil && left.contains(id) {
            guard let baseID = deltaBases[id], let base = try objects.encodedBytes(baseID) else { continue }
            guard let encoded = try objects.encodedBytes(id) else { throw StoreError.missingObject(id) }
            if !thin.isEmpty, bases.count == PackStreamWriter.thinBases || dictionary.count + base.count > chunkTarget
                || thin.count + encoded.count > chunkTarget { try flushThin() }
            guard base.count <= chunkTarget else { continue }
            left.remove(id)
            if !bases.contains(baseID) {
                bases.append(baseID)
                dictionary += base
            }
            thin += encoded
            plan.objectCount += 1
        }
        try flushThin()
        for id in ids where left.remove(id) != nil {
            guard let encoded = try objects.encodedBytes(id) else { throw StoreError.missingObject(id) }
            if !chunk.isEmpty, chunk.count + encoded.count > 4 << 20 { try flushChunk() }
            chunk += encoded
            plan.objectCount += 1
            if chunk.count >= chunkTarget { try flushChunk() }
        }
        try flushChunk()
        return plan
    }

    /// The decompressed size at which a sent chunk is closed: `transfer.chunkSize` (bytes), default 1 MiB. Smaller
    /// chunks compress a little worse but are verified, and kept for a resumed fetch, in smaller steps.
    public static func chunkTarget(_ repository: Repository) -> Int {
        repository.setting("transfer.chunkSize").flatMap(Int.init).map { min(max($0, 4096), 4 << 20) } ?? 1 << 20
    }

    /// The first bytes of a thin chunk: a zstd skippable frame (magic 0x184D2A5A, little-endian) holding base ids.
    static let thinMagic: [UInt8] = [0x5A, 0x2A, 0x4D, 0x18]
    /// The most bases one thin chunk names.
    static let thinBases = 256

    static func appendUInt32LE(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }

    static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// A pack to send, planned so that it can be streamed in pieces: its length is known before any byte is sent.
public struct PackStreamPlan {
    enum Piece {
        /// A chunk copied from a pack of the store as it is stored.
        case stored(Pack, Pack.StoredChunk)
        /// A chunk compressed for this pack.
        case compressed([UInt8])

        var count: Int {
            switch self {
            case let .stored(_, chunk): chunk.length
            case let .compressed(bytes): bytes.count
            }
        }
    }

    /// The objects in the pack.
    public internal(set) var objectCount = 0
    var pieces: [Piece] = []

    /// Chunks sent as stored, and the objects in them.
    public var storedChunks: Int { pieces.count { if case .stored = $0 { true } else { false } } }
    public var storedObjects: Int {
        pieces.reduce(0) { sum, piece in if case let .stored(_, chunk) = piece { sum + chunk.ids.count } else { sum } }
    }

    /// The pack's length in bytes: header, chunks, trailer; 0 for an empty pack.
    public var byteCount: Int { objectCount == 0 ? 0 : 16 + pieces.reduce(0) { $0 + $1.count } + 32 }

    /// Calls `emit` with the pack's bytes in order, in pieces of at most about 1 MiB: the header, each chunk, the trailer.
    public func write(_ emit: ([UInt8]) throws -> Void) throws {
        guard objectCount > 0 else { return }
        var hash = IncrementalHash()
        var header = Array("ARXPACK1".utf8)
        PackStreamWriter.appendUInt32(UInt32(objectCount), to: &header)
        PackStreamWriter.appendUInt32(UInt32(pieces.count), to: &header)
        hash.update(header)
        try emit(header)
        for piece in pieces {
            let bytes: [UInt8]
            switch piece {
            case let .stored(pack, chunk): bytes = pack.storedBytes(of: chunk)
            case let .compressed(compressed): bytes = compressed
            }
            hash.update(bytes)
            try emit(bytes)
        }
        try emit(hash.finalize().bytes)
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

/// One chunk of a received pack whose objects have all been verified (ids computed, structure parsed, limits checked).
public struct VerifiedChunk {
    /// The zstd frame exactly as received.
    public var frame: [UInt8]
    /// Its decompressed bytes.
    public var content: [UInt8]
    /// Every object in the chunk, in order: its id, where its encoded bytes lie in `content`, its type.
    public var objects: [(id: ObjectID, offset: Int, length: Int, type: ObjectType)] = []
    /// For each object, whether it is new: not received earlier in the stream, nor earlier in this chunk.
    public var fresh: [Bool] = []
    /// Whether the frame was compressed against bases (a thin chunk): it cannot be kept as it is.
    public var isThin = false

    /// Whether every object is new, so that the chunk can be kept as its frame without recompressing.
    public var allFresh: Bool { !fresh.contains(false) }
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
    /// The bases of the thin chunk being received: the length of its skippable frame and the bases' bytes.
    private var thin: (skip: Int, dictionary: [UInt8])?
    /// Reads a base of a thin chunk from the receiver's store; nil (the default) refuses thin chunks.
    public var thinBase: ((ObjectID) throws -> [UInt8]?)?

    public init(limits: ReceiveLimits) { self.limits = limits }

    /// The largest decompressed chunk accepted.
    private var chunkLimit: Int { max(4 << 20, limits.objectBytes) }

    /// Consumes more bytes of the stream; `sink` gets each verified object's id and encoded bytes (each id once).
    public mutating func consume(_ bytes: [UInt8], sink: (ObjectID, [UInt8]) throws -> Void) throws {
        try consume(bytes) { (chunk: VerifiedChunk) in
            for (object, fresh) in zip(chunk.objects, chunk.fresh) where fresh {
                try sink(object.id, Array(chunk.content[object.offset..<object.offset + object.length]))
            }
        }
    }

    /// Consumes more bytes of the stream; `sink` gets each chunk once all its objects are verified.
    public mutating func consume(_ bytes: [UInt8], chunks sink: (VerifiedChunk) throws -> Void) throws {
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
            // A thin chunk (protocol.md 5.1) starts with a skippable frame naming its bases, which must be in the store.
            if thin == nil, buffer.count >= 4, buffer[0..<4].elementsEqual(PackStreamWriter.thinMagic) {
                guard let thinBase else {
                    throw TransferError.badPack("chunk \(chunksSeen + 1) is thin, but this receiver did not ask for thin chunks")
                }
                guard buffer.count >= 8 else { return }
                let size = Int(buffer[4]) | Int(buffer[5]) << 8 | Int(buffer[6]) << 16 | Int(buffer[7]) << 24
                guard size > 0, size % 32 == 0, size <= PackStreamWriter.thinBases * 32 else {
                    throw TransferError.badPack("chunk \(chunksSeen + 1) names \(size) bytes of bases, not 1 to \(PackStreamWriter.thinBases) ids")
                }
                guard buffer.count >= 8 + size else { return }
                var dictionary = [UInt8]()
                for start in stride(from: 8, to: 8 + size, by: 32) {
                    guard let base = ObjectID(bytes: buffer[start..<start + 32]) else { throw TransferError.badPack("a bad base id") }
                    guard let bytes = try thinBase(base) else {
                        throw TransferError.badPack("chunk \(chunksSeen + 1) is compressed against \(base.hex), which this repository does not have")
                    }
                    dictionary += bytes
                    guard dictionary.count <= chunkLimit else {
                        throw TransferError.limit("the bases of chunk \(chunksSeen + 1)", value: UInt64(dictionary.count), limit: UInt64(chunkLimit))
                    }
                }
                thin = (8 + size, dictionary)
            }
            let skip = thin?.skip ?? 0
            let frame = buffer[skip...]
            // A zstd frame header is at most 18 bytes: check the declared size before waiting for the whole frame.
            let declared = frame.withUnsafeBytes { Zstd.declaredSize($0) }
            if let declared, declared > UInt64(chunkLimit) {
                throw TransferError.limit("chunk \(chunksSeen + 1) of the pack (declared decompressed size)", value: declared, limit: UInt64(chunkLimit))
            }
            if declared == nil, frame.count >= 18 {
                throw TransferError.badPack("chunk \(chunksSeen + 1) is not a zstd frame with a declared content size")
            }
            guard let length = frame.withUnsafeBytes({ Zstd.frameLength($0) }) else {
                if frame.count > chunkLimit + (chunkLimit >> 7) + (1 << 16) {
                    throw TransferError.badPack("chunk \(chunksSeen + 1) is not a valid zstd frame")
                }
                return
            }
            let chunk: [UInt8]
            do {
                chunk = try frame.withUnsafeBytes { raw in
                    try Zstd.decompress(UnsafeRawBufferPointer(rebasing: raw[0..<length]), limit: chunkLimit,
                                        what: "chunk \(chunksSeen + 1) of the received pack", dictionary: thin?.dictionary)
                }
            } catch {
                throw TransferError.badPack("chunk \(chunksSeen + 1) does not decompress: \(error.localizedDescription)")
            }
            chunksSeen += 1
            var verified = try split(chunk)
            verified.frame = Array(buffer[skip..<skip + length])
            verified.isThin = thin != nil
            thin = nil
            take(skip + length)
            try sink(verified)
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

    /// Splits a decompressed chunk into objects and verifies each: its id computed from its bytes, its structure
    /// parsed, the limits checked.
    private mutating func split(_ chunk: [UInt8]) throws -> VerifiedChunk {
        var verified = VerifiedChunk(frame: [], content: chunk)
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
            let encoded = chunk[start..<end]
            let id = ObjectID(hashing: encoded)
            objectsSeen += 1
            guard objectsSeen <= objectCount ?? 0 else { throw TransferError.countMismatch(declared: objectCount ?? 0, received: objectsSeen) }
            let fresh = received[id] == nil
            if fresh {
                received[id] = try Self.check(id: id, type: type, content: chunk[contentStart..<end], limits: limits)
            }
            verified.objects.append((id, start, end - start, type))
            verified.fresh.append(fresh)
            start = end
        }
        return verified
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
