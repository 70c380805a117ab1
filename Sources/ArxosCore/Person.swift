/// A name, an email and a moment with its UTC offset: the author, committer or tagger of an object.
public struct Person: Hashable, Sendable {
    public var name: String
    public var email: String
    public var seconds: Int64
    /// Offset from UTC in minutes.
    public var offsetMinutes: Int

    public init(name: String, email: String, seconds: Int64, offsetMinutes: Int) {
        self.name = name; self.email = email; self.seconds = seconds; self.offsetMinutes = offsetMinutes
    }

    /// `Name <email> 1700000000 +0100`.
    public var encoded: String { "\(name) <\(email)> \(seconds) \(Person.formatOffset(offsetMinutes))" }

    /// `+0100` for 60 minutes.
    public static func formatOffset(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let m = abs(minutes)
        let hh = m / 60, mm = m % 60
        return sign + (hh < 10 ? "0" : "") + String(hh) + (mm < 10 ? "0" : "") + String(mm)
    }

    /// Parses `Name <email> 1700000000 +0100`.
    public init?(parsing text: Substring) {
        guard let lt = text.firstIndex(of: "<"), let gt = text[lt...].firstIndex(of: ">") else { return nil }
        let name = text[..<lt].hasSuffix(" ") ? text[..<text.index(before: lt)] : text[..<lt]
        let email = text[text.index(after: lt)..<gt]
        let rest = text[text.index(after: gt)...].split(separator: " ", omittingEmptySubsequences: false)
        guard rest.count == 3, rest[0].isEmpty, let seconds = Int64(rest[1]), let offset = Person.parseOffset(rest[2]),
              !name.contains("<"), !name.contains(">"), !email.contains("<")
        else { return nil }
        self.init(name: String(name), email: String(email), seconds: seconds, offsetMinutes: offset)
    }

    static func parseOffset(_ text: Substring) -> Int? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 5, utf8[0] == UInt8(ascii: "+") || utf8[0] == UInt8(ascii: "-"),
              utf8[1...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let hh = Int(text.dropFirst().prefix(2)), let mm = Int(text.suffix(2)),
              mm < 60
        else { return nil }
        return (utf8[0] == UInt8(ascii: "-") ? -1 : 1) * (hh * 60 + mm)
    }

    /// Whether a name or email can be written into a header.
    public static func isValidField(_ text: String) -> Bool {
        !text.contains("<") && !text.contains(">") && !text.contains("\n") && !text.contains("\0")
    }
}

/// One `key value` header line of a commit or tag.
public struct HeaderField: Hashable, Sendable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// Splits text objects (commits, tags) into header fields and the message.
enum HeaderText {
    static func split(_ content: ArraySlice<UInt8>) throws(ObjectFormatError) -> ([HeaderField], String) {
        guard String(validating: content, as: UTF8.self) != nil else { throw .badHeaderLine(line: 0, reason: "not valid UTF-8") }
        // Lines are split on the byte 0x0A, never on Unicode line boundaries ("\r\n" is not one separator here).
        var fields = [HeaderField]()
        var rest = content
        var lineNumber = 0
        while true {
            lineNumber += 1
            guard let newline = rest.firstIndex(of: 0x0A) else {
                throw .badHeaderLine(line: lineNumber, reason: "headers are not followed by an empty line")
            }
            let line = rest[..<newline]
            rest = rest[(newline + 1)...]
            if line.isEmpty { break }
            guard let space = line.firstIndex(of: 0x20), space > line.startIndex,
                  line[..<space].allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D })
            else { throw .badHeaderLine(line: lineNumber, reason: "expected '<key> <value>'") }
            if line.contains(0x0D) { throw .badHeaderLine(line: lineNumber, reason: "a header contains a carriage return") }
            fields.append(HeaderField(key: String(decoding: line[..<space], as: UTF8.self),
                                      value: String(decoding: line[(space + 1)...], as: UTF8.self)))
        }
        return (fields, String(decoding: rest, as: UTF8.self))
    }

    static func join(_ fields: [HeaderField], message: String) -> [UInt8] {
        var text = ""
        for field in fields { text += field.key + " " + field.value + "\n" }
        text += "\n" + message
        return Array(text.utf8)
    }
}
