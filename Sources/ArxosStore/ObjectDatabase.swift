import ArxosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// All objects of a repository, loose and packed. Every read is verified against its id.
public final class ObjectDatabase: @unchecked Sendable {
    public let directory: String
    /// The largest object this database will decompress.
    public let sizeLimit: Int
    private let packLock = NSLock()
    private var loadedPacks: [Pack]?

    public init(directory: String, sizeLimit: Int = 256 << 20) {
        self.directory = directory
        self.sizeLimit = sizeLimit
    }

    public var packDirectory: String { directory + "/pack" }

    /// The packs, loaded on first use.
    public var packs: [Pack] {
        get throws {
            packLock.lock()
            defer { packLock.unlock() }
            if let loadedPacks { return loadedPacks }
            var packs = [Pack]()
            for name in FileSystem.list(packDirectory).sorted() where name.hasPrefix("pack-") && name.hasSuffix(".pack") {
                let idx = packDirectory + "/" + name.dropLast(5) + ".idx"
                guard FileSystem.exists(idx) else { continue }
                packs.append(try Pack(path: packDirectory + "/" + name))
            }
            loadedPacks = packs
            return packs
        }
    }

    /// Forgets the loaded packs so the next read sees packs written since.
    public func reloadPacks() {
        packLock.lock()
        loadedPacks = nil
        packLock.unlock()
    }

    public func loosePath(_ id: ObjectID) -> String {
        let hex = id.hex
        return directory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
    }

    public func contains(_ id: ObjectID) throws -> Bool {
        for pack in try packs where pack.contains(id) { return true }
        return FileSystem.exists(loosePath(id))
    }

    /// The verified encoded bytes of an object, or nil if it is not in the store.
    public func encodedBytes(_ id: ObjectID) throws -> [UInt8]? {
        for pack in try packs {
            if let bytes = try pack.encodedBytes(id, limit: sizeLimit) { return bytes }
        }
        return try readLoose(id)
    }

    /// Reads and verifies one loose object file.
    public func readLoose(_ id: ObjectID) throws -> [UInt8]? {
        let path = loosePath(id)
        guard let frame = try FileSystem.read(path) else { return nil }
        let encoded = try frame.withUnsafeBytes { raw in
            try Zstd.decompress(raw, limit: sizeLimit, what: "object \(id.hex) (\(path))")
        }
        let actual = ObjectID(hashing: encoded)
        guard actual == id else { throw StoreError.idMismatch(id, file: path, actual: actual) }
        return encoded
    }

    /// The type and content of an object; throws if it is missing.
    public func read(_ id: ObjectID) throws -> (ObjectType, ArraySlice<UInt8>) {
        guard let encoded = try encodedBytes(id) else { throw StoreError.missingObject(id) }
        do {
            return try ObjectEncoding.decode(encoded)
        } catch {
            throw StoreError.malformed(id, file: fileDescription(id), error)
        }
    }

    func fileDescription(_ id: ObjectID) -> String {
        if let packs = try? packs, let pack = packs.first(where: { $0.contains(id) }) { return pack.path }
        return loosePath(id)
    }

    public func read(_ id: ObjectID, as expected: ObjectType) throws -> ArraySlice<UInt8> {
        let (type, content) = try read(id)
        guard type == expected else { throw StoreError.wrongType(id, expected: expected, actual: type) }
        return content
    }

    public func readCommit(_ id: ObjectID) throws -> Commit {
        let content = try read(id, as: .commit)
        do { return try Commit(parsing: content) } catch { throw StoreError.malformed(id, file: fileDescription(id), error) }
    }

    public func readTree(_ id: ObjectID) throws -> Tree {
        let content = try read(id, as: .tree)
        do { return try Tree(parsing: content) } catch { throw StoreError.malformed(id, file: fileDescription(id), error) }
    }

    public func readTag(_ id: ObjectID) throws -> Tag {
        let content = try read(id, as: .tag)
        do { return try Tag(parsing: content) } catch { throw StoreError.malformed(id, file: fileDescription(id), error) }
    }

    public func readBlob(_ id: ObjectID) throws -> [UInt8] { Array(try read(id, as: .blob)) }

    /// Writes one object as a loose file, durably; returns its id. Existing objects are not rewritten.
    @discardableResult
    public func write(_ type: ObjectType, _ content: [UInt8], level: Int32 = 3) throws -> ObjectID {
        let encoded = ObjectEncoding.encode(type, content)
        let id = ObjectID(hashing: encoded)
        if try contains(id) { return id }
        try writeLoose(encoded: encoded, id: id, level: level, syncDirectory: true)
        return id
    }

    /// Writes a loose object file: temporary file, fsync, rename.
    public func writeLoose(encoded: [UInt8], id: ObjectID, level: Int32, syncDirectory: Bool) throws {
        let path = loosePath(id)
        let dir = (path as NSString).deletingLastPathComponent
        try FileSystem.makeDirectories(dir)
        let frame = try Zstd.compress(encoded, level: level)
        try FileSystem.writeAtomically(path, frame, mode: 0o444, syncDirectory: syncDirectory)
    }

    /// The ids of all loose objects, with their file paths.
    public func looseObjects() -> [(ObjectID, String)] {
        var out = [(ObjectID, String)]()
        for prefix in FileSystem.list(directory) where prefix.utf8.count == 2 && isHexPrefix(prefix) {
            for rest in FileSystem.list(directory + "/" + prefix) {
                if let id = ObjectID(hex: prefix + rest) { out.append((id, directory + "/" + prefix + "/" + rest)) }
            }
        }
        return out
    }

    /// All ids that start with the hex prefix, loose and packed.
    public func ids(withPrefix prefix: String) throws -> [ObjectID] {
        let lower = prefix.lowercased()
        var found = Set<ObjectID>()
        for pack in try packs { found.formUnion(pack.ids(withHexPrefix: lower)) }
        if lower.count >= 2 {
            let dir = directory + "/" + lower.prefix(2)
            for rest in FileSystem.list(dir) where rest.hasPrefix(lower.dropFirst(2)) {
                if let id = ObjectID(hex: lower.prefix(2) + rest) { found.insert(id) }
            }
        }
        return found.sorted()
    }
}

/// New objects written together: loose files when few, one pack when many. Nothing is visible to refs until `finish`.
public final class ObjectBatch {
    let database: ObjectDatabase
    let looseLimit: Int
    let level: Int32
    private var pending: [(ObjectID, [UInt8])] = []
    private var seen = Set<ObjectID>()
    private var packWriter: PackWriter?
    private var looseDirectories = Set<String>()

    public init(database: ObjectDatabase, looseLimit: Int = 100, level: Int32 = 3) {
        self.database = database
        self.looseLimit = looseLimit
        self.level = level
    }

    /// Adds an object unless the store or this batch already has it; returns its id.
    @discardableResult
    public func add(_ type: ObjectType, _ content: [UInt8]) throws -> ObjectID {
        let encoded = ObjectEncoding.encode(type, content)
        let id = ObjectID(hashing: encoded)
        try add(encoded: encoded, id: id)
        return id
    }

    public func add(encoded: [UInt8], id: ObjectID) throws {
        guard !seen.contains(id), try !database.contains(id) else { return }
        seen.insert(id)
        if let packWriter {
            try packWriter.add(encoded: encoded, id: id)
            return
        }
        pending.append((id, encoded))
        if pending.count > looseLimit {
            try FileSystem.makeDirectories(database.packDirectory)
            let writer = PackWriter(directory: database.packDirectory, level: level)
            for (pendingID, bytes) in pending { try writer.add(encoded: bytes, id: pendingID) }
            pending = []
            packWriter = writer
        }
    }

    public var count: Int { seen.count }

    /// Makes every added object durable: the pack written and renamed, or each loose file fsynced, and their directories.
    public func finish() throws {
        if let packWriter {
            _ = try packWriter.finish()
            database.reloadPacks()
            return
        }
        for (id, encoded) in pending {
            try database.writeLoose(encoded: encoded, id: id, level: level, syncDirectory: false)
            looseDirectories.insert((database.loosePath(id) as NSString).deletingLastPathComponent)
        }
        for dir in looseDirectories { try FileSystem.syncDirectory(dir) }
        if !pending.isEmpty { try FileSystem.syncDirectory(database.directory) }
        pending = []
    }

    /// Drops what was added and not yet finished.
    public func abandon() { packWriter?.abandon() }
}
