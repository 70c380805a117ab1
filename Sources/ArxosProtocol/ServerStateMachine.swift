import ArxosCore

/// What the server learns from one packet of the client.
public enum ServerEvent: Equatable, Sendable {
    /// The client chose a version; the session is ready for commands.
    case hello(version: Int)
    /// Answer with `refs(_:head:)`.
    case lsRefs(prefixes: [String])
    /// Answer with probe rounds (`probe(_:)`) and then `sendPack`; `negotiate` asks for probes even without haves.
    /// `thin`: the client accepts chunks compressed against objects it has (protocol.md 5.1); `progress`: it shows
    /// progress packets (`progress(_:)`) sent while the pack is prepared.
    case fetch(wants: [ObjectID], haves: [ObjectID], negotiate: Bool = false, thin: Bool = false, progress: Bool = false)
    /// Fetch: the client's answer to a probe round.
    case haves([ObjectID])
    /// Push: answer probe rounds with `answerProbe(have:)`; the pack follows. `thin`: it may hold thin chunks
    /// (protocol.md 5.1), compressed against objects the server has.
    case push([RefUpdate], thin: Bool = false)
    /// Push: the client asks which of these the server has.
    case probe([ObjectID])
    case packStarted(objects: Int, bytes: Int)
    case packData([UInt8])
    /// Push: the pack is complete; answer with `results(_:)`.
    case packFinished
    case progress(String)
    /// A node request (`capability node`): answer with `answer(_:)`.
    case request(name: String, params: [NodeParam])
}

/// One `param <key> <value>` line of a node request or answer.
public struct NodeParam: Equatable, Sendable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) { self.key = key; self.value = value }
}

/// The node requests of protocol.md section 10, offered with `capability node`.
public let nodeRequests: Set<String> = [
    "node-status", "node-lease", "node-release", "node-unlock", "node-prepare", "node-activate", "node-confirm", "node-abort",
]

/// The server side of a session (docs/protocol.md). Holds no I/O.
public struct ServerStateMachine: Sendable {
    private enum State: Sendable {
        case start
        case awaitingHello([ControlLine])
        case awaitingCommand([ControlLine])
        case answeringRefs
        case fetchNegotiating
        case fetchAwaitingHaves(probed: Set<ObjectID>, [ControlLine])
        case fetchSendingPack(PackCounter)
        case pushAwaitingClient([ControlLine], updates: [RefUpdate])
        case pushAnswering(probed: Set<ObjectID>, updates: [RefUpdate])
        case pushReceivingPack(PackCounter, updates: [RefUpdate])
        case pushApplying(updates: [RefUpdate])
        case answeringRequest
        case failed
    }

    private var state: State = .start
    public let capabilities: [String]

    /// A server offering `fetch`, and `push` unless `allowPush` is false; `node` adds the node requests of an edge node.
    public init(allowPush: Bool = true, node: Bool = false) {
        capabilities = ["fetch"] + (allowPush ? ["push"] : []) + ["object-format=sha256", "thin"] + (node ? ["node"] : [])
    }

    /// Whether the session is between commands (the client may close its stream now).
    public var isIdle: Bool { if case .awaitingCommand(let lines) = state { lines.isEmpty } else { false } }

    /// The greeting, sent first.
    public mutating func greeting() throws(ProtocolError) -> [Packet] {
        guard case .start = state else { throw .wrongState("the greeting is sent once, first") }
        state = .awaitingHello([])
        return [ControlLine.version(protocolVersion).packet, ControlLine.agent(protocolAgent).packet]
            + capabilities.map { ControlLine.capability($0).packet } + [.flush]
    }

    /// Reports the end of the client's stream; throws unless it came between commands.
    public mutating func endOfStream() throws(ProtocolError) {
        if isIdle { return }
        if case .failed = state { return }
        if case .pushReceivingPack = state { throw .truncated("the pack") }
        throw .truncated("a command")
    }

    /// Consumes one packet; returns what it completed, or nil.
    public mutating func receive(_ packet: Packet) throws(ProtocolError) -> ServerEvent? {
        do {
            return try handle(packet)
        } catch {
            state = .failed
            throw error
        }
    }

    private mutating func handle(_ packet: Packet) throws(ProtocolError) -> ServerEvent? {
        switch packet {
        case .keepalive: return nil
        case let .progress(text): return .progress(text)
        case let .error(message): throw .remote(message)
        case let .pack(bytes):
            guard case .pushReceivingPack(var counter, let updates) = state else { throw .unexpected("pack bytes", expected: "a control line") }
            try counter.add(bytes.count)
            state = .pushReceivingPack(counter, updates: updates)
            return .packData(bytes)
        case let .control(text):
            let line = try ControlLine(parsing: text)
            switch state {
            case var .awaitingHello(lines):
                lines.append(line)
                if lines.count > 64 { throw .unexpected("more than 64 lines", expected: "the client's hello") }
                state = .awaitingHello(lines)
            case var .awaitingCommand(lines):
                lines.append(line)
                if lines.count > 100_000 { throw .unexpected("more than 100000 lines", expected: "the end of a command") }
                state = .awaitingCommand(lines)
            case .fetchAwaitingHaves(let probed, var lines):
                lines.append(line)
                if lines.count > probed.count { throw .unexpected("more 'have' lines than probed ids", expected: "a flush") }
                state = .fetchAwaitingHaves(probed: probed, lines)
            case .pushAwaitingClient(var lines, let updates):
                if lines.isEmpty, case let .pack(objects, bytes) = line {
                    state = .pushReceivingPack(PackCounter(objects: objects, declared: bytes), updates: updates)
                    return .packStarted(objects: objects, bytes: bytes)
                }
                lines.append(line)
                if lines.count > maxProbesPerRound { throw .tooManyProbes(lines.count) }
                state = .pushAwaitingClient(lines, updates: updates)
            default:
                throw .unexpected("'\(text)'", expected: "nothing from the client at this point")
            }
            return nil
        case .flush:
            switch state {
            case let .awaitingHello(lines):
                var chosen: Int?
                for line in lines {
                    switch line {
                    case let .version(v): chosen = v
                    case .agent: break
                    default: throw .unexpected("'\(line.text)' in the hello", expected: "version and agent lines")
                    }
                }
                guard chosen == protocolVersion else {
                    throw .unexpected(chosen.map { "version \($0)" } ?? "no version", expected: "version \(protocolVersion)")
                }
                state = .awaitingCommand([])
                return .hello(version: protocolVersion)
            case let .awaitingCommand(lines):
                return try command(lines)
            case let .fetchAwaitingHaves(probed, lines):
                let ids = try parseHaves(lines, probed: probed)
                state = .fetchNegotiating
                return .haves(ids)
            case let .pushAwaitingClient(lines, updates):
                let ids = try parseProbes(lines)
                state = .pushAnswering(probed: Set(ids), updates: updates)
                return .probe(ids)
            case let .pushReceivingPack(counter, updates):
                try counter.finish()
                state = .pushApplying(updates: updates)
                return .packFinished
            default:
                throw .unexpected("a flush", expected: "nothing from the client at this point")
            }
        }
    }

    private mutating func command(_ lines: [ControlLine]) throws(ProtocolError) -> ServerEvent {
        guard case let .command(name)? = lines.first else {
            throw .unexpected(lines.first.map { "'\($0.text)'" } ?? "an empty message", expected: "'command <name>'")
        }
        let body = lines.dropFirst()
        switch name {
        case "ls-refs":
            var prefixes = [String]()
            for line in body {
                guard case let .prefix(p) = line else { throw .unexpected("'\(line.text)' in ls-refs", expected: "'prefix' lines") }
                prefixes.append(p)
            }
            state = .answeringRefs
            return .lsRefs(prefixes: prefixes)
        case "fetch":
            var wants = [ObjectID](), haves = [ObjectID](), negotiate = false, thin = false, progress = false
            for line in body {
                switch line {
                case let .want(id): wants.append(id)
                case let .have(id): haves.append(id)
                case .negotiate: negotiate = true
                case .thin: thin = true
                case .progress: progress = true
                default: throw .unexpected("'\(line.text)' in fetch", expected: "'want' and 'have' lines")
                }
            }
            guard !wants.isEmpty else { throw .unexpected("a fetch without 'want'", expected: "at least one 'want'") }
            state = .fetchNegotiating
            return .fetch(wants: wants, haves: haves, negotiate: negotiate, thin: thin, progress: progress)
        case "push":
            guard capabilities.contains("push") else { throw .remote("this server does not accept pushes") }
            var updates = [RefUpdate](), thin = false
            for line in body {
                if case .thin = line, capabilities.contains("thin") {
                    thin = true
                    continue
                }
                guard case let .update(update) = line else { throw .unexpected("'\(line.text)' in push", expected: "'update' lines") }
                if updates.contains(where: { $0.ref == update.ref }) {
                    throw .unexpected("a second update of \(update.ref)", expected: "one update per ref")
                }
                updates.append(update)
            }
            guard !updates.isEmpty else { throw .unexpected("a push without 'update'", expected: "at least one 'update'") }
            state = .pushAwaitingClient([], updates: updates)
            return .push(updates, thin: thin)
        case _ where nodeRequests.contains(name) && capabilities.contains("node"):
            var params = [NodeParam]()
            for line in body {
                guard case let .param(key, value) = line else { throw .unexpected("'\(line.text)' in \(name)", expected: "'param' lines") }
                params.append(NodeParam(key, value))
            }
            state = .answeringRequest
            return .request(name: name, params: params)
        default:
            throw .unexpected("command '\(name)'", expected: "ls-refs, fetch or push")
        }
    }

    /// The answer to a node request.
    public mutating func answer(_ params: [NodeParam]) throws(ProtocolError) -> [Packet] {
        guard case .answeringRequest = state else { throw .wrongState("answers follow a node request") }
        state = .awaitingCommand([])
        return params.map { ControlLine.param(key: $0.key, value: $0.value).packet } + [.flush]
    }

    /// A keepalive while the server works without sending (planning a fetch's pack, checking a push, a node's apply
    /// hook and health checks); allowed while the client waits for the server.
    public func keepalive() throws(ProtocolError) -> [Packet] {
        guard isBusy else { throw .wrongState("keepalives are sent while the client waits for the server") }
        return [.keepalive]
    }

    /// A line of progress for a human (protocol.md section 1): a text ending in CR is an interim status the client may
    /// overwrite with the next. Allowed when keepalives are.
    public func progress(_ text: String) throws(ProtocolError) -> [Packet] {
        guard isBusy else { throw .wrongState("progress is sent while the client waits for the server") }
        return [.progress(text)]
    }

    /// Whether the client is waiting for the server to finish some work.
    private var isBusy: Bool {
        switch state {
        case .answeringRequest, .fetchNegotiating, .fetchSendingPack, .pushApplying: true
        default: false
        }
    }

    // MARK: Sending

    /// The answer to `ls-refs`.
    public mutating func refs(_ refs: [RemoteRef], head: String?) throws(ProtocolError) -> [Packet] {
        guard case .answeringRefs = state else { throw .wrongState("refs answer ls-refs") }
        state = .awaitingCommand([])
        return refs.map { ControlLine.ref($0).packet } + (head.map { [ControlLine.symref(name: "HEAD", target: $0).packet] } ?? []) + [.flush]
    }

    /// Fetch: asks the client which of `ids` it has.
    public mutating func probe(_ ids: [ObjectID]) throws(ProtocolError) -> [Packet] {
        guard case .fetchNegotiating = state else { throw .wrongState("probes are sent during a fetch's negotiation") }
        let packets = try probePackets(ids)
        state = .fetchAwaitingHaves(probed: Set(ids), [])
        return packets
    }

    /// Fetch: the pack message, ending the command.
    public mutating func sendPack(objects: Int, bytes: [UInt8]) throws(ProtocolError) -> [Packet] {
        guard case .fetchNegotiating = state else { throw .wrongState("the pack is sent after a fetch's negotiation") }
        state = .awaitingCommand([])
        return packMessage(objects: objects, bytes: bytes)
    }

    /// Fetch: begins a streamed pack message of `bytes` bytes holding `objects` objects, ending the negotiation. The
    /// bytes follow through `packData(_:)` in any split, then `finishPack()`; with `bytes` 0 the message is complete.
    public mutating func beginPack(objects: Int, bytes: Int) throws(ProtocolError) -> [Packet] {
        guard case .fetchNegotiating = state else { throw .wrongState("the pack is sent after a fetch's negotiation") }
        guard objects >= 0, bytes >= 0, (objects == 0) == (bytes == 0) else {
            throw .wrongState("a pack of \(objects) objects cannot be \(bytes) bytes long")
        }
        state = .fetchSendingPack(PackCounter(objects: objects, declared: bytes))
        return [ControlLine.pack(objects: objects, bytes: bytes).packet]
    }

    /// Fetch: the pack packets carrying the next bytes of a streamed pack; refuses more bytes than `beginPack` declared.
    public mutating func packData(_ bytes: [UInt8]) throws(ProtocolError) -> [Packet] {
        guard case var .fetchSendingPack(counter) = state else { throw .wrongState("pack bytes are sent after beginPack") }
        try counter.add(bytes.count)
        state = .fetchSendingPack(counter)
        return Packet.packPackets(bytes)
    }

    /// Fetch: ends a streamed pack message once every declared byte was sent.
    public mutating func finishPack() throws(ProtocolError) -> [Packet] {
        guard case let .fetchSendingPack(counter) = state else { throw .wrongState("there is no pack being sent") }
        try counter.finish()
        state = .awaitingCommand([])
        return [.flush]
    }

    /// Push: answers the client's probe round.
    public mutating func answerProbe(have ids: [ObjectID]) throws(ProtocolError) -> [Packet] {
        guard case let .pushAnswering(probed, updates) = state else { throw .wrongState("there is no probe to answer") }
        let packets = try havePackets(ids, probed: probed)
        state = .pushAwaitingClient([], updates: updates)
        return packets
    }

    /// Push: the verdict on every update, in the order they were sent.
    public mutating func results(_ results: [RefResult]) throws(ProtocolError) -> [Packet] {
        guard case let .pushApplying(updates) = state else { throw .wrongState("results follow a push's pack") }
        guard results.map(\.ref) == updates.map(\.ref) else { throw .wrongState("one result per update, in order") }
        state = .awaitingCommand([])
        return results.map { ControlLine.result($0).packet } + [.flush]
    }
}
