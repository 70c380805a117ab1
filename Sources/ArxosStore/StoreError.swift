import ArxosCore
import Foundation

/// What can go wrong reading or writing a repository's store.
public enum StoreError: Error, LocalizedError {
    case notARepository(String)
    case unsupportedFormat(path: String, found: String)
    case io(path: String, operation: String, errno: Int32)
    case corrupt(String, String)
    case tooLarge(String, declared: UInt64, limit: Int)
    case idMismatch(ObjectID, file: String, actual: ObjectID)
    case missingObject(ObjectID)
    case wrongType(ObjectID, expected: ObjectType, actual: ObjectType)
    case malformed(ObjectID, file: String, ObjectFormatError)
    case compression(String)
    case badRefName(String, reason: String)
    case refChanged(String, expected: String, actual: String)
    case refLockHeld(String)
    case lockBusy(String, seconds: Double)
    case badConfig(path: String, line: Int, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .notARepository(path):
            "not an arxos repository (or any parent up to /): \(path)\nhint: run 'arxos init' to create one"
        case let .unsupportedFormat(path, found):
            "\(path): repository format \(found) is not supported by this arxos (it understands format.version = 1, format.hash = sha256)\nhint: upgrade arxos to a version that knows this format"
        case let .io(path, operation, code):
            "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case let .corrupt(what, reason):
            "\(what) is corrupt: \(reason)\nhint: run 'arxos fsck' to list the damage"
        case let .tooLarge(what, declared, limit):
            "\(what) declares \(declared) bytes, more than the limit of \(limit)\nhint: the object is corrupt or hostile; run 'arxos fsck'"
        case let .idMismatch(id, file, actual):
            "object \(id.hex) in \(file) hashes to \(actual.hex): the file is corrupt\nhint: run 'arxos fsck' and restore the object from a clone"
        case let .missingObject(id):
            "object \(id.hex) is missing from the store\nhint: run 'arxos fsck' to see what refers to it"
        case let .wrongType(id, expected, actual):
            "object \(id.hex) is a \(actual.rawValue), expected a \(expected.rawValue)"
        case let .malformed(id, file, reason):
            "object \(id.hex) in \(file) is malformed: \(reason.localizedDescription)"
        case let .compression(reason): "zstd compression failed: \(reason)"
        case let .badRefName(name, reason): "'\(name.debugEscaped)' is not a valid ref name: \(reason)"
        case let .refChanged(name, expected, actual):
            "\(name) moved while this command ran (expected \(expected), found \(actual)); nothing was changed\nhint: run the command again"
        case let .refLockHeld(path): "\(path) exists: another arxos is updating this ref"
        case let .lockBusy(path, seconds):
            "another arxos process is writing this repository: \(path) is locked (waited \(seconds)s)\nhint: wait for it to finish, or raise ARXOS_LOCK_TIMEOUT"
        case let .badConfig(path, line, reason): "\(path):\(line): \(reason)"
        }
    }
}
