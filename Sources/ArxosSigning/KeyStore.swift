import Foundation

/// The user's signing key files under an arxos home directory.
///
/// `<home>/keys/id_ed25519` (mode 0600) holds one line `ed25519-secret <base64 of the 64-byte secret key>`;
/// `<home>/keys/id_ed25519.pub` holds the export line `ed25519 <base64 public key> <comment>`.
public struct KeyStore: Sendable {
    /// The arxos home directory (`$ARXOS_HOME`, by default `~/.config/arxos`).
    public let home: URL

    public init(home: URL) {
        self.home = home
    }

    /// `$ARXOS_HOME` if set and not empty, otherwise `$HOME/.config/arxos`.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["ARXOS_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: user, isDirectory: true)
            .appendingPathComponent(".config", isDirectory: true)
            .appendingPathComponent("arxos", isDirectory: true)
    }

    /// `<home>/keys`.
    public var keysDirectory: URL { home.appendingPathComponent("keys", isDirectory: true) }
    /// `<home>/keys/id_ed25519`.
    public var secretKeyURL: URL { keysDirectory.appendingPathComponent("id_ed25519") }
    /// `<home>/keys/id_ed25519.pub`.
    public var publicKeyURL: URL { keysDirectory.appendingPathComponent("id_ed25519.pub") }

    /// Creates a new key pair and writes both files.
    ///
    /// Refuses with ``SigningError/keyAlreadyExists(path:)`` if a secret key file exists, unless `force` is true.
    /// The secret file is created with mode 0600 inside a `keys` directory with mode 0700.
    @discardableResult
    public func generate(comment: String, force: Bool = false) throws -> Ed25519SecretKey {
        let key = try Ed25519SecretKey.generate()
        try store(key, comment: comment, force: force)
        return key
    }

    /// Writes `key` to the key files (used by ``generate(comment:force:)``; also lets tests and imports install a
    /// known key).
    public func store(_ key: Ed25519SecretKey, comment: String, force: Bool = false) throws {
        let secretPath = secretKeyURL.path
        if !force, FileIO.exists(secretPath) { throw SigningError.keyAlreadyExists(path: secretPath) }
        try FileIO.makeDirectory(keysDirectory.path, mode: 0o700)
        let secretLine = "ed25519-secret \(Base64.encode(key.bytes))\n"
        try FileIO.writeAtomically(Array(secretLine.utf8), to: secretPath, mode: 0o600, replace: force)
        let publicLine = key.publicKey.exportLine(comment: comment) + "\n"
        try FileIO.writeAtomically(Array(publicLine.utf8), to: publicKeyURL.path, mode: 0o644, replace: true)
    }

    /// Loads the secret key, or returns nil if there is no secret key file.
    ///
    /// Throws ``SigningError/malformedKeyFile(path:reason:)`` if the file cannot be parsed. A file mode looser than
    /// 0600 does not stop loading; ask ``warnings()`` and print what it returns.
    public func load() throws -> Ed25519SecretKey? {
        let path = secretKeyURL.path
        guard let bytes = try FileIO.readIfExists(path) else { return nil }
        return try Self.parseSecretKeyFile(bytes, path: path)
    }

    /// Loads the public key file and its comment, or returns nil if there is none.
    public func loadPublicKey() throws -> (key: Ed25519PublicKey, comment: String)? {
        let path = publicKeyURL.path
        guard let bytes = try FileIO.readIfExists(path) else { return nil }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw SigningError.malformedKeyFile(path: path, reason: "it is not UTF-8 text")
        }
        do {
            return try Ed25519PublicKey.parseExport(text)
        } catch let SigningError.invalidPublicKey(reason) {
            throw SigningError.malformedKeyFile(path: path, reason: reason)
        }
    }

    /// Problems worth a warning that do not stop signing: a secret key file readable or writable by other users
    /// (``SigningError/keyFileTooOpen(path:mode:)``) and a public key file that does not match the secret key
    /// (``SigningError/publicKeyMismatch(path:secretKeyPath:)``). Unreadable or malformed files are reported too.
    public func warnings() -> [SigningError] {
        var found: [SigningError] = []
        let secretPath = secretKeyURL.path
        do {
            if let mode = try FileIO.permissions(secretPath), mode & 0o077 != 0 {
                found.append(.keyFileTooOpen(path: secretPath, mode: mode))
            }
            if let secret = try load(), let exported = try loadPublicKey(), exported.key != secret.publicKey {
                found.append(.publicKeyMismatch(path: publicKeyURL.path, secretKeyPath: secretPath))
            }
        } catch let error as SigningError {
            found.append(error)
        } catch {
            found.append(.malformedKeyFile(path: secretPath, reason: error.localizedDescription))
        }
        return found
    }

    static func parseSecretKeyFile(_ bytes: [UInt8], path: String) throws -> Ed25519SecretKey {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw SigningError.malformedKeyFile(path: path, reason: "it is not UTF-8 text")
        }
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        if body.contains("\n") {
            throw SigningError.malformedKeyFile(path: path, reason: "it has more than one line")
        }
        let fields = body.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0] == "ed25519-secret" else {
            throw SigningError.malformedKeyFile(path: path, reason: "expected one line `ed25519-secret <base64>`")
        }
        guard let secret = Base64.decodeCanonical(String(fields[1])) else {
            throw SigningError.malformedKeyFile(path: path, reason: "the key is not valid base64")
        }
        do {
            return try Ed25519SecretKey(bytes: secret)
        } catch let SigningError.invalidSecretKey(reason) {
            throw SigningError.malformedKeyFile(path: path, reason: reason)
        }
    }
}
