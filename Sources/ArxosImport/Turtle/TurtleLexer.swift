/// One token of Turtle.
enum TurtleToken: Equatable, Sendable {
    case iri(String)                         // `<…>`, escapes decoded, not yet resolved
    case prefixedName(prefix: String, local: String)
    case blankLabel(String)                  // `_:x`
    case string(String)                      // any of the four quote forms, escapes decoded
    case number(String, datatype: String)
    case boolean(String)
    case languageTag(String)                 // `@en` (not `@prefix`/`@base`)
    case prefixDirective(sparql: Bool)       // `@prefix` / `PREFIX`
    case baseDirective(sparql: Bool)         // `@base` / `BASE`
    case a
    case datatypeMarker                      // `^^`
    case dot, semicolon, comma, openBracket, closeBracket, openParen, closeParen
    case end

    /// How the token reads in an error message.
    var quoted: String {
        switch self {
        case let .iri(value): return "<\(value)>"
        case let .prefixedName(prefix, local): return "'\(prefix):\(local)'"
        case let .blankLabel(label): return "'_:\(label)'"
        case .string: return "a string"
        case let .number(text, _): return "'\(text)'"
        case let .boolean(text): return "'\(text)'"
        case let .languageTag(tag): return "'@\(tag)'"
        case .prefixDirective: return "a prefix directive"
        case .baseDirective: return "a base directive"
        case .a: return "'a'"
        case .datatypeMarker: return "'^^'"
        case .dot: return "'.'"
        case .semicolon: return "';'"
        case .comma: return "','"
        case .openBracket: return "'['"
        case .closeBracket: return "']'"
        case .openParen: return "'('"
        case .closeParen: return "')'"
        case .end: return "the end of the file"
        }
    }
}

/// Splits Turtle bytes into tokens on demand, keeping the line and column of each.
struct TurtleLexer {
    let bytes: [UInt8]
    let file: String
    private(set) var position = 0
    private(set) var line = 1
    private var lineStart = 0
    /// Where the last token returned by `next()` started.
    private(set) var tokenLine = 1
    private(set) var tokenColumn = 1

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
    }

    /// The column (in characters, from 1) of byte offset `offset` on the current line.
    func column(of offset: Int) -> Int {
        TextColumn.of(offset, lineStart: lineStart, in: bytes)
    }

    /// An error at byte `offset` (on the current line).
    func error(_ message: String, at offset: Int? = nil) -> TurtleError {
        TurtleError(file: file, line: line, column: column(of: offset ?? position), message: message)
    }

    /// An error at the start of the last token.
    func tokenError(_ message: String) -> TurtleError {
        TurtleError(file: file, line: tokenLine, column: tokenColumn, message: message)
    }

    private mutating func newline(at offset: Int) {
        line += 1
        lineStart = offset + 1
    }

    /// Skips white space and comments.
    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A: newline(at: position); position += 1
            case UInt8(ascii: "#"):
                while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            default: return
            }
        }
    }

    /// The next token.
    mutating func next() throws(TurtleError) -> TurtleToken {
        skipSpace()
        tokenLine = line
        tokenColumn = column(of: position)
        guard position < bytes.count else { return .end }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "<"): return .iri(try readIRI())
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try readString(quote: byte))
        case UInt8(ascii: "."):
            if position + 1 < bytes.count, isDigit(bytes[position + 1]) { return try readNumber() }
            position += 1; return .dot
        case UInt8(ascii: ";"): position += 1; return .semicolon
        case UInt8(ascii: ","): position += 1; return .comma
        case UInt8(ascii: "["): position += 1; return .openBracket
        case UInt8(ascii: "]"): position += 1; return .closeBracket
        case UInt8(ascii: "("): position += 1; return .openParen
        case UInt8(ascii: ")"): position += 1; return .closeParen
        case UInt8(ascii: "^"):
            guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "^") else {
                throw error("a single '^'; a datatype is written '^^' followed by an IRI")
            }
            position += 2; return .datatypeMarker
        case UInt8(ascii: "@"): return try readAtWord()
        case UInt8(ascii: "_"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ":") {
                position += 2
                let local = try readLocalName()
                guard !local.isEmpty else { throw error("'_:' needs a name after it, as in '_:b1'") }
                return .blankLabel(local)
            }
            return try readNameOrKeyword()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: return try readNameOrKeyword()
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
    }

    private func isNameChar(_ byte: UInt8) -> Bool {
        isNameStart(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    /// `@prefix`, `@base` or a language tag.
    private mutating func readAtWord() throws(TurtleError) -> TurtleToken {
        let start = position
        position += 1
        while position < bytes.count, isNameChar(bytes[position]) || bytes[position] == UInt8(ascii: "-") { position += 1 }
        let word = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
        switch word {
        case "prefix": return .prefixDirective(sparql: false)
        case "base": return .baseDirective(sparql: false)
        default:
            guard !word.isEmpty, word.first?.isLetter == true else {
                throw error("'@' must be followed by a language tag such as '@en' or by 'prefix'/'base'", at: start)
            }
            return .languageTag(word)
        }
    }

    /// `<…>` with `\u` escapes decoded.
    private mutating func readIRI() throws(TurtleError) -> String {
        let start = position
        position += 1
        var out = [UInt8]()
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: ">"):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") || bytes[position + 1] == UInt8(ascii: "U") else {
                    throw error("only \\uXXXX and \\UXXXXXXXX escapes are allowed in an IRI")
                }
                let scalar = try readHexEscape(digits: bytes[position + 1] == UInt8(ascii: "u") ? 4 : 8)
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            case 0x0A, 0x20, UInt8(ascii: "<"), UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"),
                 UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "`"):
                if byte == 0x0A || byte == 0x20 {
                    throw error("the IRI that starts here is not closed with '>' before the end of the line", at: start)
                }
                throw error("'\(Character(Unicode.Scalar(byte)))' cannot appear in an IRI; write it as %\(String(byte, radix: 16, uppercase: true))")
            default:
                if byte < 0x20 { throw error("a control character in an IRI") }
                out.append(byte)
                position += 1
            }
        }
        throw error("the IRI that starts here is not closed with '>'", at: start)
    }

    /// `\uXXXX` or `\UXXXXXXXX` at `position` (the backslash).
    private mutating func readHexEscape(digits: Int) throws(TurtleError) -> Unicode.Scalar {
        let start = position
        guard position + 2 + digits <= bytes.count,
              let value = UInt32(String(decoding: bytes[(position + 2)..<(position + 2 + digits)], as: UTF8.self), radix: 16),
              let scalar = Unicode.Scalar(value) else {
            throw error("a \\\(digits == 4 ? "u" : "U") escape needs \(digits) hexadecimal digits naming a Unicode character", at: start)
        }
        position += 2 + digits
        return scalar
    }

    /// A string in any of the four quote forms.
    private mutating func readString(quote: UInt8) throws(TurtleError) -> String {
        let start = position
        let startLine = line
        let long = position + 2 < bytes.count && bytes[position + 1] == quote && bytes[position + 2] == quote
        position += long ? 3 : 1
        var out = [UInt8]()
        while position < bytes.count {
            let byte = bytes[position]
            if byte == quote {
                if !long { position += 1; return String(decoding: out, as: UTF8.self) }
                if position + 2 < bytes.count && bytes[position + 1] == quote && bytes[position + 2] == quote {
                    // A long string may end with up to two quotes of its own: `""""a""""`.
                    var end = position + 3
                    while end < bytes.count && bytes[end] == quote && end - position < 5 { end += 1 }
                    out.append(contentsOf: repeatElement(quote, count: end - position - 3))
                    position = end
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(byte)
                position += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { break }
                let escaped = bytes[position + 1]
                let simple: UInt8?
                switch escaped {
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): simple = escaped
                case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
                default:
                    throw error("'\\\(Character(Unicode.Scalar(escaped)))' is not a string escape; write '\\\\' for a backslash")
                }
                if let simple {
                    out.append(simple)
                    position += 2
                } else {
                    let scalar = try readHexEscape(digits: escaped == UInt8(ascii: "u") ? 4 : 8)
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
            case 0x0A:
                if !long {
                    throw TurtleError(file: file, line: startLine, column: column(of: start),
                                      message: "the string that starts here is not closed on its line; close it or use \"\"\" for text over several lines")
                }
                out.append(byte)
                newline(at: position)
                position += 1
            case 0x0D where !long:
                throw error("a carriage return inside a string; write it as \\r")
            default:
                out.append(byte)
                position += 1
            }
        }
        throw TurtleError(file: file, line: startLine, column: 1,
                          message: "the string that starts on this line is not closed before the end of the file")
    }

    /// An integer, decimal or double, with its XSD datatype.
    private mutating func readNumber() throws(TurtleError) -> TurtleToken {
        let start = position
        if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
        var digits = 0, fraction = -1, exponent = false
        while position < bytes.count, isDigit(bytes[position]) { position += 1; digits += 1 }
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            position += 1
            fraction = 0
            while position < bytes.count, isDigit(bytes[position]) { position += 1; fraction += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            var look = position + 1
            if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
            if look < bytes.count, isDigit(bytes[look]) {
                exponent = true
                position = look
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
        }
        guard digits > 0 || fraction > 0 else { throw error("'\(Character(Unicode.Scalar(bytes[start])))' must be followed by a number", at: start) }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        let type = exponent ? "double" : fraction >= 0 ? "decimal" : "integer"
        return .number(text, datatype: Vocabulary.xsd + type)
    }

    /// The local part of a prefixed name or blank node label, with `\` escapes and `%hh` kept; a final `.` is left for
    /// the statement.
    private mutating func readLocalName() throws(TurtleError) -> String {
        var out = [UInt8]()
        while position < bytes.count {
            let byte = bytes[position]
            if isNameChar(byte) || byte == UInt8(ascii: ":") || (byte == UInt8(ascii: "_")) {
                out.append(byte); position += 1
            } else if byte == UInt8(ascii: "%") {
                guard position + 2 < bytes.count, isHex(bytes[position + 1]), isHex(bytes[position + 2]) else {
                    throw error("'%' in a name must be followed by two hexadecimal digits")
                }
                out.append(contentsOf: bytes[position...(position + 2)]); position += 3
            } else if byte == UInt8(ascii: "\\") {
                guard position + 1 < bytes.count, "_~.-!$&'()*+,;=/?#@%".utf8.contains(bytes[position + 1]) else {
                    throw error("'\\' in a name may only escape one of _~.-!$&'()*+,;=/?#@%")
                }
                out.append(bytes[position + 1]); position += 2
            } else if byte == UInt8(ascii: "."), !out.isEmpty, position + 1 < bytes.count,
                      isNameChar(bytes[position + 1]) || bytes[position + 1] == UInt8(ascii: ":")
                        || bytes[position + 1] == UInt8(ascii: "%") || bytes[position + 1] == UInt8(ascii: "\\")
                        || bytes[position + 1] == UInt8(ascii: ".") {
                // A dot inside a name, not at its end (look past runs of dots).
                var look = position
                while look < bytes.count, bytes[look] == UInt8(ascii: ".") { look += 1 }
                guard look < bytes.count, isNameChar(bytes[look]) || bytes[look] == UInt8(ascii: ":")
                        || bytes[look] == UInt8(ascii: "%") || bytes[look] == UInt8(ascii: "\\") else { break }
                out.append(contentsOf: bytes[position..<look]); position = look
            } else {
                break
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// A prefixed name, `a`, `true`/`false`, or a SPARQL-style `PREFIX`/`BASE`.
    private mutating func readNameOrKeyword() throws(TurtleError) -> TurtleToken {
        let start = position
        while position < bytes.count, isNameChar(bytes[position]) || bytes[position] == UInt8(ascii: ".") && position + 1 < bytes.count
                && isNameChar(bytes[position + 1]) && position > start {
            position += 1
        }
        let prefix = String(decoding: bytes[start..<position], as: UTF8.self)
        if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
            position += 1
            return .prefixedName(prefix: prefix, local: try readLocalName())
        }
        switch prefix {
        case "a": return .a
        case "true", "false": return .boolean(prefix)
        default:
            switch prefix.uppercased() {
            case "PREFIX": return .prefixDirective(sparql: true)
            case "BASE": return .baseDirective(sparql: true)
            default: break
            }
        }
        if prefix.isEmpty {
            let scalar = String(decoding: bytes[start..<min(bytes.count, start + 4)], as: UTF8.self).first.map(String.init) ?? "?"
            throw error("unexpected '\(scalar)'; expected an IRI, a prefixed name, a literal or punctuation", at: start)
        }
        throw error("'\(prefix)' is not a keyword or a prefixed name; a prefixed name needs a ':', as in 'brick:\(prefix)'", at: start)
    }
}
