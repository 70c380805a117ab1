import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

/// Runs the `zstd` command line tool with `arguments`, feeding `input`; returns stdout and the exit status.
private func zstdTool(_ arguments: [String], input: [UInt8]) throws -> (output: [UInt8], status: Int32) {
    let scratch = try UnitScratch("zstd-cli")
    let inputPath = scratch.file("input")
    try Data(input).write(to: URL(fileURLWithPath: inputPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["zstd"] + arguments + ["-c", "-q", inputPath]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ([UInt8](data), process.terminationStatus)
}

private func fileBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

private func overwrite(_ path: String, _ bytes: [UInt8]) throws {
    chmod(path, 0o644)  // loose objects are written read-only
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

private let sampleYAML = Array("""
    - id: hq/vav-101
      type: vav
      name: VAV 101
      properties: {minAirflow: 200 cfm, maxAirflow: 900 cfm}

    """.utf8)

@Suite("Loose objects")
struct LooseObjectTests {
    let scratch: UnitScratch
    let database: ObjectDatabase

    init() throws {
        scratch = try UnitScratch("loose")
        database = ObjectDatabase(directory: scratch.path)
    }

    @Test("write and read back every type", arguments: ObjectType.allCases)
    func writeRead(type: ObjectType) throws {
        let id = try database.write(type, sampleYAML)
        #expect(id == ObjectEncoding.id(type, sampleYAML))
        let (readType, content) = try database.read(id)
        #expect(readType == type)
        #expect(Array(content) == sampleYAML)
        #expect(try database.contains(id))
        // A second database on the same directory (a later process) sees it too.
        #expect(Array(try ObjectDatabase(directory: scratch.path).read(id, as: type)) == sampleYAML)
    }

    @Test("the file lives at objects/<2 hex>/<62 hex> and nothing else is left")
    func layout() throws {
        let id = try database.write(.blob, sampleYAML)
        let hex = id.hex
        #expect(scratch.allFiles == [String(hex.prefix(2)) + "/" + String(hex.dropFirst(2))])
        #expect(database.loosePath(id) == scratch.path + "/" + hex.prefix(2) + "/" + hex.dropFirst(2))
        #expect(database.looseObjects().map(\.0) == [id])
        // Writing it again changes nothing.
        let before = try fileBytes(database.loosePath(id))
        #expect(try database.write(.blob, sampleYAML) == id)
        #expect(try fileBytes(database.loosePath(id)) == before)
        #expect(scratch.allFiles.count == 1)
    }

    @Test("the loose file is exactly one zstd frame that the zstd tool decompresses to the encoded bytes")
    func oneZstdFrame() throws {
        for content in [[], sampleYAML, Array(repeating: sampleYAML, count: 500).flatMap { $0 }] {
            let id = try database.write(.blob, content)
            let file = try fileBytes(database.loosePath(id))
            let encoded = ObjectEncoding.encode(.blob, content)
            let (output, status) = try zstdTool(["-d"], input: file)
            #expect(status == 0)
            #expect(output == encoded)
            #expect(ObjectID(hashing: output) == id)
            try file.withUnsafeBytes { raw in
                #expect(Zstd.frameLength(raw) == file.count, "one frame, no trailing bytes")
                #expect(Zstd.declaredSize(raw) == UInt64(encoded.count), "the frame header records the content size")
            }
        }
    }

    @Test("a loose object written by the zstd tool is read")
    func readsFramesFromOtherWriters() throws {
        let encoded = ObjectEncoding.encode(.blob, sampleYAML)
        let id = ObjectID(hashing: encoded)
        let (frame, status) = try zstdTool(["-19"], input: encoded)
        #expect(status == 0)
        try FileManager.default.createDirectory(atPath: (database.loosePath(id) as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(frame).write(to: URL(fileURLWithPath: database.loosePath(id)))
        #expect(try database.readBlob(id) == sampleYAML)
    }

    @Test("every single-bit flip is detected or harmless")
    func bitFlips() throws {
        let id = try database.write(.blob, sampleYAML)
        let path = database.loosePath(id)
        let original = try fileBytes(path)
        var detected = 0
        for offset in original.indices {
            for bit in 0..<8 {
                var damaged = original
                damaged[offset] ^= UInt8(1 << bit)
                try overwrite(path, damaged)
                do {
                    let content = try ObjectDatabase(directory: scratch.path).readBlob(id)
                    // zstd frames written without a checksum may decode a flipped bit in unused header space;
                    // what is returned must then still be the right content.
                    #expect(content == sampleYAML, "byte \(offset) bit \(bit): wrong content returned")
                } catch let error as StoreError {
                    detected += 1
                    switch error {
                    case .idMismatch(let expected, _, let actual):
                        #expect(expected == id)
                        #expect(actual != id)
                    case .corrupt, .tooLarge: break
                    default: Issue.record("byte \(offset) bit \(bit): unexpected error \(error)")
                    }
                }
            }
        }
        #expect(detected > original.count * 8 / 2)
    }

    @Test("a flip in the content is reported as an id mismatch naming the file")
    func contentFlipIsIDMismatch() throws {
        // Level 1 on short, incompressible-ish text stores a raw block, so the text is visible in the frame.
        let content = Array("unique-content-\(UUID().uuidString)".utf8)
        let id = try database.write(.blob, content, level: 1)
        let path = database.loosePath(id)
        var frame = try fileBytes(path)
        let index = try #require(frame.indices.dropLast(4).first { frame[$0...].starts(with: Array("unique".utf8)) })
        frame[index] ^= 0x20
        try overwrite(path, frame)
        do {
            _ = try database.read(id)
            Issue.record("the damaged object was read")
        } catch let error as StoreError {
            guard case let .idMismatch(expected, file, _) = error else { Issue.record("got \(error)"); return }
            #expect(expected == id)
            #expect(file == path)
            #expect(error.localizedDescription.contains(path))
        }
    }

    @Test("a truncated file is an error", arguments: [0, 1, 4, 8, -1, -4])
    func truncated(keep: Int) throws {
        let id = try database.write(.blob, sampleYAML)
        let path = database.loosePath(id)
        let original = try fileBytes(path)
        let length = keep >= 0 ? keep : original.count + keep
        try overwrite(path, Array(original.prefix(length)))
        #expect(throws: StoreError.self) { try database.read(id) }
    }

    @Test("trailing bytes after the frame are an error")
    func trailingBytes() throws {
        let id = try database.write(.blob, sampleYAML)
        let path = database.loosePath(id)
        try overwrite(path, try fileBytes(path) + [0, 1, 2, 3])
        #expect(throws: StoreError.self) { try database.read(id) }
    }

    @Test("a second frame appended to the file is an error")
    func secondFrame() throws {
        let id = try database.write(.blob, sampleYAML)
        let path = database.loosePath(id)
        let frame = try fileBytes(path)
        try overwrite(path, frame + frame)
        #expect(throws: StoreError.self) { try database.read(id) }
    }

    @Test("an object that declares more than the size limit is refused before decompressing")
    func sizeLimit() throws {
        let big = [UInt8](repeating: 0x41, count: 10_000)
        let id = try database.write(.blob, big)
        let small = ObjectDatabase(directory: scratch.path, sizeLimit: 1000)
        do {
            _ = try small.read(id)
            Issue.record("read an object above the limit")
        } catch let error as StoreError {
            guard case let .tooLarge(_, declared, limit) = error else { Issue.record("got \(error)"); return }
            #expect(declared == UInt64(big.count + "blob 10000\0".utf8.count))
            #expect(limit == 1000)
        }
    }

    @Test func missingAndWrongType() throws {
        let absent = ObjectEncoding.id(.blob, Array("never written".utf8))
        #expect(try database.contains(absent) == false)
        #expect(try database.readLoose(absent) == nil)
        #expect(try database.encodedBytes(absent) == nil)
        do {
            _ = try database.read(absent)
            Issue.record("read a missing object")
        } catch let error as StoreError {
            guard case .missingObject(absent) = error else { Issue.record("got \(error)"); return }
        }
        let blob = try database.write(.blob, sampleYAML)
        do {
            _ = try database.readTree(blob)
            Issue.record("read a blob as a tree")
        } catch let error as StoreError {
            guard case .wrongType(blob, expected: .tree, actual: .blob) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test("a stored object whose content is malformed is reported, not trusted")
    func malformedTree() throws {
        // A well-hashed tree object whose entries are not sorted.
        let content = Array("100644 b\0".utf8) + ObjectID.zero.bytes + Array("100644 a\0".utf8) + ObjectID.zero.bytes
        let id = try database.write(.tree, content)
        do {
            _ = try database.readTree(id)
            Issue.record("read an unsorted tree")
        } catch let error as StoreError {
            guard case .malformed(id, _, .treeNotSorted("a")) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func idPrefixes() throws {
        let a = try database.write(.blob, Array("a".utf8))
        let b = try database.write(.blob, Array("b".utf8))
        #expect(try database.ids(withPrefix: a.hex) == [a])
        #expect(try database.ids(withPrefix: String(a.hex.prefix(6))) == [a])
        #expect(try database.ids(withPrefix: String(a.hex.prefix(6)).uppercased()) == [a])
        #expect(try database.ids(withPrefix: String(b.hex.prefix(4))) == [b])
        #expect(try database.ids(withPrefix: "zz") == [])
    }
}
