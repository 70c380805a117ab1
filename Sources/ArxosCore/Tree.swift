/// One entry of a tree: a file (blob) or a directory (tree).
public struct TreeEntry: Hashable, Sendable {
    public enum Kind: String, Sendable { case file = "100644", directory = "40000" }
    public var kind: Kind
    public var name: String
    public var id: ObjectID

    public init(kind: Kind, name: String, id: ObjectID) {
        self.kind = kind; self.name = name; self.id = id
    }
}

/// A directory listing: entries sorted by name bytes, each naming a blob or a tree.
public struct Tree: Hashable, Sendable {
    public private(set) var entries: [TreeEntry]

    /// Makes a tree from entries in any order; names must be valid and unique.
    public init(entries: [TreeEntry]) throws(ObjectFormatError) {
        for entry in entries { try Tree.validate(name: entry.name) }
        let sorted = entries.sorted { Tree.nameOrder($0.name, $1.name) }
        // Names are compared as bytes: two spellings that Unicode calls equal are different names.
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.name.utf8.elementsEqual(b.name.utf8) { throw .treeNotSorted(b.name) }
        self.entries = sorted
    }

    /// The empty tree.
    public static let empty = Tree(uncheckedSorted: [])

    init(uncheckedSorted entries: [TreeEntry]) { self.entries = entries }

    public subscript(name: String) -> TreeEntry? { entries.first { $0.name.utf8.elementsEqual(name.utf8) } }

    /// The canonical content bytes.
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(entries.count * 60)
        for entry in entries {
            out.append(contentsOf: entry.kind.rawValue.utf8)
            out.append(0x20)
            out.append(contentsOf: entry.name.utf8)
            out.append(0)
            entry.id.append(to: &out)
        }
        return out
    }

    /// An entry whose name is left as bytes, for comparing trees without decoding every name.
    public struct RawEntry: Equatable, Sendable {
        public let kind: TreeEntry.Kind
        public let name: ArraySlice<UInt8>
        public let id: ObjectID

        /// The name as text, checked against the rules of docs/format.md.
        public func decodedName() throws(ObjectFormatError) -> String {
            guard let name = String(validating: name, as: UTF8.self) else {
                throw .badTreeName(String(decoding: name, as: UTF8.self), reason: "not valid UTF-8")
            }
            try Tree.validate(name: name)
            return name
        }
    }

    /// Splits tree content into entries, checking their framing but leaving names undecoded (in stored order).
    public static func rawEntries(_ content: ArraySlice<UInt8>) throws(ObjectFormatError) -> [RawEntry] {
        var entries = [RawEntry]()
        var index = content.startIndex
        while index < content.endIndex {
            guard let space = content[index...].prefix(7).firstIndex(of: 0x20) else {
                throw .badTreeEntry(offset: index - content.startIndex, reason: "no mode")
            }
            let kind: TreeEntry.Kind
            switch content[index..<space].count {
            case 6: kind = .file
            case 5: kind = .directory
            default: throw .badTreeEntry(offset: index - content.startIndex, reason: "unknown mode")
            }
            guard let nul = content[(space + 1)...].firstIndex(of: 0), content.endIndex - (nul + 1) >= 32 else {
                throw .badTreeEntry(offset: index - content.startIndex, reason: "entry truncated")
            }
            let id = content.withUnsafeBytes { raw in
                ObjectID(raw: UnsafeRawBufferPointer(rebasing: raw[(nul + 1 - content.startIndex)...]))
            }
            entries.append(RawEntry(kind: kind, name: content[(space + 1)..<nul], id: id))
            index = nul + 33
        }
        return entries
    }

    /// Parses and validates tree content: every name allowed, entries strictly sorted.
    public init(parsing content: ArraySlice<UInt8>) throws(ObjectFormatError) {
        var entries = [TreeEntry]()
        var index = content.startIndex
        var previous: [UInt8]? = nil
        while index < content.endIndex {
            let start = index
            guard let space = content[index...].prefix(7).firstIndex(of: 0x20) else {
                throw .badTreeEntry(offset: start - content.startIndex, reason: "no mode")
            }
            guard let kind = TreeEntry.Kind(rawValue: String(decoding: content[index..<space], as: UTF8.self)) else {
                throw .badTreeEntry(offset: start - content.startIndex, reason: "unknown mode '\(String(decoding: content[index..<space], as: UTF8.self))'")
            }
            guard let nul = content[(space + 1)...].firstIndex(of: 0) else {
                throw .badTreeEntry(offset: start - content.startIndex, reason: "name not terminated")
            }
            let nameBytes = Array(content[(space + 1)..<nul])
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw .badTreeName(String(decoding: nameBytes, as: UTF8.self), reason: "not valid UTF-8")
            }
            try Tree.validate(name: name)
            if let previous, !Tree.byteOrder(previous, nameBytes) { throw .treeNotSorted(name) }
            guard content.endIndex - (nul + 1) >= 32, let id = ObjectID(bytes: content[(nul + 1)..<(nul + 33)]) else {
                throw .badTreeEntry(offset: start - content.startIndex, reason: "id truncated")
            }
            entries.append(TreeEntry(kind: kind, name: name, id: id))
            previous = nameBytes
            index = nul + 33
        }
        self.entries = entries
    }

    /// Checks a tree entry name against the rules of docs/format.md.
    public static func validate(name: String) throws(ObjectFormatError) {
        let bytes = name.utf8
        if bytes.isEmpty { throw .badTreeName(name, reason: "empty") }
        if bytes.count > 255 { throw .badTreeName(name, reason: "longer than 255 bytes") }
        if bytes.contains(0x2F) { throw .badTreeName(name, reason: "contains '/'") }
        if bytes.contains(0) { throw .badTreeName(name, reason: "contains NUL") }
        if name == "." || name == ".." { throw .badTreeName(name, reason: "'.' and '..' are reserved") }
        if bytes.count == 6, name.lowercased() == ".arxos" { throw .badTreeName(name, reason: "'.arxos' is the repository directory") }
    }

    /// The tree entry order: unsigned bytes of the UTF-8 name.
    public static func nameOrder(_ a: String, _ b: String) -> Bool { a.utf8Precedes(b) }

    static func byteOrder(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }
}
