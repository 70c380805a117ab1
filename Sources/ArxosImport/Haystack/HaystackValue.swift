import Foundation

/// A Haystack number as written: the digits (plain decimal, with an exponent, or `INF`, `-INF`, `NaN`) and the unit.
///
/// The text is kept rather than a `Double` so that `840.5367088075697 kW` comes back with the same digits.
public struct HaystackNumber: Hashable, Sendable {
    /// The number as written, without digit separators: `72`, `-3.5`, `1.5e3`, `INF`, `-INF`, `NaN`.
    public var text: String
    /// The unit symbol as written (`°F`, `cfm`, `$`), nil for a plain number.
    public var unit: String?

    public init(_ text: String, unit: String? = nil) {
        self.text = text
        self.unit = unit
    }

    /// The number in plain decimal notation (`1.5e3` → `1500`, `2.5E-2` → `0.025`); `INF`, `-INF` and `NaN` as they are.
    public var plainText: String { HaystackNumber.plain(text) }

    /// `text` in plain decimal notation: the exponent is applied by moving the decimal point, so no digit is lost.
    static func plain(_ text: String) -> String {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else {
            return text
        }
        var mantissa = String(text[..<e])
        var negative = false
        if mantissa.hasPrefix("-") { negative = true; mantissa.removeFirst() } else if mantissa.hasPrefix("+") { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(integer + fraction)
        var point = integer.count + exponent  // digits before the decimal point
        if point <= 0 {
            digits = Array(repeating: "0", count: 1 - point) + digits
            point = 1
        } else if point > digits.count {
            digits += Array(repeating: "0", count: point - digits.count)
        }
        var whole = String(digits[..<point])
        var part = String(digits[point...])
        while whole.count > 1 && whole.first == "0" { whole.removeFirst() }
        while part.last == "0" { part.removeLast() }
        let body = part.isEmpty ? whole : whole + "." + part
        return (negative && body.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + body
    }
}

/// One tag of a dict: a name and its value, in the order written.
public struct HaystackTag: Hashable, Sendable {
    public var name: String
    public var value: HaystackValue

    public init(_ name: String, _ value: HaystackValue) {
        self.name = name
        self.value = value
    }
}

/// A Haystack value of any kind, as the Zinc and JSON readers produce it and the writers consume it.
public indirect enum HaystackValue: Hashable, Sendable {
    /// No value (a tag that is not there).
    case null
    case marker
    /// "Not available".
    case na
    /// The removal of a tag (in diff grids).
    case remove
    case bool(Bool)
    case number(HaystackNumber)
    case string(String)
    case uri(String)
    /// A reference: the id without `@`, and the display text that may follow it.
    case ref(String, dis: String?)
    /// A symbol, without `^`.
    case symbol(String)
    /// `YYYY-MM-DD`.
    case date(String)
    /// `hh:mm:ss` with optional fractions.
    case time(String)
    /// `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)` and the time zone name that follows it, if any.
    case dateTime(String, zone: String?)
    /// Latitude and longitude in decimal degrees, as written.
    case coord(latitude: String, longitude: String)
    /// A typed string such as `Bin("text/plain")`.
    case xstr(type: String, value: String)
    case list([HaystackValue])
    case dict([HaystackTag])
    case grid(HaystackGrid)

    /// A short description of the kind, for messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .marker: "marker"
        case .na: "NA"
        case .remove: "remove"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .uri: "uri"
        case .ref: "ref"
        case .symbol: "symbol"
        case .date: "date"
        case .time: "time"
        case .dateTime: "dateTime"
        case .coord: "coord"
        case .xstr: "xstr"
        case .list: "list"
        case .dict: "dict"
        case .grid: "grid"
        }
    }
}

/// One row of a grid: its tags (null cells left out) and the line of the file it starts on (1 when unknown).
public struct HaystackRow: Hashable, Sendable {
    public var tags: [HaystackTag]
    public var line: Int

    public init(tags: [HaystackTag], line: Int = 1) {
        self.tags = tags
        self.line = line
    }

    /// The value of tag `name`; nil when the row does not have it.
    public subscript(name: String) -> HaystackValue? { tags.first { $0.name == name }?.value }
}

/// A Haystack grid: its meta tags, its column names in order, and its rows.
public struct HaystackGrid: Hashable, Sendable {
    public var meta: [HaystackTag]
    public var columns: [String]
    public var rows: [HaystackRow]

    public init(meta: [HaystackTag] = [HaystackTag("ver", .string("3.0"))], columns: [String], rows: [HaystackRow]) {
        self.meta = meta
        self.columns = columns
        self.rows = rows
    }

    /// A grid of `rows` whose columns are every tag of the rows: `id` first, then `dis`, then the others in the order
    /// they first appear.
    public init(rows: [HaystackRow]) {
        var seen = Set<String>()
        var columns = [String]()
        for name in ["id", "dis"] where rows.contains(where: { $0[name] != nil }) {
            seen.insert(name)
            columns.append(name)
        }
        for row in rows {
            for tag in row.tags where seen.insert(tag.name).inserted { columns.append(tag.name) }
        }
        self.init(columns: columns, rows: rows)
    }
}

/// A Haystack file that cannot be read: where (file, line, column, columns counting characters from 1) and what to do.
public struct HaystackError: Error, LocalizedError, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var errorDescription: String? { "\(file):\(line):\(column): \(message)" }
}

/// The lexical rules Haystack values share between Zinc, JSON and the arxos mapping.
enum HaystackSyntax {
    /// Whether `byte` may be in a ref id: letters, digits, `_ : - . ~`.
    static func isRefByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
    }

    /// Whether `byte` may be in a unit: letters, `%`, `_`, `/`, `$`, and any byte of a non-ASCII character.
    static func isUnitByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte >= 0x80 || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "$")
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }

    /// Whether `text` is a ref id (without `@`).
    static func isRefID(_ text: String) -> Bool { !text.isEmpty && text.utf8.allSatisfy(isRefByte) }

    /// Whether `text` is a unit Zinc can write after a number.
    static func isUnit(_ text: String) -> Bool { !text.isEmpty && text.utf8.allSatisfy(isUnitByte) }

    /// Whether `name` is a tag name: a lowercase ASCII letter, then letters, digits and `_`.
    static func isTagName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    }

    /// Whether `text` is a symbol name (Haystack 4 `^name`, without the caret).
    static func isSymbolName(_ text: String) -> Bool { isRefID(text) && isLetter(text.utf8.first ?? 0) }

    /// Whether `text` is a decimal number in JSON or Zinc form (`-12`, `3.5`, `1e3`, `2.5E-2`), without a unit.
    static func isNumber(_ text: String) -> Bool {
        numberLength(Array(text.utf8), from: 0) == text.utf8.count && !text.isEmpty
    }

    /// The length of the decimal number starting at `start` (sign, digits, fraction, exponent), 0 when there is none.
    static func numberLength(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let digitsStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        guard index > digitsStart else { return 0 }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            var next = index + 1
            if next < bytes.count, bytes[next] == UInt8(ascii: "-") || bytes[next] == UInt8(ascii: "+") { next += 1 }
            if next < bytes.count, isDigit(bytes[next]) {
                index = next
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
        }
        return index - start
    }

    /// Whether `text` is a real calendar date `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// Whether `text` is a time `hh:mm:ss` with optional fractions of a second (`hh:mm` also, as Haystack 2 wrote it).
    static func isTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 5, bytes[2] == UInt8(ascii: ":"), let hour = number(bytes[0..<2]), let minute = number(bytes[3..<5]),
              hour < 24, minute < 60 else { return false }
        if bytes.count == 5 { return true }
        guard bytes.count >= 8, bytes[5] == UInt8(ascii: ":"), let second = number(bytes[6..<8]), second < 60 else { return false }
        if bytes.count == 8 { return true }
        return bytes.count > 9 && bytes[8] == UInt8(ascii: ".") && bytes[9...].allSatisfy(isDigit)
    }

    /// The date-time and zone name of `text` when it is a Haystack date-time: `2019-03-12T23:45:00-04:00 New_York`,
    /// `2018-12-12T22:24:01.714Z UTC`, `2020-01-01T00:00:00Z`.
    static func dateTime(_ text: String) -> (value: String, zone: String?)? {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let value = String(parts[0])
        let zone = parts.count > 1 ? String(parts[1]) : nil
        if let zone, !isZoneName(zone) { return nil }
        let bytes = Array(value.utf8)
        guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T"), isDate(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        // The time runs up to the offset: `Z`, `+hh:mm` or `-hh:mm`.
        var end = 11
        while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ":") || bytes[end] == UInt8(ascii: ".") { end += 1 }
        guard isTime(String(decoding: bytes[11..<end], as: UTF8.self)), end < bytes.count else { return nil }
        let offset = Array(bytes[end...])
        if offset == [UInt8(ascii: "Z")] { return (value, zone) }
        guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"), offset[3] == UInt8(ascii: ":"),
              let hours = number(offset[1..<3]), number(offset[4..<6]) != nil, hours <= 14 else { return nil }
        return (value, zone)
    }

    /// Whether `text` is a time zone name: letters, digits, `_`, `-`, `+` and `/` (`New_York`, `GMT+5`, `America/Chicago`).
    static func isZoneName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/")
        }
    }

    /// The type and value of `text` when it is an xstr `Type("value")` with a simple value (no quote or backslash).
    static func xstr(_ text: String) -> (type: String, value: String)? {
        guard let open = text.firstIndex(of: "("), text.hasSuffix("\")"), text[text.index(after: open)...].hasPrefix("\"") else { return nil }
        let type = String(text[..<open])
        guard let first = type.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
              type.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") }) else { return nil }
        let inner = text[text.index(open, offsetBy: 2)..<text.index(text.endIndex, offsetBy: -2)]
        guard !inner.contains("\""), !inner.contains("\\") else { return nil }
        return (type, String(inner))
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
