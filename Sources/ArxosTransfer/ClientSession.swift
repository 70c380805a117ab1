import ArxosCore
import ArxosProtocol
import ArxosStore
import ArxosWorkspace
import Foundation

/// The client end of a session: greeting, `ls-refs`, `fetch` into a quarantine, `push` from a store.
public final class ClientSession {
    public let connection: Connection
    private var machine = ClientStateMachine()

    /// What a progress display shows: objects and bytes done so far, of how many.
    public struct Progress: Sendable {
        public var objects: Int
        public var totalObjects: Int
        public var bytes: Int
        public var totalBytes: Int
    }

    /// Called as pack bytes arrive (objects counted once verified), for a progress display.
    public var onPackProgress: ((Progress) -> Void)?
    /// Called as a push's pack bytes are sent (objects counted at the end), for a progress display.
    public var onSendProgress: ((Progress) -> Void)?
    /// Whether to ask the server for progress packets while it prepares a fetch's pack (`Connection.onProgress` shows them).
    public var wantsProgress = false

    public init(connection: Connection) { self.connection = connection }

    /// What a fetch or push moved.
    public struct Stats: Sendable {
        public var objects = 0
        public var bytes = 0
        public var rounds = 0
        public var probed = 0
        public init() {}
    }

    /// Reads the greeting and answers it.
    public func start() throws {
        guard case .greeted? = try next() else { throw ProtocolError.unexpected("a message", expected: "the greeting") }
        try connection.send(try machine.hello())
    }

    public var canPush: Bool { machine.capabilities.contains("push") }

    /// The remote's refs under `prefixes` (all when empty) and the branch its HEAD is on.
    public func listRefs(prefixes: [String] = []) throws -> (refs: [RemoteRef], head: String?) {
        try connection.send(try machine.lsRefs(prefixes: prefixes))
        guard case let .refs(refs, head)? = try next() else { throw ProtocolError.unexpected("a message", expected: "the ref list") }
        return (refs, head)
    }

    /// Fetches `wants` into `quarantine`, answering the server's probes from `store`. The stream is verified; the
    /// caller checks connectivity and moves the objects in.
    public func fetch(wants: [ObjectID], haves: [ObjectID], store: ObjectDatabase, into quarantine: Quarantine) throws -> Stats {
        var stats = Stats()
        // Objects kept from an interrupted fetch are only worth something if the server asks about them.
        let thin = machine.capabilities.contains("thin") && !haves.isEmpty
        if thin { quarantine.acceptThinChunks(from: store) }
        try connection.send(try machine.fetch(wants: wants, haves: haves, negotiate: quarantine.resumedCount > 0, thin: thin,
                                              progress: wantsProgress))
        while true {
            guard let event = try next() else { throw ProtocolError.truncated("a fetch") }
            switch event {
            case let .probe(ids):
                stats.rounds += 1
                stats.probed += ids.count
                var has = [ObjectID]()
                for id in ids where try store.contains(id) || quarantine.isComplete(id, store: store) { has.append(id) }
                try connection.send(try machine.answerProbe(have: has))
            case let .packStarted(objects, bytes):
                stats.objects = objects
                stats.bytes = bytes
                try quarantine.start(objects: objects, bytes: bytes)
            case let .packData(bytes):
                try quarantine.consume(bytes)
                onPackProgress?(Progress(objects: quarantine.objectCount - quarantine.resumedCount, totalObjects: stats.objects,
                                         bytes: Int(quarantine.byteCount), totalBytes: stats.bytes))
            case .packFinished:
                try quarantine.finishStream()
                return stats
            default: throw ProtocolError.unexpected("\(event)", expected: "probes or the pack of a fetch")
            }
        }
    }

    /// Pushes `updates`, sending the objects the server lacks from `store`. `known` are ids the server has (its ref
    /// values that this store has too); `probing` false (a server without refs) sends everything without asking.
    /// To a server offering `capability thin`, trees and blobs go compressed against their versions in the known
    /// commits (protocol.md 5.1).
    public func push(_ updates: [RefUpdate], store: ObjectDatabase, known: Set<ObjectID>,
                     probing: Bool = true) throws -> (results: [RefResult], stats: Stats) {
        let thin = machine.capabilities.contains("thin") && !known.isEmpty
        try connection.send(try machine.push(updates, thin: thin))
        var stats = Stats()
        let walker = MissingObjects(objects: store) { [self] ids in
            try connection.send(try machine.probe(ids))
            guard case let .haves(has)? = try next() else { throw ProtocolError.unexpected("a message", expected: "the answer to a probe") }
            return Set(has)
        }
        let plan = try walker.plan(wants: updates.compactMap(\.new), known: known, probing: probing)
        stats.rounds = plan.rounds
        stats.probed = plan.probed
        let pack = try PackStreamWriter.plan(plan.ids, from: store, deltaBases: thin ? plan.deltaBases : [:])
        var bytes = [UInt8]()
        bytes.reserveCapacity(pack.byteCount)
        try pack.write { bytes += $0 }
        stats.objects = pack.objectCount
        stats.bytes = bytes.count
        var sent = 0
        for packet in try machine.sendPack(objects: pack.objectCount, bytes: bytes, updates: updates) {
            try connection.send([packet])
            if case let .pack(payload) = packet {
                sent += payload.count
                onSendProgress?(Progress(objects: sent == bytes.count ? pack.objectCount : 0, totalObjects: pack.objectCount,
                                         bytes: sent, totalBytes: bytes.count))
            }
        }
        guard case let .results(results)? = try next() else { throw ProtocolError.unexpected("a message", expected: "the push results") }
        return (results, stats)
    }

    /// Whether the server is an edge node (`capability node`).
    public var isNode: Bool { machine.capabilities.contains("node") }

    /// Sends a node request and waits for its answer (keepalives are skipped).
    public func request(_ name: String, _ params: [NodeParam]) throws -> [NodeParam] {
        try connection.send(try machine.request(name, params))
        try connection.flush()
        guard case let .answer(answer)? = try next() else { throw ProtocolError.unexpected("a message", expected: "the answer to \(name)") }
        return answer
    }

    /// Ends the session: closes the writing side.
    public func close() {
        try? connection.flush()
        connection.stream.closeWrite()
    }

    private func next() throws -> ClientEvent? {
        while true {
            guard let packet = try connection.receive() else {
                try machine.endOfStream()
                return nil
            }
            if let event = try machine.receive(packet) { return event }
        }
    }
}
