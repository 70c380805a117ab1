import ArxosCore
import ArxosStore
import ArxosTransfer
import Foundation
import Testing

/// Packs a `TemporaryStore`'s objects into one pack of small chunks (as gc would, one chunk per object here), so that a
/// transfer can send its chunks as stored.
private func packed(_ store: TemporaryStore) throws -> Pack {
    let writer = PackWriter(directory: store.objects.packDirectory, level: 3, chunkTarget: 1)
    for id in store.ids {
        guard let encoded = try store.objects.encodedBytes(id) else { throw StoreError.missingObject(id) }
        try writer.add(encoded: encoded, id: id)
    }
    guard let name = try writer.finish() else { throw StoreError.io(path: store.root, operation: "pack", errno: 0) }
    store.objects.reloadPacks()
    return try Pack(path: store.objects.packDirectory + "/" + name.packFileName)
}

/// The whole stream of a planned pack.
private func stream(_ plan: PackStreamPlan) throws -> [UInt8] {
    var bytes = [UInt8]()
    try plan.write { bytes += $0 }
    return bytes
}

@Suite struct StoredChunkTests {
    @Test func aCloneSendsStoredChunksThatTheReceiverVerifiesAndKeepsUnchanged() throws {
        let store = try TemporaryStore()
        let pack = try packed(store)
        let plan = try PackStreamWriter.plan(store.ids, from: store.objects)
        #expect(plan.objectCount == store.ids.count)
        #expect(plan.storedObjects == store.ids.count, "every chunk of the pack holds only wanted objects")
        let bytes = try stream(plan)
        #expect(bytes.count == plan.byteCount)

        // The receiver verifies every object, then keeps each chunk as it arrived.
        let target = try TemporaryStore()
        let writer = PackWriter(directory: target.objects.packDirectory)
        var parser = PackStreamParser(limits: ReceiveLimits())
        var frames = [[UInt8]]()
        for piece in stride(from: 0, to: bytes.count, by: 1000) {
            try parser.consume(Array(bytes[piece..<min(piece + 1000, bytes.count)])) { (chunk: VerifiedChunk) in
                #expect(chunk.allFresh)
                for object in chunk.objects {
                    #expect(ObjectID(hashing: chunk.content[object.offset..<object.offset + object.length]) == object.id)
                }
                frames.append(chunk.frame)
                try chunk.frame.withUnsafeBytes { frame in
                    try writer.addCompressedChunk(frame: frame, content: chunk.content,
                                                  objects: chunk.objects.map { ($0.id, $0.offset, $0.length) })
                }
            }
        }
        try parser.finish()
        #expect(Set(parser.received.keys) == Set(store.ids))
        let stored = try pack.storedChunks().map { pack.storedBytes(of: $0) }
        #expect(frames == stored, "frames are passed through byte for byte")
        let name = try #require(try writer.finish())
        let kept = try Pack(path: target.objects.packDirectory + "/" + name.packFileName)
        #expect(kept.verify().isEmpty)
        for id in store.ids { #expect(try kept.encodedBytes(id, limit: 1 << 20) == store.objects.encodedBytes(id)) }
    }

    @Test func aCorruptedStoredChunkNeverYieldsItsObjects() throws {
        let store = try TemporaryStore()
        let pack = try packed(store)
        // The chunk holding the large blob: flip bytes in the middle of its frame, in the store the sender reads.
        let big = store.ids[3]
        let chunk = try #require(try pack.storedChunks().first { $0.ids == [big] })
        let path = pack.path
        var file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for delta in [0, 1, 2, 3] { file[chunk.offset + chunk.length / 2 + delta] ^= 0x5A }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data(file).write(to: URL(fileURLWithPath: path))
        store.objects.reloadPacks()

        // The sender copies the damaged frame without looking into it; the receiver refuses it or computes other ids.
        let plan = try PackStreamWriter.plan(store.ids, from: store.objects)
        #expect(plan.storedObjects == store.ids.count)
        let bytes = try stream(plan)
        var parser = PackStreamParser(limits: ReceiveLimits())
        do {
            try parser.consume(bytes) { (_: VerifiedChunk) in }
            try parser.finish()
            #expect(parser.received[big] == nil, "a damaged frame passed as \(big.hex)")
        } catch {
            // Refused: the frame does not decompress.
        }
    }

    @Test func aFetchOfAFewObjectsCompressesThemAfresh() throws {
        let store = try TemporaryStore()
        _ = try packed(store)
        // Two of four objects: the pack's chunks each hold one object, so the wanted ones go as stored chunks; a
        // pack whose chunks also hold unwanted objects is read object by object.
        let few = [store.ids[0], store.ids[2]]
        let plan = try PackStreamWriter.plan(few, from: store.objects)
        #expect(plan.objectCount == 2)
        #expect(try parse(try stream(plan), pieces: 500).sorted { $0 < $1 } == few.sorted { $0 < $1 })

        let whole = try TemporaryStore()
        let writer = PackWriter(directory: whole.objects.packDirectory, level: 3)
        for id in whole.ids { try writer.add(encoded: try #require(try whole.objects.encodedBytes(id)), id: id) }
        _ = try writer.finish()
        whole.objects.reloadPacks()
        let partial = try PackStreamWriter.plan([whole.ids[0], whole.ids[1]], from: whole.objects)
        #expect(partial.storedObjects == 0, "a chunk with objects the receiver did not ask for is not sent")
        #expect(Set(try parse(try stream(partial), pieces: 500)) == [whole.ids[0], whole.ids[1]])
    }

    @Test func aThinChunkIsDecompressedAgainstStoreObjectsAndRefusedWhenNotAskedFor() throws {
        let store = try TemporaryStore()
        // A new version of the tree (one entry renamed), compressed against the old one.
        let (old, blob, big) = (store.ids[1], store.ids[2], store.ids[3])
        let newTree = try Tree(entries: [TreeEntry(kind: .file, name: "vav-2.yaml", id: blob), TreeEntry(kind: .file, name: "big.yaml", id: big)])
        let newID = try store.objects.write(.tree, try newTree.encoded())
        let plan = try PackStreamWriter.plan([newID], from: store.objects, deltaBases: [newID: old])
        let bytes = try stream(plan)

        var thin = PackStreamParser(limits: ReceiveLimits())
        thin.thinBase = { id in try store.objects.encodedBytes(id) }
        var chunks = [VerifiedChunk]()
        try thin.consume(bytes) { (chunk: VerifiedChunk) in chunks.append(chunk) }
        try thin.finish()
        #expect(chunks.map(\.isThin) == [true])
        #expect(Set(thin.received.keys) == [newID])

        // Without `thin` in the fetch, or without the base, the chunk is refused.
        #expect(throws: TransferError.self) { try parse(bytes, pieces: 7) }
        var lacking = PackStreamParser(limits: ReceiveLimits())
        lacking.thinBase = { _ in nil }
        #expect(throws: TransferError.self) { try lacking.consume(bytes) { (_: VerifiedChunk) in } }
    }
}
