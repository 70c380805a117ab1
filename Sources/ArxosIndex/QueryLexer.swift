import ArxosModel

/// One token of a query, with where it starts.
public struct QueryToken: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A name: a field, a relation, a property, or a keyword (`and`, `or`, `not`, `in`, `has`, `true`, `false`).
        /// `quoted` is true for a name written in backquotes, which is never a keyword.
        case name(String, quoted: Bool)
        /// Text in single or double quotes, quotes undoubled.
        case text(String)
        /// A number without a unit, and how many digits it has after the point.
        case number(Double, decimals: Int)
        /// A number with a unit (`800 cfm`, `70°F`); `unitAt` is where the unit starts.
        case quantity(Quantity, unitAt: QueryPosition)
        /// `=`, `!=`, `<`, `<=`, `>`, `>=`, `~`, `!~` (`==` reads as `=`, `<>` as `!=`).
        case comparison(ComparisonOperator)
        case arrow, dot, comma, open, close
        case end
    }

    public var kind: Kind
    public var position: QueryPosition
    /// The token as written, for messages.
    public var text: String
}

/// Splits the text of a query into tokens. No I/O; errors name the line and column.
public struct QueryLexer: Sendable {
    private let characters: [Character]
    /// The line and column of every character (and of the end).
    private let positions: [QueryPosition]

    public init(_ text: String) {
        characters = Array(text)
        var positions = [QueryPosition]()
        positions.reserveCapacity(characters.count + 1)
        var line = 1, column = 1
        for character in characters {
            positions.append(QueryPosition(line: line, column: column))
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        positions.append(QueryPosition(line: line, column: column))
        self.positions = positions
    }

    /// Every token of the query, ending with `.end`.
    public func tokens() throws(QueryError) -> [QueryToken] {
        var out = [QueryToken]()
        var i = 0
        while true {
            while i < characters.count, characters[i].isWhitespace { i += 1 }
            guard i < characters.count else {
                out.append(QueryToken(kind: .end, position: positions[i], text: "end of query"))
                return out
            }
            let start = i
            let c = characters[i]
            func token(_ kind: QueryToken.Kind, length: Int) -> QueryToken {
                i = start + length
                return QueryToken(kind: kind, position: positions[start], text: String(characters[start..<start + length]))
            }
            switch c {
            case "(": out.append(token(.open, length: 1))
            case ")": out.append(token(.close, length: 1))
            case ",": out.append(token(.comma, length: 1))
            case ".": out.append(token(.dot, length: 1))
            case "~": out.append(token(.comparison(.glob), length: 1))
            case "=": out.append(token(.comparison(.equal), length: peek(start + 1) == "=" ? 2 : 1))
            case "!":
                if peek(start + 1) == "=" {
                    out.append(token(.comparison(.notEqual), length: 2))
                } else if peek(start + 1) == "~" {
                    out.append(token(.comparison(.notGlob), length: 2))
                } else {
                    throw QueryError("'!' must be followed by '=' or '~'; write 'not' to negate a condition", at: positions[start])
                }
            case "<":
                switch peek(start + 1) {
                case "=": out.append(token(.comparison(.lessOrEqual), length: 2))
                case ">": out.append(token(.comparison(.notEqual), length: 2))
                default: out.append(token(.comparison(.less), length: 1))
                }
            case ">": out.append(token(.comparison(peek(start + 1) == "=" ? .greaterOrEqual : .greater), length: peek(start + 1) == "=" ? 2 : 1))
            case "-" where peek(start + 1) == ">": out.append(token(.arrow, length: 2))
            case "'", "\"": out.append(try text(from: start, quote: c, end: &i))
            case "`": out.append(try quotedName(from: start, end: &i))
            case "+", "-", "\u{2212}":
                guard let next = peek(start + 1), next.isASCII, next.isNumber else {
                    throw QueryError("'\(c)' must be followed by a digit (a signed number such as -3.5)", at: positions[start])
                }
                out.append(try number(from: start, end: &i))
            default:
                if c.isASCII && c.isNumber {
                    out.append(try number(from: start, end: &i))
                } else if Self.startsName(c) {
                    while i < characters.count, Self.continuesName(characters[i]) { i += 1 }
                    let name = String(characters[start..<i])
                    out.append(QueryToken(kind: .name(name, quoted: false), position: positions[start], text: name))
                } else {
                    throw QueryError("unexpected '\(c)'; a query compares fields and properties, as in type = 'vav'", at: positions[start])
                }
            }
        }
    }

    static func startsName(_ c: Character) -> Bool { c == "_" || c == "$" || c.isLetter }
    static func continuesName(_ c: Character) -> Bool { c == "_" || c == "$" || c.isLetter || c.isNumber }

    private func peek(_ index: Int) -> Character? { index < characters.count ? characters[index] : nil }

    /// A string in `quote`s; a doubled quote stands for one.
    private func text(from start: Int, quote: Character, end i: inout Int) throws(QueryError) -> QueryToken {
        var value = ""
        var j = start + 1
        while true {
            guard j < characters.count else {
                throw QueryError("this text is not closed; end it with \(quote)", at: positions[start])
            }
            if characters[j] == quote {
                if peek(j + 1) == quote { value.append(quote); j += 2; continue }
                j += 1
                break
            }
            value.append(characters[j])
            j += 1
        }
        i = j
        return QueryToken(kind: .text(value), position: positions[start], text: String(characters[start..<j]))
    }

    /// A name in backquotes, for property names that are keywords or hold other characters.
    private func quotedName(from start: Int, end i: inout Int) throws(QueryError) -> QueryToken {
        var j = start + 1
        while j < characters.count, characters[j] != "`" { j += 1 }
        guard j < characters.count else { throw QueryError("this name is not closed; end it with `", at: positions[start]) }
        let name = String(characters[start + 1..<j])
        guard !name.isEmpty else { throw QueryError("empty name between backquotes", at: positions[start]) }
        i = j + 1
        return QueryToken(kind: .name(name, quoted: true), position: positions[start], text: String(characters[start..<i]))
    }

    /// A number, then (after optional spaces) a unit if one follows: `800`, `-3.5`, `800 cfm`, `70°F`, `0.5 in wc`.
    private func number(from start: Int, end i: inout Int) throws(QueryError) -> QueryToken {
        var j = start
        var literal = ""
        if characters[j] == "-" || characters[j] == "\u{2212}" { literal = "-"; j += 1 } else if characters[j] == "+" { j += 1 }
        while j < characters.count, characters[j].isASCII, characters[j].isNumber { literal.append(characters[j]); j += 1 }
        var decimals = 0
        if peek(j) == ".", let next = peek(j + 1), next.isASCII, next.isNumber {
            literal.append(".")
            j += 1
            while j < characters.count, characters[j].isASCII, characters[j].isNumber { literal.append(characters[j]); decimals += 1; j += 1 }
        }
        if let next = peek(j), next == "." || next == "," || next == "_" || (next.isASCII && next.isNumber) {
            throw QueryError("'\(String(characters[start...j]))' is not a number this reads; write digits with an optional '.' and decimals, without grouping commas", at: positions[start])
        }
        if let next = peek(j), (next == "e" || next == "E"), let after = peek(j + 1), after.isNumber || after == "+" || after == "-" {
            throw QueryError("exponents are not read; write the number in full", at: positions[start])
        }
        guard let value = Double(literal), value.isFinite else {
            throw QueryError("'\(literal)' is not a number", at: positions[start])
        }
        let numberEnd = j
        // The unit: up to three words, the longest run of them that names a unit.
        var words = [(start: Int, end: Int)]()
        var k = j
        while words.count < 3 {
            var w = k
            while w < characters.count, characters[w].isWhitespace, characters[w] != "\n" { w += 1 }
            if !words.isEmpty && w == k { break }
            let wordStart = w
            while w < characters.count, Self.continuesUnit(characters[w]) { w += 1 }
            if w == wordStart { break }
            if words.isEmpty, Self.isConnective(String(characters[wordStart..<w])) { break }
            words.append((wordStart, w))
            k = w
        }
        for count in stride(from: words.count, through: 1, by: -1) {
            let spelled = words[0..<count].map { String(characters[$0.start..<$0.end]) }.joined(separator: " ")
            if let unit = UnitTable.unit(spelled) {
                i = words[count - 1].end
                let quantity = Quantity(value: value, unit: unit, decimals: decimals)
                return QueryToken(kind: .quantity(quantity, unitAt: positions[words[0].start]), position: positions[start],
                                  text: String(characters[start..<i]))
            }
        }
        if let first = words.first {
            let spelled = String(characters[first.start..<first.end])
            let hint = UnitTable.suggestion(for: spelled).map { "did you mean '\($0)'?" }
                ?? "write a unit of docs/model.md such as cfm, °F or kW"
            throw QueryError("'\(spelled)' is not a known unit; \(hint)", at: positions[first.start])
        }
        i = numberEnd
        return QueryToken(kind: .number(value, decimals: decimals), position: positions[start], text: String(characters[start..<numberEnd]))
    }

    /// Characters a unit word may hold: anything but spaces, quotes, parentheses, commas and the comparison signs.
    static func continuesUnit(_ c: Character) -> Bool {
        !c.isWhitespace && !"()',\"`=<>!~".contains(c)
    }

    /// The words that may follow a value and are never a unit.
    static func isConnective(_ word: String) -> Bool {
        ["and", "or"].contains(word.lowercased())
    }
}
