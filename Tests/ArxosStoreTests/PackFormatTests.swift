import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

/// The `zstd` command, if it is on PATH.
let zstdCommand: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    .split(separator: ":")
    .map { $0 + "/zstd" }
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `zstd -d` on a file holding `frame` and returns what it printed.
func zstdDecompress(_ frame: [UInt8], in directory: String) throws -> [UInt8] {
    let input = directory + "/frame-" + UUID().uuidString + ".zst"
    try Data(frame).write(to: URL(fileURLWithPath: input))
    defer { try? FileManager.default.removeItem(atPath: input) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(zstdCommand))
    process.arguments = ["-d", "-c", "-q", input]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return [UInt8](data)
}

/// Bit-at-a-time CRC-32 (IEEE), the textbook definition, to check the table-driven one.
func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        c ^= UInt32(byte)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
    }
    return ~c
}

@Suite("Pack bytes as docs/format.md describes them")
struct PackFormatTests {
    @Test("CRC-32 matches the standard check values and the bitwise definition at every length")
    func crc32() {
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...bytes.count {
            #expect(CRC32.checksum(Array(bytes.prefix(length))) == referenceCRC32(Array(bytes.prefix(length))))
        }
    }

    @Test("header, fan-out, sorted ids, locations, CRCs, checksums and name follow the spec")
    func layout() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 500)
        let packPath = try writePack(objects, in: dir.path, chunkTarget: 32 << 10)
        let pack = try readBytes(packPath)
        let idx = try readBytes(indexPath(packPath))
        let index = try ParsedIndex(idx)

        // .pack: magic, counts, trailer = SHA-256 of everything before it = the name.
        #expect(Array(pack[0..<8]) == Array("ARXPACK1".utf8))
        #expect(bigEndian(pack, 8, 4) == objects.count)
        #expect(bigEndian(pack, 12, 4) == index.chunkOffsets.count)
        let trailer = Array(pack[(pack.count - 32)...])
        #expect(trailer == ObjectID(hashing: pack[0..<pack.count - 32]).bytes)
        #expect((packPath as NSString).lastPathComponent == "pack-" + ObjectID(hashing: pack[0..<pack.count - 32]).hex + ".pack")

        // .idx: fan-out counts ids by first byte, ids sorted, checksums.
        let sorted = objects.map(\.id).sorted()
        #expect(index.ids == sorted)
        for byte in 0..<256 {
            #expect(index.fanOut[byte] == sorted.filter { Int($0.firstByte) <= byte }.count)
        }
        #expect(index.packChecksum == trailer)
        #expect(index.indexChecksum == ObjectID(hashing: idx[0..<idx.count - 32]).bytes)
        for object in objects {
            let position = try #require(index.ids.firstIndex(of: object.id))
            #expect(index.crcs[position] == referenceCRC32(object.encoded))
            #expect(index.locations[position].length == object.encoded.count)
        }
        // Chunks start right after the header and follow each other up to the trailer; none exceeds 4 MiB.
        #expect(index.chunkOffsets.first == 16)
        for (offset, next) in zip(index.chunkOffsets, index.chunkOffsets.dropFirst() + [pack.count - 32]) {
            let length = pack.withUnsafeBytes { Zstd.frameLength(UnsafeRawBufferPointer(rebasing: $0[offset..<next])) }
            #expect(length == next - offset)
        }
    }

    @Test("each chunk is a plain zstd frame: the zstd command decompresses it to the objects the index places in it",
          .enabled(if: zstdCommand != nil, "needs the zstd command"))
    func chunksAreZstdFrames() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 120)
        let packPath = try writePack(objects, in: dir.path, chunkTarget: 24 << 10, level: 9)
        let pack = try readBytes(packPath)
        let index = try ParsedIndex(readBytes(indexPath(packPath)))
        let byID = Dictionary(uniqueKeysWithValues: objects.map { ($0.id, $0.encoded) })
        let chunkOffsets = index.chunkOffsets
        #expect(chunkOffsets.count > 3)

        for (offset, next) in zip(chunkOffsets, chunkOffsets.dropFirst() + [pack.count - 32]) {
            let output = try zstdDecompress(Array(pack[offset..<next]), in: dir.path)
            // The objects of this chunk, in chunk order, tile its decompressed bytes exactly.
            let members = zip(index.ids, index.locations).filter { $0.1.chunk == offset }.sorted { $0.1.offset < $1.1.offset }
            var position = 0
            for (id, location) in members {
                #expect(location.offset == position)
                #expect(Array(output[location.offset..<location.offset + location.length]) == byID[id])
                position += location.length
            }
            #expect(position == output.count)
        }
    }
}
