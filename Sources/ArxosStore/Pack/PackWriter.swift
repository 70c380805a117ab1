import ArxosCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one pack and its index (docs/format.md, "Packs") from objects added one at a time.
///
/// Objects accumulate in a chunk until it holds `chunkTarget` bytes; the chunk is then compressed into one zstd frame and
/// appended to a temporary file. Memory stays bounded by one chunk plus about 60 bytes per object. `finish()` writes the
/// header counts, the trailer and the index, fsyncs both files and renames them into place, index last.
/// Not thread-safe: one writer is used by one thread at a time.
public final class PackWriter {
    /// Where one object went, kept until the index is written (48 bytes).
    private struct Entry {
        var id: ObjectID
        var chunk: UInt32
        var offset: UInt32
        var length: UInt32
        var crc: UInt32
    }

    /// The `objects/pack` directory the pack is written into.
    public let directory: String
    private let level: Int32
    private let chunkTarget: Int

    private var entries: [Entry] = []
    /// Open-addressing set of entry indexes + 1 (0 = empty slot), for skipping duplicates.
    private var slots: [UInt32] = []
    private var chunk: [UInt8] = []
    private var chunkOffsets: [UInt64] = []

    private var packFD: Int32 = -1
    private var packTemp: String?
    private var indexTemp: String?
    /// Bytes written to the temporary pack so far.
    private var packLength: UInt64 = 0
    private var done = false

    /// Prepares a writer; nothing touches the disk until the first chunk is full or `finish()` is called.
    /// `chunkTarget` is clamped to 1 ... 4 MiB, the largest chunk docs/format.md allows.
    public init(directory: String, level: Int32 = 9, chunkTarget: Int = 1 << 20) {
        self.directory = directory
        self.level = level
        self.chunkTarget = min(max(chunkTarget, 1), PackLayout.maxChunkSize)
    }

    deinit {
        if !done { abandon() }
    }

    /// The number of distinct objects added so far.
    public var count: Int { entries.count }

    /// Adds an object given its encoded bytes (`<type> SP <size> NUL <content>`) and its id; an id already in this pack is
    /// skipped. Throws if the bytes do not hash to `id` or are not an encoded object, or if the object is 4 GiB or larger.
    public func add(encoded: [UInt8], id: ObjectID) throws {
        try checkOpen()
        if slots.isEmpty { slots = [UInt32](repeating: 0, count: 1024) }
        var slot = Int(truncatingIfNeeded: id.w1) & (slots.count - 1)
        while slots[slot] != 0 {
            if entries[Int(slots[slot] - 1)].id == id { return }
            slot = (slot + 1) & (slots.count - 1)
        }
        let actual = ObjectID(hashing: encoded)
        guard actual == id else { throw StoreError.idMismatch(id, file: "the object added to a pack", actual: actual) }
        if let problem = Self.headerProblem(encoded) {
            throw StoreError.malformed(id, file: "the object added to a pack", problem)
        }
        guard encoded.count <= Int(UInt32.max) else {
            throw StoreError.tooLarge("object \(id.hex)", declared: UInt64(encoded.count), limit: Int(UInt32.max))
        }
        guard entries.count < Int(UInt32.max) - 1 else {
            throw StoreError.tooLarge("pack in \(directory)", declared: UInt64(entries.count) + 1, limit: Int(UInt32.max) - 1)
        }

        // A chunk never grows past 4 MiB unless it holds one larger object alone.
        if !chunk.isEmpty, chunk.count + encoded.count > PackLayout.maxChunkSize { try flushChunk() }
        entries.append(Entry(
            id: id, chunk: UInt32(chunkOffsets.count), offset: UInt32(chunk.count), length: UInt32(encoded.count),
            crc: CRC32.checksum(encoded)))
        slots[slot] = UInt32(entries.count)
        if entries.count * 4 > slots.count * 3 { growSlots() }
        chunk.append(contentsOf: encoded)
        if chunk.count >= chunkTarget { try flushChunk() }
    }

    /// Adds a whole chunk as an already compressed zstd frame, written unchanged: `content` is the frame's decompressed
    /// bytes and `objects` the (id, offset, length) of each object in it, covering `content` exactly. The caller has
    /// computed every id from its bytes (a transfer's receiver does, before anything is kept); here each object's header
    /// is checked and, like `add`, an id already in this pack is refused rather than stored twice, so the caller passes
    /// only chunks whose objects are all new. The pending chunk is closed first; the frame becomes a chunk of its own.
    public func addCompressedChunk(frame: UnsafeRawBufferPointer, content: [UInt8],
                                   objects: [(id: ObjectID, offset: Int, length: Int)]) throws {
        try checkOpen()
        guard !objects.isEmpty else { return }
        guard content.count <= PackLayout.maxChunkSize || objects.count == 1 else {
            throw StoreError.tooLarge("a chunk of \(objects.count) objects", declared: UInt64(content.count), limit: PackLayout.maxChunkSize)
        }
        guard entries.count + objects.count < Int(UInt32.max) - 1 else {
            throw StoreError.tooLarge("pack in \(directory)", declared: UInt64(entries.count + objects.count), limit: Int(UInt32.max) - 1)
        }
        var covered = 0
        for object in objects {
            guard object.offset == covered, object.length > 0, object.offset + object.length <= content.count else {
                throw StoreError.malformed(object.id, file: "a chunk added to a pack", .sizeMismatch(declared: object.length, actual: content.count - object.offset))
            }
            if let problem = Self.headerProblem(Array(content[object.offset..<object.offset + min(object.length, 64)]), prefixOf: object.length) {
                throw StoreError.malformed(object.id, file: "a chunk added to a pack", problem)
            }
            covered += object.length
        }
        guard covered == content.count else {
            throw StoreError.malformed(objects[0].id, file: "a chunk added to a pack", .sizeMismatch(declared: covered, actual: content.count))
        }
        if slots.isEmpty { slots = [UInt32](repeating: 0, count: 1024) }
        var inChunk = Set<ObjectID>()
        for object in objects where !inChunk.insert(object.id).inserted || slot(of: object.id) == nil {
            throw StoreError.corrupt("a chunk added to a pack in \(directory)", "object \(object.id.hex) is in it twice or already in the pack")
        }
        try flushChunk()
        try appendFrame(frame)
        let chunkIndex = UInt32(chunkOffsets.count - 1)
        for object in objects {
            guard let slot = slot(of: object.id) else { continue }
            let crc = content.withUnsafeBytes { raw in
                CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[object.offset..<object.offset + object.length]))
            }
            entries.append(Entry(id: object.id, chunk: chunkIndex, offset: UInt32(object.offset), length: UInt32(object.length), crc: crc))
            slots[slot] = UInt32(entries.count)
            if entries.count * 4 > slots.count * 3 { growSlots() }
        }
    }

    /// Finishes the pack: the last chunk, the header counts, the trailer, the index, fsyncs, then renames into
    /// `pack-<hex>.pack` and `pack-<hex>.idx` (index last) and fsyncs the directory. Returns nil, leaving nothing behind,
    /// when no object was added. On error the temporary files are removed. The writer cannot be used afterwards.
    public func finish() throws -> PackName? {
        try checkOpen()
        do {
            try flushChunk()
            guard !entries.isEmpty, let packTemp else {
                abandon()
                return nil
            }
            slots = []

            // Header counts, then the trailer over everything before it.
            var counts = [UInt8]()
            PackLayout.append(UInt32(entries.count), to: &counts)
            guard chunkOffsets.count <= Int(UInt32.max) else {
                throw StoreError.tooLarge("pack \(packTemp)", declared: UInt64(chunkOffsets.count), limit: Int(UInt32.max))
            }
            PackLayout.append(UInt32(chunkOffsets.count), to: &counts)
            try Self.writeAll(packFD, counts, at: 8, path: packTemp)
            let checksum = try Self.hashFile(packTemp, length: packLength)
            try FileSystem.writeAll(packFD, checksum.bytes, path: packTemp)
            if fsync(packFD) != 0 { throw StoreError.io(path: packTemp, operation: "fsync", errno: errno) }
            close(packFD)
            packFD = -1

            let name = PackName(checksum: checksum)
            try writeIndex(checksum: checksum)
            guard let indexTemp else { throw StoreError.io(path: directory, operation: "write pack index", errno: EIO) }
            let packPath = directory + "/" + name.packFileName
            if rename(packTemp, packPath) != 0 { throw StoreError.io(path: packPath, operation: "rename", errno: errno) }
            self.packTemp = nil
            let indexPath = directory + "/" + name.indexFileName
            if rename(indexTemp, indexPath) != 0 { throw StoreError.io(path: indexPath, operation: "rename", errno: errno) }
            self.indexTemp = nil
            try FileSystem.syncDirectory(directory)
            done = true
            entries = []
            return name
        } catch {
            abandon()
            throw error
        }
    }

    /// Gives up the pack: closes and removes the temporary files. The writer cannot be used afterwards.
    public func abandon() {
        if packFD >= 0 { close(packFD) }
        packFD = -1
        if let packTemp { unlink(packTemp) }
        if let indexTemp { unlink(indexTemp) }
        packTemp = nil
        indexTemp = nil
        entries = []
        slots = []
        chunk = []
        chunkOffsets = []
        done = true
    }

    /// Why the first bytes of an object of `length` bytes are not a header declaring exactly the rest; nil if they are.
    private static func headerProblem(_ prefix: [UInt8], prefixOf length: Int) -> ObjectFormatError? {
        do {
            let (_, size, start) = try ObjectEncoding.parseHeader(prefix[...])
            return start + size == length ? nil : .sizeMismatch(declared: size, actual: length - start)
        } catch {
            return error
        }
    }

    /// Why `encoded` is not `<type> SP <size> NUL <content>` with exactly `size` content bytes; nil if it is.
    private static func headerProblem(_ encoded: [UInt8]) -> ObjectFormatError? {
        do {
            let (_, size, start) = try ObjectEncoding.parseHeader(encoded[...])
            return start + size == encoded.count ? nil : .sizeMismatch(declared: size, actual: encoded.count - start)
        } catch {
            return error
        }
    }

    // MARK: - Chunks

    private func checkOpen() throws {
        if done { throw StoreError.io(path: directory, operation: "use of a finished or abandoned pack writer", errno: EINVAL) }
    }

    /// The empty slot where `id` would go; nil when the pack already holds it.
    private func slot(of id: ObjectID) -> Int? {
        var slot = Int(truncatingIfNeeded: id.w1) & (slots.count - 1)
        while slots[slot] != 0 {
            if entries[Int(slots[slot] - 1)].id == id { return nil }
            slot = (slot + 1) & (slots.count - 1)
        }
        return slot
    }

    private func growSlots() {
        var grown = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = grown.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.id.w1) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = UInt32(index + 1)
        }
        slots = grown
    }

    /// Compresses the current chunk into one frame and appends it to the temporary pack.
    private func flushChunk() throws {
        guard !chunk.isEmpty else { return }
        let path: String
        if let packTemp {
            path = packTemp
        } else {
            let (fd, temp) = try FileSystem.createTemporary(in: directory, mode: 0o444)
            packFD = fd
            packTemp = temp
            path = temp
            // The counts are zeros until finish() knows them.
            try FileSystem.writeAll(fd, PackLayout.packMagic + [UInt8](repeating: 0, count: 8), path: temp)
            packLength = UInt64(PackLayout.packHeaderSize)
        }
        let frame = try Zstd.compress(chunk, level: level)
        try FileSystem.writeAll(packFD, frame, path: path)
        chunkOffsets.append(packLength)
        packLength += UInt64(frame.count)
        chunk.removeAll(keepingCapacity: true)
    }

    /// Appends an already compressed frame as the next chunk, creating the temporary pack if needed.
    private func appendFrame(_ frame: UnsafeRawBufferPointer) throws {
        if packTemp == nil {
            let (fd, temp) = try FileSystem.createTemporary(in: directory, mode: 0o444)
            packFD = fd
            packTemp = temp
            try FileSystem.writeAll(fd, PackLayout.packMagic + [UInt8](repeating: 0, count: 8), path: temp)
            packLength = UInt64(PackLayout.packHeaderSize)
        }
        guard let path = packTemp else { return }
        try FileSystem.writeAll(packFD, Array(frame), path: path)
        chunkOffsets.append(packLength)
        packLength += UInt64(frame.count)
    }

    // MARK: - Index

    private func writeIndex(checksum: ObjectID) throws {
        entries.sort { $0.id < $1.id }
        let (fd, temp) = try FileSystem.createTemporary(in: directory, mode: 0o444)
        indexTemp = temp
        defer { close(fd) }
        var out = HashingWriter(fd: fd, path: temp)
        try out.append(PackLayout.indexMagic)

        var counts = [Int](repeating: 0, count: 256)
        for entry in entries { counts[Int(entry.id.firstByte)] += 1 }
        var fanOut = [UInt8]()
        var total = 0
        for count in counts {
            total += count
            PackLayout.append(UInt32(total), to: &fanOut)
        }
        try out.append(fanOut)

        var scratch = [UInt8]()
        for entry in entries {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: entry.id.bytes)
            try out.append(scratch)
        }
        for entry in entries {
            scratch.removeAll(keepingCapacity: true)
            PackLayout.append(chunkOffsets[Int(entry.chunk)], to: &scratch)
            PackLayout.append(entry.offset, to: &scratch)
            PackLayout.append(entry.length, to: &scratch)
            try out.append(scratch)
        }
        for entry in entries {
            scratch.removeAll(keepingCapacity: true)
            PackLayout.append(entry.crc, to: &scratch)
            try out.append(scratch)
        }
        try out.append(checksum.bytes)
        try out.finish()
        if fsync(fd) != 0 { throw StoreError.io(path: temp, operation: "fsync", errno: errno) }
    }

    // MARK: - Files

    /// The SHA-256 of the first `length` bytes of the file at `path`, read back in 1 MiB blocks.
    private static func hashFile(_ path: String, length: UInt64) throws -> ObjectID {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var hash = IncrementalHash()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var offset: UInt64 = 0
        while offset < length {
            let want = Int(min(UInt64(buffer.count), length - offset))
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { throw StoreError.corrupt(path, "the file ended at byte \(offset) while it was being written") }
            hash.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += UInt64(n)
        }
        return hash.finalize()
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, base + done, raw.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.io(path: path, operation: "write", errno: errno)
                }
                done += n
            }
        }
    }
}

/// Buffers writes to a file in 256 KiB blocks and hashes everything written, then appends the hash.
private struct HashingWriter {
    let fd: Int32
    let path: String
    var buffer: [UInt8] = []
    var hash = IncrementalHash()

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(1 << 18)
    }

    mutating func append(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 18 { try flush() }
    }

    mutating func flush() throws {
        hash.update(buffer)
        try FileSystem.writeAll(fd, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, then the SHA-256 of all bytes written.
    mutating func finish() throws {
        try flush()
        try FileSystem.writeAll(fd, hash.finalize().bytes, path: path)
    }
}
