import Foundation

/// A YAML value as written, before any interpretation: a scalar (with whether it was plain, unquoted), a list or a map.
/// Maps keep their key order, so unknown fields round-trip.
public indirect enum ModelValue: Hashable, Sendable {
    case scalar(String, plain: Bool)
    case list([ModelValue])
    case map([Field])

    /// One key of a map.
    public struct Field: Hashable, Sendable {
        public var key: String
        public var value: ModelValue
        public init(key: String, value: ModelValue) { self.key = key; self.value = value }
    }

    /// The text of a scalar; nil for lists and maps.
    public var text: String? {
        if case let .scalar(text, _) = self { return text }
        return nil
    }

    /// The fields of a map; nil otherwise.
    public var fields: [Field]? {
        if case let .map(fields) = self { return fields }
        return nil
    }

    /// The scalar texts of a list (a single scalar counts as a list of one); nil when it holds maps or lists.
    public var idList: [String]? {
        switch self {
        case let .scalar(text, plain): return plain && ["", "~", "null"].contains(text) ? [] : [text]
        case let .list(items):
            let texts = items.compactMap(\.text)
            return texts.count == items.count ? texts : nil
        case .map: return nil
        }
    }

    /// The value as it would appear in YAML flow style, for messages and diffs.
    public var display: String {
        switch self {
        case let .scalar(text, _): return text
        case let .list(items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
        case let .map(fields): return "{" + fields.map { "\($0.key): \($0.value.display)" }.joined(separator: ", ") + "}"
        }
    }
}

/// One building object as written in a file: its id, type, the file it lives in, and every field in order.
public struct ArxObject: Hashable, Sendable {
    public var id: String
    public var type: String
    public var path: String
    public var line: Int
    public var fields: [ModelValue.Field]

    public init(id: String, type: String, path: String, line: Int, fields: [ModelValue.Field]) {
        self.id = id; self.type = type; self.path = path; self.line = line; self.fields = fields
    }

    /// The relations whose values are lists of object ids.
    public static let relationKeys: Set<String> = ["feeds", "fedBy", "points", "partOf"]

    public subscript(key: String) -> ModelValue? { fields.first { $0.key == key }?.value }

    public var location: String? { self["location"]?.text }

    /// Reads every object of a file. The file must already have passed `ObjectFile.summaries`.
    public static func objects(path: String, bytes: [UInt8]) throws -> [ArxObject] {
        try read(path: path, bytes: bytes).objects
    }

    /// Reads every object of a file and how the file lays them out (one parse for both).
    public static func read(path: String, bytes: [UInt8]) throws -> (objects: [ArxObject], layout: FileLayout) {
        let summaries = try ObjectFile.summaries(path: path, bytes: bytes)
        guard let documents = ValueReader.documents(bytes) else { return ([], .documents) }
        let layout = FileLayout.of(documents: documents)
        var values = [ModelValue]()
        for document in documents {
            if case let .list(items) = document { values += items } else { values.append(document) }
        }
        var out = [ArxObject]()
        for (value, summary) in zip(values, summaries) {
            guard case let .map(fields) = value else { continue }
            out.append(ArxObject(id: summary.id, type: summary.type, path: path, line: summary.line, fields: fields))
        }
        return (out, layout)
    }
}
