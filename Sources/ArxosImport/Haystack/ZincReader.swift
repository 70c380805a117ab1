/// Reads one Zinc grid (the Project Haystack text format) from bytes; no I/O.
///
/// The grammar is Haystack 3's, with the Haystack 4 additions real files use: a `ver:"…"` line with grid meta, a line
/// of column names (each with optional meta), then one row per line, cells separated by commas, an empty cell being
/// null. Values: `N`, `M`, `R`, `NA`, `T`, `F`, numbers with units (`72°F`, `-3.5`, `1e3kW`, `1_000`, `INF`, `-INF`,
/// `NaN`, `0x1F`), strings `"…"` with escapes, URIs `` `…` ``, refs `@id "dis"`, symbols `^name`, dates, times,
/// date-times with a zone (`2019-03-12T23:45:00-04:00 New_York`), coordinates `C(lat,lng)`, xstrs `Bin("…")`, lists
/// `[…]` and dicts `{…}`. Nested grids (`<<…>>`) are refused. Errors name the line and column (characters from 1)
/// and what to do.
public struct ZincReader {
    let bytes: [UInt8]
    let file: String
    private var position = 0
    private var line = 1
    private var lineStart = 0

    public init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
    }

    /// Reads the grid in `bytes`.
    public static func read(_ bytes: [UInt8], file: String) throws(HaystackError) -> HaystackGrid {
        var reader = ZincReader(bytes: bytes, file: file)
        return try reader.read()
    }

    // MARK: Positions and errors

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func peek(_ offset: Int) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }

    /// The column (characters from 1) of byte `offset` on the current line.
    private func column(of offset: Int) -> Int {
        TextColumn.of(offset, lineStart: lineStart, in: bytes)
    }

    private func error(_ message: String, at offset: Int? = nil) -> HaystackError {
        HaystackError(file: file, line: line, column: column(of: offset ?? position), message: message)
    }

    /// The character at `offset` for a message: `'x'`, or a name for line ends and the end of the file.
    private func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        if bytes[offset] == 0x0A || bytes[offset] == 0x0D { return "the end of the line" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[offset..<end], as: UTF8.self) + "'"
    }

    private var atLineEnd: Bool {
        guard let byte = current else { return true }
        return byte == 0x0A || (byte == 0x0D && (peek(1) == 0x0A || peek(1) == nil))
    }

    private mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 { position += 1 }
    }

    /// Consumes the end of the line (`\n` or `\r\n`) if there; true when it was.
    private mutating func consumeLineEnd() -> Bool {
        if current == 0x0D && peek(1) == 0x0A { position += 1 }
        if current == 0x0A {
            position += 1
            line += 1
            lineStart = position
            return true
        }
        if current == 0x0D && peek(1) == nil { position += 1; return true }
        return current == nil
    }

    /// Whether the current line holds only spaces.
    private var lineIsBlank: Bool {
        var index = position
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
        return index >= bytes.count || bytes[index] == 0x0A
    }

    private mutating func skipBlankLines() {
        while current != nil && lineIsBlank {
            while let byte = current, byte != 0x0A { position += 1 }
            _ = consumeLineEnd()
        }
    }

    // MARK: The grid

    /// Reads the grid: the version line, the columns, the rows.
    public mutating func read() throws(HaystackError) -> HaystackGrid {
        skipBlankLines()
        guard bytes[position...].starts(with: Array("ver:".utf8)) else {
            throw error("a Zinc grid starts with a line such as 'ver:\"3.0\"'; this is not Zinc (for Haystack JSON give --format json)")
        }
        let meta = try readMeta(endingAt: [])
        guard case .string? = meta.first?.value else {
            throw error("the version must be a string, as in 'ver:\"3.0\"'", at: lineStart + 4)
        }
        guard consumeLineEnd() else { throw error("expected the end of the grid's first line, found \(describe(at: position))") }

        // Columns.
        skipBlankLines()
        var columns = [String]()
        var columnOffsets = [Int]()
        while true {
            skipSpaces()
            let start = position
            guard let name = readTagName() else {
                throw error("expected a column name (a letter, then letters, digits or '_'), found \(describe(at: position))")
            }
            if columns.contains(name) { throw error("column '\(name)' appears twice; each column needs its own name", at: start) }
            columns.append(name)
            columnOffsets.append(start)
            _ = try readMeta(endingAt: [UInt8(ascii: ",")])
            skipSpaces()
            if current == UInt8(ascii: ",") { position += 1; continue }
            guard atLineEnd else { throw error("expected ',' or the end of the line after a column, found \(describe(at: position))") }
            _ = consumeLineEnd()
            break
        }

        // Rows.
        var rows = [HaystackRow]()
        while current != nil {
            if lineIsBlank { skipBlankLines(); continue }
            if bytes[position...].starts(with: Array("ver:".utf8)) {
                throw error("a second grid starts here; arxos reads one grid per file, so split the file")
            }
            let rowLine = line
            var tags = [HaystackTag]()
            for (index, name) in columns.enumerated() {
                skipSpaces()
                let value: HaystackValue = (current == UInt8(ascii: ",") || atLineEnd) ? .null : try readValue()
                if value != .null { tags.append(HaystackTag(name, value)) }
                skipSpaces()
                if index + 1 < columns.count {
                    guard current == UInt8(ascii: ",") else {
                        if atLineEnd {
                            throw error("the row ends after \(index + 1) cell\(index == 0 ? "" : "s") but the grid has \(columns.count) columns; add the missing commas (an empty cell is null)")
                        }
                        throw error("expected ',' after the value of column '\(name)', found \(describe(at: position))")
                    }
                    position += 1
                } else if current == UInt8(ascii: ",") {
                    throw error("the row has more cells than the grid's \(columns.count) columns; remove the extra cell or add a column")
                } else if !atLineEnd {
                    throw error("expected the end of the row after the value of column '\(name)', found \(describe(at: position))")
                }
            }
            _ = consumeLineEnd()
            rows.append(HaystackRow(tags: tags, line: rowLine))
        }
        return HaystackGrid(meta: meta, columns: columns, rows: rows)
    }

    /// Reads `name` and `name:value` items separated by spaces (and commas inside a dict) until the end of the line or
    /// one of `terminators`.
    private mutating func readMeta(endingAt terminators: Set<UInt8>, commas: Bool = false) throws(HaystackError) -> [HaystackTag] {
        var tags = [HaystackTag]()
        while true {
            skipSpaces()
            if commas, current == UInt8(ascii: ",") { position += 1; continue }
            guard let byte = current, !atLineEnd, !terminators.contains(byte) else { return tags }
            let start = position
            guard let name = readTagName() else {
                throw error("expected a tag name (a letter, then letters, digits or '_'), found \(describe(at: position))")
            }
            if current == UInt8(ascii: ":") {
                position += 1
                let value = try readValue()
                tags.append(HaystackTag(name, value))
            } else {
                tags.append(HaystackTag(name, .marker))
            }
            if let next = current, !atLineEnd, next != 0x20, next != 0x09, !terminators.contains(next), !(commas && next == UInt8(ascii: ",")) {
                throw error("expected a space between '\(String(decoding: bytes[start..<position], as: UTF8.self))' and the next tag, found \(describe(at: position))")
            }
        }
    }

    /// A tag or column name: an ASCII letter or `_`, then letters, digits and `_`.
    private mutating func readTagName() -> String? {
        guard let first = current, HaystackSyntax.isLetter(first) || first == UInt8(ascii: "_") else { return nil }
        let start = position
        while let byte = current, HaystackSyntax.isAlphanumeric(byte) || byte == UInt8(ascii: "_") { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    // MARK: Values

    private mutating func readValue() throws(HaystackError) -> HaystackValue {
        guard let byte = current, !atLineEnd else { throw error("expected a value, found \(describe(at: position))") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try readString(quote: UInt8(ascii: "\"")))
        case UInt8(ascii: "`"): return .uri(try readString(quote: UInt8(ascii: "`")))
        case UInt8(ascii: "@"): return try readRef()
        case UInt8(ascii: "^"):
            let start = position
            position += 1
            let name = readRefChars()
            guard HaystackSyntax.isSymbolName(name) else { throw error("'^' must be followed by a symbol name such as ^elec-meter", at: start) }
            return .symbol(name)
        case UInt8(ascii: "["): return try readList()
        case UInt8(ascii: "{"):
            let start = position
            position += 1
            let tags = try readMeta(endingAt: [UInt8(ascii: "}")], commas: true)
            guard current == UInt8(ascii: "}") else { throw error("the dict opened here is not closed on its line; add '}'", at: start) }
            position += 1
            return .dict(tags)
        case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "<"):
            throw error("nested grids ('<<…>>') are not read; remove the cell or export the records without it")
        case UInt8(ascii: "-") where bytes[position...].starts(with: Array("-INF".utf8)):
            position += 4
            return .number(HaystackNumber("-INF", unit: readUnit()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumberOrDate()
        case _ where HaystackSyntax.isLetter(byte): return try readWord()
        default: throw error("unexpected \(describe(at: position)); expected a value (a string needs double quotes)")
        }
    }

    /// Reads a `"…"` string or `` `…` `` URI with its escapes, the opening quote at the current position.
    private mutating func readString(quote: UInt8) throws(HaystackError) -> String {
        let open = position
        position += 1
        var out = [UInt8]()
        while true {
            guard let byte = current, byte != 0x0A else {
                throw error("the \(quote == UInt8(ascii: "`") ? "URI" : "string") opened here is not closed on its line; add \(quote == UInt8(ascii: "`") ? "'`'" : "'\"'") (write a line break as \\n)", at: open)
            }
            if byte == quote { position += 1; break }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); position += 1; continue }
            let escape = position
            guard let next = peek(1) else { throw error("a '\\' at the end of the file; escape it as '\\\\'", at: escape) }
            position += 2
            switch next {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "$"): out.append(next)
            case UInt8(ascii: "u"):
                var value = try readHex4(escape: escape)
                if (0xD800...0xDBFF).contains(value) {
                    // A character outside the BMP, written as a surrogate pair.
                    guard current == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                        throw error("'\\u' starts a surrogate pair that has no second half; write the second '\\uXXXX'", at: escape)
                    }
                    position += 2
                    let low = try readHex4(escape: escape)
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("'\\u' surrogate pair with a bad second half", at: escape) }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw error("the '\\u' escape is not a character", at: escape) }
                out += Array(String(Character(scalar)).utf8)
            default:
                // A URI keeps other escapes (`\:`, `\/`, `\#`) as written; a string has no others.
                guard quote == UInt8(ascii: "`") else {
                    throw error("'\\\(String(decoding: [next], as: UTF8.self))' is not an escape; use \\n, \\t, \\\", \\\\, \\$ or \\uXXXX", at: escape)
                }
                out += [UInt8(ascii: "\\"), next]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Four hex digits after `\u`.
    private mutating func readHex4(escape: Int) throws(HaystackError) -> UInt32 {
        guard position + 4 <= bytes.count, bytes[position..<position + 4].allSatisfy({ HaystackSyntax.isAlphanumeric($0) }),
              let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
            throw error("'\\u' must be followed by four hex digits", at: escape)
        }
        position += 4
        return value
    }

    private mutating func readRefChars() -> String {
        let start = position
        while let byte = current, HaystackSyntax.isRefByte(byte) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func readRef() throws(HaystackError) -> HaystackValue {
        let start = position
        position += 1
        let id = readRefChars()
        guard !id.isEmpty else {
            throw error("'@' must be followed by a ref id (letters, digits, '_', ':', '-', '.', '~'), found \(describe(at: position))", at: start)
        }
        if current == 0x20, peek(1) == UInt8(ascii: "\"") {
            position += 1
            return .ref(id, dis: try readString(quote: UInt8(ascii: "\"")))
        }
        return .ref(id, dis: nil)
    }

    private mutating func readList() throws(HaystackError) -> HaystackValue {
        let open = position
        position += 1
        var items = [HaystackValue]()
        while true {
            skipSpaces()
            if current == UInt8(ascii: "]") { position += 1; return .list(items) }
            if atLineEnd { throw error("the list opened here is not closed on its line; add ']'", at: open) }
            items.append(try readValue())
            skipSpaces()
            if atLineEnd { throw error("the list opened here is not closed on its line; add ']'", at: open) }
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return .list(items) }
            throw error("expected ',' or ']' in the list, found \(describe(at: position))")
        }
    }

    /// A word starting with a letter: a keyword (`N`, `M`, `R`, `NA`, `T`, `F`, `INF`, `NaN`), a coordinate `C(…)` or an
    /// xstr `Type("…")`.
    private mutating func readWord() throws(HaystackError) -> HaystackValue {
        let start = position
        while let byte = current, HaystackSyntax.isAlphanumeric(byte) || byte == UInt8(ascii: "_") { position += 1 }
        let word = String(decoding: bytes[start..<position], as: UTF8.self)
        if current == UInt8(ascii: "(") {
            if word == "C" { return try readCoord(start: start) }
            guard let first = word.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else {
                throw error("'\(word)(' is not a Zinc value; an xstr's type starts with a capital letter, as in Bin(\"text/plain\")", at: start)
            }
            position += 1
            guard current == UInt8(ascii: "\"") else { throw error("expected a string after '\(word)(', as in \(word)(\"…\")") }
            let value = try readString(quote: UInt8(ascii: "\""))
            guard current == UInt8(ascii: ")") else { throw error("expected ')' to close \(word)(…), found \(describe(at: position))") }
            position += 1
            return .xstr(type: word, value: value)
        }
        switch word {
        case "N": return .null
        case "M": return .marker
        case "R": return .remove
        case "NA": return .na
        case "T": return .bool(true)
        case "F": return .bool(false)
        case "INF", "NaN": return .number(HaystackNumber(word, unit: readUnit()))
        default:
            throw error("'\(word)' is not a Zinc value; write a string in double quotes (\"\(word)\"), a marker as M, a boolean as T or F", at: start)
        }
    }

    private mutating func readCoord(start: Int) throws(HaystackError) -> HaystackValue {
        position += 1
        func degrees(_ limit: Double, _ what: String) throws(HaystackError) -> String {
            skipSpaces()
            let length = HaystackSyntax.numberLength(bytes, from: position)
            let text = String(decoding: bytes[position..<position + length], as: UTF8.self)
            guard length > 0, let value = Double(text), abs(value) <= limit else {
                throw error("expected the \(what) in decimal degrees (at most \(Int(limit))) in C(latitude,longitude)")
            }
            position += length
            skipSpaces()
            return text
        }
        let latitude = try degrees(90, "latitude")
        guard current == UInt8(ascii: ",") else { throw error("expected ',' between latitude and longitude in C(…), found \(describe(at: position))") }
        position += 1
        let longitude = try degrees(180, "longitude")
        guard current == UInt8(ascii: ")") else { throw error("expected ')' to close C(…), found \(describe(at: position))") }
        position += 1
        return .coord(latitude: latitude, longitude: longitude)
    }

    /// The unit after a number: letters, `%`, `_`, `/`, `$` and non-ASCII characters; nil when there is none.
    private mutating func readUnit() -> String? {
        let start = position
        while let byte = current, HaystackSyntax.isUnitByte(byte) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A number (with digit separators `_`, an exponent, a unit, or in hex `0x…`), a date, a time or a date-time.
    private mutating func readNumberOrDate() throws(HaystackError) -> HaystackValue {
        let start = position
        var digits = 0
        while position + digits < bytes.count, HaystackSyntax.isDigit(bytes[position + digits]) { digits += 1 }
        if digits == 4, peek(4) == UInt8(ascii: "-") { return try readDate(start: start) }
        if digits == 2, peek(2) == UInt8(ascii: ":") {
            let text = readTimeChars()
            guard HaystackSyntax.isTime(text) else { throw error("'\(text)' is not a time; write hh:mm:ss (24-hour clock)", at: start) }
            return .time(text)
        }
        if current == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") {
            position += 2
            var value: UInt64 = 0
            var count = 0
            while let byte = current, byte == UInt8(ascii: "_") || HaystackSyntax.isAlphanumeric(byte) {
                position += 1
                if byte == UInt8(ascii: "_") { continue }
                guard let digit = UInt64(String(UnicodeScalar(byte)), radix: 16), value <= (UInt64.max >> 4) else {
                    throw error("'\(String(decoding: bytes[start..<position], as: UTF8.self))' is not a hexadecimal number", at: start)
                }
                value = value << 4 | digit
                count += 1
            }
            guard count > 0 else { throw error("'0x' must be followed by hexadecimal digits", at: start) }
            return .number(HaystackNumber(String(value)))
        }
        // A decimal number; `_` may separate digits.
        var text = ""
        func digitRun() {
            while let byte = current, HaystackSyntax.isDigit(byte) || (byte == UInt8(ascii: "_") && !text.isEmpty) {
                if byte != UInt8(ascii: "_") { text.unicodeScalars.append(Unicode.Scalar(byte)) }
                position += 1
            }
        }
        if current == UInt8(ascii: "-") { text = "-"; position += 1 }
        let integerStart = position
        digitRun()
        guard position > integerStart else { throw error("expected digits after '-'", at: start) }
        if current == UInt8(ascii: "."), let next = peek(1), HaystackSyntax.isDigit(next) {
            text += "."
            position += 1
            digitRun()
        }
        if let e = current, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var offset = 1
            if let sign = peek(1), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { offset = 2 }
            if let digit = peek(offset), HaystackSyntax.isDigit(digit) {
                text += "e" + (offset == 2 ? String(UnicodeScalar(bytes[position + 1])) : "")
                position += offset
                digitRun()
            }
        }
        return .number(HaystackNumber(text, unit: readUnit()))
    }

    private mutating func readTimeChars() -> String {
        let start = position
        while let byte = current, HaystackSyntax.isDigit(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func readDate(start: Int) throws(HaystackError) -> HaystackValue {
        while let byte = current, HaystackSyntax.isDigit(byte) || byte == UInt8(ascii: "-") { position += 1 }
        let date = String(decoding: bytes[start..<position], as: UTF8.self)
        guard HaystackSyntax.isDate(date) else {
            throw error("'\(date)' is not a date; write a real calendar date as YYYY-MM-DD", at: start)
        }
        guard current == UInt8(ascii: "T") else { return .date(date) }
        position += 1
        _ = readTimeChars()
        if current == UInt8(ascii: "Z") {
            position += 1
        } else if let sign = current, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            position += 1
            _ = readTimeChars()
        }
        let value = String(decoding: bytes[start..<position], as: UTF8.self)
        var zone: String?
        if current == 0x20, let next = peek(1), HaystackSyntax.isLetter(next) {
            position += 1
            let zoneStart = position
            while let byte = current, HaystackSyntax.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") {
                position += 1
            }
            zone = String(decoding: bytes[zoneStart..<position], as: UTF8.self)
        }
        guard HaystackSyntax.dateTime(value) != nil else {
            throw error("'\(value)' is not a date-time; write YYYY-MM-DDThh:mm:ss with Z or an offset such as -04:00, then the zone name", at: start)
        }
        return .dateTime(value, zone: zone)
    }
}
