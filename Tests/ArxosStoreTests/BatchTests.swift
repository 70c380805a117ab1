import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

private func content(_ i: Int) -> [UInt8] { Array("- id: hq/vav-\(i)\n  type: vav\n  name: VAV \(i)\n".utf8) }

@Suite("ObjectBatch: loose below the limit, one pack above it")
struct BatchTests {
    let scratch: UnitScratch
    let database: ObjectDatabase

    init() throws {
        scratch = try UnitScratch("batch")
        database = ObjectDatabase(directory: scratch.path)
    }

    private var looseFiles: [String] { scratch.allFiles.filter { !$0.hasPrefix("pack/") } }
    private var packFiles: [String] { scratch.allFiles.filter { $0.hasPrefix("pack/") } }

    @Test("up to the limit, objects are written loose, and only at finish")
    func staysLoose() throws {
        let batch = ObjectBatch(database: database, looseLimit: 3)
        let ids = try (0..<3).map { try batch.add(.blob, content($0)) }
        #expect(scratch.allFiles.isEmpty, "nothing is visible before finish")
        try batch.finish()
        #expect(batch.count == 3)
        #expect(looseFiles.count == 3)
        #expect(packFiles.isEmpty)
        let reader = ObjectDatabase(directory: scratch.path)
        for (i, id) in ids.enumerated() {
            #expect(id == ObjectEncoding.id(.blob, content(i)))
            #expect(try reader.readBlob(id) == content(i))
            #expect(FileManager.default.fileExists(atPath: reader.loosePath(id)))
        }
    }

    @Test("past the limit, every object of the batch goes into one pack")
    func writesPack() throws {
        let batch = ObjectBatch(database: database, looseLimit: 3)
        let ids = try (0..<10).map { try batch.add(.blob, content($0)) }
        try batch.finish()
        #expect(batch.count == 10)
        #expect(looseFiles.isEmpty)
        #expect(packFiles.count == 2)
        #expect(packFiles.contains { $0.hasSuffix(".pack") } && packFiles.contains { $0.hasSuffix(".idx") })
        let reader = ObjectDatabase(directory: scratch.path)
        #expect(try reader.packs.count == 1)
        for (i, id) in ids.enumerated() {
            #expect(try reader.readBlob(id) == content(i))
            #expect(try reader.readLoose(id) == nil)
        }
        // The database that wrote the batch sees the new pack too.
        #expect(try database.readBlob(ids[9]) == content(9))
    }

    @Test("exactly one more than the limit switches to a pack")
    func boundary() throws {
        let batch = ObjectBatch(database: database, looseLimit: 3)
        for i in 0..<4 { try batch.add(.blob, content(i)) }
        try batch.finish()
        #expect(looseFiles.isEmpty)
        #expect(packFiles.count == 2)
    }

    @Test("objects already stored or already added are skipped")
    func duplicates() throws {
        let existing = try database.write(.blob, content(0))
        let batch = ObjectBatch(database: database, looseLimit: 3)
        #expect(try batch.add(.blob, content(0)) == existing)
        try batch.add(.blob, content(1))
        try batch.add(.blob, content(1))
        try batch.add(.tree, [])
        try batch.add(.tree, [])
        #expect(batch.count == 2)
        try batch.finish()
        #expect(looseFiles.count == 3)
    }

    @Test("abandon below the limit leaves nothing")
    func abandonLoose() throws {
        let batch = ObjectBatch(database: database, looseLimit: 3)
        let ids = try (0..<3).map { try batch.add(.blob, content($0)) }
        batch.abandon()
        #expect(scratch.allFiles.isEmpty)
        #expect(try ids.allSatisfy { try !ObjectDatabase(directory: scratch.path).contains($0) })
    }

    @Test("abandon above the limit leaves nothing")
    func abandonPack() throws {
        let batch = ObjectBatch(database: database, looseLimit: 3)
        for i in 0..<50 { try batch.add(.blob, content(i)) }
        batch.abandon()
        #expect(scratch.allFiles.isEmpty, "left: \(scratch.allFiles)")
        #expect(try ObjectDatabase(directory: scratch.path).packs.isEmpty)
    }

    @Test("an empty batch finishes without writing anything")
    func emptyBatch() throws {
        let batch = ObjectBatch(database: database, looseLimit: 3)
        try batch.finish()
        #expect(scratch.allFiles.isEmpty)
    }
}
