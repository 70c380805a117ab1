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
public enum ObjectFile {
    /// Parses `bytes` (the content of `path`) and returns each object's id and type, or the first problem.
    public static func summaries(path: String, bytes: [UInt8]) throws(ModelError) -> [ObjectSummary] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ModelError(path: path, line: lineOfFirstInvalidByte(bytes), message: "the file is not valid UTF-8")
        }
        var out = [ObjectSummary]()
        do {
            let parser = try Parser(yaml: text)
            while let root = try parser.nextRoot() {
                switch root {
                case .mapping:
                    out.append(try summary(root, path: path))
                case let .sequence(items):
                    for item in items {
                        guard case .mapping = item else {
                            throw ModelError(path: path, line: item.mark?.line ?? 1, message: "a list item is not an object (expected a mapping with 'id' and 'type')")
                        }
                        out.append(try summary(item, path: path))
                    }
                case .scalar, .alias:
                    throw ModelError(path: path, line: root.mark?.line ?? 1, message: "expected an object (a mapping with 'id' and 'type') or a list of objects")
                }
            }
        } catch let error as ModelError {
            throw error
        } catch let error as YamlError {
            throw describe(error, path: path)
        } catch {
            throw ModelError(path: path, line: 1, message: "YAML error: \(error)")
        }
        return out
    }

    static func summary(_ node: Node, path: String) throws(ModelError) -> ObjectSummary {
        let line = node.mark?.line ?? 1
        guard let mapping = node.mapping else { throw ModelError(path: path, line: line, message: "expected a mapping") }
        var seen = Set<String>()
        for (key, _) in mapping {
            guard let name = key.string else { continue }
            if !seen.insert(name).inserted {
                throw ModelError(path: path, line: key.mark?.line ?? line, message: "the key '\(name)' appears twice in one object")
            }
        }
        guard let idNode = mapping["id"] else { throw ModelError(path: path, line: line, message: "the object has no 'id' (every object needs a unique 'id')") }
        guard case let .scalar(idScalar) = idNode, !idScalar.string.isEmpty else {
            throw ModelError(path: path, line: idNode.mark?.line ?? line, message: "'id' must be a non-empty string")
        }
        let id = idScalar.string
        if let bad = id.unicodeScalars.first(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw ModelError(path: path, line: idNode.mark?.line ?? line, message: "'id' \"\(id)\" contains \(bad == " " ? "a space" : "a control character")")
        }
        guard let typeNode = mapping["type"] else { throw ModelError(path: path, line: line, message: "object '\(id)' has no 'type'") }
        guard case let .scalar(typeScalar) = typeNode, isValidType(typeScalar.string) else {
            throw ModelError(path: path, line: typeNode.mark?.line ?? line, message: "object '\(id)': 'type' must be a short lowercase word such as 'vav' or 'elec_panel'")
        }
        return ObjectSummary(id: id, type: typeScalar.string, line: line)
    }

    /// A type is lowercase letters, digits and `_`, starting with a letter.
    public static func isValidType(_ type: String) -> Bool {
        guard let first = type.unicodeScalars.first, ("a"..."z").contains(first), type.unicodeScalars.count <= 64 else { return false }
        return type.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func describe(_ error: YamlError, path: String) -> ModelError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            return ModelError(path: path, line: mark.line, message: "YAML syntax error: \(problem)\(where_) (column \(mark.column))")
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.utf8.prefix($0).filter { $0 == 0x0A }.count + 1 } ?? 1
            return ModelError(path: path, line: line, message: "YAML error: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ModelError(path: path, line: context.mark.line, message: "duplicate keys \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return ModelError(path: path, line: 1, message: "YAML error: \(error)")
        }
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
                return try Yams.serialize(node: node, sortKeys: false)
            }
        }
        return nil
    }
}
