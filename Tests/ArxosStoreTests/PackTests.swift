import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

// MARK: - Helpers shared by the Pack*Tests files

/// A fresh empty directory under the system temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/arxos-pack-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    var files: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

/// Deterministic objects that resemble each other, like versions of building files: `count` objects of 100 to 3000 bytes.
func sampleObjects(count: Int, seed: UInt64 = 1) -> [(id: ObjectID, encoded: [UInt8])] {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    let words = ["wall", "door", "window", "height", "width", "2400mm", "900mm", "concrete", "timber", "level", "room", "id"]
    var out = [(id: ObjectID, encoded: [UInt8])]()
    for i in 0..<count {
        var text = "kind: element\nindex: \(i)\n"
        let target = 100 + Int(next() % 2900)
        while text.utf8.count < target {
            text += words[Int(next() % UInt64(words.count))] + ": " + words[Int(next() % UInt64(words.count))] + " \(next() % 1000)\n"
        }
        let type: ObjectType = i % 7 == 0 ? .tree : (i % 11 == 0 ? .commit : .blob)
        let encoded = ObjectEncoding.encode(type, Array(text.utf8))
        out.append((ObjectID(hashing: encoded), encoded))
    }
    return out
}

/// Writes `objects` into one pack in `directory`; returns the `.pack` path.
@discardableResult
func writePack(_ objects: [(id: ObjectID, encoded: [UInt8])], in directory: String, chunkTarget: Int = 16 << 10,
               level: Int32 = 3) throws -> String {
    let writer = PackWriter(directory: directory, level: level, chunkTarget: chunkTarget)
    for object in objects { try writer.add(encoded: object.encoded, id: object.id) }
    let name = try #require(try writer.finish())
    return directory + "/" + name.packFileName
}

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Overwrites a file (packs are written read-only).
func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
    chmod(path, 0o644)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func indexPath(_ packPath: String) -> String { String(packPath.dropLast(5)) + ".idx" }

func bigEndian(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> Int {
    bytes[offset..<offset + width].reduce(0) { $0 << 8 | Int($1) }
}

/// An independent reading of a `.idx` file, straight from docs/format.md.
struct ParsedIndex {
    var fanOut: [Int] = []
    var ids: [ObjectID] = []
    var locations: [(chunk: Int, offset: Int, length: Int)] = []
    var crcs: [UInt32] = []
    var packChecksum: [UInt8] = []
    var indexChecksum: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
        try #require(bytes.count >= 8 + 1024 + 64)
        #expect(Array(bytes[0..<8]) == Array("ARXIDX01".utf8))
        fanOut = (0..<256).map { bigEndian(bytes, 8 + 4 * $0, 4) }
        let n = fanOut[255]
        try #require(bytes.count == 8 + 1024 + n * 52 + 64)
        var at = 8 + 1024
        for _ in 0..<n {
            ids.append(try #require(ObjectID(bytes: bytes[at..<at + 32])))
            at += 32
        }
        for _ in 0..<n {
            locations.append((bigEndian(bytes, at, 8), bigEndian(bytes, at + 8, 4), bigEndian(bytes, at + 12, 4)))
            at += 16
        }
        for _ in 0..<n {
            crcs.append(UInt32(bigEndian(bytes, at, 4)))
            at += 4
        }
        packChecksum = Array(bytes[at..<at + 32])
        indexChecksum = Array(bytes[at + 32..<at + 64])
    }

    func location(of id: ObjectID) -> (chunk: Int, offset: Int, length: Int)? {
        ids.firstIndex(of: id).map { locations[$0] }
    }

    /// The distinct chunk offsets, ascending.
    var chunkOffsets: [Int] { Array(Set(locations.map(\.chunk))).sorted() }
}

// MARK: - Tests

@Suite("Pack writing and reading")
struct PackTests {
    @Test("many objects across many chunks read back byte for byte")
    func roundTrip() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 600)
        let packPath = try writePack(objects, in: dir.path, chunkTarget: 16 << 10)

        let name = try #require(PackName(fileName: (packPath as NSString).lastPathComponent))
        #expect(dir.files == [name.indexFileName, name.packFileName])
        let packBytes = try readBytes(packPath)
        #expect(bigEndian(packBytes, 8, 4) == 600)
        #expect(bigEndian(packBytes, 12, 4) > 20, "a 16 KiB chunk target should give many chunks")

        let pack = try Pack(path: packPath)
        #expect(pack.count == 600)
        #expect(pack.name == name.description)
        #expect(pack.ids == objects.map(\.id).sorted())
        for object in objects {
            #expect(pack.contains(object.id))
            #expect(try pack.encodedBytes(object.id, limit: 1 << 20) == object.encoded)
        }
        var seen = [ObjectID: [UInt8]]()
        try pack.forEachObject { id, bytes in seen[id] = bytes }
        #expect(seen.count == 600)
        #expect(objects.allSatisfy { seen[$0.id] == $0.encoded })
        #expect(pack.verify() == [])
    }

    @Test("absent ids are not found, including neighbours of present ids and ids at both ends of the fan-out")
    func absentIDs() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 300)
        let pack = try Pack(path: try writePack(objects, in: dir.path))
        var absent = [ObjectID.zero, try #require(ObjectID(hex: String(repeating: "f", count: 64)))]
        for object in objects.prefix(50) {
            var bytes = object.id.bytes
            bytes[31] ^= 1
            absent.append(try #require(ObjectID(bytes: bytes)))
            absent.append(ObjectID(hashing: object.encoded + [0]))
        }
        for id in absent {
            #expect(!pack.contains(id))
            #expect(try pack.encodedBytes(id, limit: 1 << 20) == nil)
        }
    }

    @Test("an id added twice is stored once: the pack is identical to one written without the duplicates")
    func duplicates() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 200)
        let once = try writePack(objects, in: dir.path)

        let writer = PackWriter(directory: dir.path, level: 3, chunkTarget: 16 << 10)
        for object in objects {
            try writer.add(encoded: object.encoded, id: object.id)
            try writer.add(encoded: object.encoded, id: object.id)
        }
        for object in objects.reversed() { try writer.add(encoded: object.encoded, id: object.id) }
        #expect(writer.count == 200)
        let name = try #require(try writer.finish())
        #expect(dir.path + "/" + name.packFileName == once)
        let pack = try Pack(path: once)
        #expect(pack.count == 200)
        #expect(pack.verify() == [])
    }

    @Test("a writer with no objects leaves nothing behind and returns nil")
    func emptyWriter() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let writer = PackWriter(directory: dir.path)
        #expect(try writer.finish() == nil)
        #expect(dir.files.isEmpty)
        #expect(throws: StoreError.self) { try writer.add(encoded: sampleObjects(count: 1)[0].encoded, id: sampleObjects(count: 1)[0].id) }
    }

    @Test("abandon and an unfinished writer going away both remove the temporary files")
    func abandon() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 100)
        let writer = PackWriter(directory: dir.path, level: 1, chunkTarget: 4096)
        for object in objects { try writer.add(encoded: object.encoded, id: object.id) }
        #expect(dir.files.count == 1, "full chunks are streamed to a temporary file")
        writer.abandon()
        #expect(dir.files.isEmpty)

        do {
            let dropped = PackWriter(directory: dir.path, level: 1, chunkTarget: 4096)
            for object in objects { try dropped.add(encoded: object.encoded, id: object.id) }
            #expect(dir.files.count == 1)
        }
        #expect(dir.files.isEmpty)
    }

    @Test("the writer refuses bytes that do not hash to the id and bytes that are not an encoded object")
    func writerChecksInput() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 2)
        let writer = PackWriter(directory: dir.path)
        #expect(throws: StoreError.self) { try writer.add(encoded: objects[0].encoded, id: objects[1].id) }
        let garbage = Array("blob 5\0abc".utf8)
        #expect(throws: StoreError.self) { try writer.add(encoded: garbage, id: ObjectID(hashing: garbage)) }
        #expect(writer.count == 0)
        #expect(try writer.finish() == nil)
    }

    @Test("an object longer than the caller's limit is refused before its chunk is decompressed")
    func limit() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 10)
        let pack = try Pack(path: try writePack(objects, in: dir.path))
        let object = objects[3]
        let error = #expect(throws: StoreError.self) { try pack.encodedBytes(object.id, limit: object.encoded.count - 1) }
        guard case let .tooLarge(_, declared, limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(declared == UInt64(object.encoded.count))
        #expect(limit == object.encoded.count - 1)
        #expect(try pack.encodedBytes(object.id, limit: object.encoded.count) == object.encoded)
    }

    @Test("an object larger than 4 MiB gets a chunk of its own and never shares one")
    func largeObject() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        var content = [UInt8]()
        var state: UInt32 = 7
        while content.count < 5 << 20 {
            state = state &* 1_103_515_245 &+ 12345
            content.append(contentsOf: Array("row \(state >> 20)\n".utf8))
        }
        let big = ObjectEncoding.encode(.blob, content)
        let small = sampleObjects(count: 20)
        let objects = Array(small[0..<10]) + [(ObjectID(hashing: big), big)] + Array(small[10...])
        // A 4 MiB target: without the rule, the small objects would share the big object's chunk.
        let packPath = try writePack(objects, in: dir.path, chunkTarget: 4 << 20, level: 1)
        let index = try ParsedIndex(readBytes(indexPath(packPath)))
        let bigLocation = try #require(index.location(of: ObjectID(hashing: big)))
        #expect(bigLocation.offset == 0)
        #expect(index.locations.filter { $0.chunk == bigLocation.chunk }.count == 1)
        #expect(index.chunkOffsets.count == 3)

        let pack = try Pack(path: packPath)
        #expect(try pack.encodedBytes(ObjectID(hashing: big), limit: big.count) == big)
        #expect(try pack.encodedBytes(small[15].id, limit: 1 << 20) == small[15].encoded)
        #expect(pack.verify() == [])
    }

    @Test("reads from many tasks at once return the right bytes")
    func concurrentReads() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 400)
        let pack = try Pack(path: try writePack(objects, in: dir.path, chunkTarget: 8 << 10))
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    var wrong = 0
                    for object in objects.shuffled(using: &generator) {
                        if try pack.encodedBytes(object.id, limit: 1 << 20) != object.encoded { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    @Test("ids can be found by a hex prefix of any length")
    func hexPrefix() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let objects = sampleObjects(count: 300)
        let pack = try Pack(path: try writePack(objects, in: dir.path))
        let sorted = objects.map(\.id).sorted()
        for length in [1, 2, 3, 5, 64] {
            for id in sorted.prefix(20) {
                let prefix = String(id.hex.prefix(length))
                #expect(pack.ids(withHexPrefix: prefix) == sorted.filter { $0.hex.hasPrefix(prefix) })
                #expect(pack.ids(withHexPrefix: prefix.uppercased()) == sorted.filter { $0.hex.hasPrefix(prefix) })
            }
        }
        #expect(pack.ids(withHexPrefix: "xyz").isEmpty)
        #expect(pack.ids(withHexPrefix: "").isEmpty)
    }
}
