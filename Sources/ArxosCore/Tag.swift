/// An annotated tag: a named, optionally signed pointer to another object.
public struct Tag: Hashable, Sendable {
    public var object: ObjectID
    public var type: ObjectType
    public var name: String
    public var tagger: Person
    public var signatures: [String]
    public var message: String

    public init(object: ObjectID, type: ObjectType, name: String, tagger: Person, signatures: [String] = [], message: String) {
        self.object = object; self.type = type; self.name = name; self.tagger = tagger
        self.signatures = signatures; self.message = message
    }

    public func encoded() -> [UInt8] { HeaderText.join(fields(includingSignatures: true), message: message) }
    public func signedPayload() -> [UInt8] { HeaderText.join(fields(includingSignatures: false), message: message) }

    private func fields(includingSignatures: Bool) -> [HeaderField] {
        var fields = [
            HeaderField(key: "object", value: object.hex), HeaderField(key: "type", value: type.rawValue),
            HeaderField(key: "tag", value: name), HeaderField(key: "tagger", value: tagger.encoded),
        ]
        if includingSignatures { fields += signatures.map { HeaderField(key: "signature", value: $0) } }
        return fields
    }

    public init(parsing content: ArraySlice<UInt8>) throws(ObjectFormatError) {
        let (fields, message) = try HeaderText.split(content)
        let keys = fields.map(\.key)
        guard keys.count >= 4, keys[0] == "object" else { throw .missingHeader("object") }
        guard keys[1] == "type" else { throw .missingHeader("type") }
        guard keys[2] == "tag" else { throw .missingHeader("tag") }
        guard keys[3] == "tagger" else { throw .missingHeader("tagger") }
        guard let object = ObjectID(hex: fields[0].value) else { throw .badHeaderLine(line: 1, reason: "object is not a 64-digit hex id") }
        guard let type = ObjectType(rawValue: fields[1].value) else { throw .badHeaderLine(line: 2, reason: "unknown type '\(fields[1].value)'") }
        guard let tagger = Person(parsing: Substring(fields[3].value)) else { throw .badHeaderLine(line: 4, reason: "tagger is not '<name> <<email>> <seconds> <±hhmm>'") }
        var signatures = [String]()
        for (offset, field) in fields.dropFirst(4).enumerated() {
            guard field.key == "signature" else { throw .badHeaderLine(line: offset + 5, reason: "unexpected header '\(field.key)'") }
            signatures.append(field.value)
        }
        self.init(object: object, type: type, name: fields[2].value, tagger: tagger, signatures: signatures, message: message)
    }
}
