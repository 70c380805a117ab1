import ArxosCore
import Foundation

/// What can go wrong speaking the transfer protocol (docs/protocol.md).
public enum ProtocolError: Error, LocalizedError, Equatable, Sendable {
    case packetTooLarge(length: Int, limit: Int, offset: Int)
    case unknownChannel(UInt8, offset: Int)
    case badControlLine(String, reason: String)
    case controlLineTooLong(Int)
    case unexpected(String, expected: String)
    case noCommonVersion(offered: [Int])
    case missingCapability(String)
    case truncated(String)
    case remote(String)
    case tooManyProbes(Int)
    case unprobedHave(ObjectID)
    case packSizeMismatch(declared: Int, received: Int)
    case wrongState(String)

    public var errorDescription: String? {
        switch self {
        case let .packetTooLarge(length, limit, offset):
            "protocol error: the packet at byte \(offset) declares \(length) bytes, more than the limit of \(limit)"
        case let .unknownChannel(channel, offset):
            "protocol error: the packet at byte \(offset) uses unknown channel \(channel)"
        case let .badControlLine(line, reason):
            "protocol error: bad control line '\(line.debugEscaped.prefix(120))': \(reason)"
        case let .controlLineTooLong(count):
            "protocol error: a control line of \(count) bytes is longer than 4096 bytes"
        case let .unexpected(what, expected):
            "protocol error: received \(what) where \(expected) was expected"
        case let .noCommonVersion(offered):
            "the remote speaks protocol versions \(offered.map(String.init).joined(separator: ", ")); this arxos speaks version 1\nhint: upgrade arxos on the side with the older version"
        case let .missingCapability(name):
            "the remote does not offer '\(name)'\nhint: check that the remote is an arxos repository served with write access"
        case let .truncated(what):
            "the connection ended in the middle of \(what)\nhint: check the network or the remote's error output and run the command again"
        case let .remote(message): "remote: \(message)"
        case let .tooManyProbes(count): "protocol error: a probe message holds \(count) ids, more than 256"
        case let .unprobedHave(id): "protocol error: 'have \(id.hex)' answers an id that was not probed"
        case let .packSizeMismatch(declared, received):
            "protocol error: the pack message declared \(declared) bytes but carried \(received)"
        case let .wrongState(what): "protocol misuse: \(what)"
        }
    }
}
