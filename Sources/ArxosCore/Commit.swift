import Foundation

/// A recorded state: a tree, its parents, who made it and when, the message and any signatures.
public struct Commit: Hashable, Sendable {
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var author: Person
    public var committer: Person
    /// Headers other than tree, parent, author, committer and signature, kept in order.
    public var extraHeaders: [HeaderField]
    /// `signature` header values: `ed25519 <key-id> <base64>`.
    public var signatures: [String]
    public var message: String

    public init(tree: ObjectID, parents: [ObjectID], author: Person, committer: Person,
                extraHeaders: [HeaderField] = [], signatures: [String] = [], message: String) {
        self.tree = tree; self.parents = parents; self.author = author; self.committer = committer
        self.extraHeaders = extraHeaders; self.signatures = signatures; self.message = message
    }

    /// The content bytes.
    public func encoded() -> [UInt8] { HeaderText.join(fields(includingSignatures: true), message: message) }

    /// The bytes that signatures sign: the content without `signature` lines.
    public func signedPayload() -> [UInt8] { HeaderText.join(fields(includingSignatures: false), message: message) }

    private func fields(includingSignatures: Bool) -> [HeaderField] {
        var fields = [HeaderField(key: "tree", value: tree.hex)]
        fields += parents.map { HeaderField(key: "parent", value: $0.hex) }
        fields.append(HeaderField(key: "author", value: author.encoded))
        fields.append(HeaderField(key: "committer", value: committer.encoded))
        fields += extraHeaders
        if includingSignatures { fields += signatures.map { HeaderField(key: "signature", value: $0) } }
        return fields
    }

    /// Parses commit content, checking the header order of docs/format.md.
    public init(parsing content: ArraySlice<UInt8>) throws(ObjectFormatError) {
        let (fields, message) = try HeaderText.split(content)
        var index = 0
        func take(_ key: String) -> String? {
            guard index < fields.count, fields[index].key == key else { return nil }
            index += 1
            return fields[index - 1].value
        }
        guard let treeHex = take("tree") else { throw .missingHeader("tree") }
        guard let tree = ObjectID(hex: treeHex) else { throw .badHeaderLine(line: 1, reason: "tree is not a 64-digit hex id") }
        var parents = [ObjectID]()
        while let parentHex = take("parent") {
            guard let parent = ObjectID(hex: parentHex) else { throw .badHeaderLine(line: index, reason: "parent is not a 64-digit hex id") }
            parents.append(parent)
        }
        guard let authorText = take("author") else { throw .missingHeader("author") }
        guard let author = Person(parsing: Substring(authorText)) else { throw .badHeaderLine(line: index, reason: "author is not '<name> <<email>> <seconds> <±hhmm>'") }
        guard let committerText = take("committer") else { throw .missingHeader("committer") }
        guard let committer = Person(parsing: Substring(committerText)) else { throw .badHeaderLine(line: index, reason: "committer is not '<name> <<email>> <seconds> <±hhmm>'") }
        var extra = [HeaderField]()
        var signatures = [String]()
        for field in fields[index...] {
            switch field.key {
            case "tree", "parent", "author", "committer": throw .badHeaderLine(line: index + 1, reason: "'\(field.key)' is out of place")
            case "signature": signatures.append(field.value)
            default:
                guard signatures.isEmpty else { throw .badHeaderLine(line: index + 1, reason: "'\(field.key)' after a signature") }
                extra.append(field)
            }
            index += 1
        }
        self.init(tree: tree, parents: parents, author: author, committer: committer,
                  extraHeaders: extra, signatures: signatures, message: message)
    }

    /// The first line of the message.
    public var subject: String {
        let line = message.utf8.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}
