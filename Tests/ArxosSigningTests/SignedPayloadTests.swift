import ArxosSigning
import Foundation
import Testing

@Suite struct SignedPayloadTests {
    let sigA = [UInt8](repeating: 0xA1, count: 64)
    let sigB = [UInt8](repeating: 0xB2, count: 64)

    @Test func addingPutsTheSignatureLastAmongTheHeaders() throws {
        let signed = try SignedPayload.adding(signature: sigA, keyID: "0011223344556677", to: sampleCommit)
        let text = try #require(String(bytes: signed, encoding: .utf8))
        let expectedLine = "signature ed25519 0011223344556677 \(Data(sigA).base64EncodedString())\n"
        #expect(text.contains("x-site north-wing\n" + expectedLine + "\nRaise the supply air setpoint\n"))
        #expect(signed.count == sampleCommit.count + expectedLine.utf8.count)
    }

    @Test func payloadRemovesEverySignatureHeaderLineAndKeepsTheMessage() throws {
        let once = try SignedPayload.adding(signature: sigA, keyID: "0011223344556677", to: sampleCommit)
        let twice = try SignedPayload.adding(signature: sigB, keyID: "8899aabbccddeeff", to: once)
        let thrice = try SignedPayload.adding(signature: sigB, keyID: "0011223344556677", to: twice)
        #expect(SignedPayload.payload(of: thrice) == sampleCommit)
        #expect(SignedPayload.payload(of: sampleCommit) == sampleCommit)

        let lines = try SignedPayload.signatures(in: thrice)
        #expect(lines.map(\.keyID) == ["0011223344556677", "8899aabbccddeeff", "0011223344556677"])
        #expect(lines.map(\.signature) == [sigA, sigB, sigB])
        #expect(lines.map(\.line) == [6, 7, 8])
        // The message line that starts with "signature " is neither parsed nor removed.
        #expect(try SignedPayload.signatures(in: sampleCommit).isEmpty)
    }

    @Test func signatureLinesAnywhereInTheHeaderAreRemovedFromThePayload() throws {
        let content = bytes("tree aa\nsignature ed25519 0011223344556677 \(Data(sigA).base64EncodedString())\nauthor x\n\nmsg\n")
        #expect(SignedPayload.payload(of: content) == bytes("tree aa\nauthor x\n\nmsg\n"))
    }

    @Test func annotatedTagsWorkTheSameWay() throws {
        let key = try Ed25519SecretKey.generate()
        let signed = try SignedPayload.signing(sampleTag, with: key)
        let text = try #require(String(bytes: signed, encoding: .utf8))
        #expect(text.hasPrefix("object 3333"))
        #expect(text.contains("-0530\nsignature ed25519 \(key.keyID) "))
        #expect(SignedPayload.payload(of: signed) == sampleTag)
        let line = try #require(try SignedPayload.signatures(in: signed).first)
        #expect(key.publicKey.verify(signature: line.signature, payload: sampleTag))
    }

    @Test func cosignersSignTheSamePayload() throws {
        let first = try Ed25519SecretKey.generate()
        let second = try Ed25519SecretKey.generate()
        let signed = try SignedPayload.signing(try SignedPayload.signing(sampleCommit, with: first), with: second)
        let lines = try SignedPayload.signatures(in: signed)
        #expect(lines.count == 2)
        #expect(first.publicKey.verify(signature: lines[0].signature, payload: sampleCommit))
        #expect(second.publicKey.verify(signature: lines[1].signature, payload: sampleCommit))
    }

    @Test(arguments: [
        "signature ed25519 0011223344556677",
        "signature rsa 0011223344556677 AAAA",
        "signature ed25519 0011223344556677XX \(Data([UInt8](repeating: 1, count: 64)).base64EncodedString())",
        "signature ed25519 0011223344556677 AAAA",
        "signature ed25519 0011223344556677 not*base64",
        "signature ed25519 0011223344556677 \(Data([UInt8](repeating: 1, count: 64)).base64EncodedString()) extra",
    ])
    func malformedSignatureLinesAreReported(line: String) {
        let content = bytes("tree aa\n\(line)\n\nmsg\n")
        #expect(throws: SigningError.self) { try SignedPayload.signatures(in: content) }
    }

    @Test func addingRejectsBadInput() {
        #expect(throws: SigningError.missingHeaderTerminator) {
            try SignedPayload.adding(signature: sigA, keyID: "0011223344556677", to: bytes("tree aa\nauthor x\n"))
        }
        #expect(throws: SigningError.invalidKeyID("0011")) {
            try SignedPayload.adding(signature: sigA, keyID: "0011", to: sampleCommit)
        }
        #expect(throws: SigningError.invalidSignatureLength(3)) {
            try SignedPayload.adding(signature: [1, 2, 3], keyID: "0011223344556677", to: sampleCommit)
        }
    }
}
