import Foundation

/// A stored object whose bytes break the format of docs/format.md.
public enum ObjectFormatError: Error, LocalizedError, Equatable {
    case badHeader
    case sizeMismatch(declared: Int, actual: Int)
    case badTreeEntry(offset: Int, reason: String)
    case badTreeName(String, reason: String)
    case treeNotSorted(String)
    case badHeaderLine(line: Int, reason: String)
    case missingHeader(String)

    public var errorDescription: String? {
        switch self {
        case .badHeader: "the object header is not '<type> <size>\\0'"
        case let .sizeMismatch(declared, actual): "the header declares \(declared) content bytes but there are \(actual)"
        case let .badTreeEntry(offset, reason): "tree entry at byte \(offset) is malformed: \(reason)"
        case let .badTreeName(name, reason): "tree entry name '\(name.debugEscaped)' is not allowed: \(reason)"
        case let .treeNotSorted(name): "tree entry '\(name.debugEscaped)' is out of order or duplicated"
        case let .badHeaderLine(line, reason): "header line \(line) is malformed: \(reason)"
        case let .missingHeader(key): "the required header '\(key)' is missing"
        }
    }
}

extension String {
    /// The string with control characters escaped, safe to print in one line.
    public var debugEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\x%02x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
