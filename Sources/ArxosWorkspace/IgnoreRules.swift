/// The patterns of a `.arxosignore` file, with the meaning of `.gitignore` patterns.
///
/// Each non-empty line that does not start with `#` is a pattern. `!` negates, a trailing `/` matches directories only,
/// a pattern containing `/` (other than a trailing one) is anchored at the top of the working tree, otherwise it matches a
/// name at any depth. `*` and `?` do not cross `/`; `**` does. The last matching pattern decides.
public struct IgnoreRules: Sendable {
    struct Rule: Sendable {
        var pattern: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
    }

    var rules: [Rule] = []

    public init() {}

    public init(text: String) {
        for raw in text.utf8.split(separator: 0x0A) {
            var line = Substring(String(decoding: raw, as: UTF8.self))
            while line.hasSuffix(" ") || line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var rule = Rule(pattern: [], negated: false, directoryOnly: false, anchored: false)
            if line.hasPrefix("!") { rule.negated = true; line = line.dropFirst() }
            if line.hasSuffix("/") { rule.directoryOnly = true; line = line.dropLast() }
            if line.hasPrefix("/") { rule.anchored = true; line = line.dropFirst() }
            if line.contains("/") { rule.anchored = true }
            if line.isEmpty { continue }
            rule.pattern = Array(line.utf8)
            rules.append(rule)
        }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// Whether the path (relative, `/`-separated) is ignored.
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        if rules.isEmpty { return false }
        let bytes = Array(path.utf8)
        let name = bytes.lastIndex(of: 0x2F).map { Array(bytes[($0 + 1)...]) } ?? bytes
        var ignored = false
        for rule in rules {
            if rule.directoryOnly && !isDirectory { continue }
            let subject = rule.anchored ? bytes : name
            if IgnoreRules.glob(rule.pattern[...], subject[...]) { ignored = !rule.negated }
        }
        return ignored
    }

    /// Glob matching where `*` and `?` stop at `/` and `**` crosses it.
    static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var p = p, s = s
        while let c = p.first {
            switch c {
            case UInt8(ascii: "*"):
                if p.dropFirst().first == UInt8(ascii: "*") {
                    // `**` matches whole path components: `**/x` tries x at the start and after every `/`;
                    // a trailing `**` matches everything that is left.
                    var rest = p.dropFirst(2)
                    if rest.isEmpty { return true }
                    if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
                    var candidate = s
                    while true {
                        if glob(rest, candidate) { return true }
                        guard let slash = candidate.firstIndex(of: UInt8(ascii: "/")) else { return false }
                        candidate = candidate[(slash + 1)...]
                    }
                }
                let rest = p.dropFirst()
                var candidate = s
                while true {
                    if glob(rest, candidate) { return true }
                    guard let first = candidate.first, first != UInt8(ascii: "/") else { return false }
                    candidate = candidate.dropFirst()
                }
            case UInt8(ascii: "?"):
                guard let first = s.first, first != UInt8(ascii: "/") else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            case UInt8(ascii: "["):
                guard let first = s.first, let close = p.dropFirst(2).firstIndex(of: UInt8(ascii: "]")) else {
                    if s.first == c { p = p.dropFirst(); s = s.dropFirst(); continue }
                    return false
                }
                var set = p[(p.startIndex + 1)..<close]
                let negate = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negate { set = set.dropFirst() }
                var matched = false
                var i = set.startIndex
                while i < set.endIndex {
                    if i + 2 < set.endIndex, set[i + 1] == UInt8(ascii: "-") {
                        if set[i] <= first && first <= set[i + 2] { matched = true }
                        i += 3
                    } else {
                        if set[i] == first { matched = true }
                        i += 1
                    }
                }
                guard matched != negate, first != UInt8(ascii: "/") else { return false }
                p = p[(close + 1)...]; s = s.dropFirst()
            case UInt8(ascii: "\\") where p.count > 1:
                guard s.first == p[p.startIndex + 1] else { return false }
                p = p.dropFirst(2); s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            }
        }
        return s.isEmpty
    }
}
