import Foundation
import Testing

/// Checks what arxos writes with tools nobody here wrote: the `zstd` and `sha256sum` command-line tools and Python's
/// `cryptography` package, following only docs/format.md.
@Suite(.tags(.endToEnd))
struct IndependentVerificationTests {
    /// Makes three commits on a fixture: the first state, an edit, and a new file.
    static func repositoryWithHistory(_ fixture: Fixture) throws -> Sandbox {
        let box = try Sandbox(fixture)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first"))
        let file = try #require(box.workingFiles().first)
        try box.write(file, try box.readText(file) + "# edited\n")
        expectSuccess(try box.arxos("state", "capture", "-m", "second"))
        try box.write("added/new.yaml", "id: verification/new-sensor\ntype: sensor\nname: New\n")
        expectSuccess(try box.arxos("state", "capture", "-m", "third"))
        return box
    }

    @Test("every loose object decompresses with zstd to bytes whose sha256sum is its name", arguments: Fixture.allCases)
    func looseObjectsHashToTheirNames(_ fixture: Fixture) throws {
        let box = try Self.repositoryWithHistory(fixture)
        expectSuccess(try box.arxos("tag", "-m", "annotated", "v1"))
        let objects = box.looseObjectFiles()
        #expect(objects.count >= 10, "expected the commits, trees and blobs as loose objects: \(objects)")
        // One shell, one line per file: `<dir><name> <sha256 of the decompressed bytes>`.
        let script = #"""
            cd .arxos/objects || exit 2
            for f in "$@"; do
              printf '%s %s\n' "$(echo "$f" | tr -d /)" "$(zstd -d < "$f" | sha256sum | cut -d ' ' -f 1)"
            done
            """#
        let result = try box.sh(script, objects)
        expectSuccess(result)
        let lines = result.stdoutLines
        #expect(lines.count == objects.count)
        for line in lines {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && parts[0] == parts[1], "object file \(parts.first ?? "") decompresses to \(parts.last ?? "")")
        }
    }

    @Test("cat-object -p prints exactly the content zstd finds after the object header")
    func catObjectMatchesTheLooseFile() throws {
        let box = try Self.repositoryWithHistory(.smallBuilding)
        let head = try #require(try box.revParse("HEAD"))
        let printed = try box.arxos("cat-object", "-p", "HEAD")
        expectSuccess(printed)
        let decompressed = try box.sh(#"zstd -d < "$1""#, [box.looseObjectPath(head)])
        expectSuccess(decompressed)
        var expected = Data("commit \(printed.stdoutData.count)".utf8)
        expected.append(0)
        expected.append(printed.stdoutData)
        #expect(decompressed.stdoutData == expected)
        let text = printed.stdout
        #expect(text.hasPrefix("tree "))
        #expect(text.contains("\nparent \(try #require(try box.revParse("HEAD~1")))\n"))
        #expect(text.contains("\nauthor Test Engineer <engineer@example.com> "))
        #expect(text.hasSuffix("\n\nthird\n"))
    }

    /// Verifies every `signature` header of a commit or tag file with an `ed25519 <base64> <comment>` export line,
    /// rebuilding the payload as docs/format.md says. Prints the key id; exits non-zero if a signature is missing, names
    /// another key or does not verify. With a third argument `tamper`, changes one payload byte first.
    static let verifyScript = #"""
        import base64, hashlib, sys
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        content = open(sys.argv[1], "rb").read()
        fields = sys.argv[2].split(" ")
        if fields[0] != "ed25519":
            sys.exit("not an export line: " + sys.argv[2])
        raw = base64.b64decode(fields[1], validate=True)
        if len(raw) != 32:
            sys.exit("the public key is not 32 bytes")
        key_id = hashlib.sha256(raw).hexdigest()[:16]
        header, sep, message = content.partition(b"\n\n")
        if not sep:
            sys.exit("no empty line after the headers")
        lines = header.split(b"\n")
        kept = [line for line in lines if not line.startswith(b"signature ")]
        signatures = [line for line in lines if line.startswith(b"signature ")]
        payload = b"\n".join(kept) + b"\n\n" + message
        if len(sys.argv) > 3 and sys.argv[3] == "tamper":
            payload = payload[:-2] + bytes([payload[-2] ^ 1]) + payload[-1:]
        if not signatures:
            sys.exit("not signed")
        key = Ed25519PublicKey.from_public_bytes(raw)
        for line in signatures:
            parts = line.decode("ascii").split(" ")
            if len(parts) != 4 or parts[1] != "ed25519":
                sys.exit("bad signature line: " + line.decode())
            if parts[2] != key_id:
                sys.exit("signed by key " + parts[2] + ", expected " + key_id)
            signature = base64.b64decode(parts[3], validate=True)
            if len(signature) != 64:
                sys.exit("the signature is not 64 bytes")
            key.verify(signature, payload)  # raises InvalidSignature
        print(key_id)
        """#

    @Test("signed commits and tags verify with Python's cryptography; trust, revoke and unsigned commits in arxos verify")
    func signatures() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        let generated = try box.arxos("key", "generate")
        expectSuccess(generated)
        #expect(FileManager.default.fileExists(atPath: box.arxosHome.appendingPathComponent("keys/id_ed25519").path),
                "the key belongs under $ARXOS_HOME/keys")
        let exported = try box.arxos("key", "export")
        expectSuccess(exported)
        let exportLine = exported.trimmed
        let fields = exportLine.split(separator: " ", maxSplits: 2).map(String.init)
        #expect(fields.count == 3, "export line: \(exportLine)")
        #expect(fields.first == "ed25519")
        #expect(fields.count > 1 && fields[1].count == 44 && Data(base64Encoded: fields[1])?.count == 32, "\(exportLine)")
        #expect(fields.count > 2 && fields[2] == "engineer@example.com", "the comment defaults to the author email")
        let keys = try #require(try box.arxos("key", "list", "--json").json() as? [String: Any])
        let keyID = try #require((keys["own"] as? [String: Any])?["keyId"] as? String)

        // Signed by default. The message body holds a line that looks like a signature header: it is message text and
        // stays in the payload.
        let message = "signed state\n\nsignature ed25519 0000000000000000 not-a-header"
        expectSuccess(try box.arxos("state", "capture", "-m", message))
        let commit = try box.arxos("cat-object", "-p", "HEAD")
        expectSuccess(commit)
        #expect(commit.stdout.contains("\nsignature ed25519 \(keyID) "), "\(commit)")
        let commitFile = box.root.appendingPathComponent("commit.txt")
        try commit.stdoutData.write(to: commitFile)
        let verified = try box.python(Self.verifyScript, [commitFile.path, exportLine])
        #expect(verified.succeeded, "Python's cryptography rejects the commit signature\n\(verified)")
        #expect(verified.trimmed == keyID, "the key id is the first 16 hex digits of the SHA-256 of the public key")
        // The check can fail: one changed payload byte.
        let tampered = try box.python(Self.verifyScript, [commitFile.path, exportLine, "tamper"])
        #expect(!tampered.succeeded && tampered.stderr.contains("InvalidSignature"), "\(tampered)")

        // An annotated tag is signed the same way.
        expectSuccess(try box.arxos("tag", "-m", "commissioned", "v1"))
        let tag = try box.arxos("cat-object", "-p", "v1")
        expectSuccess(tag)
        let tagFile = box.root.appendingPathComponent("tag.txt")
        try tag.stdoutData.write(to: tagFile)
        let tagVerified = try box.python(Self.verifyScript, [tagFile.path, exportLine])
        #expect(tagVerified.succeeded, "Python's cryptography rejects the tag signature\n\(tagVerified)")

        // arxos verify: untrusted, trusted, revoked.
        let untrusted = try box.arxos("verify", "HEAD")
        expectCleanFailure(untrusted, mentioning: [keyID, "not trusted"], exitCode: 4)
        expectSuccess(try box.arxos("key", "trust", exportLine))
        let trusted = try box.arxos("verify", "HEAD")
        expectSuccess(trusted)
        #expect(trusted.stdout.contains("good"), "\(trusted)")
        expectSuccess(try box.arxos("verify", "v1"))
        expectSuccess(try box.arxos("key", "revoke", keyID))
        let revoked = try box.arxos("verify", "HEAD")
        expectCleanFailure(revoked, mentioning: ["revoked"], exitCode: 4)

        // --no-sign: a commit without signature lines, which verify refuses.
        expectSuccess(try box.arxos("state", "capture", "--no-sign", "--allow-empty", "-m", "unsigned"))
        let unsignedCommit = try box.arxos("cat-object", "-p", "HEAD")
        #expect(!unsignedCommit.stdout.contains("\nsignature "), "\(unsignedCommit)")
        expectCleanFailure(try box.arxos("verify", "HEAD"), mentioning: ["not signed"], exitCode: 4)
        expectSuccess(try box.arxos("fsck"))
    }
}
