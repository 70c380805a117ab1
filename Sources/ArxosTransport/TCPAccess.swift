import ArxosSigning
import ArxosStore
import Foundation

/// What a client key may do on an `arxos serve --listen` daemon.
public enum AccessRight: String, Sendable {
    case read
    case readWrite = "read-write"
}

/// `<root>/authorized_keys`: one key per line, `read|read-write ed25519 <base64 public key> [comment]`; `#` comments.
public struct AuthorizedKeys: Sendable {
    private var rights: [[UInt8]: AccessRight] = [:]

    /// Reads the file; a missing file authorizes nobody.
    public init(path: String) throws {
        guard let bytes = try FileSystem.read(path) else { return }
        for (number, raw) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(separator: " ", maxSplits: 3).map(String.init)
            guard words.count >= 3, let right = AccessRight(rawValue: words[0]), words[1] == "ed25519",
                  let key = try? Ed25519PublicKey(parsing: words[2]) else {
                throw StoreError.badConfig(path: path, line: number + 1, reason: "expected 'read|read-write ed25519 <base64 public key> [comment]'")
            }
            rights[key.bytes] = right
        }
    }

    /// The right of `key`, nil when it is not listed.
    public func right(of key: Ed25519PublicKey) -> AccessRight? { rights[key.bytes] }
}

/// `.arxos/known_hosts`: the pinned key of each TCP server, `host:port ed25519 <base64 public key>`.
public struct KnownHosts {
    public let path: String

    public init(path: String) { self.path = path }

    /// Checks `key` against the key pinned for `endpoint`; pins it when there is none (trust on first use).
    /// Returns true when it was pinned now.
    public func check(_ key: Ed25519PublicKey, for endpoint: String) throws -> Bool {
        let text = (try FileSystem.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == endpoint, words[1] == "ed25519" else { continue }
            guard let pinned = try? Ed25519PublicKey(parsing: String(words[2])) else { continue }
            if pinned != key { throw SecureChannelError.serverKeyChanged(expected: pinned.keyID, actual: key.keyID) }
            return false
        }
        try FileSystem.writeAtomically(path, Array((text + "\(endpoint) ed25519 \(key.base64)\n").utf8))
        return true
    }
}
