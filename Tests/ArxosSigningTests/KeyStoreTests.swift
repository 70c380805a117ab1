import ArxosSigning
import Foundation
import Testing

@Suite struct KeyStoreTests {
    @Test func missingKeyLoadsAsNil() throws {
        try withTemporaryDirectory { home in
            let store = KeyStore(home: home)
            let secret = try store.load()
            let exported = try store.loadPublicKey()
            #expect(secret == nil)
            #expect(exported == nil)
            #expect(store.warnings().isEmpty)
        }
    }

    @Test func generateWritesBothFilesWithTheRightModesAndFormat() throws {
        try withTemporaryDirectory { home in
            let store = KeyStore(home: home.appendingPathComponent("nested/arxos"))
            let key = try store.generate(comment: "ada@example.com")
            #expect(store.secretKeyURL.path.hasSuffix("nested/arxos/keys/id_ed25519"))
            #expect(try permissions(of: store.secretKeyURL) == 0o600)
            #expect(try permissions(of: store.keysDirectory) == 0o700)

            let secretText = try String(contentsOf: store.secretKeyURL, encoding: .utf8)
            #expect(secretText == "ed25519-secret \(Data(key.bytes).base64EncodedString())\n")
            let publicText = try String(contentsOf: store.publicKeyURL, encoding: .utf8)
            #expect(publicText == key.publicKey.exportLine(comment: "ada@example.com") + "\n")

            let loaded = try #require(try store.load())
            #expect(loaded.publicKey == key.publicKey)
            #expect(loaded.bytes == key.bytes)
            let exported = try #require(try store.loadPublicKey())
            #expect(exported.key == key.publicKey)
            #expect(exported.comment == "ada@example.com")
            #expect(store.warnings().isEmpty)
            // No temporary files are left behind.
            let names = try FileManager.default.contentsOfDirectory(atPath: store.keysDirectory.path).sorted()
            #expect(names == ["id_ed25519", "id_ed25519.pub"])
        }
    }

    @Test func generateRefusesToOverwriteUnlessForced() throws {
        try withTemporaryDirectory { home in
            let store = KeyStore(home: home)
            let first = try store.generate(comment: "first")
            #expect(throws: SigningError.keyAlreadyExists(path: store.secretKeyURL.path)) {
                try store.generate(comment: "second")
            }
            #expect(try store.load()?.publicKey == first.publicKey)
            let second = try store.generate(comment: "second", force: true)
            #expect(second.publicKey != first.publicKey)
            #expect(try store.load()?.publicKey == second.publicKey)
            #expect(try store.loadPublicKey()?.comment == "second")
            #expect(try permissions(of: store.secretKeyURL) == 0o600)
        }
    }

    @Test func looseModeIsAWarningNamingTheFileAndTheFix() throws {
        try withTemporaryDirectory { home in
            let store = KeyStore(home: home)
            let key = try store.generate(comment: "")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.secretKeyURL.path)
            let warnings = store.warnings()
            #expect(warnings == [.keyFileTooOpen(path: store.secretKeyURL.path, mode: 0o644)])
            let message = try #require(warnings.first?.localizedDescription)
            #expect(message.contains(store.secretKeyURL.path))
            #expect(message.contains("chmod 600"))
            // Loading still works; the CLI decides how loudly to warn.
            #expect(try store.load()?.publicKey == key.publicKey)
        }
    }

    @Test func mismatchedPublicKeyFileIsAWarning() throws {
        try withTemporaryDirectory { home in
            let store = KeyStore(home: home)
            try store.generate(comment: "")
            let other = try Ed25519SecretKey.generate()
            try Data((other.publicKey.exportLine(comment: "x") + "\n").utf8).write(to: store.publicKeyURL)
            #expect(store.warnings() == [.publicKeyMismatch(path: store.publicKeyURL.path, secretKeyPath: store.secretKeyURL.path)])
        }
    }

    @Test(arguments: [
        "",
        "ed25519-secret\n",
        "ed25519 AAAA\n",
        "ed25519-secret not-base64\n",
        "ed25519-secret AAAA\n",
        "ed25519-secret \(Data([UInt8](repeating: 7, count: 64)).base64EncodedString())\n",
    ])
    func malformedSecretKeyFileNamesTheFile(contents: String) throws {
        try withTemporaryDirectory { home in
            let store = KeyStore(home: home)
            try FileManager.default.createDirectory(at: store.keysDirectory, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: store.secretKeyURL)
            do {
                _ = try store.load()
                Issue.record("a malformed key file loaded")
            } catch let error as SigningError {
                guard case .malformedKeyFile(let path, _) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(path == store.secretKeyURL.path)
                #expect(error.localizedDescription.contains(store.secretKeyURL.path))
            }
        }
    }

    @Test func defaultHomeFollowsArxosHome() {
        #expect(KeyStore.defaultHome(environment: ["ARXOS_HOME": "/srv/arxos", "HOME": "/home/ada"]).path == "/srv/arxos")
        #expect(KeyStore.defaultHome(environment: ["HOME": "/home/ada"]).path == "/home/ada/.config/arxos")
        #expect(KeyStore.defaultHome(environment: ["ARXOS_HOME": "", "HOME": "/home/ada"]).path == "/home/ada/.config/arxos")
    }
}
