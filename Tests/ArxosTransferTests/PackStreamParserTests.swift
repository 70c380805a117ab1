import ArxosCore
import ArxosStore
import ArxosTransfer
import Foundation
import Testing

/// A temporary object database holding a few objects of every kind.
final class TemporaryStore {
    let root: String
    let objects: ObjectDatabase
    var ids: [ObjectID] = []

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("arxos-transfer-\(UUID().uuidString)").path
        try FileSystem.makeDirectories(root + "/objects/pack")
        objects = ObjectDatabase(directory: root + "/objects")
        let blob = try objects.write(.blob, Array("id: vav-1\ntype: vav\n".utf8))
        let big = try objects.write(.blob, (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let tree = try objects.write(.tree, try Tree(entries: [TreeEntry(kind: .file, name: "vav.yaml", id: blob),
                                                             TreeEntry(kind: .file, name: "big.yaml", id: big)]).encoded())
        let who = Person(name: "T", email: "t@example.com", seconds: 1_700_000_000, offsetMinutes: 0)
        let commit = try objects.write(.commit, Commit(tree: tree, parents: [], author: who, committer: who, message: "first\n").encoded())
        ids = [commit, tree, blob, big]
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Feeds `bytes` in pieces of `size` (1 = byte by byte); returns the ids handed to the sink.
func parse(_ bytes: [UInt8], pieces size: Int, limits: ReceiveLimits = ReceiveLimits()) throws -> [ObjectID] {
    var parser = PackStreamParser(limits: limits)
    var seen = [ObjectID]()
    var offset = 0
    while offset < bytes.count {
        let end = min(offset + size, bytes.count)
        try parser.consume(Array(bytes[offset..<end])) { id, encoded in
            #expect(ObjectID(hashing: encoded) == id)
            seen.append(id)
        }
        offset = end
    }
    try parser.finish()
    return seen
}

@Suite struct PackStreamParserTests {
    @Test(arguments: [1, 7, 4096, 1 << 20])
    func parsesAPackInAnySplit(size: Int) throws {
        let store = try TemporaryStore()
        // Small chunks, so the stream has several frames.
        let pack = try PackStreamWriter.build(store.ids, from: store.objects, chunkTarget: 64)
        let input = size == 1 ? Array(pack.prefix(20_000)) + Array(pack.dropFirst(20_000)) : pack
        #expect(Set(try parse(input, pieces: size)) == Set(store.ids))
    }

    @Test func refusesAFlippedByteAnywhere() throws {
        let store = try TemporaryStore()
        let pack = try PackStreamWriter.build(store.ids, from: store.objects, chunkTarget: 64)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            var bad = pack
            let index = Int.random(in: 0..<bad.count, using: &random)
            bad[index] ^= 0x20
            #expect(throws: (any Error).self, "a flip at byte \(index) of \(pack.count) went unnoticed") { try parse(bad, pieces: 997) }
        }
    }

    @Test func refusesATruncatedPackAndTrailingBytes() throws {
        let store = try TemporaryStore()
        let pack = try PackStreamWriter.build(store.ids, from: store.objects)
        #expect(throws: TransferError.self) { try parse(Array(pack.dropLast(1)), pieces: 100) }
        #expect(throws: TransferError.self) { try parse(pack + [0], pieces: 100) }
    }

    @Test func refusesAChunkThatClaimsMoreThanTheLimitBeforeDecompressing() throws {
        // A frame header declaring 8 GiB: magic, descriptor (8-byte size, single segment), size.
        var pack = Array("ARXPACK1".utf8) + [0, 0, 0, 1, 0, 0, 0, 1]
        pack += [0x28, 0xB5, 0x2F, 0xFD, 0xE0] + [0, 0, 0, 0, 2, 0, 0, 0]
        var parser = PackStreamParser(limits: ReceiveLimits())
        #expect {
            try parser.consume(pack) { _, _ in }
        } throws: { error in
            guard case let TransferError.limit(_, value, _) = error else { return false }
            return value == 8 << 30
        }
    }

    @Test func refusesAnObjectOverTheSizeLimitAndATreeNamedDotDot() throws {
        let store = try TemporaryStore()
        let pack = try PackStreamWriter.build(store.ids, from: store.objects)
        var small = ReceiveLimits()
        small.objectBytes = 100_000
        #expect(throws: TransferError.self) { try parse(pack, pieces: 4096, limits: small) }

        // A tree entry named "..", encoded by hand (Tree refuses to make one).
        let blob = store.ids[2]
        var content = Array("100644 ..".utf8) + [0]
        blob.append(to: &content)
        let encoded = ObjectEncoding.encode(.tree, content)
        let id = ObjectID(hashing: encoded)
        let frame = try Zstd.compress(encoded, level: 3)
        var hostile = Array("ARXPACK1".utf8) + [0, 0, 0, 1, 0, 0, 0, 1] + frame
        hostile += ObjectID(hashing: hostile).bytes
        #expect {
            try parse(hostile, pieces: 3)
        } throws: { error in
            guard case let TransferError.badObject(bad, reason) = error else { return false }
            return bad == id && reason.contains("..")
        }
    }
}
