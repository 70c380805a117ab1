import ArxosCore
import ArxosStore
import Foundation

/// What can go wrong moving objects and refs between repositories.
public enum TransferError: Error, LocalizedError {
    case io(String, errno: Int32)
    case limit(String, value: UInt64, limit: UInt64)
    case badPack(String)
    case badObject(ObjectID, String)
    case missingLink(from: ObjectID, to: ObjectID)
    case wrongLinkType(from: ObjectID, to: ObjectID, expected: ObjectType, actual: ObjectType)
    case missingTip(String, ObjectID)
    case notPublished(ObjectID)
    case countMismatch(declared: Int, received: Int)
    case unsigned(ObjectID, ObjectType, reason: String)
    case badPolicy(String)
    case timedOut(String)

    public var errorDescription: String? {
        switch self {
        case let .io(what, code): "\(what) failed: \(String(cString: strerror(code)))"
        case let .limit(what, value, limit):
            "\(what) is \(value) bytes, more than the limit of \(limit); nothing was stored\nhint: the sender is damaged or hostile, or raise the limit in .arxos/config"
        case let .badPack(reason): "the received pack is invalid: \(reason); nothing was stored"
        case let .badObject(id, reason): "received object \(id.hex) is invalid: \(reason); nothing was stored"
        case let .missingLink(from, to):
            "received object \(from.hex) refers to \(to.hex), which neither the pack nor this repository has; nothing was stored"
        case let .wrongLinkType(from, to, expected, actual):
            "received object \(from.hex) refers to \(to.hex) as a \(expected.rawValue), but it is a \(actual.rawValue); nothing was stored"
        case let .missingTip(ref, id): "the new value \(id.hex) of \(ref) was not received; nothing was stored"
        case let .notPublished(id): "\(id.hex) is not the value of any ref of this repository"
        case let .countMismatch(declared, received):
            "the received pack declared \(declared) objects but held \(received); nothing was stored"
        case let .unsigned(id, type, reason):
            "received \(type.rawValue) \(id.hex) does not meet receive.requireSignedBy: \(reason) Nothing was stored.\nhint: sign it with a key this repository trusts ('arxos key trust')"
        case let .badPolicy(value):
            "receive.requireSignedBy = \(value) is not understood: use 'trusted' or a number of distinct trusted signers"
        case let .timedOut(what): "\(what) timed out: the far side did not answer in time"
        }
    }

    /// Whether the error means received data failed verification (exit status 4) rather than a plain failure.
    public var isVerification: Bool {
        switch self {
        case .io, .notPublished, .badPolicy, .timedOut: false
        default: true
        }
    }
}
