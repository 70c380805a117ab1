import ArxosCore
import ArxosProtocol
import ArxosStore
import ArxosWorkspace
import Foundation

/// What an edge node adds to a session (`arxos edge serve`): the node requests, and its own check of every commit a
/// push brings (signed by a trusted controller, bound to its building, newer than what it runs).
public protocol NodeRequestHandler: AnyObject {
    /// Checks a received commit or tag before it is kept; throws to refuse the whole push.
    func checkReceived(_ id: ObjectID, _ type: ObjectType, _ content: ArraySlice<UInt8>) throws
    /// Answers a node request; calls `keepalive` at least every few seconds while it works.
    func handle(_ name: String, _ params: [NodeParam], keepalive: () -> Void) throws -> [NodeParam]
}

/// Serves one repository over one connection (`arxos serve --stdio`): drives a `ServerStateMachine` with the
/// repository's refs and objects.
public final class ServerSession {
    let repository: Repository
    let connection: Connection
    private var machine: ServerStateMachine
    /// Objects sent by fetches in this session.
    public private(set) var objectsSent = 0

    /// The edge node behind this session, when it serves one (`arxos edge serve`).
    let node: NodeRequestHandler?

    /// A session on `repository`; `allowPush` false (a read-only client) refuses pushes whatever the config says;
    /// `node` offers the node requests of protocol.md section 10 and checks every received commit its own way.
    public init(repository: Repository, connection: Connection, allowPush: Bool = true, node: NodeRequestHandler? = nil) {
        self.repository = repository
        self.connection = connection
        self.node = node
        machine = ServerStateMachine(allowPush: allowPush && repository.setting("receive.denyPush") != "true", node: node != nil)
    }

    /// Runs the session until the client closes its side. Errors are sent to the client as an error packet, then thrown.
    public func run() throws {
        do {
            try connection.send(try machine.greeting())
            while let event = try next() {
                switch event {
                case .hello, .progress: continue
                case let .lsRefs(prefixes): try listRefs(prefixes)
                case let .fetch(wants, haves, negotiate, thin, progress):
                    try fetch(wants: wants, haves: haves, negotiate: negotiate, thin: thin, progress: progress)
                case let .push(updates, thin): try push(updates, thin: thin)
                case let .request(name, params): try answer(name, params)
                default: throw ProtocolError.unexpected("\(event)", expected: "a command")
                }
            }
            connection.stream.closeWrite()
        } catch {
            connection.fail((error as? LocalizedError)?.errorDescription ?? "\(error)")
            throw error
        }
    }

    /// The next event of the machine, nil at a clean end of stream.
    private func next() throws -> ServerEvent? {
        while true {
            guard let packet = try connection.receive() else {
                try machine.endOfStream()
                return nil
            }
            if let event = try machine.receive(packet) { return event }
        }
    }

    private func listRefs(_ prefixes: [String]) throws {
        let refs = try repository.refs.list("refs/")
            .filter { ref in ref.name.hasPrefix("refs/heads/") || ref.name.hasPrefix("refs/tags/") }
            .filter { ref in prefixes.isEmpty || prefixes.contains { ref.name.hasPrefix($0) } }
            .map { RemoteRef(name: $0.name, id: $0.id) }
        var head: String?
        if case let .branch(name) = try repository.refs.head() { head = "refs/heads/" + name }
        try connection.send(try machine.refs(refs, head: head))
    }

    private func fetch(wants: [ObjectID], haves: [ObjectID], negotiate: Bool, thin: Bool, progress: Bool) throws {
        let published = Set(try repository.refs.list("refs/").map(\.id))
        for want in wants where !published.contains(want) { throw TransferError.notPublished(want) }
        var known = Set<ObjectID>()
        for have in haves where try repository.objects.contains(have) { known.insert(have) }
        let busy = BusySignal(showsProgress: progress) { [self] text in
            try connection.send(try text.map { try machine.progress($0) } ?? machine.keepalive())
            try connection.flush()
        }
        var walker = MissingObjects(objects: repository.objects) { [self] ids in
            try connection.send(try machine.probe(ids))
            guard case let .haves(has)? = try next() else { throw ProtocolError.unexpected("a message", expected: "the answer to a probe") }
            return Set(has)
        }
        walker.onCount = { count in try busy.update("Counting objects: \(count)") }
        let plan = try walker.plan(wants: wants, known: known, probing: !haves.isEmpty || negotiate)
        try busy.done("Counting objects: \(plan.ids.count), done.")
        // Streamed: chunks stored in a pack go out as they are, one at a time, so memory holds only the chunks that had
        // to be compressed for this pack.
        // A client that accepts thin chunks gets trees and blobs compressed against their versions in its `have` commits.
        var compressed = 0
        let pack = try PackStreamWriter.plan(plan.ids, from: repository.objects, chunkTarget: PackStreamWriter.chunkTarget(repository),
                                             deltaBases: thin ? plan.deltaBases : [:]) { done, stored in
            compressed = done - stored
            try busy.update("Compressing objects: \(done * 100 / max(plan.ids.count, 1))% (\(done)/\(plan.ids.count))")
        }
        if compressed > 0 { try busy.done("Compressing objects: 100% (\(plan.ids.count)/\(plan.ids.count)), done.") }
        objectsSent += pack.objectCount
        try connection.send(try machine.beginPack(objects: pack.objectCount, bytes: pack.byteCount))
        try pack.write { bytes in try connection.send(try machine.packData(bytes)) }
        try connection.send(try machine.finishPack())
    }

    private func answer(_ name: String, _ params: [NodeParam]) throws {
        guard let node else { throw ProtocolError.unexpected("command '\(name)'", expected: "ls-refs, fetch or push") }
        // A keepalive every 2 seconds while the node works (materializing, hooks, checks, waiting for its lock), from a
        // ticker thread, so that the controller can tell a slow node from a dead one.
        let keepalive = try machine.keepalive()
        let ticker = KeepaliveTicker(connection: connection, packets: keepalive)
        let answer: [NodeParam]
        do {
            answer = try node.handle(name, params) {}
        } catch {
            ticker.stop()
            throw error
        }
        ticker.stop()
        try connection.send(try self.machine.answer(answer))
        try connection.flush()
    }

    private func push(_ updates: [RefUpdate], thin: Bool) throws {
        let quarantine = try Quarantine(repository: repository, limits: ReceiveLimits(setting: repository.setting))
        defer { quarantine.discard() }
        if thin { quarantine.acceptThinChunks(from: repository.objects) }
        if let node {
            quarantine.policy = { id, type, content in try node.checkReceived(id, type, content) }
        } else {
            quarantine.policy = try SignaturePolicy.check(for: repository)
        }
        loop: while true {
            guard let event = try next() else { throw ProtocolError.truncated("a push") }
            switch event {
            case let .probe(ids):
                var has = [ObjectID]()
                for id in ids where try repository.objects.contains(id) { has.append(id) }
                try connection.send(try machine.answerProbe(have: has))
            case let .packStarted(objects, bytes): try quarantine.start(objects: objects, bytes: bytes)
            case let .packData(bytes): try quarantine.consume(bytes)
            case .packFinished:
                try quarantine.finishStream()
                break loop
            default: throw ProtocolError.unexpected("\(event)", expected: "probes or the pack of a push")
            }
        }
        // Checking connectivity, waiting for the lock and writing the pack may take a while: keepalives tell the client
        // the server is alive.
        let ticker = KeepaliveTicker(connection: connection, packets: try machine.keepalive())
        let results: [RefResult]
        do {
            defer { ticker.stop() }
            try quarantine.checkConnectivity(tips: updates.compactMap(\.new), store: repository.objects)
            let lock = try repository.lock()
            defer { withExtendedLifetime(lock) {} }
            let transaction = RefTransaction(repository: repository)
            if let refused = transaction.precheck(updates) {
                results = refused
            } else {
                try quarantine.moveIn(store: repository.objects)
                results = transaction.apply(updates, who: repository.identity(), message: "push")
            }
        }
        try connection.send(try machine.results(results))
    }
}

/// What a server sends while it works without other output (protocol.md section 1): to a client that asked for
/// progress, an interim line at most every half second and each finished line; to any client, a keepalive after two
/// seconds without a packet. Called on the session's own thread, between its other sends.
final class BusySignal {
    private let showsProgress: Bool
    private let send: (String?) throws -> Void
    private var last = Date()

    /// `send` writes a progress packet with the text, or a keepalive for nil.
    init(showsProgress: Bool, send: @escaping (String?) throws -> Void) {
        self.showsProgress = showsProgress
        self.send = send
    }

    /// Reports an interim status (sent ending in CR, so that a terminal overwrites it), or a keepalive when due.
    func update(_ text: String) throws {
        let now = Date()
        let since = now.timeIntervalSince(last)
        if showsProgress, since >= 0.5 {
            try send(text + "\r")
        } else if !showsProgress, since >= 2 {
            try send(nil)
        } else {
            return
        }
        last = now
    }

    /// Reports a finished step, to a client that asked for progress.
    func done(_ text: String) throws {
        guard showsProgress else { return }
        try send(text)
        last = Date()
    }
}

/// Sends keepalive packets on a connection every 2 seconds until stopped; `stop` returns once it no longer writes.
final class KeepaliveTicker: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var finished = false

    init(connection: Connection, packets: [Packet], interval: Double = 2) {
        // Only this thread writes to the connection until `stop` returns.
        nonisolated(unsafe) let connection = connection
        let thread = Thread { [self] in
            condition.lock()
            while !stopped {
                if !condition.wait(until: Date().addingTimeInterval(interval)), !stopped {
                    try? connection.send(packets)
                    try? connection.flush()
                }
            }
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
