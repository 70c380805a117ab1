import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where received objects wait, invisible to every reader and ref, until they are verified and moved in
/// (docs/protocol.md, "Receiving").
public final class Quarantine {
    /// `.arxos/quarantine/tmp-<random>`.
    public let directory: String
    private var parser: PackStreamParser
    private var writer: PackWriter?
    private var pack: PackName?
    private var declaredBytes: UInt64 = 0
    private var receivedBytes: UInt64 = 0
    private var removed = false
    /// Whether a pack message with bytes was started.
    private var streaming = false
    /// `.arxos/quarantine/resume`: verified objects kept from an interrupted fetch.
    public let resumeDirectory: String
    private var completeness: [ObjectID: Bool] = [:]
    /// Objects taken over from the resume directory.
    public private(set) var resumedCount = 0
    /// Checks each received commit and tag (id, type, content) before it is kept; throws to refuse it.
    public var policy: ((ObjectID, ObjectType, ArraySlice<UInt8>) throws -> Void)?

    /// Quarantine directories older than this are leftovers of a receiver that died.
    static let staleAge: TimeInterval = 3600

    /// Makes a fresh quarantine directory in `repository`, removing stale ones.
    public init(repository: Repository, limits: ReceiveLimits) throws {
        let parent = repository.root + "/quarantine"
        try FileSystem.makeDirectories(parent)
        Quarantine.removeStale(in: parent)
        var made: String?
        for _ in 0..<100 {
            let candidate = parent + "/tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            if mkdir(candidate, 0o755) == 0 { made = candidate; break }
            if errno != EEXIST { throw TransferError.io("creating \(candidate)", errno: errno) }
        }
        guard let made else { throw TransferError.io("creating a quarantine directory in \(parent)", errno: EEXIST) }
        directory = made
        resumeDirectory = parent + "/resume"
        parser = PackStreamParser(limits: limits)
    }

    private func ensureWriter() -> PackWriter {
        if let writer { return writer }
        // Level 1: received objects are written while the user waits; gc recompresses them harder later.
        let made = PackWriter(directory: directory, level: 1)
        writer = made
        return made
    }

    deinit { discard() }

    /// The objects received and verified so far.
    public var received: [ObjectID: ReceivedObject] { parser.received }
    public var objectCount: Int { parser.received.count }
    public var byteCount: UInt64 { receivedBytes }

    /// Begins a pack message of `bytes` bytes; refuses one over the pack size limit.
    public func start(objects: Int, bytes: Int) throws {
        guard UInt64(bytes) <= parser.limits.packBytes else {
            throw TransferError.limit("the incoming pack", value: UInt64(bytes), limit: parser.limits.packBytes)
        }
        declaredBytes = UInt64(bytes)
        if bytes > 0 {
            streaming = true
            _ = ensureWriter()
        }
    }

    /// Accepts thin chunks (protocol.md 5.1) whose bases are in `store`.
    public func acceptThinChunks(from store: ObjectDatabase) {
        parser.thinBase = { id in try store.encodedBytes(id) }
    }

    /// Adds bytes of the pack stream, verifying each object as its chunk completes.
    public func consume(_ bytes: [UInt8]) throws {
        receivedBytes += UInt64(bytes.count)
        guard receivedBytes <= declaredBytes else { throw TransferError.badPack("more bytes arrived than the \(declaredBytes) declared") }
        guard let writer else { throw TransferError.badPack("bytes arrived for an empty pack") }
        try parser.consume(bytes) { [policy] (chunk: VerifiedChunk) in
            if let policy {
                for (object, fresh) in zip(chunk.objects, chunk.fresh) where fresh && (object.type == .commit || object.type == .tag) {
                    let (type, content) = try ObjectEncoding.decode(Array(chunk.content[object.offset..<object.offset + object.length]))
                    try policy(object.id, type, content)
                }
            }
            // A chunk of new objects is kept as it arrived, after its objects were verified: decompressed once, never
            // recompressed. A chunk holding an object received before is kept object by object.
            if chunk.allFresh, !chunk.isThin, chunk.content.count <= Quarantine.largestKeptChunk || chunk.objects.count == 1 {
                try chunk.frame.withUnsafeBytes { frame in
                    try writer.addCompressedChunk(frame: frame, content: chunk.content,
                                                  objects: chunk.objects.map { ($0.id, $0.offset, $0.length) })
                }
                passedThrough += chunk.objects.count
                return
            }
            for (object, fresh) in zip(chunk.objects, chunk.fresh) where fresh {
                try writer.add(encoded: Array(chunk.content[object.offset..<object.offset + object.length]), id: object.id)
            }
        }
    }

    /// The largest chunk of several objects a pack may hold (docs/format.md); a larger received one is repacked.
    static let largestKeptChunk = 4 << 20
    /// Objects kept in the chunks they arrived in (not recompressed), for tests and statistics.
    public private(set) var passedThrough = 0

    /// Ends the pack: checks the trailer and counts and writes the quarantined pack durably.
    public func finishStream() throws {
        if streaming { try parser.finish() }
        guard let writer else { return }
        pack = try writer.finish()
        self.writer = nil
    }

    // MARK: Resuming

    /// Takes over the objects an interrupted fetch kept in the resume directory: each is read (which verifies its id)
    /// and checked again like a received object. Returns how many.
    @discardableResult
    public func adoptResumed() throws -> Int {
        for name in FileSystem.list(resumeDirectory).sorted() where name.hasPrefix("pack-") && name.hasSuffix(".pack") {
            let path = resumeDirectory + "/" + name
            guard FileSystem.exists(String(path.dropLast(5)) + ".idx") else { continue }
            let pack = try Pack(path: path)
            for id in pack.ids {
                guard let encoded = try pack.encodedBytes(id, limit: parser.limits.objectBytes) else { continue }
                let (type, content) = try ObjectEncoding.decode(encoded)
                let object = try PackStreamParser.check(id: id, type: type, content: content, limits: parser.limits)
                if let policy, type == .commit || type == .tag { try policy(id, type, content) }
                parser.adopt(id, object)
                try ensureWriter().add(encoded: encoded, id: id)
                resumedCount += 1
            }
        }
        return resumedCount
    }

    /// Whether the receiver has `id` completely: in the store, or received with everything it reaches.
    public func isComplete(_ id: ObjectID, store: ObjectDatabase) throws -> Bool {
        if let known = completeness[id] { return known }
        let received = parser.received
        var stack: [(ObjectID, Bool)] = [(id, false)]
        while let (current, expanded) = stack.popLast() {
            if completeness[current] != nil { continue }
            guard let object = received[current] else {
                completeness[current] = try store.contains(current)
                continue
            }
            if expanded {
                completeness[current] = object.links.allSatisfy { completeness[$0.0] == true }
            } else {
                stack.append((current, true))
                for (link, _) in object.links where completeness[link] == nil { stack.append((link, false)) }
            }
        }
        return completeness[id] ?? false
    }

    /// After an interruption: keeps every object verified so far (including adopted ones) as one pack in the resume
    /// directory, replacing the packs kept before, then removes the quarantine. Best effort: on error nothing is kept.
    public func keepForResume() {
        defer { discard() }
        guard let writer, writer.count > 0 else { return }
        do {
            self.writer = nil
            guard let name = try writer.finish() else { return }
            let old = FileSystem.list(resumeDirectory)
            try FileSystem.makeDirectories(resumeDirectory)
            for file in [name.packFileName, name.indexFileName] {
                guard rename(directory + "/" + file, resumeDirectory + "/" + file) == 0 else {
                    throw TransferError.io("keeping \(file) for a resumed fetch", errno: errno)
                }
            }
            try FileSystem.syncDirectory(resumeDirectory)
            for file in old where file != name.packFileName && file != name.indexFileName {
                unlink(resumeDirectory + "/" + file)
            }
        } catch {
            clearResume()
        }
    }

    /// How many verified objects an interrupted fetch or clone kept in `repository` for the next one (0 when none).
    public static func resumableObjects(in repository: Repository) -> Int {
        let directory = repository.root + "/quarantine/resume"
        var count = 0
        for name in FileSystem.list(directory) where name.hasPrefix("pack-") && name.hasSuffix(".pack") {
            count += (try? Pack(path: directory + "/" + name).ids.count) ?? 0
        }
        return count
    }

    /// Removes the resume directory (its objects have been moved in, or are no longer wanted).
    public func clearResume() {
        try? FileManager.default.removeItem(atPath: resumeDirectory)
    }

    /// Checks that everything reachable from `tips` is in the quarantine or the store, with the right types, and
    /// that trees nest at most 256 deep.
    public func checkConnectivity(tips: [ObjectID], store: ObjectDatabase) throws {
        var visited = Set<ObjectID>()
        var stack = [(ObjectID, Int)]()
        let received = parser.received
        for tip in tips where !visited.contains(tip) {
            if received[tip] == nil, try !store.contains(tip) { throw TransferError.missingTip("a ref", tip) }
            visited.insert(tip)
            stack.append((tip, 0))
            while let (id, depth) = stack.popLast() {
                guard let object = received[id] else { continue }
                for (link, expected) in object.links {
                    if let target = received[link] {
                        guard target.type == expected else {
                            throw TransferError.wrongLinkType(from: id, to: link, expected: expected, actual: target.type)
                        }
                    } else if try !store.contains(link) {
                        throw TransferError.missingLink(from: id, to: link)
                    }
                    let nextDepth = object.type == .tree && expected == .tree ? depth + 1 : 0
                    if nextDepth > 256 { throw TransferError.badObject(link, "trees nest deeper than 256 levels") }
                    if visited.insert(link).inserted { stack.append((link, nextDepth)) }
                }
            }
        }
    }

    /// Moves the verified pack into `objects/pack` (pack first, index last) and fsyncs the directory. The caller holds
    /// the repository lock.
    public func moveIn(store: ObjectDatabase) throws {
        guard let pack else { return }
        try FileSystem.makeDirectories(store.packDirectory)
        for name in [pack.packFileName, pack.indexFileName] {
            let target = store.packDirectory + "/" + name
            if FileSystem.exists(target) { continue }
            guard rename(directory + "/" + name, target) == 0 else { throw TransferError.io("moving \(name) into \(store.packDirectory)", errno: errno) }
        }
        try FileSystem.syncDirectory(store.packDirectory)
        store.reloadPacks()
        self.pack = nil
    }

    /// Removes the quarantine directory and everything in it.
    public func discard() {
        guard !removed else { return }
        removed = true
        writer?.abandon()
        writer = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func removeStale(in parent: String) {
        let now = Date()
        for name in FileSystem.list(parent) where name.hasPrefix("tmp-") {
            let path = parent + "/" + name
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               now.timeIntervalSince(modified) > staleAge {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
