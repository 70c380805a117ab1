import ArxosCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pack opened for reading: its index held in memory, its chunks read from a read-only mapping of the `.pack` file.
///
/// Opening checks the index completely (magic, size, fan-out, sorted ids, checksum) and that it belongs to the pack; the
/// chunks are checked as they are read, and every object returned is checked against its id. `verify()` checks everything.
/// Safe to use from several threads: the only mutable state, a cache of the last few decompressed chunks, is locked.
/// Packs are never modified in place (docs/format.md), so the mapping stays valid even if gc removes the file meanwhile.
public final class Pack: @unchecked Sendable {
    /// The `.pack` file.
    public let path: String
    /// The `.idx` file.
    public let indexPath: String
    /// The pack's name, from its trailer.
    public let packName: PackName
    /// The number of objects.
    public let count: Int

    /// The whole `.idx` file, owned.
    private let index: UnsafeRawBufferPointer
    /// The whole `.pack` file, mapped read-only.
    private let map: UnsafeRawBufferPointer
    private let locationsStart: Int
    private let checksumsStart: Int

    /// Recently decompressed chunks of every open pack, within one memory budget.
    private static let chunkCache = ChunkCache(budget: 6 << 20)

    /// `pack-<hex>`.
    public var name: String { packName.description }

    /// Opens the pack at `path` (a `.pack` file) and its index beside it (the same name ending in `.idx`).
    public init(path: String) throws {
        let indexPath = (path.hasSuffix(".pack") ? String(path.dropLast(5)) : path) + ".idx"
        let index = try Self.readIndex(indexPath)
        let count: Int
        let map: UnsafeRawBufferPointer
        do {
            count = try Self.validateIndex(UnsafeRawBufferPointer(index), path: indexPath, thorough: false)
            map = try Self.mapPack(path)
        } catch {
            index.deallocate()
            throw error
        }
        self.path = path
        self.indexPath = indexPath
        self.index = UnsafeRawBufferPointer(index)
        self.map = map
        self.count = count
        self.locationsStart = PackLayout.indexHeaderSize + 32 * count
        self.checksumsStart = locationsStart + 16 * count

        // The index must describe this pack: its pack checksum, the pack's trailer and the file name agree.
        let trailerOffset = map.count - PackLayout.trailerSize
        let checksum = PackLayout.id(map, trailerOffset)
        packName = PackName(checksum: checksum)
        guard PackLayout.compare(self.index, checksumsStart + 4 * count, checksum) == 0 else {
            throw StoreError.corrupt(path, "its trailer at byte \(trailerOffset) does not match the pack checksum in \(indexPath) at byte \(checksumsStart + 4 * count); the index belongs to another pack")
        }
        let fileName = (path as NSString).lastPathComponent
        if let named = PackName(fileName: fileName), named != packName {
            throw StoreError.corrupt(path, "its trailer at byte \(trailerOffset) is \(checksum.hex), not the checksum its file name says")
        }
    }

    deinit {
        index.deallocate()
        if let base = map.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), map.count) }
    }

    // MARK: - Lookup

    /// Whether the pack holds `id`.
    public func contains(_ id: ObjectID) -> Bool { find(id) != nil }

    /// The ids of all objects, sorted.
    public var ids: [ObjectID] {
        (0..<count).map { PackLayout.id(index, PackLayout.indexHeaderSize + 32 * $0) }
    }

    /// The ids that start with `prefix` (1 to 64 hex digits), sorted; empty if `prefix` is not hex.
    public func ids(withHexPrefix prefix: String) -> [ObjectID] {
        guard isHexPrefix(prefix),
              let low = ObjectID(hex: prefix + String(repeating: "0", count: 64 - prefix.utf8.count)),
              let high = ObjectID(hex: prefix + String(repeating: "f", count: 64 - prefix.utf8.count))
        else { return [] }
        var i = lowerBound(low)
        var out = [ObjectID]()
        while i < count, PackLayout.compare(index, PackLayout.indexHeaderSize + 32 * i, high) <= 0 {
            out.append(PackLayout.id(index, PackLayout.indexHeaderSize + 32 * i))
            i += 1
        }
        return out
    }

    /// The encoded bytes of `id`, checked against the id; nil if the pack does not hold it.
    /// Throws `.tooLarge` without decompressing anything if the object is longer than `limit`, `.idMismatch` if the
    /// bytes do not hash to `id`, `.corrupt` if the chunk is damaged.
    public func encodedBytes(_ id: ObjectID, limit: Int) throws -> [UInt8]? {
        guard let i = find(id) else { return nil }
        let location = self.location(i)
        guard location.length <= limit else {
            throw StoreError.tooLarge("object \(id.hex) in \(path)", declared: UInt64(location.length), limit: limit)
        }
        let chunk = try cachedChunk(at: location.chunk, holding: location.length)
        guard location.offset + location.length <= chunk.count else {
            throw StoreError.corrupt(path, "object \(id.hex) lies at bytes \(location.offset)..<\(location.offset + location.length) of the chunk at byte \(location.chunk), which decompresses to only \(chunk.count) bytes")
        }
        let bytes = Array(chunk[location.offset..<location.offset + location.length])
        let actual = ObjectID(hashing: bytes)
        guard actual == id else { throw StoreError.idMismatch(id, file: path, actual: actual) }
        return bytes
    }

    /// Calls `body` with every object and its checked encoded bytes, in the order they are stored, decompressing each chunk
    /// once (reading everything this way is much faster than `encodedBytes` in id order). Throws at the first damage found.
    public func forEachObject(limit: Int = Int.max, _ body: (ObjectID, [UInt8]) throws -> Void) throws {
        let order = storageOrder()
        var start = 0
        while start < order.count {
            let chunkOffset = location(order[start]).chunk
            var end = start
            var largest = 0
            while end < order.count, location(order[end]).chunk == chunkOffset {
                largest = max(largest, location(order[end]).length)
                end += 1
            }
            if largest > limit {
                let big = order[start..<end].first { location($0).length == largest } ?? order[start]
                throw StoreError.tooLarge("object \(idAt(big).hex) in \(path)", declared: UInt64(largest), limit: limit)
            }
            let chunk = try decompressChunk(at: chunkOffset, limit: max(PackLayout.maxChunkSize, largest))
            for i in order[start..<end] {
                let (_, offset, length) = location(i)
                let id = idAt(i)
                guard offset + length <= chunk.count else {
                    throw StoreError.corrupt(path, "object \(id.hex) lies at bytes \(offset)..<\(offset + length) of the chunk at byte \(chunkOffset), which decompresses to only \(chunk.count) bytes")
                }
                let bytes = Array(chunk[offset..<offset + length])
                let actual = ObjectID(hashing: bytes)
                guard actual == id else { throw StoreError.idMismatch(id, file: path, actual: actual) }
                try body(id, bytes)
            }
            start = end
        }
    }

    // MARK: - Chunks as stored

    /// One chunk as the pack stores it: its zstd frame's place in the `.pack` file and the objects it holds.
    public struct StoredChunk: Sendable {
        /// The byte offset of the frame in the `.pack` file.
        public var offset: Int
        /// The frame's length in bytes.
        public var length: Int
        /// The decompressed size its frame header declares.
        public var size: Int
        /// The objects in the chunk, in the order they are stored.
        public var ids: [ObjectID]
    }

    /// The chunks in the order they are stored, each with its objects. Frames are measured from their block headers,
    /// nothing is decompressed or checked against ids: a reader of these bytes must verify them (the receiver of a
    /// transfer does). Throws `.corrupt` when a frame is damaged or runs past the trailer.
    public func storedChunks() throws -> [StoredChunk] {
        let order = storageOrder()
        let end = map.count - PackLayout.trailerSize
        var chunks = [StoredChunk]()
        var start = 0
        while start < order.count {
            let offset = location(order[start]).chunk
            var ids = [ObjectID]()
            var next = start
            while next < order.count, location(order[next]).chunk == offset {
                ids.append(idAt(order[next]))
                next += 1
            }
            guard offset >= PackLayout.packHeaderSize, offset < end,
                  let length = Zstd.frameLength(UnsafeRawBufferPointer(rebasing: map[offset..<end])),
                  let size = Zstd.declaredSize(UnsafeRawBufferPointer(rebasing: map[offset..<end])), size <= UInt64(Int.max) else {
                throw StoreError.corrupt(path, "the chunk at byte \(offset) is not a complete zstd frame with a declared size before the trailer")
            }
            chunks.append(StoredChunk(offset: offset, length: length, size: Int(size), ids: ids))
            start = next
        }
        return chunks
    }

    /// The bytes of a chunk's frame exactly as stored (compressed), for sending without recompressing.
    public func storedBytes(of chunk: StoredChunk) -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: map[chunk.offset..<chunk.offset + chunk.length]))
    }

    // MARK: - Index access

    /// The position of `id` in the index: a binary search between the fan-out bounds of its first byte.
    @inline(__always) private func find(_ id: ObjectID) -> Int? {
        let first = Int(id.firstByte)
        var low = first == 0 ? 0 : Int(PackLayout.uint32(index, 8 + 4 * (first - 1)))
        var high = Int(PackLayout.uint32(index, 8 + 4 * first))
        while low < high {
            let mid = (low + high) >> 1
            let order = PackLayout.compare(index, PackLayout.indexHeaderSize + 32 * mid, id)
            if order == 0 { return mid }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The first position whose id is not less than `id`.
    private func lowerBound(_ id: ObjectID) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) >> 1
            if PackLayout.compare(index, PackLayout.indexHeaderSize + 32 * mid, id) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    @inline(__always) private func idAt(_ i: Int) -> ObjectID {
        PackLayout.id(index, PackLayout.indexHeaderSize + 32 * i)
    }

    /// The chunk offset in the pack, the offset in the decompressed chunk and the length of object `i`.
    @inline(__always) private func location(_ i: Int) -> (chunk: Int, offset: Int, length: Int) {
        let at = locationsStart + 16 * i
        let chunk = PackLayout.uint64(index, at)
        return (chunk > UInt64(Int.max) ? Int.max : Int(chunk),
                Int(PackLayout.uint32(index, at + 8)), Int(PackLayout.uint32(index, at + 12)))
    }

    @inline(__always) private func crcAt(_ i: Int) -> UInt32 { PackLayout.uint32(index, checksumsStart + 4 * i) }

    /// Index positions sorted by where the objects are stored.
    private func storageOrder() -> [Int] {
        (0..<count).sorted {
            let a = location($0), b = location($1)
            return (a.chunk, a.offset) < (b.chunk, b.offset)
        }
    }

    // MARK: - Chunks

    /// The decompressed chunk at `offset`, from the cache if it is there.
    private func cachedChunk(at offset: Int, holding length: Int) throws -> [UInt8] {
        let key = ChunkCache.Key(pack: packName.checksum, offset: offset)
        if let hit = Pack.chunkCache[key] { return hit }
        // Decompressed outside the cache's lock so that threads reading different chunks do not wait for each other.
        let bytes = try decompressChunk(at: offset, limit: max(PackLayout.maxChunkSize, length))
        Pack.chunkCache.insert(key, bytes)
        return bytes
    }

    /// Decompresses the chunk at `offset`, refusing one that declares more than `limit` bytes before allocating.
    private func decompressChunk(at offset: Int, limit: Int) throws -> [UInt8] {
        let end = map.count - PackLayout.trailerSize
        guard offset >= PackLayout.packHeaderSize, offset < end else {
            throw StoreError.corrupt(indexPath, "it places a chunk at byte \(offset) of \(path), outside the chunks (bytes \(PackLayout.packHeaderSize)..<\(end))")
        }
        let region = UnsafeRawBufferPointer(rebasing: map[offset..<end])
        let what = "the chunk at byte \(offset) of \(path)"
        guard let declared = Zstd.declaredSize(region) else {
            throw StoreError.corrupt(what, "it is not a zstd frame with a declared content size")
        }
        guard declared <= UInt64(limit) else { throw StoreError.tooLarge(what, declared: declared, limit: limit) }
        guard let length = Zstd.frameLength(region) else {
            throw StoreError.corrupt(what, "its zstd frame is damaged or runs past the trailer")
        }
        return try Zstd.decompress(UnsafeRawBufferPointer(rebasing: region[region.startIndex..<region.startIndex + length]),
                                   limit: limit, what: what)
    }

    // MARK: - Opening

    /// Reads the whole index into memory owned by the pack.
    private static func readIndex(_ path: String) throws -> UnsafeMutableRawBufferPointer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(path: path, operation: "stat", errno: errno) }
        let size = Int(info.st_size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
        guard let base = buffer.baseAddress else { return buffer }
        var offset = 0
        while offset < size {
            let n = pread(fd, base + offset, size - offset, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                buffer.deallocate()
                throw StoreError.io(path: path, operation: "read", errno: code)
            }
            if n == 0 { break }
            offset += n
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<offset])
    }

    /// Checks an index's layout and fan-out, and when `thorough` its checksum and id order; returns its object count.
    /// Opening a pack checks only what a lookup relies on to stay within the file (the whole index is hashed and its
    /// ids compared by `verify`, as fsck does): every object read is checked against its id, so a damaged index can
    /// make an object unreadable or seem missing, never return wrong bytes.
    private static func validateIndex(_ index: UnsafeRawBufferPointer, path: String, thorough: Bool) throws -> Int {
        func corrupt(_ offset: Int, _ reason: String) -> StoreError { .corrupt(path, "at byte \(offset): \(reason)") }
        let size = index.count
        guard size >= PackLayout.indexFixedSize else {
            throw StoreError.corrupt(path, "it is \(size) bytes long, shorter than the \(PackLayout.indexFixedSize) bytes of an index with no objects; it is truncated")
        }
        guard index.prefix(8).elementsEqual(PackLayout.indexMagic) else {
            throw corrupt(0, "the magic is not \"ARXIDX01\"; this is not an arxos pack index")
        }
        var previous: UInt32 = 0
        for i in 0..<256 {
            let value = PackLayout.uint32(index, 8 + 4 * i)
            guard value >= previous else {
                throw corrupt(8 + 4 * i, "fan-out entry \(i) is \(value), less than entry \(i - 1) (\(previous))")
            }
            previous = value
        }
        let count = Int(previous)
        let (entries, overflow) = count.multipliedReportingOverflow(by: PackLayout.indexEntrySize)
        let expected = PackLayout.indexFixedSize + entries
        guard !overflow, expected == size else {
            throw corrupt(8 + 4 * 255, "the fan-out counts \(count) objects, which take \(expected) bytes, but the file is \(size) bytes long\(size < expected ? "; it is truncated" : "")")
        }
        guard thorough else { return count }
        var hash = IncrementalHash()
        hash.update(UnsafeRawBufferPointer(rebasing: index[0..<size - 32]))
        guard PackLayout.compare(index, size - 32, hash.finalize()) == 0 else {
            throw corrupt(size - 32, "the index checksum does not match the bytes before it")
        }
        // Ids strictly ascending, each within the fan-out range of its first byte.
        var bucket = 0
        var bucketEnd = Int(PackLayout.uint32(index, 8))
        for i in 0..<count {
            let at = PackLayout.indexHeaderSize + 32 * i
            while i >= bucketEnd {
                bucket += 1
                bucketEnd = Int(PackLayout.uint32(index, 8 + 4 * bucket))
            }
            guard Int(index[at]) == bucket else {
                throw corrupt(at, "id \(i) starts with byte \(index[at]), but the fan-out puts it among ids starting with \(bucket)")
            }
            if i > 0, !index[at - 32..<at].lexicographicallyPrecedes(index[at..<at + 32]) {
                throw corrupt(at, "id \(i) is not greater than the id before it; ids must be sorted and unique")
            }
        }
        return count
    }

    /// Maps the pack read-only after checking its size and magic.
    private static func mapPack(_ path: String) throws -> UnsafeRawBufferPointer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(path: path, operation: "stat", errno: errno) }
        let size = Int(info.st_size)
        guard size >= PackLayout.packHeaderSize + PackLayout.trailerSize else {
            throw StoreError.corrupt(path, "it is \(size) bytes long, shorter than a pack header and trailer (48 bytes); it is truncated")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw StoreError.io(path: path, operation: "mmap", errno: errno)
        }
        let map = UnsafeRawBufferPointer(start: base, count: size)
        guard map.prefix(8).elementsEqual(PackLayout.packMagic) else {
            munmap(base, size)
            throw StoreError.corrupt(path, "at byte 0: the magic is not \"ARXPACK1\"; this is not an arxos pack")
        }
        return map
    }
}

// MARK: - Verification

extension Pack {
    /// Opens and verifies the pack at `path`; a pack that cannot be opened yields one problem saying why.
    public static func verify(path: String) -> [PackProblem] {
        do {
            return try Pack(path: path).verify()
        } catch let StoreError.corrupt(what, reason) {
            return [PackProblem(file: what, offset: nil, id: nil, message: reason)]
        } catch {
            return [PackProblem(file: path, offset: nil, id: nil, message: Self.reason(error))]
        }
    }

    /// An error as a problem message: its reason, without the file (the problem names it) or the hint.
    private static func reason(_ error: Error) -> String {
        switch error {
        case let StoreError.corrupt(_, reason): reason
        case let StoreError.tooLarge(_, declared, limit): "it declares \(declared) bytes, more than the limit of \(limit)"
        default: (error.localizedDescription.split(separator: "\n").first).map(String.init) ?? "\(error)"
        }
    }

    /// Checks everything: the trailer checksum, the header counts, that the chunks are back-to-back zstd frames covering the
    /// file, that the index's objects tile each chunk, and every object's CRC-32, header and SHA-256. Reports each problem
    /// found rather than stopping at the first. The index's checksum and id order are checked first.
    public func verify() -> [PackProblem] {
        var problems = [PackProblem]()
        func report(_ offset: Int?, _ id: ObjectID?, _ message: String, in file: String? = nil) {
            problems.append(PackProblem(file: file ?? path, offset: offset, id: id, message: message))
        }
        do {
            _ = try Self.validateIndex(index, path: indexPath, thorough: true)
        } catch let StoreError.corrupt(what, reason) {
            // The rest goes by the index: with ids out of order, lookups cannot be trusted.
            return [PackProblem(file: what, offset: nil, id: nil, message: reason)]
        } catch {
            return [PackProblem(file: indexPath, offset: nil, id: nil, message: Self.reason(error))]
        }
        let end = map.count - PackLayout.trailerSize

        var hash = IncrementalHash()
        hash.update(UnsafeRawBufferPointer(rebasing: map[0..<end]))
        let actual = hash.finalize()
        if actual != packName.checksum {
            report(end, nil, "the trailer \(packName.hex) does not match the SHA-256 of the bytes before it (\(actual.hex))")
        }
        let declaredObjects = Int(PackLayout.uint32(map, 8))
        if declaredObjects != count {
            report(8, nil, "the header counts \(declaredObjects) objects, the index lists \(count)")
        }
        let declaredChunks = Int(PackLayout.uint32(map, 12))

        let order = storageOrder()
        var cursor = 0
        var offset = PackLayout.packHeaderSize
        var chunks = 0
        var lost = false
        walk: while offset < end {
            chunks += 1
            // Objects the index places before this chunk start inside no chunk.
            while cursor < order.count, location(order[cursor]).chunk < offset {
                let i = order[cursor]
                report(location(i).chunk, idAt(i), "the index places it in a chunk at byte \(location(i).chunk), but no chunk starts there")
                cursor += 1
            }
            var members = [Int]()
            while cursor < order.count, location(order[cursor]).chunk == offset {
                members.append(order[cursor])
                cursor += 1
            }
            let region = UnsafeRawBufferPointer(rebasing: map[offset..<end])
            guard let frameLength = Zstd.frameLength(region) else {
                report(offset, nil, "chunk \(chunks) is not a complete zstd frame; the rest of the pack cannot be read")
                for i in members { report(offset, idAt(i), "it cannot be read: its chunk is damaged") }
                lost = true
                break walk
            }
            if members.isEmpty {
                report(offset, nil, "chunk \(chunks) holds no object listed in the index")
            }
            let largest = members.map { location($0).length }.max() ?? 0
            let chunk: [UInt8]
            do {
                chunk = try decompressChunk(at: offset, limit: max(PackLayout.maxChunkSize, largest))
            } catch {
                report(offset, nil, "chunk \(chunks) cannot be decompressed: \(Self.reason(error))")
                for i in members { report(offset, idAt(i), "it cannot be read: its chunk is damaged") }
                offset += frameLength
                continue
            }
            if chunk.count > PackLayout.maxChunkSize, members.count > 1 {
                report(offset, nil, "chunk \(chunks) decompresses to \(chunk.count) bytes, more than 4 MiB, yet holds \(members.count) objects")
            }
            var position = 0
            for i in members {
                let (_, start, length) = location(i)
                let id = idAt(i)
                if start != position {
                    report(offset, id, start > position
                        ? "it starts at byte \(start) of its chunk, leaving bytes \(position)..<\(start) that belong to no object"
                        : "it starts at byte \(start) of its chunk, overlapping the object before it")
                }
                guard start + length <= chunk.count else {
                    report(offset, id, "it lies at bytes \(start)..<\(start + length) of its chunk, which decompresses to only \(chunk.count) bytes")
                    continue
                }
                position = max(position, start + length)
                chunk.withUnsafeBytes { raw in
                    let object = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
                    let crc = CRC32.checksum(object)
                    if crc != crcAt(i) {
                        report(offset, id, String(format: "its CRC-32 is %08x, the index says %08x", crc, crcAt(i)))
                    }
                    let actual = ObjectID(hashing: object)
                    if actual != id {
                        report(offset, id, "its bytes hash to \(actual.hex)")
                    }
                }
                do {
                    let (_, size, contentStart) = try ObjectEncoding.parseHeader(chunk[start..<start + length])
                    if contentStart - start + size != length {
                        report(offset, id, "its header declares \(size) content bytes, but the index gives it \(length - (contentStart - start))")
                    }
                } catch {
                    report(offset, id, "its header is malformed: \(error.localizedDescription)")
                }
            }
            if position < chunk.count {
                report(offset, nil, "bytes \(position)..<\(chunk.count) of chunk \(chunks) belong to no object listed in the index")
            }
            offset += frameLength
        }
        while cursor < order.count {
            let i = order[cursor]
            report(location(i).chunk, idAt(i), lost
                ? "it cannot be read: a damaged chunk before it hides where the chunks start"
                : "the index places it in a chunk at byte \(location(i).chunk), but no chunk starts there")
            cursor += 1
        }
        if !lost, declaredChunks != chunks {
            report(12, nil, "the header counts \(declaredChunks) chunks, the file holds \(chunks)")
        }
        return problems
    }
}

/// A least-recently-used cache of decompressed chunks shared by all packs, bounded in bytes (it always keeps the newest
/// chunk, however large).
final class ChunkCache: @unchecked Sendable {
    struct Key: Hashable {
        var pack: ObjectID
        var offset: Int
    }

    private let lock = NSLock()
    private let budget: Int
    /// Most recently used last.
    private var entries: [(Key, [UInt8])] = []
    private var total = 0

    init(budget: Int) { self.budget = budget }

    subscript(key: Key) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let index = entries.lastIndex(where: { $0.0 == key }) else { return nil }
        let entry = entries.remove(at: index)
        entries.append(entry)
        return entry.1
    }

    func insert(_ key: Key, _ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        guard !entries.contains(where: { $0.0 == key }) else { return }
        entries.append((key, bytes))
        total += bytes.count
        while entries.count > 1, total > budget { total -= entries.removeFirst().1.count }
    }
}
