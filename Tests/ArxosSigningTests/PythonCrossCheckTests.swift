import ArxosSigning
import Foundation
import Testing

/// Checks the signatures against an independent implementation: Python's `cryptography` package, following only
/// docs/format.md (payload = content minus `signature ` header lines; key id = first 16 hex of SHA-256 of the key).
@Suite struct PythonCrossCheckTests {
    /// Verifies every signature line of a commit or tag file with the public key in an export-format file.
    /// Prints the key id on success; exits 1 if any signature line is by another key id or does not verify.
    static let verifyScript = #"""
        import base64, hashlib, sys
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        content = open(sys.argv[1], "rb").read()
        fields = open(sys.argv[2]).read().split()
        assert fields[0] == "ed25519", "not an export line"
        raw = base64.b64decode(fields[1], validate=True)
        key_id = hashlib.sha256(raw).hexdigest()[:16]
        key = Ed25519PublicKey.from_public_bytes(raw)
        header, sep, message = content.partition(b"\n\n")
        lines = header.split(b"\n")
        kept = [l for l in lines if not l.startswith(b"signature ")]
        sigs = [l for l in lines if l.startswith(b"signature ")]
        payload = b"\n".join(kept) + sep + message
        if not sigs:
            sys.exit("unsigned")
        for line in sigs:
            _, algorithm, line_key_id, b64 = line.decode().split(" ")
            if algorithm != "ed25519" or line_key_id != key_id:
                sys.exit("signature by another key: " + line_key_id)
            key.verify(base64.b64decode(b64, validate=True), payload)  # raises InvalidSignature
        print(key_id)
        """#

    /// Signs the payload file with the key derived from a hex seed; prints the export line and the base64 signature.
    static let signScript = #"""
        import base64, sys
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sys.argv[2]))
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        print("ed25519 " + base64.b64encode(raw).decode() + " python")
        print(base64.b64encode(key.sign(open(sys.argv[1], "rb").read())).decode())
        """#

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func python(_ script: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func verifyWithPython(content: [UInt8], key: Ed25519PublicKey, in dir: URL) throws -> Run {
        let contentURL = dir.appendingPathComponent("object-\(UUID().uuidString)")
        let keyURL = dir.appendingPathComponent("key.pub")
        try Data(content).write(to: contentURL)
        try Data((key.exportLine(comment: "test key") + "\n").utf8).write(to: keyURL)
        return try python(Self.verifyScript, [contentURL.path, keyURL.path])
    }

    @Test func pythonVerifiesSwiftSignatures() throws {
        try withTemporaryDirectory { dir in
            let key = try Ed25519SecretKey.generate()
            for object in [sampleCommit, sampleTag] {
                let signed = try SignedPayload.signing(try SignedPayload.signing(object, with: key), with: key)
                let run = try verifyWithPython(content: signed, key: key.publicKey, in: dir)
                #expect(run.status == 0, "python rejected a good signature: \(run.stderr)")
                #expect(run.stdout == key.keyID + "\n")
            }
        }
    }

    @Test func pythonRejectsAWrongSignatureAndTamperedContent() throws {
        try withTemporaryDirectory { dir in
            let key = try Ed25519SecretKey.generate()
            let signed = try SignedPayload.signing(sampleCommit, with: key)

            // The signature of a different payload under the right key id.
            let wrongSignature = try key.sign(bytes("not the payload"))
            let wrong = try SignedPayload.adding(signature: wrongSignature, keyID: key.keyID, to: sampleCommit)
            let wrongRun = try verifyWithPython(content: wrong, key: key.publicKey, in: dir)
            #expect(wrongRun.status != 0)
            #expect(wrongRun.stderr.contains("InvalidSignature"))

            var tampered = signed
            let index = try #require(tampered.lastIndex(of: UInt8(ascii: "R")))
            tampered[index] = UInt8(ascii: "L")
            #expect(try verifyWithPython(content: tampered, key: key.publicKey, in: dir).status != 0)

            let other = try Ed25519SecretKey.generate()
            #expect(try verifyWithPython(content: signed, key: other.publicKey, in: dir).status != 0)
        }
    }

    @Test func swiftVerifiesPythonSignatures() throws {
        try withTemporaryDirectory { dir in
            let seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
            let payloadURL = dir.appendingPathComponent("payload")
            try Data(sampleTag).write(to: payloadURL)
            let run = try python(Self.signScript, [payloadURL.path, seed])
            #expect(run.status == 0, "python failed: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            try #require(lines.count == 2)
            let (publicKey, comment) = try Ed25519PublicKey.parseExport(lines[0])
            #expect(comment == "python")
            #expect(publicKey.keyID == "39f713d0a644253f")
            let signature = try #require(Data(base64Encoded: lines[1]))
            let signed = try SignedPayload.adding(signature: [UInt8](signature), keyID: publicKey.keyID, to: sampleTag)
            let trust = TrustSnapshot(entries: [.trusted(key: publicKey, comment: comment)])
            #expect(SignatureVerifier(trust: trust).verify(signed).result == .verified(keyIDs: [publicKey.keyID]))
            var tampered = [UInt8](signature)
            tampered[0] ^= 0x01
            let bad = try SignedPayload.adding(signature: tampered, keyID: publicKey.keyID, to: sampleTag)
            #expect(SignatureVerifier(trust: trust).verify(bad).result == .failed([.badSignature(keyID: publicKey.keyID)]))
        }
    }
}
