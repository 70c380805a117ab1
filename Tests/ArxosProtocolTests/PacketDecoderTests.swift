import ArxosCore
import ArxosProtocol
import Testing

/// A deterministic generator, so a failing split can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Decodes `bytes` fed in pieces of the given sizes; returns every packet.
func decode(_ bytes: [UInt8], pieces: [Int]) throws -> [Packet] {
    var decoder = PacketDecoder()
    var packets = [Packet]()
    var offset = 0
    for size in pieces + [bytes.count] where offset < bytes.count {
        let end = min(offset + max(size, 1), bytes.count)
        decoder.feed(bytes[offset..<end])
        offset = end
        while let packet = try decoder.next() { packets.append(packet) }
    }
    #expect(decoder.buffered == 0)
    return packets
}

let sampleID = ObjectID(hashing: Array("sample".utf8))

let samplePackets: [Packet] = [
    .control("version 1"), .control("capability push"), .flush,
    .progress("Counting objects: 3"), .keepalive,
    .control("want \(sampleID.hex)"),
    .pack([UInt8](repeating: 0xAB, count: 70_000).enumerated().map { UInt8(truncatingIfNeeded: $0.offset) }.prefix(Packet.maxPayload).map { $0 }),
    .pack([]), .error("something failed"), .flush,
]

@Suite struct PacketDecoderTests {
    @Test func roundTripsWhole() throws {
        let bytes = try Packet.encode(samplePackets)
        #expect(try decode(bytes, pieces: [bytes.count]) == samplePackets)
    }

    @Test func roundTripsByteByByte() throws {
        let bytes = try Packet.encode(samplePackets)
        #expect(try decode(bytes, pieces: [Int](repeating: 1, count: bytes.count)) == samplePackets)
    }

    @Test(arguments: [1, 2, 3, 42, 2026])
    func roundTripsRandomSplits(seed: UInt64) throws {
        let bytes = try Packet.encode(samplePackets)
        var random = SplitMix(state: seed)
        var pieces = [Int]()
        var total = 0
        while total < bytes.count {
            let size = Int.random(in: 1...(Bool.random(using: &random) ? 7 : 9_000), using: &random)
            pieces.append(size)
            total += size
        }
        #expect(try decode(bytes, pieces: pieces) == samplePackets)
    }

    @Test func flushIsFourZeroBytes() throws {
        #expect(try Packet.encode([.flush]) == [0, 0, 0, 0])
        #expect(try Packet.encode([.control("ab")]) == [0, 0, 0, 3, 1, 0x61, 0x62])
    }

    @Test func refusesOversizedLengthBeforeBuffering() throws {
        var decoder = PacketDecoder()
        decoder.feed([0x00, 0x01, 0x00, 0x01])  // 65,537
        #expect(throws: ProtocolError.packetTooLarge(length: 65_537, limit: 65_536, offset: 0)) { try decoder.next() }
        var small = PacketDecoder(limit: 100)
        small.feed([0, 0, 0, 2, 1, 0x61] + [0, 0, 0, 101])
        #expect(try small.next() == .control("a"))
        #expect(throws: ProtocolError.self) { try small.next() }
    }

    @Test func refusesUnknownChannel() {
        var decoder = PacketDecoder()
        decoder.feed([0, 0, 0, 0, 0, 0, 0, 2, 9, 0x41])
        #expect(throws: Never.self) { _ = try decoder.next() }
        #expect(throws: ProtocolError.unknownChannel(9, offset: 4)) { try decoder.next() }
    }

    @Test(arguments: [[0x00, 0x61] as [UInt8], [0x61, 0x0A, 0x62], [0xFF, 0xFE], []])
    func refusesBadControlLines(payload: [UInt8]) {
        var decoder = PacketDecoder()
        let length = UInt8(payload.count + 1)
        decoder.feed([0, 0, 0, length, 1] + payload)
        #expect(throws: ProtocolError.self) { try decoder.next() }
    }

    @Test func refusesKeepaliveWithPayload() {
        var decoder = PacketDecoder()
        decoder.feed([0, 0, 0, 2, 5, 0])
        #expect(throws: ProtocolError.self) { try decoder.next() }
    }

    @Test func encoderRefusesOversizedPayloadAndBadLines() {
        #expect(throws: ProtocolError.self) { try Packet.encode([.pack([UInt8](repeating: 0, count: Packet.maxPayload + 1))]) }
        #expect(throws: ProtocolError.self) { try Packet.encode([.control("two\nlines")]) }
        #expect(throws: ProtocolError.self) { try Packet.encode([.control(String(repeating: "x", count: 4097))]) }
    }

    @Test func packPacketsSplitAtTheLimit() {
        let packets = Packet.packPackets([UInt8](repeating: 7, count: Packet.maxPayload * 2 + 1))
        #expect(packets.count == 3)
        #expect(packets.last == .pack([7]))
    }
}

@Suite struct ControlLineTests {
    @Test(arguments: [
        ControlLine.version(1), .agent("arxos/0.1.0 linux"), .capability("push"), .command("fetch"), .prefix("refs/heads/"),
        .ref(RemoteRef(name: "refs/heads/main", id: sampleID)), .symref(name: "HEAD", target: "refs/heads/main"),
        .want(sampleID), .have(sampleID), .probe(sampleID), .pack(objects: 3, bytes: 1234),
        .update(RefUpdate(ref: "refs/heads/main", old: nil, new: sampleID)),
        .update(RefUpdate(ref: "refs/heads/main", old: sampleID, new: nil, force: true)),
        .result(RefResult(ref: "refs/heads/main", rejection: nil)),
        .result(RefResult(ref: "refs/heads/main", rejection: "non-fast-forward")), .negotiate,
    ])
    func roundTrips(line: ControlLine) throws {
        #expect(try ControlLine(parsing: line.text) == line)
    }

    @Test(arguments: [
        "frobnicate 1", "version x", "version", "want 123", "want \(String(repeating: "G", count: 64))",
        "want \(sampleID.hex.uppercased())", "pack 1", "pack -1 2", "pack 1 99999999999999999999",
        "update \(sampleID.hex) \(sampleID.hex)", "update \(sampleID.hex) \(sampleID.hex) refs/heads/x yes",
        "result maybe refs/heads/x", "have  \(sampleID.hex)", "command",
    ])
    func refusesMalformed(text: String) {
        #expect(throws: ProtocolError.self) { try ControlLine(parsing: text) }
    }
}
