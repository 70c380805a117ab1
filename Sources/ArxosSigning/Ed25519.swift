import CSodium
import Crypto
import Foundation

/// An Ed25519 public key: the 32 bytes of RFC 8032.
public struct Ed25519PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 key bytes.
    public let bytes: [UInt8]

    /// Wraps 32 raw key bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Sodium.publicKeyBytes else {
            throw SigningError.invalidPublicKey(reason: "it has \(bytes.count) bytes, not 32")
        }
        self.bytes = bytes
    }

    /// Parses the export line `ed25519 <base64> <comment>` (the comment is optional) or the bare base64 of the key.
    ///
    /// Surrounding whitespace and a trailing newline are ignored, so the contents of a `.pub` file are accepted.
    public init(parsing text: String) throws {
        self = try Self.parseExport(text).key
    }

    /// Parses like ``init(parsing:)`` and also returns the comment of an export line (empty for bare base64).
    public static func parseExport(_ text: String) throws -> (key: Ed25519PublicKey, comment: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            throw SigningError.invalidPublicKey(reason: lines.isEmpty ? "the text is empty" : "it has \(lines.count) lines, not one")
        }
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        if fields.first == "ed25519-secret" {
            throw SigningError.invalidPublicKey(reason: "this is a secret key; never share it, export the public key instead")
        }
        let base64: String
        var comment = ""
        if fields.count == 1 {
            base64 = fields[0]
        } else if fields[0] == "ed25519" {
            base64 = fields[1]
            if fields.count == 3 { comment = fields[2].trimmingCharacters(in: .whitespaces) }
        } else {
            throw SigningError.invalidPublicKey(reason: "it starts with \"\(fields[0])\" instead of \"ed25519\"")
        }
        guard let decoded = Base64.decodeCanonical(base64) else {
            throw SigningError.invalidPublicKey(reason: "\"\(base64)\" is not valid base64")
        }
        return (try Ed25519PublicKey(bytes: decoded), comment)
    }

    /// The key id: the first 16 hex digits of the SHA-256 of the 32 key bytes.
    public var keyID: String {
        let digest = SHA256.hash(data: bytes)
        return digest.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The standard base64 (with padding) of the 32 key bytes.
    public var base64: String { Base64.encode(bytes) }

    /// The line `arxos key export` prints: `ed25519 <base64> <comment>` (without the trailing space if the comment is
    /// empty). Newlines in the comment become spaces so the result is always one line.
    public func exportLine(comment: String) -> String {
        let clean = Self.oneLine(comment)
        return clean.isEmpty ? "ed25519 \(base64)" : "ed25519 \(base64) \(clean)"
    }

    /// Checks an Ed25519 signature over `payload` with `crypto_sign_verify_detached`.
    ///
    /// Returns false for a signature that is not 64 bytes long, that does not verify, or if libsodium is unusable.
    public func verify(signature: [UInt8], payload: [UInt8]) -> Bool {
        guard signature.count == Sodium.signatureBytes, (try? Sodium.ready()) != nil else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            payload.withUnsafeBufferPointer { message in
                bytes.withUnsafeBufferPointer { key -> Int32 in
                    guard let sigBase = sig.baseAddress, let keyBase = key.baseAddress else { return -1 }
                    return crypto_sign_verify_detached(sigBase, message.baseAddress, UInt64(message.count), keyBase)
                }
            }
        }
        return result == 0
    }

    /// Whether `text` has the shape of a key id: 16 lowercase hex digits.
    public static func isValidKeyID(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public var description: String { "ed25519 \(keyID)" }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline }).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// An Ed25519 secret key in libsodium's 64-byte form (32-byte seed ‖ 32-byte public key).
///
/// `description` shows only the key id, so a key printed by accident does not leak.
public struct Ed25519SecretKey: Sendable, CustomStringConvertible {
    /// The 64 secret key bytes, as `crypto_sign_keypair` produces them.
    public let bytes: [UInt8]
    /// The public half.
    public let publicKey: Ed25519PublicKey

    /// Generates a new random key pair with `crypto_sign_keypair`.
    public static func generate() throws -> Ed25519SecretKey {
        try Sodium.ready()
        var publicBytes = [UInt8](repeating: 0, count: Sodium.publicKeyBytes)
        var secretBytes = [UInt8](repeating: 0, count: Sodium.secretKeyBytes)
        let result = publicBytes.withUnsafeMutableBufferPointer { pk in
            secretBytes.withUnsafeMutableBufferPointer { sk -> Int32 in
                guard let pkBase = pk.baseAddress, let skBase = sk.baseAddress else { return -1 }
                return crypto_sign_keypair(pkBase, skBase)
            }
        }
        guard result == 0 else { throw SigningError.invalidSecretKey(reason: "crypto_sign_keypair failed") }
        return Ed25519SecretKey(checkedBytes: secretBytes, publicKey: try Ed25519PublicKey(bytes: publicBytes))
    }

    /// Derives the key pair from a 32-byte seed with `crypto_sign_seed_keypair` (deterministic; for tests and
    /// interoperability with RFC 8032 vectors).
    public init(seed: [UInt8]) throws {
        guard seed.count == Sodium.seedBytes else {
            throw SigningError.invalidSecretKey(reason: "a seed has 32 bytes, not \(seed.count)")
        }
        try Sodium.ready()
        var publicBytes = [UInt8](repeating: 0, count: Sodium.publicKeyBytes)
        var secretBytes = [UInt8](repeating: 0, count: Sodium.secretKeyBytes)
        let result = publicBytes.withUnsafeMutableBufferPointer { pk in
            secretBytes.withUnsafeMutableBufferPointer { sk in
                seed.withUnsafeBufferPointer { seedBuffer -> Int32 in
                    guard let pkBase = pk.baseAddress, let skBase = sk.baseAddress, let seedBase = seedBuffer.baseAddress
                    else { return -1 }
                    return crypto_sign_seed_keypair(pkBase, skBase, seedBase)
                }
            }
        }
        guard result == 0 else { throw SigningError.invalidSecretKey(reason: "crypto_sign_seed_keypair failed") }
        self.bytes = secretBytes
        self.publicKey = try Ed25519PublicKey(bytes: publicBytes)
    }

    /// Wraps libsodium's 64-byte secret key, checking that its public half is the one derived from its seed.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Sodium.secretKeyBytes else {
            throw SigningError.invalidSecretKey(reason: "it has \(bytes.count) bytes, not 64")
        }
        let derived = try Ed25519SecretKey(seed: Array(bytes[0..<Sodium.seedBytes]))
        guard derived.bytes == bytes else {
            throw SigningError.invalidSecretKey(reason: "its public half does not match its seed")
        }
        self = derived
    }

    private init(checkedBytes: [UInt8], publicKey: Ed25519PublicKey) {
        self.bytes = checkedBytes
        self.publicKey = publicKey
    }

    /// The key id of the public half.
    public var keyID: String { publicKey.keyID }

    /// Signs `payload` with `crypto_sign_detached`, returning the 64-byte signature.
    public func sign(_ payload: [UInt8]) throws -> [UInt8] {
        try Sodium.ready()
        var signature = [UInt8](repeating: 0, count: Sodium.signatureBytes)
        var length: UInt64 = 0
        let result = signature.withUnsafeMutableBufferPointer { sig in
            payload.withUnsafeBufferPointer { message in
                bytes.withUnsafeBufferPointer { key -> Int32 in
                    guard let sigBase = sig.baseAddress, let keyBase = key.baseAddress else { return -1 }
                    return crypto_sign_detached(sigBase, &length, message.baseAddress, UInt64(message.count), keyBase)
                }
            }
        }
        guard result == 0, length == UInt64(Sodium.signatureBytes) else { throw SigningError.signingFailed }
        return signature
    }

    public var description: String { "ed25519 secret key \(keyID)" }
}

/// The key that signs commits and tags.
public typealias SigningKey = Ed25519SecretKey
