import ArxosCore

/// Counts the bytes of a pack message against the length its `pack` line declared.
struct PackCounter: Sendable, Equatable {
    let objects: Int
    let declared: Int
    var received = 0

    mutating func add(_ count: Int) throws(ProtocolError) {
        received += count
        if received > declared { throw .packSizeMismatch(declared: declared, received: received) }
    }

    func finish() throws(ProtocolError) {
        if received != declared { throw .packSizeMismatch(declared: declared, received: received) }
    }
}

/// The largest number of ids in one probe message.
public let maxProbesPerRound = 256

/// Builds the packets of one probe round: 1 to 256 `probe` lines and a flush.
func probePackets(_ ids: [ObjectID]) throws(ProtocolError) -> [Packet] {
    guard !ids.isEmpty else { throw .wrongState("a probe round needs at least one id") }
    guard ids.count <= maxProbesPerRound else { throw .tooManyProbes(ids.count) }
    return ids.map { ControlLine.probe($0).packet } + [.flush]
}

/// Builds the answer to a probe round, checking that every id was probed.
func havePackets(_ haves: [ObjectID], probed: Set<ObjectID>) throws(ProtocolError) -> [Packet] {
    for id in haves where !probed.contains(id) { throw .unprobedHave(id) }
    return haves.map { ControlLine.have($0).packet } + [.flush]
}

/// Parses the lines of a probe message.
func parseProbes(_ lines: [ControlLine]) throws(ProtocolError) -> [ObjectID] {
    var ids = [ObjectID]()
    for line in lines {
        guard case let .probe(id) = line else { throw .unexpected("'\(line.text)'", expected: "'probe <id>'") }
        ids.append(id)
    }
    if ids.isEmpty { throw .unexpected("an empty message", expected: "probe lines or a pack message") }
    if ids.count > maxProbesPerRound { throw .tooManyProbes(ids.count) }
    return ids
}

/// Parses the answer to a probe round.
func parseHaves(_ lines: [ControlLine], probed: Set<ObjectID>) throws(ProtocolError) -> [ObjectID] {
    var ids = [ObjectID]()
    for line in lines {
        guard case let .have(id) = line else { throw .unexpected("'\(line.text)'", expected: "'have <id>'") }
        guard probed.contains(id) else { throw .unprobedHave(id) }
        ids.append(id)
    }
    return ids
}

/// The packets of a whole pack message: the `pack` line, the bytes in packets of at most 65,535 bytes, the flush.
public func packMessage(objects: Int, bytes: [UInt8]) -> [Packet] {
    [ControlLine.pack(objects: objects, bytes: bytes.count).packet] + Packet.packPackets(bytes) + [.flush]
}

/// The protocol version this implementation speaks.
public let protocolVersion = 1
/// The agent string sent in greetings.
public let protocolAgent = "arxos/0.1.0"
