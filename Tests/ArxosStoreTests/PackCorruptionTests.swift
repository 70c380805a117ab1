import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

@Suite("Damaged packs and indexes")
struct PackCorruptionTests {
    @Test("a flipped byte inside a chunk is reported by verify, with an object of that chunk, and reads fail")
    func flippedChunkByte() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 200)
        let packPath = try writePack(objects, in: dir.path)
        let index = try ParsedIndex(readBytes(indexPath(packPath)))
        let chunks = index.chunkOffsets
        let damaged = chunks[chunks.count / 2]
        let damagedEnd = chunks[chunks.count / 2 + 1]
        var bytes = try readBytes(packPath)
        bytes[(damaged + damagedEnd) / 2] ^= 0x20
        try writeBytes(packPath, bytes)
        let inChunk = Set(zip(index.ids, index.locations).filter { $0.1.chunk == damaged }.map(\.0))

        let pack = try Pack(path: packPath)
        let problems = pack.verify()
        #expect(problems.contains { $0.offset == bytes.count - 32 && $0.message.contains("trailer") })
        #expect(problems.contains { $0.offset == damaged && $0.id.map(inChunk.contains) == true })
        #expect(problems.allSatisfy { $0.file == packPath })
        // Every object of the damaged chunk is refused or still right; none comes back wrong.
        var refused = 0
        for object in objects where inChunk.contains(object.id) {
            do {
                #expect(try pack.encodedBytes(object.id, limit: 1 << 20) == object.encoded)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
        // Objects in other chunks still read.
        let healthy = try #require(objects.first { !inChunk.contains($0.id) })
        #expect(try pack.encodedBytes(healthy.id, limit: 1 << 20) == healthy.encoded)
    }

    @Test("a wrong object count in the header is reported at its offset")
    func headerCount() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let packPath = try writePack(sampleObjects(count: 50), in: dir.path)
        var bytes = try readBytes(packPath)
        bytes[11] ^= 1
        try writeBytes(packPath, bytes)
        let problems = Pack.verify(path: packPath)
        #expect(problems.map(\.offset).sorted { ($0 ?? 0) < ($1 ?? 0) } == [8, bytes.count - 32])
    }

    @Test("an object whose stored CRC-32 is wrong is reported by id")
    func wrongCRC() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 30)
        let packPath = try writePack(objects, in: dir.path)
        let idxPath = indexPath(packPath)
        var idx = try readBytes(idxPath)
        let n = objects.count
        let crcStart = 8 + 1024 + 48 * n
        idx[crcStart + 4 * 5] ^= 0xFF
        // Re-seal the index so that it opens.
        idx.replaceSubrange(idx.count - 32..<idx.count, with: ObjectID(hashing: idx[0..<idx.count - 32]).bytes)
        try writeBytes(idxPath, idx)
        let fifth = objects.map(\.id).sorted()[5]
        let problems = Pack.verify(path: packPath)
        #expect(problems.count == 1)
        #expect(problems.first?.id == fifth)
        #expect(problems.first?.message.contains("CRC-32") == true)
    }

    @Test("a truncated index is refused with an error naming the file and saying it is truncated", arguments: [0, 500, 1096, 2000, -1])
    func truncatedIndex(length: Int) throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let packPath = try writePack(sampleObjects(count: 80), in: dir.path)
        let idxPath = indexPath(packPath)
        let idx = try readBytes(idxPath)
        try writeBytes(idxPath, Array(idx.prefix(length >= 0 ? length : idx.count - 1)))
        let error = #expect(throws: StoreError.self) { try Pack(path: packPath) }
        let message = error?.localizedDescription ?? ""
        #expect(message.contains(idxPath))
        #expect(message.contains("truncated"))
        #expect(Pack.verify(path: packPath).count == 1)
    }

    @Test("a truncated pack is refused on opening, and verify reports it once without a hint line")
    func truncatedPack() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let packPath = try writePack(sampleObjects(count: 80), in: dir.path)
        let pack = try readBytes(packPath)
        for length in [10, pack.count / 2] {
            try writeBytes(packPath, Array(pack.prefix(length)))
            let error = #expect(throws: StoreError.self) { try Pack(path: packPath) }
            #expect(error?.localizedDescription.contains(packPath) == true)
            let problems = Pack.verify(path: packPath)
            #expect(problems.count == 1)
            #expect(problems.first?.file == packPath)
            #expect(problems.first?.message.contains("hint") == false)
        }
    }

    @Test("a flipped byte in the index is found by verify, naming the offset, and no read returns wrong bytes")
    func flippedIndexByte() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 80)
        let packPath = try writePack(objects, in: dir.path)
        let idxPath = indexPath(packPath)
        var idx = try readBytes(idxPath)
        idx[8 + 1024 + 32 * 40 + 3] ^= 4  // inside an id
        try writeBytes(idxPath, idx)
        // Opening checks only the layout; fsck's verify hashes the whole index.
        let pack = try Pack(path: packPath)
        let problems = pack.verify()
        #expect(problems.count == 1)
        let message = problems.first.map { "\($0.file): \($0.message)" } ?? ""
        #expect(message.contains(idxPath))
        #expect(message.contains("at byte \(idx.count - 32)"))
        #expect(message.contains("checksum"))
        // Reads are checked against their ids: the damaged entry's object is unreadable or missing, the others intact.
        var unreadable = 0
        for object in objects {
            do {
                if let bytes = try pack.encodedBytes(object.id, limit: 1 << 20) { #expect(bytes == object.encoded) } else { unreadable += 1 }
            } catch {
                unreadable += 1
            }
        }
        #expect(unreadable >= 1 && unreadable <= 2)
    }

    @Test("an index that belongs to another pack is refused")
    func foreignIndex() throws {
        let a = try ScratchDirectory(), b = try ScratchDirectory()
        defer { a.remove(); b.remove() }
        let packA = try writePack(sampleObjects(count: 20, seed: 1), in: a.path)
        let packB = try writePack(sampleObjects(count: 20, seed: 2), in: b.path)
        let foreign = a.path + "/other.pack"
        try writeBytes(foreign, readBytes(packA))
        try writeBytes(indexPath(foreign), readBytes(indexPath(packB)))
        let error = #expect(throws: StoreError.self) { try Pack(path: foreign) }
        #expect(error?.localizedDescription.contains("belongs to another pack") == true)
    }

    @Test("a pack whose file name is not its checksum is refused")
    func misnamedPack() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let packPath = try writePack(sampleObjects(count: 20), in: dir.path)
        let wrong = dir.path + "/pack-" + String(repeating: "a", count: 64)
        try FileManager.default.moveItem(atPath: packPath, toPath: wrong + ".pack")
        try FileManager.default.moveItem(atPath: indexPath(packPath), toPath: wrong + ".idx")
        #expect(throws: StoreError.self) { try Pack(path: wrong + ".pack") }
    }

    @Test("a chunk whose frame declares a huge size is refused before anything is allocated")
    func hugeDeclaredSize() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 300)
        // Chunks above 65791 bytes get a 4-byte content size field in their frame header.
        let packPath = try writePack(objects, in: dir.path, chunkTarget: 200_000)
        let index = try ParsedIndex(readBytes(indexPath(packPath)))
        let chunk = try #require(index.chunkOffsets.first)
        var bytes = try readBytes(packPath)

        // Frame header (RFC 8878 3.1.1.1): magic, descriptor, [window descriptor], [dictionary id], content size.
        #expect(Array(bytes[chunk..<chunk + 4]) == [0x28, 0xB5, 0x2F, 0xFD])
        let descriptor = bytes[chunk + 4]
        let singleSegment = descriptor & 0x20 != 0
        var field = chunk + 5 + (singleSegment ? 0 : 1)
        field += [0, 1, 2, 4][Int(descriptor & 3)]
        let fieldSize = [singleSegment ? 1 : 0, 2, 4, 8][Int(descriptor >> 6)]
        try #require(fieldSize == 4)
        for i in 0..<4 { bytes[field + i] = 0xFF }  // little-endian 0xFFFFFFFF: 4 GiB
        try writeBytes(packPath, bytes)

        let pack = try Pack(path: packPath)
        let victim = try #require(zip(index.ids, index.locations).first { $0.1.chunk == chunk }?.0)
        let error = #expect(throws: StoreError.self) { try pack.encodedBytes(victim, limit: 1 << 30) }
        guard case let .tooLarge(what, declared, limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(declared == 0xFFFF_FFFF)
        #expect(limit == 4 << 20)
        #expect(what.contains("byte \(chunk)"))
        #expect(pack.verify().contains { $0.offset == chunk && $0.message.contains("declares 4294967295 bytes") })
    }
}
