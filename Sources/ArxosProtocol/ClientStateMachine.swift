import ArxosCore

/// What the client learns from one packet of the server.
public enum ClientEvent: Equatable, Sendable {
    /// The greeting arrived; answer with `hello()`.
    case greeted(version: Int, capabilities: [String])
    case refs([RemoteRef], head: String?)
    /// Fetch: the server asks which of these the client has; answer with `answerProbe(have:)`.
    case probe([ObjectID])
    case packStarted(objects: Int, bytes: Int)
    case packData([UInt8])
    case packFinished
    /// Push: the server's answer to the client's probe round.
    case haves([ObjectID])
    /// Push: the verdict on each update, in order.
    case results([RefResult])
    case progress(String)
    /// A node's answer to a request.
    case answer([NodeParam])
}

/// The client side of a session (docs/protocol.md): which packets it may send and what each received packet means.
/// Holds no I/O; a driver feeds it packets and sends the packets it returns.
public struct ClientStateMachine: Sendable {
    private enum State: Sendable {
        case awaitingGreeting([ControlLine])
        case greeted(version: Int)
        case idle
        case awaitingRefs([ControlLine])
        case fetchAwaitingServer([ControlLine])
        case fetchAnswering(probed: Set<ObjectID>)
        case fetchReceivingPack(PackCounter)
        case pushNegotiating
        case pushAwaitingHaves(probed: Set<ObjectID>, [ControlLine])
        case pushAwaitingResults([ControlLine], updates: [RefUpdate])
        case awaitingAnswer([NodeParam])
        case failed
    }

    private var state: State = .awaitingGreeting([])
    public private(set) var capabilities: Set<String> = []

    public init() {}

    /// Whether the session is between commands (a new command may be sent, or the stream closed).
    public var isIdle: Bool { if case .idle = state { true } else { false } }

    // MARK: Receiving

    /// Consumes one packet; returns what it completed, or nil when it only added to a message. Throws on anything
    /// the protocol does not allow at this point, and on an error packet.
    public mutating func receive(_ packet: Packet) throws(ProtocolError) -> ClientEvent? {
        do {
            return try handle(packet)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Reports the end of the server's stream; throws unless the session was between commands.
    public mutating func endOfStream() throws(ProtocolError) {
        switch state {
        case .idle, .failed: return
        case .awaitingGreeting: throw .truncated("the server's greeting")
        case .fetchReceivingPack: throw .truncated("the pack")
        default: throw .truncated("a command")
        }
    }

    private mutating func handle(_ packet: Packet) throws(ProtocolError) -> ClientEvent? {
        switch packet {
        case .keepalive: return nil
        case let .progress(text): return .progress(text)
        case let .error(message): throw .remote(message)
        case let .pack(bytes):
            guard case var .fetchReceivingPack(counter) = state else { throw .unexpected("pack bytes", expected: "a control line") }
            try counter.add(bytes.count)
            state = .fetchReceivingPack(counter)
            return .packData(bytes)
        case let .control(text):
            let line = try ControlLine(parsing: text)
            switch state {
            case var .awaitingGreeting(lines): lines.append(line); state = .awaitingGreeting(lines)
            case var .awaitingRefs(lines): lines.append(line); state = .awaitingRefs(lines)
            case var .fetchAwaitingServer(lines):
                if lines.isEmpty, case let .pack(objects, bytes) = line {
                    state = .fetchReceivingPack(PackCounter(objects: objects, declared: bytes))
                    return .packStarted(objects: objects, bytes: bytes)
                }
                lines.append(line)
                if lines.count > maxProbesPerRound { throw .tooManyProbes(lines.count) }
                state = .fetchAwaitingServer(lines)
            case .pushAwaitingHaves(let probed, var lines):
                lines.append(line)
                if lines.count > probed.count { throw .unexpected("more 'have' lines than probed ids", expected: "a flush") }
                state = .pushAwaitingHaves(probed: probed, lines)
            case var .awaitingAnswer(params):
                guard case let .param(key, value) = line else { throw .unexpected("'\(text)'", expected: "'param' lines") }
                params.append(NodeParam(key, value))
                if params.count > 100_000 { throw .unexpected("more than 100000 params", expected: "a flush") }
                state = .awaitingAnswer(params)
            case .pushAwaitingResults(var lines, let updates):
                lines.append(line)
                if lines.count > updates.count { throw .unexpected("'\(text)'", expected: "a flush after \(updates.count) results") }
                state = .pushAwaitingResults(lines, updates: updates)
            default:
                throw .unexpected("'\(text)'", expected: "nothing from the server at this point")
            }
            return nil
        case .flush:
            switch state {
            case let .awaitingGreeting(lines):
                var versions = [Int](), capabilities = [String]()
                for line in lines {
                    switch line {
                    case let .version(v): versions.append(v)
                    case let .capability(c): capabilities.append(c)
                    case .agent: break
                    default: throw .unexpected("'\(line.text)' in the greeting", expected: "version, agent or capability lines")
                    }
                }
                guard versions.contains(protocolVersion) else { throw .noCommonVersion(offered: versions) }
                guard capabilities.contains("object-format=sha256") else { throw .missingCapability("object-format=sha256") }
                self.capabilities = Set(capabilities)
                state = .greeted(version: protocolVersion)
                return .greeted(version: protocolVersion, capabilities: capabilities)
            case let .awaitingRefs(lines):
                var refs = [RemoteRef](), head: String?
                for line in lines {
                    switch line {
                    case let .ref(ref): refs.append(ref)
                    case let .symref("HEAD", target): head = target
                    default: throw .unexpected("'\(line.text)' in the ref list", expected: "'ref' or 'symref HEAD' lines")
                    }
                }
                state = .idle
                return .refs(refs, head: head)
            case let .fetchAwaitingServer(lines):
                let ids = try parseProbes(lines)
                state = .fetchAnswering(probed: Set(ids))
                return .probe(ids)
            case let .fetchReceivingPack(counter):
                try counter.finish()
                state = .idle
                return .packFinished
            case let .pushAwaitingHaves(probed, lines):
                let ids = try parseHaves(lines, probed: probed)
                state = .pushNegotiating
                return .haves(ids)
            case let .awaitingAnswer(params):
                state = .idle
                return .answer(params)
            case let .pushAwaitingResults(lines, updates):
                var results = [RefResult]()
                for (line, update) in zip(lines, updates) {
                    guard case let .result(result) = line, result.ref == update.ref else {
                        throw .unexpected("'\(line.text)'", expected: "'result ok|ng \(update.ref)'")
                    }
                    results.append(result)
                }
                guard results.count == updates.count else { throw .unexpected("\(results.count) results", expected: "\(updates.count)") }
                state = .idle
                return .results(results)
            default:
                throw .unexpected("a flush", expected: "nothing from the server at this point")
            }
        }
    }

    // MARK: Sending

    /// The answer to the greeting.
    public mutating func hello() throws(ProtocolError) -> [Packet] {
        guard case let .greeted(version) = state else { throw .wrongState("hello is sent once, after the greeting") }
        state = .idle
        return [ControlLine.version(version).packet, ControlLine.agent(protocolAgent).packet, .flush]
    }

    /// Asks for the refs whose names start with one of `prefixes` (all refs when empty).
    public mutating func lsRefs(prefixes: [String] = []) throws(ProtocolError) -> [Packet] {
        guard case .idle = state else { throw .wrongState("ls-refs needs an idle session") }
        state = .awaitingRefs([])
        return [ControlLine.command("ls-refs").packet] + prefixes.map { ControlLine.prefix($0).packet } + [.flush]
    }

    /// Starts a fetch of `wants`, telling the server which ids the client already has; `negotiate` asks the server to
    /// probe even when `haves` is empty; `thin` accepts chunks compressed against objects the client has (only when the
    /// server offers `capability thin`); `progress` asks for progress packets while the server prepares the pack.
    public mutating func fetch(wants: [ObjectID], haves: [ObjectID], negotiate: Bool = false, thin: Bool = false,
                               progress: Bool = false) throws(ProtocolError) -> [Packet] {
        guard case .idle = state else { throw .wrongState("fetch needs an idle session") }
        guard !wants.isEmpty else { throw .wrongState("fetch needs at least one want") }
        state = .fetchAwaitingServer([])
        return [ControlLine.command("fetch").packet] + wants.map { ControlLine.want($0).packet }
            + haves.map { ControlLine.have($0).packet } + (negotiate ? [ControlLine.negotiate.packet] : [])
            + (thin && capabilities.contains("thin") ? [ControlLine.thin.packet] : [])
            + (progress ? [ControlLine.progress.packet] : []) + [.flush]
    }

    /// Answers the server's probe round with the probed ids the client has completely.
    public mutating func answerProbe(have ids: [ObjectID]) throws(ProtocolError) -> [Packet] {
        guard case let .fetchAnswering(probed) = state else { throw .wrongState("there is no probe to answer") }
        let packets = try havePackets(ids, probed: probed)
        state = .fetchAwaitingServer([])
        return packets
    }

    /// Starts a push of compare-and-swap ref updates; `thin` announces that the pack may hold thin chunks (only to a
    /// server offering `capability thin`).
    public mutating func push(_ updates: [RefUpdate], thin: Bool = false) throws(ProtocolError) -> [Packet] {
        guard case .idle = state else { throw .wrongState("push needs an idle session") }
        guard capabilities.contains("push") else { throw .missingCapability("push") }
        guard !updates.isEmpty else { throw .wrongState("push needs at least one update") }
        state = .pushNegotiating
        return [ControlLine.command("push").packet] + updates.map { ControlLine.update($0).packet }
            + (thin && capabilities.contains("thin") ? [ControlLine.thin.packet] : []) + [.flush]
    }

    /// Sends a node request (protocol.md section 10); the answer arrives as `.answer`.
    public mutating func request(_ name: String, _ params: [NodeParam]) throws(ProtocolError) -> [Packet] {
        guard case .idle = state else { throw .wrongState("a node request needs an idle session") }
        guard capabilities.contains("node") else { throw .missingCapability("node") }
        guard nodeRequests.contains(name) else { throw .wrongState("'\(name)' is not a node request") }
        state = .awaitingAnswer([])
        return [ControlLine.command(name).packet] + params.map { ControlLine.param(key: $0.key, value: $0.value).packet } + [.flush]
    }

    /// Push: asks the server which of `ids` it has.
    public mutating func probe(_ ids: [ObjectID]) throws(ProtocolError) -> [Packet] {
        guard case .pushNegotiating = state else { throw .wrongState("probes are sent during a push's negotiation") }
        let packets = try probePackets(ids)
        state = .pushAwaitingHaves(probed: Set(ids), [])
        return packets
    }

    /// Push: the pack message carrying the objects, ending the negotiation; `updates` are those sent by `push`.
    public mutating func sendPack(objects: Int, bytes: [UInt8], updates: [RefUpdate]) throws(ProtocolError) -> [Packet] {
        guard case .pushNegotiating = state else { throw .wrongState("the pack is sent after a push's negotiation") }
        state = .pushAwaitingResults([], updates: updates)
        return packMessage(objects: objects, bytes: bytes)
    }
}
