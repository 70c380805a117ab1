import Foundation

/// One line of a trust file.
public enum TrustEntry: Hashable, Sendable {
    /// `trusted ed25519 <key-id> <base64 public key> <comment>`
    case trusted(key: Ed25519PublicKey, comment: String)
    /// `revoked ed25519 <key-id> <comment>`
    case revoked(keyID: String, comment: String)

    /// The key id the entry is about.
    public var keyID: String {
        switch self {
        case .trusted(let key, _): return key.keyID
        case .revoked(let keyID, _): return keyID
        }
    }

    /// The entry's comment (may be empty).
    public var comment: String {
        switch self {
        case .trusted(_, let comment), .revoked(_, let comment): return comment
        }
    }

    /// The line as written in the trust file, without its newline.
    public var line: String {
        switch self {
        case .trusted(let key, let comment):
            let head = "trusted ed25519 \(key.keyID) \(key.base64)"
            return comment.isEmpty ? head : head + " " + comment
        case .revoked(let keyID, let comment):
            let head = "revoked ed25519 \(keyID)"
            return comment.isEmpty ? head : head + " " + comment
        }
    }
}

/// What a trust file says about one key id.
public enum KeyTrust: Hashable, Sendable {
    /// Trusted and not revoked.
    case trusted(Ed25519PublicKey)
    /// Revoked; the public key is known if the key was also trusted.
    case revoked(Ed25519PublicKey?)
    /// Neither trusted nor revoked.
    case unknown
}

/// The trust decisions of a repository at one moment. A revocation wins over trust for the same key id.
public struct TrustSnapshot: Hashable, Sendable {
    /// The entries in file order.
    public let entries: [TrustEntry]
    private let keys: [String: Ed25519PublicKey]
    private let revokedIDs: Set<String>

    /// Builds a snapshot from entries; a later `trusted` entry for a key id already trusted with a different key is
    /// ignored (``TrustStore`` refuses to write such a file, and refuses to read one).
    public init(entries: [TrustEntry] = []) {
        self.entries = entries
        var keys: [String: Ed25519PublicKey] = [:]
        var revokedIDs: Set<String> = []
        for entry in entries {
            switch entry {
            case .trusted(let key, _):
                if keys[key.keyID] == nil { keys[key.keyID] = key }
            case .revoked(let keyID, _):
                revokedIDs.insert(keyID)
            }
        }
        self.keys = keys
        self.revokedIDs = revokedIDs
    }

    /// What the snapshot says about `keyID`.
    public func status(of keyID: String) -> KeyTrust {
        if revokedIDs.contains(keyID) { return .revoked(keys[keyID]) }
        if let key = keys[keyID] { return .trusted(key) }
        return .unknown
    }

    /// The trusted keys that are not revoked, in file order.
    public var trustedKeys: [Ed25519PublicKey] {
        var seen: Set<String> = []
        var result: [Ed25519PublicKey] = []
        for case .trusted(let key, _) in entries where !revokedIDs.contains(key.keyID) && seen.insert(key.keyID).inserted {
            result.append(key)
        }
        return result
    }

    /// The revoked key ids, in file order.
    public var revokedKeyIDs: [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for case .revoked(let keyID, _) in entries where seen.insert(keyID).inserted {
            result.append(keyID)
        }
        return result
    }
}

/// A repository's trust file (`.arxos/trust`): one decision per line, replaced atomically on every change.
///
/// Changes read the file, append one line and write the whole file back (temporary file in the same directory,
/// fsync, rename, fsync of the directory). Callers that may run concurrently must hold the repository lock.
public struct TrustStore: Sendable {
    /// The trust file.
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// Reads the trust file; a missing file is an empty snapshot.
    public func load() throws -> TrustSnapshot {
        TrustSnapshot(entries: try entries())
    }

    /// The entries of the trust file in file order; empty if the file does not exist.
    public func entries() throws -> [TrustEntry] {
        guard let bytes = try FileIO.readIfExists(url.path) else { return [] }
        return try Self.parse(bytes, path: url.path)
    }

    /// Adds a `trusted` line for `key`.
    ///
    /// Returns false (and writes nothing) if the key is already trusted. Throws
    /// ``SigningError/trustingRevokedKey(path:keyID:)`` if its key id is revoked, and
    /// ``SigningError/conflictingKeyID(path:keyID:)`` if a different key with the same key id is trusted.
    @discardableResult
    public func trust(_ key: Ed25519PublicKey, comment: String) throws -> Bool {
        let current = try entries()
        let snapshot = TrustSnapshot(entries: current)
        switch snapshot.status(of: key.keyID) {
        case .revoked:
            throw SigningError.trustingRevokedKey(path: url.path, keyID: key.keyID)
        case .trusted(let existing):
            if existing == key { return false }
            throw SigningError.conflictingKeyID(path: url.path, keyID: key.keyID)
        case .unknown:
            try append(.trusted(key: key, comment: Ed25519PublicKey.oneLine(comment)))
            return true
        }
    }

    /// Adds a `revoked` line for `keyID`, which need not have been trusted.
    ///
    /// Returns false (and writes nothing) if the key id is already revoked. An empty `comment` takes the comment of
    /// the key's `trusted` line, if there is one.
    @discardableResult
    public func revoke(keyID: String, comment: String = "") throws -> Bool {
        guard Ed25519PublicKey.isValidKeyID(keyID) else { throw SigningError.invalidKeyID(keyID) }
        let current = try entries()
        if current.contains(where: { if case .revoked(keyID, _) = $0 { return true } else { return false } }) {
            return false
        }
        var text = Ed25519PublicKey.oneLine(comment)
        if text.isEmpty, let trusted = current.first(where: { if case .trusted = $0 { return $0.keyID == keyID } else { return false } }) {
            text = trusted.comment
        }
        try append(.revoked(keyID: keyID, comment: text))
        return true
    }

    private func append(_ entry: TrustEntry) throws {
        var bytes = try FileIO.readIfExists(url.path) ?? []
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        bytes.append(contentsOf: (entry.line + "\n").utf8)
        try FileIO.makeDirectory(url.deletingLastPathComponent().path, mode: 0o755)
        try FileIO.writeAtomically(bytes, to: url.path, mode: 0o644)
    }

    static func parse(_ bytes: [UInt8], path: String) throws -> [TrustEntry] {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw SigningError.malformedTrustFile(path: path, line: 1, reason: "the file is not UTF-8 text")
        }
        var entries: [TrustEntry] = []
        var keys: [String: Ed25519PublicKey] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            func malformed(_ reason: String) -> SigningError {
                .malformedTrustFile(path: path, line: number, reason: reason)
            }
            guard fields.count >= 3 else { throw malformed("it has too few fields") }
            guard fields[1] == "ed25519" else { throw malformed("unknown algorithm \"\(fields[1])\"") }
            let keyID = fields[2]
            guard Ed25519PublicKey.isValidKeyID(keyID) else { throw malformed("\"\(keyID)\" is not a key id") }
            switch fields[0] {
            case "trusted":
                guard fields.count >= 4 else { throw malformed("the public key is missing") }
                guard let raw = Base64.decodeCanonical(fields[3]), let key = try? Ed25519PublicKey(bytes: raw) else {
                    throw malformed("the public key is not the base64 of 32 bytes")
                }
                guard key.keyID == keyID else {
                    throw malformed("key id \(keyID) does not match the public key, whose key id is \(key.keyID)")
                }
                if let existing = keys[keyID], existing != key {
                    throw SigningError.conflictingKeyID(path: path, keyID: keyID)
                }
                keys[keyID] = key
                entries.append(.trusted(key: key, comment: fields.count == 5 ? fields[4] : ""))
            case "revoked":
                let comment = fields.dropFirst(3).joined(separator: " ")
                entries.append(.revoked(keyID: keyID, comment: comment))
            default:
                throw malformed("it starts with \"\(fields[0])\" instead of \"trusted\" or \"revoked\"")
            }
        }
        return entries
    }
}
