import ArxosCore
import ArxosSigning
import ArxosWorkspace
import Foundation

/// `receive.requireSignedBy`: every commit and annotated tag that enters the repository by fetch or push must be signed
/// by that many distinct keys of the repository's trust file (`trusted` meaning one).
public enum SignaturePolicy {
    /// The check for `repository`, or nil when no policy is configured.
    public static func check(for repository: Repository) throws -> ((ObjectID, ObjectType, ArraySlice<UInt8>) throws -> Void)? {
        guard let value = repository.setting("receive.requireSignedBy") else { return nil }
        let required: Int
        if value == "trusted" {
            required = 1
        } else if let n = Int(value), n >= 1 {
            required = n
        } else {
            throw TransferError.badPolicy(value)
        }
        let trust = try TrustStore(url: URL(fileURLWithPath: repository.root + "/trust")).load()
        let verifier = SignatureVerifier(trust: trust, requiredSigners: required)
        return { id, type, content in
            let report = verifier.verify(Array(content))
            if case let .failed(reasons) = report.result {
                throw TransferError.unsigned(id, type, reason: reasons.map(\.description).joined(separator: " "))
            }
        }
    }
}
