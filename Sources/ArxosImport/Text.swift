/// Small text helpers the readers and importers share.

/// The column of a position in UTF-8 text, for the `file:line:column` of the readers' errors.
enum TextColumn {
    /// The column (characters from 1) of byte `offset` on the line that starts at byte `lineStart` of `bytes`:
    /// continuation bytes of a multi-byte character are not counted.
    static func of(_ offset: Int, lineStart: Int, in bytes: [UInt8]) -> Int {
        var count = 1
        var index = lineStart
        while index < offset && index < bytes.count {
            if bytes[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }
}

extension String {
    /// The string without `character` repeated at either end (`"\"a\""` → `a`).
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
