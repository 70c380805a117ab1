import ArxosCore

/// A ref as listed by `ls-refs`.
public struct RemoteRef: Equatable, Sendable {
    public var name: String
    public var id: ObjectID
    public init(name: String, id: ObjectID) { self.name = name; self.id = id }
}

/// One compare-and-swap ref update of a push: `old` → `new`, nil meaning "no value".
public struct RefUpdate: Equatable, Sendable {
    public var ref: String
    public var old: ObjectID?
    public var new: ObjectID?
    /// Allows a non-fast-forward move (still guarded by `old`).
    public var force: Bool
    public init(ref: String, old: ObjectID?, new: ObjectID?, force: Bool = false) {
        self.ref = ref; self.old = old; self.new = new; self.force = force
    }
}

/// The server's verdict on one ref update.
public struct RefResult: Equatable, Sendable {
    public var ref: String
    /// nil when applied; otherwise why not.
    public var rejection: String?
    public init(ref: String, rejection: String?) { self.ref = ref; self.rejection = rejection }
    public var ok: Bool { rejection == nil }
}

/// The control lines of protocol version 1, parsed.
public enum ControlLine: Equatable, Sendable {
    case version(Int)
    case agent(String)
    case capability(String)
    case command(String)
    case prefix(String)
    case ref(RemoteRef)
    case symref(name: String, target: String)
    case want(ObjectID)
    case have(ObjectID)
    case update(RefUpdate)
    case probe(ObjectID)
    case pack(objects: Int, bytes: Int)
    case result(RefResult)
    /// Fetch: asks the server to probe even without `have` hints (the client holds objects of an interrupted fetch).
    case negotiate
    /// Fetch: the client accepts chunks compressed against objects it has (`capability thin`, protocol.md 5.1).
    case thin
    /// Fetch: the client shows progress, so the server may send progress packets while it prepares the pack.
    case progress
    /// A named value of a node request or its answer (`capability node`, protocol.md section 10).
    case param(key: String, value: String)

    /// Checks the framing rules of a control line: 1 to 4096 bytes, no NUL, CR or LF.
    static func check(_ line: String) throws(ProtocolError) {
        let count = line.utf8.count
        if count == 0 { throw .badControlLine(line, reason: "it is empty") }
        if count > Packet.maxControlLine { throw .controlLineTooLong(count) }
        if line.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) {
            throw .badControlLine(line, reason: "it contains NUL, CR or LF")
        }
    }

    /// The line's text.
    public var text: String {
        switch self {
        case let .version(v): "version \(v)"
        case let .agent(a): "agent \(a)"
        case let .capability(c): "capability \(c)"
        case let .command(c): "command \(c)"
        case let .prefix(p): "prefix \(p)"
        case let .ref(r): "ref \(r.id.hex) \(r.name)"
        case let .symref(name, target): "symref \(name) \(target)"
        case let .want(id): "want \(id.hex)"
        case let .have(id): "have \(id.hex)"
        case let .update(u): "update \((u.old ?? .zero).hex) \((u.new ?? .zero).hex) \(u.ref)" + (u.force ? " force" : "")
        case let .probe(id): "probe \(id.hex)"
        case let .pack(objects, bytes): "pack \(objects) \(bytes)"
        case .negotiate: "negotiate"
        case .thin: "thin"
        case .progress: "progress"
        case let .param(key, value): value.isEmpty ? "param \(key)" : "param \(key) \(value)"
        case let .result(r): r.rejection.map { "result ng \(r.ref) \($0.replacingOccurrences(of: "\n", with: " "))" } ?? "result ok \(r.ref)"
        }
    }

    public var packet: Packet { .control(text) }

    /// Parses a control line.
    public init(parsing line: String) throws(ProtocolError) {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        func fail(_ reason: String) -> ProtocolError { .badControlLine(line, reason: reason) }
        func id(_ text: String) throws(ProtocolError) -> ObjectID {
            guard text.utf8.count == 64, text == text.lowercased(), let id = ObjectID(hex: text) else { throw fail("'\(text)' is not a 64-digit lowercase hex id") }
            return id
        }
        func count(_ text: String) throws(ProtocolError) -> Int {
            guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text) else {
                throw fail("'\(text)' is not a decimal count")
            }
            return n
        }
        func expect(_ n: Int) throws(ProtocolError) {
            if words.count != n { throw fail("expected \(n) words, found \(words.count)") }
        }
        func rest(from index: Int) throws(ProtocolError) -> String {
            guard words.count > index else { throw fail("it is missing its value") }
            let value = words[index...].joined(separator: " ")
            if value.isEmpty { throw fail("its value is empty") }
            return value
        }
        let word = words[0]
        switch word {
        case "version":
            try expect(2)
            self = .version(try count(words[1]))
        case "agent": self = .agent(try rest(from: 1))
        case "capability": try expect(2); self = .capability(words[1])
        case "command": try expect(2); self = .command(words[1])
        case "prefix": try expect(2); self = .prefix(words[1])
        case "ref": try expect(3); self = .ref(RemoteRef(name: words[2], id: try id(words[1])))
        case "symref": try expect(3); self = .symref(name: words[1], target: words[2])
        case "want": try expect(2); self = .want(try id(words[1]))
        case "have": try expect(2); self = .have(try id(words[1]))
        case "probe": try expect(2); self = .probe(try id(words[1]))
        case "update":
            guard words.count == 4 || (words.count == 5 && words[4] == "force") else { throw fail("expected 'update <old> <new> <ref> [force]'") }
            let old = try id(words[1]), new = try id(words[2])
            self = .update(RefUpdate(ref: words[3], old: old == .zero ? nil : old, new: new == .zero ? nil : new, force: words.count == 5))
        case "negotiate":
            try expect(1)
            self = .negotiate
        case "thin":
            try expect(1)
            self = .thin
        case "progress":
            try expect(1)
            self = .progress
        case "param":
            guard words.count >= 2, !words[1].isEmpty,
                  words[1].utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }) else {
                throw fail("expected 'param <key> [value]' with a key of a-z, 0-9, '-' and '.'")
            }
            self = .param(key: words[1], value: words.count > 2 ? words[2...].joined(separator: " ") : "")
        case "pack":
            try expect(3)
            self = .pack(objects: try count(words[1]), bytes: try count(words[2]))
        case "result":
            guard words.count >= 3 else { throw fail("expected 'result ok <ref>' or 'result ng <ref> <reason>'") }
            switch words[1] {
            case "ok": try expect(3); self = .result(RefResult(ref: words[2], rejection: nil))
            case "ng": self = .result(RefResult(ref: words[2], rejection: words.count > 3 ? try rest(from: 3) : "rejected"))
            default: throw fail("expected 'ok' or 'ng' after 'result'")
            }
        default:
            throw fail("unknown keyword '\(word)'")
        }
    }
}
