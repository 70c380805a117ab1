import Foundation
import Yams

/// The identity of one building object found in a working-tree file.
public struct ObjectSummary: Hashable, Sendable {
    public var id: String
    public var type: String
    /// The 1-based line where the object's mapping starts.
    public var line: Int

    public init(id: String, type: String, line: Int) {
        self.id = id; self.type = type; self.line = line
    }
}

/// A problem in a working-tree file, located by line.
public struct ModelError: Error, LocalizedError, Sendable, Equatable {
    public var path: String
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path; self.line = line; self.message = message
    }

    public var errorDescription: String? { "\(path):\(line): \(message)" }
}

/// Reads the objects of a YAML file: one mapping, a list of mappings, or several `---` documents of either.
///
/// Capture reads every changed file, so this walks libyaml's event stream directly (no document tree, no tag
/// resolution): it checks the file is well-formed YAML, that no mapping repeats a key, and that every object has a
/// string `id` and a valid `type`.
public enum ObjectFile {
    /// Parses `bytes` (the content of `path`) and returns each object's id and type, or the first problem.
    public static func summaries(path: String, bytes: [UInt8]) throws(ModelError) -> [ObjectSummary] {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ModelError(path: path, line: lineOfFirstInvalidByte(bytes), message: "the file is not valid UTF-8")
        }
        let result: Result<[ObjectSummary], ModelError> = bytes.withUnsafeBufferPointer { buffer in
            var scanner = EventScanner(path: path)
            return scanner.run(buffer)
        }
        return try result.get()
    }

    /// A type is lowercase letters, digits and `_`, starting with a letter.
    public static func isValidType(_ type: String) -> Bool {
        guard let first = type.unicodeScalars.first, ("a"..."z").contains(first), type.unicodeScalars.count <= 64 else { return false }
        return type.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func lineOfFirstInvalidByte(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }
}

extension ObjectFile {
    /// The YAML text of the object with `id` in a file's content, nil if the file does not hold it.
    public static func objectYAML(id: String, path: String, bytes: [UInt8]) throws -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let parser = try Parser(yaml: text)
        while let root = try parser.nextRoot() {
            let candidates: [Node] = root.sequence.map { Array($0) } ?? [root]
            for node in candidates where node.mapping?["id"]?.string == id {
                return try Yams.serialize(node: node, allowUnicode: true, sortKeys: false)
            }
        }
        return nil
    }
}
