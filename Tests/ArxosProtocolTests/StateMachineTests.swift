import ArxosCore
import ArxosProtocol
import Testing

/// Client and server machines wired back to back: every packet goes through the encoder and a decoder fed in random
/// pieces, as on a real stream.
struct Wire {
    var client = ClientStateMachine()
    var server = ServerStateMachine()
    var random = SplitMix(state: 7)

    /// Bytes of `packets` decoded again after random splits.
    mutating func carry(_ packets: [Packet]) throws -> [Packet] {
        let bytes = try Packet.encode(packets)
        var pieces = [Int]()
        var total = 0
        while total < bytes.count {
            let size = Int.random(in: 1...50, using: &random)
            pieces.append(size)
            total += size
        }
        return try decode(bytes, pieces: pieces)
    }

    mutating func toServer(_ packets: [Packet]) throws -> [ServerEvent] {
        try carry(packets).compactMap { try server.receive($0) }
    }

    mutating func toClient(_ packets: [Packet]) throws -> [ClientEvent] {
        try carry(packets).compactMap { try client.receive($0) }
    }

    /// Greeting and hello.
    mutating func open() throws {
        let greeted = try toClient(try server.greeting())
        #expect(greeted == [.greeted(version: 1, capabilities: ["fetch", "push", "object-format=sha256", "thin"])])
        #expect(try toServer(try client.hello()) == [.hello(version: 1)])
    }
}

func id(_ text: String) -> ObjectID { ObjectID(hashing: Array(text.utf8)) }

@Suite struct StateMachineTests {
    @Test func lsRefsAndFetchBackToBack() throws {
        var wire = Wire()
        try wire.open()
        #expect(try wire.toServer(try wire.client.lsRefs(prefixes: ["refs/heads/"])) == [.lsRefs(prefixes: ["refs/heads/"])])
        let refs = [RemoteRef(name: "refs/heads/main", id: id("c2"))]
        #expect(try wire.toClient(try wire.server.refs(refs, head: "refs/heads/main")) == [.refs(refs, head: "refs/heads/main")])

        #expect(try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: [id("c1")]))
                == [.fetch(wants: [id("c2")], haves: [id("c1")])])
        #expect(!wire.client.isIdle)
        // Two probe rounds.
        #expect(try wire.toClient(try wire.server.probe([id("c2"), id("c1")])) == [.probe([id("c2"), id("c1")])])
        #expect(try wire.toServer(try wire.client.answerProbe(have: [id("c1")])) == [.haves([id("c1")])])
        #expect(try wire.toClient(try wire.server.probe([id("t2")])) == [.probe([id("t2")])])
        #expect(try wire.toServer(try wire.client.answerProbe(have: [])) == [.haves([])])
        // The pack, larger than one packet.
        let pack = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let events = try wire.toClient(try wire.server.sendPack(objects: 2, bytes: pack))
        #expect(events.first == .packStarted(objects: 2, bytes: pack.count))
        #expect(events.last == .packFinished)
        let carried = events.flatMap { event -> [UInt8] in if case let .packData(bytes) = event { bytes } else { [] } }
        #expect(carried == pack)
        #expect(wire.client.isIdle && wire.server.isIdle)
        try wire.client.endOfStream()
        try wire.server.endOfStream()
    }

    @Test func aStreamedPackArrivesWholeAndCannotExceedItsDeclaredLength() throws {
        var wire = Wire()
        try wire.open()
        _ = try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: []))
        let pack = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 * 13) }
        var events = try wire.toClient(try wire.server.beginPack(objects: 3, bytes: pack.count))
        #expect(events == [.packStarted(objects: 3, bytes: pack.count)])
        #expect(throws: ProtocolError.self) { var early = wire.server; _ = try early.finishPack() }
        for start in stride(from: 0, to: pack.count, by: 70_000) {
            events += try wire.toClient(try wire.server.packData(Array(pack[start..<min(start + 70_000, pack.count)])))
        }
        #expect(throws: ProtocolError.self) { var over = wire.server; _ = try over.packData([0]) }
        events += try wire.toClient(try wire.server.finishPack())
        #expect(events.last == .packFinished)
        let carried = events.flatMap { event -> [UInt8] in if case let .packData(bytes) = event { bytes } else { [] } }
        #expect(carried == pack)
        #expect(wire.client.isIdle && wire.server.isIdle)
        #expect(throws: ProtocolError.self) { _ = try wire.server.beginPack(objects: 1, bytes: 10) }
    }

    @Test func pushBackToBack() throws {
        var wire = Wire()
        try wire.open()
        let updates = [RefUpdate(ref: "refs/heads/main", old: id("c1"), new: id("c2")),
                       RefUpdate(ref: "refs/tags/v1", old: nil, new: id("c2"), force: false)]
        #expect(try wire.toServer(try wire.client.push(updates)) == [.push(updates)])
        #expect(try wire.toServer(try wire.client.probe([id("t2"), id("b2")])) == [.probe([id("t2"), id("b2")])])
        #expect(try wire.toClient(try wire.server.answerProbe(have: [id("b2")])) == [.haves([id("b2")])])
        let events = try wire.toServer(try wire.client.sendPack(objects: 0, bytes: [], updates: updates))
        #expect(events == [.packStarted(objects: 0, bytes: 0), .packFinished])
        let results = [RefResult(ref: "refs/heads/main", rejection: nil), RefResult(ref: "refs/tags/v1", rejection: "tag already exists")]
        #expect(try wire.toClient(try wire.server.results(results)) == [.results(results)])
        #expect(wire.client.isIdle && wire.server.isIdle)
    }

    @Test func progressAndKeepalivesGoOnlyWhileTheClientWaitsForTheServer() throws {
        var wire = Wire()
        try wire.open()
        // Between commands the client waits for nothing.
        #expect(throws: ProtocolError.self) { _ = try wire.server.progress("Counting objects: 1\r") }
        #expect(throws: ProtocolError.self) { _ = try wire.server.keepalive() }
        #expect(try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: [], progress: true))
                == [.fetch(wants: [id("c2")], haves: [], progress: true)])
        let busy = try wire.server.progress("Counting objects: 256\r") + wire.server.keepalive()
            + wire.server.progress("Counting objects: 300, done.")
        #expect(try wire.toClient(busy) == [.progress("Counting objects: 256\r"), .progress("Counting objects: 300, done.")])
        #expect(try wire.toClient(try wire.server.sendPack(objects: 0, bytes: [])) == [.packStarted(objects: 0, bytes: 0), .packFinished])
        #expect(throws: ProtocolError.self) { _ = try wire.server.keepalive() }

        // A thin push; the server keeps the client waiting while it checks the pack.
        let updates = [RefUpdate(ref: "refs/heads/main", old: id("c1"), new: id("c2"))]
        #expect(try wire.toServer(try wire.client.push(updates, thin: true)) == [.push(updates, thin: true)])
        _ = try wire.toServer(try wire.client.sendPack(objects: 0, bytes: [], updates: updates))
        #expect(try wire.toClient(try wire.server.keepalive() + wire.server.keepalive()) == [])
        let results = [RefResult(ref: "refs/heads/main", rejection: nil)]
        #expect(try wire.toClient(try wire.server.results(results)) == [.results(results)])
        #expect(wire.client.isIdle && wire.server.isIdle)
    }

    @Test func aPushSaysThinOnlyToAServerOfferingIt() throws {
        var client = ClientStateMachine()
        var server = ServerStateMachine()
        var greeting = try server.greeting()
        // A server of an older version, without `capability thin`.
        greeting.removeAll { $0 == ControlLine.capability("thin").packet }
        for packet in greeting { _ = try client.receive(packet) }
        _ = try client.hello()
        let updates = [RefUpdate(ref: "refs/heads/main", old: nil, new: id("c2"))]
        #expect(!(try client.push(updates, thin: true)).contains(ControlLine.thin.packet))
    }

    @Test func clientRefusesAHaveItDidNotProbeAndTheServerToo() throws {
        var wire = Wire()
        try wire.open()
        _ = try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: []))
        _ = try wire.toClient(try wire.server.probe([id("c2")]))
        #expect(throws: ProtocolError.unprobedHave(id("zz"))) { try wire.client.answerProbe(have: [id("zz")]) }
        // A forged answer on the wire is refused by the server.
        #expect(throws: ProtocolError.unprobedHave(id("zz"))) {
            try wire.toServer([ControlLine.have(id("zz")).packet, .flush])
        }
    }

    @Test func packLongerOrShorterThanDeclaredIsRefused() throws {
        var wire = Wire()
        try wire.open()
        _ = try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: []))
        _ = try wire.client.receive(ControlLine.pack(objects: 1, bytes: 10).packet)
        _ = try wire.client.receive(.pack([1, 2, 3]))
        #expect(throws: ProtocolError.packSizeMismatch(declared: 10, received: 3)) { try wire.client.receive(.flush) }

        var other = Wire()
        try other.open()
        _ = try other.toServer(try other.client.fetch(wants: [id("c2")], haves: []))
        _ = try other.client.receive(ControlLine.pack(objects: 1, bytes: 2).packet)
        #expect(throws: ProtocolError.self) { try other.client.receive(.pack([1, 2, 3])) }
    }

    @Test func truncatedStreamsAreReported() throws {
        var client = ClientStateMachine()
        #expect(throws: ProtocolError.truncated("the server's greeting")) { try client.endOfStream() }
        var wire = Wire()
        try wire.open()
        _ = try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: []))
        _ = try wire.client.receive(ControlLine.pack(objects: 1, bytes: 10).packet)
        #expect(throws: ProtocolError.truncated("the pack")) { try wire.client.endOfStream() }
        #expect(throws: ProtocolError.truncated("a command")) { try wire.server.endOfStream() }
    }

    @Test func outOfOrderMessagesAreRefused() throws {
        var wire = Wire()
        _ = try wire.server.greeting()
        // A command before the hello.
        #expect(throws: ProtocolError.self) { try wire.toServer([ControlLine.command("ls-refs").packet, .flush]) }

        var other = Wire()
        try other.open()
        // Pack bytes outside a pack message, an unknown command, an error packet.
        #expect(throws: ProtocolError.self) { try other.toServer([.pack([1])]) }
        var third = Wire()
        try third.open()
        #expect(throws: ProtocolError.self) { try third.toServer([ControlLine.command("gc").packet, .flush]) }
        var fourth = Wire()
        try fourth.open()
        #expect(throws: ProtocolError.remote("disk full")) { try fourth.client.receive(.error("disk full")) }
        // Sending out of turn is refused locally too.
        #expect(throws: ProtocolError.self) { try fourth.client.answerProbe(have: []) }
        #expect(throws: ProtocolError.self) { try fourth.server.results([]) }
    }

    @Test func greetingWithoutACommonVersionIsRefused() throws {
        var client = ClientStateMachine()
        let packets: [Packet] = [ControlLine.version(2).packet, ControlLine.capability("object-format=sha256").packet, .flush]
        #expect(throws: ProtocolError.noCommonVersion(offered: [2])) {
            for packet in packets { _ = try client.receive(packet) }
        }
    }

    @Test func readOnlyServerRefusesPush() throws {
        var wire = Wire()
        wire.server = ServerStateMachine(allowPush: false)
        _ = try wire.toClient(try wire.server.greeting())
        _ = try wire.toServer(try wire.client.hello())
        #expect(throws: ProtocolError.missingCapability("push")) {
            try wire.client.push([RefUpdate(ref: "refs/heads/main", old: nil, new: id("c"))])
        }
        #expect(throws: ProtocolError.self) {
            try wire.toServer([ControlLine.command("push").packet, ControlLine.update(RefUpdate(ref: "refs/heads/x", old: nil, new: id("c"))).packet, .flush])
        }
    }

    @Test func probeRoundsHoldAtMost256Ids() throws {
        var wire = Wire()
        try wire.open()
        _ = try wire.toServer(try wire.client.fetch(wants: [id("c")], haves: []))
        let many = (0..<257).map { id("o\($0)") }
        #expect(throws: ProtocolError.tooManyProbes(257)) { try wire.server.probe(many) }
        #expect(throws: ProtocolError.tooManyProbes(257)) { try wire.toClient(many.map { ControlLine.probe($0).packet } + [.flush]) }
    }
}

@Suite struct NegotiateTests {
    @Test func aFetchCanAskForProbesWithoutHaves() throws {
        var wire = Wire()
        try wire.open()
        #expect(try wire.toServer(try wire.client.fetch(wants: [id("c2")], haves: [], negotiate: true))
                == [.fetch(wants: [id("c2")], haves: [], negotiate: true)])
        #expect(throws: ProtocolError.self) { try ControlLine(parsing: "negotiate now") }
    }
}
