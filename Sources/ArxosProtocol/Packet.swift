/// The channel of a packet (docs/protocol.md, "Framing").
public enum Channel: UInt8, Sendable {
    case control = 1, pack = 2, progress = 3, error = 4, keepalive = 5
}

/// One packet of the framing layer: a flush, or a payload on a channel.
public enum Packet: Equatable, Sendable {
    case flush
    /// One control line (without a newline).
    case control(String)
    /// Bytes of a pack stream.
    case pack([UInt8])
    case progress(String)
    /// A fatal error reported by the peer.
    case error(String)
    case keepalive

    /// The largest value of the length field: channel byte plus payload.
    public static let maxLength = 65_536
    /// The largest payload of one packet.
    public static let maxPayload = maxLength - 1
    /// The longest control line in bytes.
    public static let maxControlLine = 4_096

    /// Appends the packet's bytes to `buffer`; a payload longer than `maxPayload` is refused.
    public func encode(into buffer: inout [UInt8]) throws(ProtocolError) {
        let channel: Channel
        let payload: [UInt8]
        switch self {
        case .flush:
            buffer.append(contentsOf: [0, 0, 0, 0])
            return
        case let .control(line):
            try ControlLine.check(line)
            channel = .control
            payload = Array(line.utf8)
        case let .pack(bytes): channel = .pack; payload = bytes
        case let .progress(text): channel = .progress; payload = Array(text.utf8.prefix(Packet.maxPayload))
        case let .error(text): channel = .error; payload = Array(text.utf8.prefix(Packet.maxPayload))
        case .keepalive: channel = .keepalive; payload = []
        }
        guard payload.count <= Packet.maxPayload else {
            throw .packetTooLarge(length: payload.count + 1, limit: Packet.maxLength, offset: buffer.count)
        }
        let length = UInt32(payload.count + 1)
        buffer.append(contentsOf: [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)])
        buffer.append(channel.rawValue)
        buffer.append(contentsOf: payload)
    }

    /// The bytes of a sequence of packets.
    public static func encode(_ packets: [Packet]) throws(ProtocolError) -> [UInt8] {
        var out = [UInt8]()
        for packet in packets { try packet.encode(into: &out) }
        return out
    }

    /// Pack packets carrying `bytes`, each at most `maxPayload` long.
    public static func packPackets(_ bytes: [UInt8]) -> [Packet] {
        stride(from: 0, to: bytes.count, by: maxPayload).map { start in
            .pack(Array(bytes[start..<min(start + maxPayload, bytes.count)]))
        }
    }
}

/// Splits a byte stream into packets, whatever the boundaries of the pieces it is fed.
public struct PacketDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes consumed before `buffer[start]`, for error offsets.
    private var consumed = 0
    /// The largest length field accepted.
    public let limit: Int

    /// A decoder that refuses packets longer than `limit` (at most `Packet.maxLength`).
    public init(limit: Int = Packet.maxLength) { self.limit = min(max(limit, 1), Packet.maxLength) }

    /// Adds bytes read from the stream.
    public mutating func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes fed but not yet returned as packets.
    public var buffered: Int { buffer.count - start }

    /// The next complete packet, or nil when more bytes are needed. Throws on a packet that breaks the framing rules.
    public mutating func next() throws(ProtocolError) -> Packet? {
        guard buffer.count - start >= 4 else { return nil }
        let offset = consumed
        let length = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
        if length == 0 {
            advance(4)
            return .flush
        }
        guard length <= limit else { throw .packetTooLarge(length: length, limit: limit, offset: offset) }
        guard buffer.count - start >= 4 + length else { return nil }
        let channelByte = buffer[start + 4]
        guard let channel = Channel(rawValue: channelByte) else { throw .unknownChannel(channelByte, offset: offset) }
        let payload = Array(buffer[(start + 5)..<(start + 4 + length)])
        advance(4 + length)
        switch channel {
        case .control:
            guard let line = String(validating: payload, as: UTF8.self) else {
                throw .badControlLine(String(decoding: payload, as: UTF8.self), reason: "not valid UTF-8")
            }
            try ControlLine.check(line)
            return .control(line)
        case .pack: return .pack(payload)
        case .progress: return .progress(String(decoding: payload, as: UTF8.self))
        case .error: return .error(String(decoding: payload, as: UTF8.self))
        case .keepalive:
            guard payload.isEmpty else {
                throw .unexpected("a keepalive packet with \(payload.count) payload bytes at byte \(offset)", expected: "an empty keepalive")
            }
            return .keepalive
        }
    }

    private mutating func advance(_ count: Int) {
        start += count
        consumed += count
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
    }
}
