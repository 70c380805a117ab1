/// How a file lays out its objects: one mapping, one list of mappings, or several `---` documents.
public enum FileLayout: Sendable, Equatable {
    case single, list, documents

    /// The layout of a file's bytes (a file that does not parse counts as documents).
    public static func of(_ bytes: [UInt8]) -> FileLayout {
        ValueReader.documents(bytes).map { of(documents: $0) } ?? .documents
    }

    /// The layout of parsed documents.
    static func of(documents: [ModelValue]) -> FileLayout {
        guard documents.count == 1 else { return .documents }
        if case .list = documents[0] { return .list }
        return .single
    }
}

/// Writes building objects as YAML that reads back to the same `ModelValue`s: block style, two-space indent, keys in
/// their order, scalars plain where that reads back the same text and double-quoted otherwise. Comments are not kept.
public enum ObjectWriter {
    /// The text of a file holding `objects` in `layout` (a single-mapping layout with other than one object becomes
    /// documents), after `header` (the comment lines that opened the file, kept as they were).
    public static func file(_ objects: [[ModelValue.Field]], layout: FileLayout, header: String = "") -> String {
        var out = header
        switch layout {
        case .single where objects.count == 1:
            writeMap(objects[0], indent: 0, into: &out)
        case .list where !objects.isEmpty:
            for (index, object) in objects.enumerated() {
                if index > 0 { out += "\n" }
                out += "- "
                writeMap(object, indent: 2, into: &out, firstLineIndented: true)
            }
        default:
            for (index, object) in objects.enumerated() {
                if index > 0 { out += "---\n" }
                writeMap(object, indent: 0, into: &out)
            }
        }
        return out
    }

    /// One value in flow style on a single line (for conflict entries and messages); reads back as the same value.
    public static func inline(_ value: ModelValue) -> String {
        switch value {
        case let .scalar(text, plain) where plain && text.isEmpty: return "~"
        case let .scalar(text, plain): return scalar(text, plain: plain, flow: true)
        case let .list(items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case let .map(fields):
            return "{" + fields.map { scalar($0.key, plain: true, flow: true) + ": " + inline($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Writes `fields` as a block mapping at `indent`; `firstLineIndented` means the caller already wrote the first
    /// line's indentation (a list item's `- `).
    static func writeMap(_ fields: [ModelValue.Field], indent: Int, into out: inout String, firstLineIndented: Bool = false) {
        if fields.isEmpty { out += "{}\n"; return }
        let pad = String(repeating: " ", count: indent)
        for (index, field) in fields.enumerated() {
            if !(index == 0 && firstLineIndented) { out += pad }
            out += scalar(field.key, plain: true, flow: false) + ":"
            writeValue(field.value, indent: indent, into: &out)
        }
    }

    /// Writes the value after a `key:` (starting with a space or a newline).
    static func writeValue(_ value: ModelValue, indent: Int, into out: inout String) {
        switch value {
        case let .scalar(text, plain) where plain && text.isEmpty:
            out += "\n"
        case let .scalar(text, plain):
            out += " " + scalar(text, plain: plain, flow: false) + "\n"
        case let .list(items) where items.isEmpty:
            out += " []\n"
        case let .map(fields) where fields.isEmpty:
            out += " {}\n"
        case let .list(items):
            // Short lists of scalars (ids, mostly) read best on one line, as people write them.
            if items.allSatisfy({ $0.text != nil }) {
                let flow = inline(value)
                if flow.count + indent <= 100 { out += " " + flow + "\n"; return }
            }
            out += "\n"
            writeList(items, indent: indent + 2, into: &out)
        case let .map(fields):
            out += "\n"
            writeMap(fields, indent: indent + 2, into: &out)
        }
    }

    static func writeList(_ items: [ModelValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            out += pad + "-"
            switch item {
            case let .scalar(text, plain) where plain && text.isEmpty: out += "\n"
            case let .scalar(text, plain): out += " " + scalar(text, plain: plain, flow: false) + "\n"
            case let .list(inner) where inner.isEmpty: out += " []\n"
            case let .map(fields) where fields.isEmpty: out += " {}\n"
            case let .list(inner):
                out += "\n"
                writeList(inner, indent: indent + 2, into: &out)
            case let .map(fields):
                out += " "
                writeMap(fields, indent: indent + 2, into: &out, firstLineIndented: true)
            }
        }
    }

    /// A scalar as YAML text. A plain scalar stays plain when it can be written so unambiguously; a quoted one stays
    /// quoted (its quotes may be what keeps `"yes"` or `"0123"` a string).
    static func scalar(_ text: String, plain: Bool, flow: Bool) -> String {
        if plain && canBePlain(text, flow: flow) { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0xFEFF || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether `text` reads back as the same plain scalar in block (or flow) context.
    static func canBePlain(_ text: String, flow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if first == " " || last == " " || first == "\t" || last == "\t" { return false }
        let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'",
                                               "\"", "%", "@", "`"]
        if indicators.contains(first) {
            // `-`, `?` and `:` may start a plain scalar when followed by a non-space character.
            let scalars = Array(text.unicodeScalars)
            guard !flow, ["-", "?", ":"].contains(first), scalars.count > 1, scalars[1] != " ", !(flow && [",", "[", "]", "{", "}"].contains(scalars[1])) else {
                return false
            }
            if text == "---" || text.hasPrefix("--- ") { return false }
        }
        if text == "..." || text.hasPrefix("... ") { return false }
        var previous: Unicode.Scalar = " "
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFEFF || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 {
                return false
            }
            if scalar == "#" && (previous == " " || previous == "\t") { return false }
            if scalar == ":" {
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                if next == " " || next == "\t" || (flow && [",", "[", "]", "{", "}"].contains(next)) { return false }
            }
            if flow && [",", "[", "]", "{", "}"].contains(scalar) { return false }
            previous = scalar
        }
        return true
    }
}

extension FileLayout {
    /// The comment lines (and blank lines) at the top of a file, before its first content: kept when a merge
    /// rewrites the file.
    public static func header(of bytes: [UInt8]) -> String {
        var end = 0, start = 0, sawComment = false
        while start < bytes.count {
            let lineEnd = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let first = bytes[start..<lineEnd].first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
            if let first, first != UInt8(ascii: "#") { break }
            if first != nil { sawComment = true }
            start = lineEnd + 1
            end = min(start, bytes.count)
        }
        guard sawComment else { return "" }
        let text = String(decoding: bytes[..<end], as: UTF8.self)
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}

extension ModelValue {
    /// Reads one YAML value written inline (`200 cfm`, `[a, b]`, `{x: 1}`); nil if it is not one well-formed value.
    public static func parse(_ text: String) -> ModelValue? {
        guard let documents = ValueReader.documents(Array(text.utf8)), documents.count <= 1 else { return nil }
        return documents.first ?? .scalar("", plain: true)
    }
}
