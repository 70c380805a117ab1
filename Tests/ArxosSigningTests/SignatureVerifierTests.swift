import ArxosSigning
import Foundation
import Testing

@Suite struct SignatureVerifierTests {
    let ada: Ed25519SecretKey
    let grace: Ed25519SecretKey
    let mallory: Ed25519SecretKey

    init() throws {
        ada = try Ed25519SecretKey(seed: [UInt8](repeating: 1, count: 32))
        grace = try Ed25519SecretKey(seed: [UInt8](repeating: 2, count: 32))
        mallory = try Ed25519SecretKey(seed: [UInt8](repeating: 3, count: 32))
    }

    var trustAdaAndGrace: TrustSnapshot {
        TrustSnapshot(entries: [.trusted(key: ada.publicKey, comment: "Ada"), .trusted(key: grace.publicKey, comment: "Grace")])
    }

    @Test func goodSignatureByTrustedKeyVerifies() throws {
        let signed = try SignedPayload.signing(sampleCommit, with: ada)
        let report = SignatureVerifier(trust: trustAdaAndGrace).verify(signed)
        #expect(report.result == .verified(keyIDs: [ada.keyID]))
        #expect(report.checks == [SignatureCheck(keyID: ada.keyID, line: 6, verdict: .good)])
    }

    @Test func tamperedContentFailsNamingTheKey() throws {
        var signed = try SignedPayload.signing(sampleCommit, with: ada)
        // Change one byte of the message.
        let index = try #require(signed.lastIndex(of: UInt8(ascii: "R")))
        signed[index] = UInt8(ascii: "L")
        let report = SignatureVerifier(trust: trustAdaAndGrace).verify(signed)
        #expect(report.result == .failed([.badSignature(keyID: ada.keyID)]))
        #expect(VerificationFailure.badSignature(keyID: ada.keyID).description.contains(ada.keyID))
    }

    @Test func forgedKeyIDFails() throws {
        // Mallory signs but claims to be Ada.
        let signature = try mallory.sign(sampleCommit)
        let forged = try SignedPayload.adding(signature: signature, keyID: ada.keyID, to: sampleCommit)
        #expect(SignatureVerifier(trust: trustAdaAndGrace).verify(forged).result == .failed([.badSignature(keyID: ada.keyID)]))
    }

    @Test func unsignedFails() {
        let report = SignatureVerifier(trust: trustAdaAndGrace).verify(sampleCommit)
        #expect(report.result == .failed([.unsigned]))
        #expect(VerificationFailure.unsigned.description == "The object is not signed; sign it with a trusted key.")
    }

    @Test func onlyUnknownKeyFails() throws {
        let signed = try SignedPayload.signing(sampleCommit, with: mallory)
        let report = SignatureVerifier(trust: trustAdaAndGrace).verify(signed)
        #expect(report.result == .failed([.unknownKey(keyID: mallory.keyID)]))
        #expect(report.checks.map(\.verdict) == [.unknownKey])
    }

    @Test func unknownKeyBesideAGoodTrustedSignaturePasses() throws {
        let signed = try SignedPayload.signing(try SignedPayload.signing(sampleCommit, with: mallory), with: ada)
        let report = SignatureVerifier(trust: trustAdaAndGrace).verify(signed)
        #expect(report.result == .verified(keyIDs: [ada.keyID]))
        #expect(report.checks.map(\.verdict) == [.unknownKey, .good])
    }

    @Test func badSignatureBesideAGoodOneFails() throws {
        let good = try SignedPayload.signing(sampleCommit, with: ada)
        let wrong = try grace.sign(bytes("something else"))
        let signed = try SignedPayload.adding(signature: wrong, keyID: grace.keyID, to: good)
        let report = SignatureVerifier(trust: trustAdaAndGrace).verify(signed)
        #expect(report.result == .failed([.badSignature(keyID: grace.keyID)]))
        #expect(report.checks.map(\.verdict) == [.good, .bad])
    }

    @Test func revokedKeyFailsEvenIfTheSignatureIsGood() throws {
        let signed = try SignedPayload.signing(sampleCommit, with: grace)
        let trust = TrustSnapshot(entries: trustAdaAndGrace.entries + [.revoked(keyID: grace.keyID, comment: "")])
        let report = SignatureVerifier(trust: trust).verify(signed)
        #expect(report.result == .failed([.revokedKey(keyID: grace.keyID)]))
        #expect(report.checks.map(\.verdict) == [.revoked])
        // Revoked without ever being trusted: the key cannot be checked but still counts as revoked.
        let revokedOnly = TrustSnapshot(entries: [.revoked(keyID: grace.keyID, comment: "")])
        #expect(SignatureVerifier(trust: revokedOnly).verify(signed).result == .failed([.revokedKey(keyID: grace.keyID)]))
    }

    @Test func revokedCosignerDoesNotCountButDoesNotSpoilAGoodSignature() throws {
        let signed = try SignedPayload.signing(try SignedPayload.signing(sampleCommit, with: grace), with: ada)
        let trust = TrustSnapshot(entries: trustAdaAndGrace.entries + [.revoked(keyID: grace.keyID, comment: "")])
        let report = SignatureVerifier(trust: trust).verify(signed)
        #expect(report.result == .verified(keyIDs: [ada.keyID]))
        #expect(report.checks.map(\.verdict) == [.revoked, .good])
        let twoOf = SignatureVerifier(trust: trust, requiredSigners: 2).verify(signed)
        #expect(twoOf.result == .failed([.notEnoughSigners(required: 2, found: 1), .revokedKey(keyID: grace.keyID)]))
    }

    @Test func kOfNCountsDistinctTrustedSigners() throws {
        let byAda = try SignedPayload.signing(sampleCommit, with: ada)
        let byAdaTwice = try SignedPayload.signing(byAda, with: ada)
        let byAdaAndMallory = try SignedPayload.signing(byAda, with: mallory)
        let byAdaAndGrace = try SignedPayload.signing(byAda, with: grace)
        let twoOf = SignatureVerifier(trust: trustAdaAndGrace, requiredSigners: 2)
        #expect(twoOf.verify(byAda).result == .failed([.notEnoughSigners(required: 2, found: 1)]))
        #expect(twoOf.verify(byAdaTwice).result == .failed([.notEnoughSigners(required: 2, found: 1)]))
        #expect(twoOf.verify(byAdaAndMallory).result
            == .failed([.notEnoughSigners(required: 2, found: 1), .unknownKey(keyID: mallory.keyID)]))
        #expect(twoOf.verify(byAdaAndGrace).result == .verified(keyIDs: [ada.keyID, grace.keyID]))
    }

    @Test func malformedSignatureLineFails() {
        let content = bytes("tree aa\nsignature ed25519 0011223344556677 AAAA\n\nmsg\n")
        let result = SignatureVerifier(trust: trustAdaAndGrace).verify(content).result
        guard case .failed(let reasons) = result, case .malformedSignature(let message) = reasons.first else {
            Issue.record("expected a malformed-signature failure, got \(result)")
            return
        }
        #expect(message.contains("line 2"))
    }
}
