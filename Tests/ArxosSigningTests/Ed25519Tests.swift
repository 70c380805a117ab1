import ArxosSigning
import Foundation
import Testing

@Suite struct Ed25519Tests {
    // RFC 8032 section 7.1, TEST 1 and TEST 2. Key ids computed independently:
    //   printf d75a98…511a | xxd -r -p | openssl dgst -sha256   → 21fe31dfa154a261…
    //   python3: hashlib.sha256(bytes.fromhex("3d4017…660c")).hexdigest()[:16] → 39f713d0a644253f
    static let vectors: [(seed: String, publicKey: String, keyID: String, message: String, signature: String)] = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "21fe31dfa154a261",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "39f713d0a644253f",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ]

    @Test(arguments: 0..<2) func rfc8032Vector(index: Int) throws {
        let vector = Self.vectors[index]
        let key = try Ed25519SecretKey(seed: hex(vector.seed))
        #expect(key.publicKey.bytes == hex(vector.publicKey))
        #expect(key.publicKey.keyID == vector.keyID)
        #expect(key.keyID == vector.keyID)
        let signature = try key.sign(hex(vector.message))
        #expect(signature == hex(vector.signature))
        #expect(key.publicKey.verify(signature: signature, payload: hex(vector.message)))
    }

    @Test func keyIDOfKnownKey() throws {
        let key = try Ed25519PublicKey(bytes: hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        #expect(key.keyID == "21fe31dfa154a261")
        #expect(Ed25519PublicKey.isValidKeyID(key.keyID))
    }

    @Test func signAndVerifyRoundTrip() throws {
        let key = try Ed25519SecretKey.generate()
        let payload = bytes("tree 00\n\nhello\n")
        let signature = try key.sign(payload)
        #expect(signature.count == 64)
        #expect(key.publicKey.verify(signature: signature, payload: payload))
    }

    @Test func tamperedPayloadOrSignatureFails() throws {
        let key = try Ed25519SecretKey.generate()
        let payload = bytes("tree 00\n\nhello\n")
        let signature = try key.sign(payload)
        var tampered = payload
        tampered[tampered.count - 2] ^= 0x01
        #expect(!key.publicKey.verify(signature: signature, payload: tampered))
        var badSignature = signature
        badSignature[10] ^= 0x80
        #expect(!key.publicKey.verify(signature: badSignature, payload: payload))
        #expect(!key.publicKey.verify(signature: Array(signature.prefix(63)), payload: payload))
        let other = try Ed25519SecretKey.generate()
        #expect(!other.publicKey.verify(signature: signature, payload: payload))
    }

    @Test func generatedKeysDiffer() throws {
        let first = try Ed25519SecretKey.generate()
        let second = try Ed25519SecretKey.generate()
        #expect(first.publicKey != second.publicKey)
    }

    @Test func secretKeyBytesRoundTripAndMismatchIsRejected() throws {
        let key = try Ed25519SecretKey.generate()
        let reloaded = try Ed25519SecretKey(bytes: key.bytes)
        #expect(reloaded.publicKey == key.publicKey)
        var wrong = key.bytes
        wrong[40] ^= 0x01
        #expect(throws: SigningError.self) { try Ed25519SecretKey(bytes: wrong) }
        #expect(throws: SigningError.self) { try Ed25519SecretKey(bytes: Array(key.bytes.prefix(32))) }
        #expect(!key.description.contains(Data(key.bytes).base64EncodedString()))
    }

    @Test func exportLineParsesBack() throws {
        let key = try Ed25519PublicKey(bytes: hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let line = key.exportLine(comment: "ada@example.com laptop")
        #expect(line == "ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= ada@example.com laptop")
        let parsed = try Ed25519PublicKey.parseExport(line + "\n")
        #expect(parsed.key == key)
        #expect(parsed.comment == "ada@example.com laptop")
        #expect(try Ed25519PublicKey(parsing: "  11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n") == key)
        #expect(try Ed25519PublicKey(parsing: "ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=") == key)
        #expect(key.exportLine(comment: "") == "ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
        #expect(key.exportLine(comment: "two\nlines") == "ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= two lines")
    }

    @Test(arguments: [
        "",
        "ssh-ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= x",
        "ed25519 not-base64!",
        "ed25519 AAAA",
        "ed25519-secret 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        "ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= a\ned25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= b",
    ])
    func malformedPublicKeyTextIsRejected(text: String) {
        #expect(throws: SigningError.self) { try Ed25519PublicKey(parsing: text) }
    }

    @Test func errorMessagesAreOneSentenceWithAFix() {
        let error = SigningError.keyFileTooOpen(path: "/home/ada/.config/arxos/keys/id_ed25519", mode: 0o644)
        let message = error.localizedDescription
        #expect(message.contains("/home/ada/.config/arxos/keys/id_ed25519"))
        #expect(message.contains("chmod 600"))
        #expect(message.contains("644"))
    }
}
