import ArxosSigning
import Foundation
import Testing

@Suite struct TrustStoreTests {
    @Test func trustAndRevokeWriteTheDocumentedLines() throws {
        try withTemporaryDirectory { dir in
            let store = TrustStore(url: dir.appendingPathComponent(".arxos/trust"))
            #expect(try store.entries().isEmpty)
            let ada = try Ed25519SecretKey.generate().publicKey
            let grace = try Ed25519SecretKey.generate().publicKey
            #expect(try store.trust(ada, comment: "Ada Lovelace <ada@example.com>"))
            #expect(try store.trust(grace, comment: "Grace"))
            #expect(try store.revoke(keyID: grace.keyID, comment: "laptop stolen"))

            let text = try String(contentsOf: store.url, encoding: .utf8)
            #expect(text == """
                trusted ed25519 \(ada.keyID) \(ada.base64) Ada Lovelace <ada@example.com>
                trusted ed25519 \(grace.keyID) \(grace.base64) Grace
                revoked ed25519 \(grace.keyID) laptop stolen

                """)
            #expect(try store.entries() == [
                .trusted(key: ada, comment: "Ada Lovelace <ada@example.com>"),
                .trusted(key: grace, comment: "Grace"),
                .revoked(keyID: grace.keyID, comment: "laptop stolen"),
            ])
            let snapshot = try store.load()
            #expect(snapshot.status(of: ada.keyID) == .trusted(ada))
            #expect(snapshot.status(of: grace.keyID) == .revoked(grace))
            #expect(snapshot.trustedKeys == [ada])
            #expect(snapshot.revokedKeyIDs == [grace.keyID])
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".arxos").path)
            #expect(names == ["trust"])
        }
    }

    @Test func revokedWinsWhateverTheLineOrder() throws {
        try withTemporaryDirectory { dir in
            let key = try Ed25519SecretKey.generate().publicKey
            let url = dir.appendingPathComponent("trust")
            try Data("revoked ed25519 \(key.keyID) old\ntrusted ed25519 \(key.keyID) \(key.base64) again\n".utf8).write(to: url)
            let snapshot = try TrustStore(url: url).load()
            #expect(snapshot.status(of: key.keyID) == .revoked(key))
            #expect(snapshot.trustedKeys.isEmpty)
        }
    }

    @Test func revokingAKeyNeverTrustedWorksAndBlocksLaterTrust() throws {
        try withTemporaryDirectory { dir in
            let store = TrustStore(url: dir.appendingPathComponent("trust"))
            let key = try Ed25519SecretKey.generate().publicKey
            #expect(try store.revoke(keyID: key.keyID))
            #expect(try store.load().status(of: key.keyID) == .revoked(nil))
            #expect(try store.revoke(keyID: key.keyID) == false)
            #expect(throws: SigningError.trustingRevokedKey(path: store.url.path, keyID: key.keyID)) {
                try store.trust(key, comment: "")
            }
            #expect(try store.entries() == [.revoked(keyID: key.keyID, comment: "")])
            #expect(throws: SigningError.invalidKeyID("XYZ")) { try store.revoke(keyID: "XYZ") }
        }
    }

    @Test func trustingTwiceChangesNothingAndRevokeReusesTheComment() throws {
        try withTemporaryDirectory { dir in
            let store = TrustStore(url: dir.appendingPathComponent("trust"))
            let key = try Ed25519SecretKey.generate().publicKey
            #expect(try store.trust(key, comment: "Ada"))
            #expect(try store.trust(key, comment: "Ada again") == false)
            #expect(try store.revoke(keyID: key.keyID))
            #expect(try store.entries() == [.trusted(key: key, comment: "Ada"), .revoked(keyID: key.keyID, comment: "Ada")])
            #expect(try store.load().status(of: "0000000000000000") == .unknown)
        }
    }

    @Test(arguments: [
        "trusted ed25519 0011223344556677\n",
        "trusted ed25519 0011223344556677 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= wrong id\n",
        "trusted rsa 21fe31dfa154a261 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",
        "distrusted ed25519 21fe31dfa154a261\n",
        "revoked ed25519 NOTAKEYID\n",
    ])
    func malformedTrustFileNamesFileAndLine(contents: String) throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("trust")
            try Data(("trusted ed25519 21fe31dfa154a261 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= ok\n" + contents).utf8)
                .write(to: url)
            do {
                _ = try TrustStore(url: url).load()
                Issue.record("a malformed trust file loaded")
            } catch let error as SigningError {
                guard case .malformedTrustFile(let path, let line, _) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(path == url.path)
                #expect(line == 2)
                #expect(error.localizedDescription.contains("Line 2 of the trust file \(url.path)"))
            }
        }
    }
}
