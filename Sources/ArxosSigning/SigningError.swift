import Foundation

/// An error from the signing module: keys, key files, signature lines and the trust file.
///
/// Every case reads as one sentence naming the file, line or key involved and, where there is one, the fix.
public enum SigningError: Error, Equatable, Sendable {
    /// libsodium could not be initialised (`sodium_init` returned -1).
    case sodiumUnavailable
    /// Text given as a public key is neither an export line nor the bare base64 of 32 bytes.
    case invalidPublicKey(reason: String)
    /// A key id is not 16 lowercase hex digits.
    case invalidKeyID(String)
    /// A signature does not have the 64 bytes of an Ed25519 signature.
    case invalidSignatureLength(Int)
    /// A secret key is not the 64 bytes (seed ‖ public key) libsodium uses, or its halves do not belong together.
    case invalidSecretKey(reason: String)
    /// libsodium refused to sign.
    case signingFailed
    /// A key file exists but cannot be parsed.
    case malformedKeyFile(path: String, reason: String)
    /// The secret key file can be read or written by other users.
    case keyFileTooOpen(path: String, mode: UInt16)
    /// The public key file does not hold the public half of the secret key beside it.
    case publicKeyMismatch(path: String, secretKeyPath: String)
    /// `generate` was asked to create a key where one already exists.
    case keyAlreadyExists(path: String)
    /// A file could not be read, written, synced or renamed.
    case fileSystem(path: String, operation: String, errno: Int32)
    /// A `signature` header line does not have the shape `signature ed25519 <key-id> <base64 signature>`.
    case malformedSignatureLine(line: Int, reason: String)
    /// Object content has no empty line separating its headers from its message.
    case missingHeaderTerminator
    /// A line of the trust file cannot be parsed.
    case malformedTrustFile(path: String, line: Int, reason: String)
    /// The trust file, or a key being trusted, gives one key id to two different public keys.
    case conflictingKeyID(path: String, keyID: String)
    /// A key being trusted was revoked earlier in this trust file.
    case trustingRevokedKey(path: String, keyID: String)
}

extension SigningError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .sodiumUnavailable:
            return "libsodium could not be initialised; check that libsodium is installed and /dev/urandom is readable."
        case .invalidPublicKey(let reason):
            return "Not an ed25519 public key (\(reason)); give the line printed by `arxos key export` "
                + "(`ed25519 <base64> <comment>`), a file holding it, or the bare base64 of the 32-byte key."
        case .invalidKeyID(let text):
            return "\"\(text)\" is not a key id; a key id is 16 lowercase hex digits, as shown by `arxos key export` "
                + "and in the trust file."
        case .invalidSignatureLength(let count):
            return "A signature of \(count) bytes is not an Ed25519 signature, which has 64 bytes."
        case .invalidSecretKey(let reason):
            return "Not an ed25519 secret key (\(reason)); generate a new key with `arxos key generate`."
        case .signingFailed:
            return "libsodium refused to sign the payload; the secret key may be corrupt, so generate a new one with "
                + "`arxos key generate --force`."
        case .malformedKeyFile(let path, let reason):
            return "The key file \(path) is malformed (\(reason)); restore it from a backup or replace it with "
                + "`arxos key generate --force`."
        case .keyFileTooOpen(let path, let mode):
            return "The secret key file \(path) has mode \(String(mode, radix: 8)) and can be read by other users; "
                + "run `chmod 600 \(path)`."
        case .publicKeyMismatch(let path, let secretKeyPath):
            return "The public key file \(path) does not hold the public half of \(secretKeyPath); delete it and "
                + "run `arxos key export` to see the right public key, or replace both with `arxos key generate --force`."
        case .keyAlreadyExists(let path):
            return "A signing key already exists at \(path); refusing to overwrite it, pass `--force` to replace it "
                + "(signatures made with the old key will no longer be yours)."
        case .fileSystem(let path, let operation, let code):
            return "Could not \(operation) \(path): \(String(cString: strerror(code)))."
        case .malformedSignatureLine(let line, let reason):
            return "Header line \(line) is not a valid signature line (\(reason)); expected "
                + "`signature ed25519 <16 hex key id> <base64 of 64 bytes>`."
        case .missingHeaderTerminator:
            return "The object has no empty line after its headers, so a signature line cannot be placed; the object "
                + "is not a commit or annotated tag."
        case .malformedTrustFile(let path, let line, let reason):
            return "Line \(line) of the trust file \(path) is malformed (\(reason)); fix or delete that line "
                + "(`trusted ed25519 <key-id> <base64> <comment>` or `revoked ed25519 <key-id> <comment>`)."
        case .conflictingKeyID(let path, let keyID):
            return "The trust file \(path) would hold two different public keys with key id \(keyID); remove the "
                + "wrong `trusted` line before trusting the other key."
        case .trustingRevokedKey(let path, let keyID):
            return "Key \(keyID) is revoked in \(path) and a revocation wins over trust; delete its `revoked` line "
                + "first if you really mean to trust it again."
        }
    }
}
