/// Writes a grid as Zinc text (`ver:"3.0"`) that `ZincReader` and other Haystack tools read back as the same values.
///
/// Nested grids cannot be written in a cell here and are written as null (`N`); arxos never exports one.
public enum ZincWriter {
    /// The Zinc text of `grid`: the version line with the grid's meta, the column line, one line per row.
    public static func write(_ grid: HaystackGrid) -> String {
        var out = "ver:\"3.0\""
        for tag in grid.meta where tag.name != "ver" { out += " " + item(tag) }
        out += "\n" + grid.columns.joined(separator: ",") + "\n"
        for row in grid.rows {
            var byName = [String: HaystackValue]()
            for tag in row.tags where byName[tag.name] == nil { byName[tag.name] = tag.value }
            out += grid.columns.map { name in byName[name].map(cell) ?? "" }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A cell: empty for null, the value otherwise.
    static func cell(_ value: HaystackValue) -> String {
        value == .null ? "" : text(value)
    }

    /// A `name` or `name:value` item of meta or of a dict.
    static func item(_ tag: HaystackTag) -> String {
        tag.value == .marker ? tag.name : tag.name + ":" + text(tag.value)
    }

    /// One value as Zinc.
    public static func text(_ value: HaystackValue) -> String {
        switch value {
        case .null, .grid: return "N"
        case .marker: return "M"
        case .na: return "NA"
        case .remove: return "R"
        case let .bool(flag): return flag ? "T" : "F"
        case let .number(number): return number.text + (number.unit ?? "")
        case let .string(text): return quoted(text, quote: "\"")
        case let .uri(text): return quoted(text, quote: "`")
        case let .ref(id, dis): return "@" + id + (dis.map { " " + quoted($0, quote: "\"") } ?? "")
        case let .symbol(name): return "^" + name
        case let .date(text), let .time(text): return text
        case let .dateTime(text, zone): return text + (zone.map { " " + $0 } ?? "")
        case let .coord(latitude, longitude): return "C(\(latitude),\(longitude))"
        case let .xstr(type, text): return type + "(" + quoted(text, quote: "\"") + ")"
        case let .list(items): return "[" + items.map(text).joined(separator: ", ") + "]"
        case let .dict(tags): return "{" + tags.filter { $0.value != .null }.map(item).joined(separator: " ") + "}"
        }
    }

    /// A string or URI in its quotes, with the escapes Zinc needs (the quote, `\`, line breaks, control characters).
    static func quoted(_ text: String, quote: Character) -> String {
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Character(scalar) == quote: out += "\\" + String(quote)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + String(quote)
    }
}
