/// The verdict on one signature line.
public enum SignatureVerdict: Hashable, Sendable {
    /// The signature verifies with a trusted, unrevoked key.
    case good
    /// The key is known (trusted, possibly also revoked) and the signature does not verify.
    case bad
    /// The trust file does not know the key id, so the signature cannot be checked.
    case unknownKey
    /// The key is revoked; its signature counts for nothing (a revoked key whose signature does not verify is `bad`).
    case revoked
}

/// One signature line and its verdict.
public struct SignatureCheck: Hashable, Sendable {
    public let keyID: String
    /// The 1-based line number of the signature line in the content.
    public let line: Int
    public let verdict: SignatureVerdict

    public init(keyID: String, line: Int, verdict: SignatureVerdict) {
        self.keyID = keyID
        self.line = line
        self.verdict = verdict
    }
}

/// Why content did not verify. Each reason reads as one sentence.
public enum VerificationFailure: Hashable, Sendable, CustomStringConvertible {
    /// There is no signature line.
    case unsigned
    /// A signature by a known key does not verify: the content or the signature was altered.
    case badSignature(keyID: String)
    /// A signature's key id is not in the trust file.
    case unknownKey(keyID: String)
    /// A signature's key id is revoked in the trust file.
    case revokedKey(keyID: String)
    /// Fewer distinct trusted keys signed than the policy requires.
    case notEnoughSigners(required: Int, found: Int)
    /// A signature line cannot be parsed.
    case malformedSignature(String)

    public var description: String {
        switch self {
        case .unsigned:
            return "The object is not signed; sign it with a trusted key."
        case .badSignature(let keyID):
            return "The signature by key \(keyID) does not verify, so the object or its signature was altered."
        case .unknownKey(let keyID):
            return "The object is signed by key \(keyID), which is not trusted here; trust it with `arxos key trust` "
                + "if you know whose it is."
        case .revokedKey(let keyID):
            return "The object is signed by key \(keyID), which is revoked here."
        case .notEnoughSigners(let required, let found):
            return "The object needs signatures by \(required) distinct trusted keys but has \(found)."
        case .malformedSignature(let message):
            return message
        }
    }
}

/// The overall outcome of verifying one object.
public enum VerificationResult: Hashable, Sendable {
    /// Verified; the distinct trusted key ids whose signatures verify, in signature order.
    case verified(keyIDs: [String])
    /// Not verified; at least one reason.
    case failed([VerificationFailure])

    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }
}

/// The per-signature verdicts and the overall result.
public struct VerificationReport: Hashable, Sendable {
    public let checks: [SignatureCheck]
    public let result: VerificationResult
}

/// Checks the signature lines of commit or annotated tag content against a trust snapshot.
///
/// The content verifies when no signature is bad (every signature whose public key the trust file holds verifies,
/// revoked keys included), no signature line is malformed, and at least `requiredSigners` distinct trusted,
/// unrevoked keys made good signatures. Signatures by unknown keys cannot be checked and neither count nor fail;
/// signatures by revoked keys do not count.
public struct SignatureVerifier: Sendable {
    public let trust: TrustSnapshot
    /// How many distinct trusted, unrevoked keys must have signed (at least 1).
    public let requiredSigners: Int

    public init(trust: TrustSnapshot, requiredSigners: Int = 1) {
        self.trust = trust
        self.requiredSigners = max(1, requiredSigners)
    }

    /// Verifies the signatures in `content` (the raw content of a commit or annotated tag).
    public func verify(_ content: [UInt8]) -> VerificationReport {
        let lines: [SignatureLine]
        do {
            lines = try SignedPayload.signatures(in: content)
        } catch {
            let message = (error as? SigningError)?.errorDescription ?? "A signature line cannot be parsed."
            return VerificationReport(checks: [], result: .failed([.malformedSignature(message)]))
        }
        guard !lines.isEmpty else { return VerificationReport(checks: [], result: .failed([.unsigned])) }

        let payload = SignedPayload.payload(of: content)
        var checks: [SignatureCheck] = []
        var signers: [String] = []
        var bad: [VerificationFailure] = []
        var uncounted: [VerificationFailure] = []
        for line in lines {
            let verdict: SignatureVerdict
            switch trust.status(of: line.keyID) {
            case .trusted(let key):
                verdict = key.verify(signature: line.signature, payload: payload) ? .good : .bad
            case .revoked(let key):
                if let key, !key.verify(signature: line.signature, payload: payload) {
                    verdict = .bad
                } else {
                    verdict = .revoked
                }
            case .unknown:
                verdict = .unknownKey
            }
            checks.append(SignatureCheck(keyID: line.keyID, line: line.line, verdict: verdict))
            switch verdict {
            case .good:
                if !signers.contains(line.keyID) { signers.append(line.keyID) }
            case .bad:
                appendOnce(.badSignature(keyID: line.keyID), to: &bad)
            case .unknownKey:
                appendOnce(.unknownKey(keyID: line.keyID), to: &uncounted)
            case .revoked:
                appendOnce(.revokedKey(keyID: line.keyID), to: &uncounted)
            }
        }

        if bad.isEmpty, signers.count >= requiredSigners {
            return VerificationReport(checks: checks, result: .verified(keyIDs: signers))
        }
        var reasons = bad
        if signers.count < requiredSigners {
            if requiredSigners > 1 {
                reasons.append(.notEnoughSigners(required: requiredSigners, found: signers.count))
            }
            reasons += uncounted
        }
        if reasons.isEmpty {
            // Only reachable with requiredSigners == 1 and no signature counted or explained; keep a reason anyway.
            reasons.append(.notEnoughSigners(required: requiredSigners, found: signers.count))
        }
        return VerificationReport(checks: checks, result: .failed(reasons))
    }

    private func appendOnce(_ failure: VerificationFailure, to list: inout [VerificationFailure]) {
        if !list.contains(failure) { list.append(failure) }
    }
}
