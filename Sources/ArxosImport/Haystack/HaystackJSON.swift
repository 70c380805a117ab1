/// The two JSON encodings of Haystack values.
public enum HaystackJSONEncoding: String, Sendable, CaseIterable {
    /// Haystack 3 JSON: values are strings with a type prefix (`"n:72 °F"`, `"r:id dis"`, `"m:"`).
    case v3 = "json-v3"
    /// Hayson (Haystack 4 JSON): values are objects with a `_kind` (`{"_kind": "number", "val": 72, "unit": "°F"}`).
    case hayson
}

/// Reads a Haystack grid from JSON bytes (Haystack 3 JSON or Hayson, told apart by `_kind`); no I/O.
///
/// The top level is a grid object (`meta`, `cols`, `rows`; Hayson adds `"_kind": "grid"`) or, as some servers answer, a
/// plain array of records. Errors name the line and column of the JSON value at fault.
public enum HaystackJSONReader {
    /// The grid in `bytes` and the encoding it was written in.
    public static func read(_ bytes: [UInt8], file: String) throws(HaystackError) -> (grid: HaystackGrid, encoding: HaystackJSONEncoding) {
        var parser = JSONParser(bytes: bytes, file: file)
        let root = try parser.parseDocument()
        let decoder = Decoder(file: file, bytes: bytes, encoding: usesKinds(root) ? .hayson : .v3)
        var meta = [HaystackTag]()
        var columns = [String]()
        let rowNodes: [JSONNode]
        switch root.value {
        case let .array(items):
            rowNodes = items
        case let .object(fields):
            guard let rows = fields.last(where: { $0.key == "rows" })?.node else {
                throw decoder.error(root, "expected a Haystack grid: a JSON object with \"rows\" (and \"meta\", \"cols\"), or an array of records")
            }
            guard case let .array(items) = rows.value else { throw decoder.error(rows, "\"rows\" must be an array of objects, one per record") }
            rowNodes = items
            if let metaNode = fields.last(where: { $0.key == "meta" })?.node {
                guard case .object = metaNode.value else { throw decoder.error(metaNode, "\"meta\" must be an object") }
                if case let .dict(tags) = try decoder.value(metaNode) { meta = tags }
            }
            if let cols = fields.last(where: { $0.key == "cols" })?.node {
                guard case let .array(items) = cols.value else { throw decoder.error(cols, "\"cols\" must be an array of {\"name\": …} objects") }
                for item in items {
                    guard case let .object(colFields) = item.value, let nameNode = colFields.last(where: { $0.key == "name" })?.node,
                          case let .string(name) = nameNode.value, !name.isEmpty else {
                        throw decoder.error(item, "a column must be an object with a \"name\" string")
                    }
                    columns.append(name)
                }
            }
        default:
            throw decoder.error(root, "expected a Haystack grid: a JSON object with \"rows\", or an array of records")
        }
        var rows = [HaystackRow]()
        for node in rowNodes {
            guard case .object = node.value, case let .dict(tags) = try decoder.value(node, asDict: true) else {
                throw decoder.error(node, "a row must be a JSON object of tags")
            }
            rows.append(HaystackRow(tags: tags.filter { $0.value != .null }, line: node.line))
        }
        if meta.isEmpty { meta = [HaystackTag("ver", .string("3.0"))] }
        if columns.isEmpty { return (HaystackGrid(rows: rows), decoder.encoding) }
        return (HaystackGrid(meta: meta, columns: columns, rows: rows), decoder.encoding)
    }

    /// Whether the document uses Hayson: the top level or a row value is an object with a `_kind`.
    static func usesKinds(_ root: JSONNode) -> Bool {
        func hasKind(_ node: JSONNode, depth: Int) -> Bool {
            switch node.value {
            case let .object(fields):
                if fields.contains(where: { $0.key == "_kind" }) { return true }
                return depth < 3 && fields.contains { hasKind($0.node, depth: depth + 1) }
            case let .array(items): return depth < 3 && items.contains { hasKind($0, depth: depth + 1) }
            default: return false
            }
        }
        return hasKind(root, depth: 0)
    }

    /// Turns JSON nodes into Haystack values in one of the two encodings.
    struct Decoder {
        let file: String
        let bytes: [UInt8]
        let encoding: HaystackJSONEncoding

        func error(_ node: JSONNode, _ message: String) -> HaystackError {
            HaystackError(file: file, line: node.line, column: node.column(in: bytes), message: message)
        }

        func value(_ node: JSONNode, asDict: Bool = false) throws(HaystackError) -> HaystackValue {
            switch node.value {
            case .null: return .null
            case let .bool(flag): return .bool(flag)
            case let .number(text): return .number(HaystackNumber(text))
            case let .string(text): return encoding == .v3 ? try prefixed(text, node) : .string(text)
            case let .array(items):
                var values = [HaystackValue]()
                for item in items { values.append(try value(item)) }
                return .list(values)
            case let .object(fields):
                if encoding == .hayson, !asDict, let kindNode = fields.last(where: { $0.key == "_kind" })?.node {
                    guard case let .string(kind) = kindNode.value else { throw error(kindNode, "\"_kind\" must be a string such as \"marker\" or \"ref\"") }
                    return try kinded(kind, fields, node)
                }
                var tags = [HaystackTag]()
                for (key, child) in fields where key != "_kind" {
                    let decoded = try value(child)
                    if let index = tags.firstIndex(where: { $0.name == key }) { tags[index].value = decoded } else { tags.append(HaystackTag(key, decoded)) }
                }
                return .dict(tags)
            }
        }

        /// A Haystack 3 JSON string: `m:`, `-:`, `z:`, `n:`, `r:`, `s:`, `d:`, `h:`, `t:`, `c:`, `u:`, `x:`, `b:`, `y:`;
        /// any other string is text.
        func prefixed(_ text: String, _ node: JSONNode) throws(HaystackError) -> HaystackValue {
            let utf8 = Array(text.utf8)
            guard utf8.count >= 2, utf8[1] == UInt8(ascii: ":") else { return .string(text) }
            let body = String(decoding: utf8[2...], as: UTF8.self)
            func split(_ text: String) -> (String, String?) {
                guard let space = text.firstIndex(of: " ") else { return (text, nil) }
                return (String(text[..<space]), String(text[text.index(after: space)...]))
            }
            switch utf8[0] {
            case UInt8(ascii: "m"): return .marker
            case UInt8(ascii: "-"): return .remove
            case UInt8(ascii: "z"): return .na
            case UInt8(ascii: "s"): return .string(body)
            case UInt8(ascii: "u"): return .uri(body)
            case UInt8(ascii: "n"):
                let (number, unit) = split(body)
                guard HaystackSyntax.isNumber(number) || ["INF", "-INF", "NaN"].contains(number) else {
                    throw error(node, "\"\(text)\" is not a Haystack number; write \"n:72\" or \"n:72 °F\"")
                }
                if let unit, !HaystackSyntax.isUnit(unit) {
                    throw error(node, "\"\(text)\" has a unit with characters a unit cannot have (letters, '%', '_', '/', '$' and non-ASCII characters); write \"n:72 °F\"")
                }
                return .number(HaystackNumber(number, unit: unit))
            case UInt8(ascii: "r"):
                let (id, dis) = split(body)
                guard HaystackSyntax.isRefID(id) else {
                    throw error(node, "\"\(text)\" is not a Haystack ref; write \"r:\" and an id of letters, digits, '_', ':', '-', '.', '~', then a space and the display name")
                }
                return .ref(id, dis: dis)
            case UInt8(ascii: "d"):
                guard HaystackSyntax.isDate(body) else { throw error(node, "\"\(text)\" is not a date; write \"d:YYYY-MM-DD\"") }
                return .date(body)
            case UInt8(ascii: "h"):
                guard HaystackSyntax.isTime(body) else { throw error(node, "\"\(text)\" is not a time; write \"h:hh:mm:ss\"") }
                return .time(body)
            case UInt8(ascii: "t"):
                guard let (stamp, zone) = HaystackSyntax.dateTime(body) else {
                    throw error(node, "\"\(text)\" is not a date-time; write \"t:2019-03-12T23:45:00-04:00 New_York\"")
                }
                return .dateTime(stamp, zone: zone)
            case UInt8(ascii: "c"):
                let parts = body.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let lat = Double(parts[0]), let lng = Double(parts[1]), abs(lat) <= 90, abs(lng) <= 180,
                      HaystackSyntax.isNumber(parts[0]), HaystackSyntax.isNumber(parts[1]) else {
                    throw error(node, "\"\(text)\" is not a coordinate; write \"c:latitude,longitude\" in decimal degrees")
                }
                return .coord(latitude: parts[0], longitude: parts[1])
            case UInt8(ascii: "x"):
                guard let colon = body.firstIndex(of: ":"), body.first?.isUppercase == true else {
                    throw error(node, "\"\(text)\" is not an xstr; write \"x:Type:value\"")
                }
                return .xstr(type: String(body[..<colon]), value: String(body[body.index(after: colon)...]))
            case UInt8(ascii: "b"): return .xstr(type: "Bin", value: body)
            case UInt8(ascii: "y"):
                guard HaystackSyntax.isSymbolName(body) else { throw error(node, "\"\(text)\" is not a symbol; write \"y:name\"") }
                return .symbol(body)
            default: return .string(text)
            }
        }

        /// A Hayson object with a `_kind`.
        func kinded(_ kind: String, _ fields: [(key: String, node: JSONNode)], _ node: JSONNode) throws(HaystackError) -> HaystackValue {
            func field(_ key: String) -> JSONNode? { fields.last { $0.key == key }?.node }
            func string(_ key: String, required: Bool = true) throws(HaystackError) -> String? {
                guard let child = field(key) else {
                    if required { throw error(node, "a Hayson \(kind) needs \"\(key)\"") }
                    return nil
                }
                if case .null = child.value, !required { return nil }
                guard case let .string(text) = child.value else { throw error(child, "\"\(key)\" of a Hayson \(kind) must be a string") }
                return text
            }
            func degrees(_ key: String, _ limit: Double) throws(HaystackError) -> String {
                guard let child = field(key), case let .number(text) = child.value, let value = Double(text), abs(value) <= limit else {
                    throw error(field(key) ?? node, "\"\(key)\" of a Hayson coord must be a number of degrees (at most \(Int(limit)))")
                }
                return text
            }
            switch kind {
            case "marker": return .marker
            case "na": return .na
            case "remove": return .remove
            case "number":
                guard let valNode = field("val") else { throw error(node, "a Hayson number needs \"val\"") }
                let unit = try string("unit", required: false)
                if let unit, !HaystackSyntax.isUnit(unit) {
                    throw error(field("unit") ?? node, "\"\(unit)\" is not a unit: use letters, '%', '_', '/', '$' and non-ASCII characters")
                }
                switch valNode.value {
                case let .number(text): return .number(HaystackNumber(text, unit: unit))
                case let .string(text) where ["INF", "-INF", "NaN"].contains(text): return .number(HaystackNumber(text, unit: unit))
                default: throw error(valNode, "\"val\" of a Hayson number must be a JSON number or \"INF\", \"-INF\", \"NaN\"")
                }
            case "ref":
                var id = try string("val") ?? ""
                if id.hasPrefix("@") { id.removeFirst() }
                guard HaystackSyntax.isRefID(id) else {
                    throw error(field("val") ?? node, "\"\(id)\" is not a ref id; use letters, digits, '_', ':', '-', '.', '~'")
                }
                return .ref(id, dis: try string("dis", required: false))
            case "symbol":
                let name = try string("val") ?? ""
                guard HaystackSyntax.isSymbolName(name) else { throw error(field("val") ?? node, "\"\(name)\" is not a symbol name") }
                return .symbol(name)
            case "date":
                let text = try string("val") ?? ""
                guard HaystackSyntax.isDate(text) else { throw error(field("val") ?? node, "\"\(text)\" is not a date; write YYYY-MM-DD") }
                return .date(text)
            case "time":
                let text = try string("val") ?? ""
                guard HaystackSyntax.isTime(text) else { throw error(field("val") ?? node, "\"\(text)\" is not a time; write hh:mm:ss") }
                return .time(text)
            case "dateTime":
                let text = try string("val") ?? ""
                let zone = try string("tz", required: false)
                guard let parsed = HaystackSyntax.dateTime(text), parsed.zone == nil, zone.map(HaystackSyntax.isZoneName) ?? true else {
                    throw error(field("val") ?? node, "\"\(text)\" is not a date-time; write \"2019-03-12T23:45:00-04:00\" and the zone in \"tz\"")
                }
                return .dateTime(text, zone: zone)
            case "uri": return .uri(try string("val") ?? "")
            case "coord": return .coord(latitude: try degrees("lat", 90), longitude: try degrees("lng", 180))
            case "xstr": return .xstr(type: try string("type") ?? "", value: try string("val") ?? "")
            case "bin": return .xstr(type: "Bin", value: try string("mime") ?? "")
            case "dict": return try value(node, asDict: true)
            case "grid":
                var rows = [HaystackRow]()
                if let rowsNode = field("rows"), case let .array(items) = rowsNode.value {
                    for item in items {
                        if case let .dict(tags) = try value(item, asDict: true) { rows.append(HaystackRow(tags: tags, line: item.line)) }
                    }
                }
                return .grid(HaystackGrid(rows: rows))
            default:
                throw error(field("_kind") ?? node, "\"\(kind)\" is not a Haystack kind; Hayson knows marker, na, remove, number, ref, symbol, date, time, dateTime, uri, coord, xstr, dict and grid")
            }
        }
    }
}

/// Writes a grid as Haystack JSON, in Hayson (the default) or Haystack 3 JSON, one tag per line.
public enum HaystackJSONWriter {
    /// The JSON text of `grid`.
    public static func write(_ grid: HaystackGrid, encoding: HaystackJSONEncoding = .hayson) -> String {
        var out = "{\n"
        if encoding == .hayson { out += "  \"_kind\": \"grid\",\n" }
        out += "  \"meta\": {" + grid.meta.map { string($0.name) + ": " + value($0.value, encoding) }.joined(separator: ", ") + "},\n"
        out += "  \"cols\": [\n" + grid.columns.map { "    {\"name\": \(string($0))}" }.joined(separator: ",\n") + "\n  ],\n"
        out += "  \"rows\": ["
        for (index, row) in grid.rows.enumerated() {
            out += (index == 0 ? "\n" : ",\n") + "    {\n"
            out += row.tags.filter { $0.value != .null }.map { "      " + string($0.name) + ": " + value($0.value, encoding) }.joined(separator: ",\n")
            out += "\n    }"
        }
        return out + (grid.rows.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    }

    /// One value in `encoding`, on one line.
    public static func value(_ value: HaystackValue, _ encoding: HaystackJSONEncoding) -> String {
        switch encoding {
        case .hayson: return hayson(value)
        case .v3: return v3(value)
        }
    }

    static func hayson(_ value: HaystackValue) -> String {
        func kind(_ name: String, _ fields: [(String, String)] = []) -> String {
            "{" + ([("_kind", string(name))] + fields).map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
        }
        switch value {
        case .null: return "null"
        case .marker: return kind("marker")
        case .na: return kind("na")
        case .remove: return kind("remove")
        case let .bool(flag): return flag ? "true" : "false"
        case let .number(number):
            let text = jsonNumber(number.text)
            if number.unit == nil, let text { return text }
            return kind("number", [("val", text ?? string(number.text))] + (number.unit.map { [("unit", string($0))] } ?? []))
        case let .string(text): return string(text)
        case let .uri(text): return kind("uri", [("val", string(text))])
        case let .ref(id, dis): return kind("ref", [("val", string(id))] + (dis.map { [("dis", string($0))] } ?? []))
        case let .symbol(name): return kind("symbol", [("val", string(name))])
        case let .date(text): return kind("date", [("val", string(text))])
        case let .time(text): return kind("time", [("val", string(text))])
        case let .dateTime(text, zone): return kind("dateTime", [("val", string(text))] + (zone.map { [("tz", string($0))] } ?? []))
        case let .coord(latitude, longitude): return kind("coord", [("lat", latitude), ("lng", longitude)])
        case let .xstr(type, text): return kind("xstr", [("type", string(type)), ("val", string(text))])
        case let .list(items): return "[" + items.map(hayson).joined(separator: ", ") + "]"
        case let .dict(tags): return "{" + tags.filter { $0.value != .null }.map { string($0.name) + ": " + hayson($0.value) }.joined(separator: ", ") + "}"
        case let .grid(grid):
            return kind("grid", [("meta", "{\"ver\": \"3.0\"}"),
                                 ("cols", "[" + grid.columns.map { "{\"name\": \(string($0))}" }.joined(separator: ", ") + "]"),
                                 ("rows", "[" + grid.rows.map { hayson(.dict($0.tags)) }.joined(separator: ", ") + "]")])
        }
    }

    static func v3(_ value: HaystackValue) -> String {
        switch value {
        case .null, .grid: return "null"
        case .marker: return string("m:")
        case .na: return string("z:")
        case .remove: return string("-:")
        case let .bool(flag): return flag ? "true" : "false"
        case let .number(number): return string("n:" + number.text + (number.unit.map { " " + $0 } ?? ""))
        case let .string(text):
            let utf8 = Array(text.utf8)
            return string(utf8.count >= 2 && utf8[1] == UInt8(ascii: ":") ? "s:" + text : text)
        case let .uri(text): return string("u:" + text)
        case let .ref(id, dis): return string("r:" + id + (dis.map { " " + $0 } ?? ""))
        case let .symbol(name): return string("y:" + name)
        case let .date(text): return string("d:" + text)
        case let .time(text): return string("h:" + text)
        case let .dateTime(text, zone): return string("t:" + text + (zone.map { " " + $0 } ?? ""))
        case let .coord(latitude, longitude): return string("c:\(latitude),\(longitude)")
        case let .xstr(type, text): return string("x:" + type + ":" + text)
        case let .list(items): return "[" + items.map(v3).joined(separator: ", ") + "]"
        case let .dict(tags): return "{" + tags.filter { $0.value != .null }.map { string($0.name) + ": " + v3($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// `text` as a JSON number (leading zeros dropped), nil for `INF`, `-INF` and `NaN`.
    static func jsonNumber(_ text: String) -> String? {
        guard HaystackSyntax.isNumber(text) else { return nil }
        var body = Substring(text)
        var sign = ""
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        while body.count > 1, body.first == "0", let next = body.dropFirst().first, next.isNumber { body = body.dropFirst() }
        return sign + body
    }

    /// A JSON string with the escapes JSON requires.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A JSON value with where it starts: its line, the byte offset of that line and its own byte offset (the column is
/// counted only for a message, so that a document on one long line reads in linear time).
struct JSONNode {
    indirect enum Value {
        case object([(key: String, node: JSONNode)])
        case array([JSONNode])
        case string(String)
        /// The number as written.
        case number(String)
        case bool(Bool)
        case null
    }

    var value: Value
    var line: Int
    var lineStart: Int
    var offset: Int

    /// The column (characters from 1) where the value starts in `bytes`.
    func column(in bytes: [UInt8]) -> Int {
        TextColumn.of(offset, lineStart: lineStart, in: bytes)
    }
}

/// A JSON (RFC 8259) parser over bytes that keeps key order, numbers as written and the position of every value.
struct JSONParser {
    let bytes: [UInt8]
    let file: String
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func column(of offset: Int) -> Int {
        TextColumn.of(offset, lineStart: lineStart, in: bytes)
    }

    private func error(_ message: String, at offset: Int? = nil) -> HaystackError {
        HaystackError(file: file, line: line, column: column(of: offset ?? position), message: message)
    }

    private func found() -> String {
        guard let byte = current else { return "the end of the file" }
        var end = position + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return byte == 0x0A ? "the end of the line" : "'" + String(decoding: bytes[position..<end], as: UTF8.self) + "'"
    }

    private mutating func skipWhitespace() {
        while let byte = current {
            if byte == 0x0A { position += 1; line += 1; lineStart = position } else if byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 } else { return }
        }
    }

    /// The one value of the document, with nothing but whitespace after it.
    mutating func parseDocument() throws(HaystackError) -> JSONNode {
        skipWhitespace()
        guard current != nil else { throw error("the file is empty; expected a Haystack JSON grid") }
        if current != UInt8(ascii: "{") && current != UInt8(ascii: "[") {
            throw error("expected a JSON object or array, found \(found()); this is not Haystack JSON (for Zinc give --format zinc)")
        }
        let node = try parseValue()
        skipWhitespace()
        guard current == nil else { throw error("unexpected \(found()) after the end of the JSON document") }
        return node
    }

    private mutating func parseValue() throws(HaystackError) -> JSONNode {
        skipWhitespace()
        let startLine = line
        let startLineOffset = lineStart
        let startOffset = position
        func node(_ value: JSONNode.Value) -> JSONNode {
            JSONNode(value: value, line: startLine, lineStart: startLineOffset, offset: startOffset)
        }
        var startColumn: Int { JSONNode(value: .null, line: startLine, lineStart: startLineOffset, offset: startOffset).column(in: bytes) }
        guard let byte = current else { throw error("expected a value, found the end of the file") }
        switch byte {
        case UInt8(ascii: "{"):
            depth += 1
            guard depth <= 512 else { throw error("JSON nested more than 512 levels deep") }
            defer { depth -= 1 }
            position += 1
            var fields = [(key: String, node: JSONNode)]()
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return node(.object(fields)) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a key in double quotes, found \(found())") }
                let key = try parseString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\", found \(found())") }
                position += 1
                fields.append((key, try parseValue()))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; return node(.object(fields)) }
                if current == nil { throw error("the object opened at line \(startLine) column \(startColumn) is not closed; add '}'") }
                throw error("expected ',' or '}' after a value in an object, found \(found())")
            }
        case UInt8(ascii: "["):
            depth += 1
            guard depth <= 512 else { throw error("JSON nested more than 512 levels deep") }
            defer { depth -= 1 }
            position += 1
            var items = [JSONNode]()
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return node(.array(items)) }
            while true {
                items.append(try parseValue())
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "]") { position += 1; return node(.array(items)) }
                if current == nil { throw error("the array opened at line \(startLine) column \(startColumn) is not closed; add ']'") }
                throw error("expected ',' or ']' after a value in an array, found \(found())")
            }
        case UInt8(ascii: "\""):
            return node(.string(try parseString()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, HaystackSyntax.isDigit(first) else { throw error("expected digits after '-'", at: start) }
            if first == UInt8(ascii: "0"), position + 1 < bytes.count, HaystackSyntax.isDigit(bytes[position + 1]) {
                throw error("a JSON number does not start with 0 followed by digits", at: start)
            }
            let length = HaystackSyntax.numberLength(bytes, from: start)
            position = start + length
            if let next = current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                throw error("malformed number '\(String(decoding: bytes[start...position], as: UTF8.self))'", at: start)
            }
            return node(.number(String(decoding: bytes[start..<position], as: UTF8.self)))
        default:
            for (word, value) in [("true", JSONNode.Value.bool(true)), ("false", .bool(false)), ("null", .null)] where bytes[position...].starts(with: Array(word.utf8)) {
                position += word.utf8.count
                return node(value)
            }
            throw error("unexpected \(found()); expected a JSON value (strings need double quotes)")
        }
    }

    /// A string, the opening quote at the current position.
    private mutating func parseString() throws(HaystackError) -> String {
        let open = position
        position += 1
        var out = [UInt8]()
        while true {
            guard let byte = current, byte != 0x0A else {
                throw error("the string opened here is not closed on its line; add '\"'", at: open)
            }
            if byte == UInt8(ascii: "\"") { position += 1; return String(decoding: out, as: UTF8.self) }
            if byte < 0x20 { throw error("a control character inside a string; write it as an escape such as \\t") }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); position += 1; continue }
            let escape = position
            guard position + 1 < bytes.count else { throw error("a '\\' at the end of the file", at: escape) }
            let next = bytes[position + 1]
            position += 2
            switch next {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(next)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var value = try hex4(escape)
                if (0xD800...0xDBFF).contains(value) {
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("'\\u' starts a surrogate pair with no second half", at: escape)
                    }
                    position += 2
                    let low = try hex4(escape)
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("'\\u' surrogate pair with a bad second half", at: escape) }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw error("the '\\u' escape is not a character", at: escape) }
                out += Array(String(Character(scalar)).utf8)
            default:
                throw error("'\\\(String(decoding: [next], as: UTF8.self))' is not a JSON escape; use \\n, \\t, \\\", \\\\, \\/ or \\uXXXX", at: escape)
            }
        }
    }

    private mutating func hex4(_ escape: Int) throws(HaystackError) -> UInt32 {
        guard position + 4 <= bytes.count, bytes[position..<position + 4].allSatisfy(HaystackSyntax.isAlphanumeric),
              let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
            throw error("'\\u' must be followed by four hex digits", at: escape)
        }
        position += 4
        return value
    }
}
