import Foundation

/// One `signature ed25519 <key-id> <base64 signature>` header line of a commit or annotated tag.
public struct SignatureLine: Hashable, Sendable {
    /// The key id the line claims made the signature (16 lowercase hex digits).
    public let keyID: String
    /// The 64-byte Ed25519 signature.
    public let signature: [UInt8]
    /// The 1-based line number of the header line in the object's content.
    public let line: Int

    public init(keyID: String, signature: [UInt8], line: Int) {
        self.keyID = keyID
        self.signature = signature
        self.line = line
    }

    /// The header line without its newline.
    public var text: String { SignedPayload.signatureLineText(keyID: keyID, signature: signature) }
}

/// Signature handling on the raw content bytes of commits and annotated tags.
///
/// Both have the same shape: header lines, one empty line, the message. The *header section* is every line before
/// the first empty line; `signature` lines are only recognised there, so a message line that happens to start with
/// `signature ` is ordinary message text.
public enum SignedPayload {
    private static let signaturePrefix = Array("signature ".utf8)
    private static let newline: UInt8 = 0x0A

    /// Every `signature` header line of `content`, in order.
    ///
    /// Throws ``SigningError/malformedSignatureLine(line:reason:)`` for a header line that starts with `signature `
    /// but is not `signature ed25519 <16 hex key id> <canonical base64 of 64 bytes>`.
    public static func signatures(in content: [UInt8]) throws -> [SignatureLine] {
        var result: [SignatureLine] = []
        for (index, range) in headerLines(of: content).lines.enumerated() where isSignatureLine(content, range) {
            result.append(try parseSignatureLine(content[range], line: index + 1))
        }
        return result
    }

    /// The signed payload: `content` with every header line that starts with `signature ` removed, line and newline.
    /// Everything else, including the empty line and the message, is kept byte for byte.
    public static func payload(of content: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(content.count)
        var copied = 0
        for range in headerLines(of: content).lines where isSignatureLine(content, range) {
            result.append(contentsOf: content[copied..<range.lowerBound])
            // Skip the line and its newline (if the content ends without one, there is none to skip).
            copied = min(range.upperBound + 1, content.count)
        }
        result.append(contentsOf: content[copied...])
        return result
    }

    /// `content` with a `signature ed25519 <keyID> <base64 signature>` line added as the last header line, just
    /// before the empty line that separates the headers from the message.
    ///
    /// Throws if `keyID` is not 16 lowercase hex digits, if `signature` is not 64 bytes, or if `content` has no
    /// empty line after its headers.
    public static func adding(signature: [UInt8], keyID: String, to content: [UInt8]) throws -> [UInt8] {
        guard Ed25519PublicKey.isValidKeyID(keyID) else { throw SigningError.invalidKeyID(keyID) }
        guard signature.count == Sodium.signatureBytes else {
            throw SigningError.invalidSignatureLength(signature.count)
        }
        guard let terminator = headerLines(of: content).terminator else { throw SigningError.missingHeaderTerminator }
        var result: [UInt8] = []
        result.reserveCapacity(content.count + 128)
        result.append(contentsOf: content[..<terminator])
        result.append(contentsOf: signatureLineText(keyID: keyID, signature: signature).utf8)
        result.append(newline)
        result.append(contentsOf: content[terminator...])
        return result
    }

    /// Signs the payload of `content` with `key` and returns `content` with the new signature line added.
    ///
    /// Signatures already present are left in place; since the payload excludes every signature line, all signers
    /// sign the same bytes.
    public static func signing(_ content: [UInt8], with key: Ed25519SecretKey) throws -> [UInt8] {
        let signature = try key.sign(payload(of: content))
        return try adding(signature: signature, keyID: key.keyID, to: content)
    }

    static func signatureLineText(keyID: String, signature: [UInt8]) -> String {
        "signature ed25519 \(keyID) \(Base64.encode(signature))"
    }

    /// The byte ranges (without newline) of the header lines, and the offset of the empty line that ends the
    /// header section (nil if there is none, in which case every line is a header line).
    static func headerLines(of content: [UInt8]) -> (lines: [Range<Int>], terminator: Int?) {
        var lines: [Range<Int>] = []
        var start = 0
        while start < content.count {
            guard let end = content[start...].firstIndex(of: newline) else {
                lines.append(start..<content.count)
                return (lines, nil)
            }
            if end == start { return (lines, start) }
            lines.append(start..<end)
            start = end + 1
        }
        return (lines, nil)
    }

    private static func isSignatureLine(_ content: [UInt8], _ range: Range<Int>) -> Bool {
        content[range].starts(with: signaturePrefix)
    }

    private static func parseSignatureLine(_ bytes: ArraySlice<UInt8>, line: Int) throws -> SignatureLine {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw SigningError.malformedSignatureLine(line: line, reason: "it is not UTF-8")
        }
        let fields = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else {
            throw SigningError.malformedSignatureLine(line: line, reason: "it has \(fields.count) fields, not 4")
        }
        guard fields[1] == "ed25519" else {
            throw SigningError.malformedSignatureLine(line: line, reason: "unknown algorithm \"\(fields[1])\"")
        }
        guard Ed25519PublicKey.isValidKeyID(fields[2]) else {
            throw SigningError.malformedSignatureLine(line: line, reason: "\"\(fields[2])\" is not a key id")
        }
        guard let signature = Base64.decodeCanonical(fields[3]) else {
            throw SigningError.malformedSignatureLine(line: line, reason: "the signature is not valid base64")
        }
        guard signature.count == Sodium.signatureBytes else {
            throw SigningError.malformedSignatureLine(
                line: line, reason: "the signature has \(signature.count) bytes, not 64")
        }
        return SignatureLine(keyID: fields[2], signature: signature, line: line)
    }
}
