import Foundation

/// A `name = value` configuration file (docs/format.md, "config"), kept in order with its comments.
public struct ConfigFile: Sendable {
    public let path: String
    private var lines: [String]

    /// Reads the file; a missing file is an empty configuration.
    public init(path: String) throws {
        self.path = path
        guard let bytes = try FileSystem.read(path) else { lines = []; return }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StoreError.badConfig(path: path, line: 1, reason: "not valid UTF-8")
        }
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for (number, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let (name, _) = ConfigFile.split(line), ConfigFile.isValidName(name) else {
                throw StoreError.badConfig(path: path, line: number + 1, reason: "expected 'name = value'")
            }
        }
    }

    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
    }

    static func split(_ line: String) -> (String, String)? {
        guard let eq = line.firstIndex(of: "=") else { return nil }
        return (line[..<eq].trimmingCharacters(in: .whitespaces), line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces))
    }

    public subscript(name: String) -> String? {
        for line in lines.reversed() {
            if let (key, value) = ConfigFile.split(line), key == name, !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { return value }
        }
        return nil
    }

    /// All settings in file order.
    public var entries: [(String, String)] {
        lines.compactMap { line in
            line.trimmingCharacters(in: .whitespaces).hasPrefix("#") ? nil : ConfigFile.split(line)
        }
    }

    public mutating func set(_ name: String, _ value: String) {
        if let index = lines.lastIndex(where: { ConfigFile.split($0)?.0 == name }) {
            lines[index] = "\(name) = \(value)"
        } else {
            lines.append("\(name) = \(value)")
        }
    }

    public mutating func unset(_ name: String) { lines.removeAll { ConfigFile.split($0)?.0 == name } }

    public func save() throws {
        try FileSystem.writeAtomically(path, Array((lines.map { $0 + "\n" }.joined()).utf8))
    }
}
