import ArxosCore
import Testing

private let ada = Person(name: "Ada Lovelace", email: "ada@example.com", seconds: 1_700_000_000, offsetMinutes: 330)
private let bob = Person(name: "Bob", email: "bob@example.com", seconds: -86_400, offsetMinutes: -480)

/// The commit of docs/format.md with every optional part present.
private func fullCommit() throws -> Commit {
    Commit(tree: try id(KnownDigests.emptyTree), parents: [try id(KnownDigests.emptyBlob), try id(KnownDigests.helloBlob)],
           author: ada, committer: bob, extraHeaders: [HeaderField(key: "x-building", value: "hq")],
           signatures: ["ed25519 0123456789abcdef AAAA"], message: "Add VAV 101\n\nDetails here.\n")
}

private let fullCommitText = """
    tree \(KnownDigests.emptyTree)
    parent \(KnownDigests.emptyBlob)
    parent \(KnownDigests.helloBlob)
    author Ada Lovelace <ada@example.com> 1700000000 +0530
    committer Bob <bob@example.com> -86400 -0800
    x-building hq
    signature ed25519 0123456789abcdef AAAA

    Add VAV 101

    Details here.

    """

private func parseCommit(_ text: String) throws(ObjectFormatError) -> Commit { try Commit(parsing: bytes(text)[...]) }

private let treeLine = "tree \(KnownDigests.emptyTree)\n"
private let authorLine = "author A <a@example.com> 1 +0000\n"
private let committerLine = "committer C <c@example.com> 2 +0000\n"

@Suite("Commit")
struct CommitTests {
    @Test("encoding is the text of docs/format.md; its id was computed with Python")
    func exactEncoding() throws {
        let commit = try fullCommit()
        #expect(String(decoding: commit.encoded(), as: UTF8.self) == fullCommitText)
        #expect(ObjectEncoding.id(.commit, commit.encoded()).hex == "b222502e1dbf3bcb9d64c1134fed643b1714b79f087c462e5ae08906adf13c94")
    }

    @Test("encode and parse round trip")
    func roundTrip() throws {
        let commit = try fullCommit()
        let parsed = try Commit(parsing: commit.encoded()[...])
        #expect(parsed == commit)
        #expect(parsed.encoded() == commit.encoded())
        #expect(parsed.parents.count == 2)
        #expect(parsed.extraHeaders == [HeaderField(key: "x-building", value: "hq")])
        #expect(parsed.signatures == ["ed25519 0123456789abcdef AAAA"])
        #expect(parsed.subject == "Add VAV 101")

        // A root commit without extras, and an empty message.
        let root = Commit(tree: try id(KnownDigests.emptyTree), parents: [], author: ada, committer: ada, message: "")
        #expect(try Commit(parsing: root.encoded()[...]) == root)
        #expect(root.subject == "")
    }

    @Test("several signatures and a message that looks like headers survive a round trip")
    func signaturesAndTrickyMessage() throws {
        var commit = try fullCommit()
        commit.signatures = ["ed25519 1111111111111111 AAAA", "ed25519 2222222222222222 BBBB"]
        commit.message = "signature ed25519 3333333333333333 CCCC\ntree \(KnownDigests.emptyTree)\n\n"
        let parsed = try Commit(parsing: commit.encoded()[...])
        #expect(parsed == commit)
        #expect(parsed.signatures.count == 2)
    }

    @Test("the signed payload drops the signature lines and nothing else")
    func signedPayload() throws {
        var commit = try fullCommit()
        commit.signatures.append("ed25519 fedcba9876543210 BBBB")
        commit.message = "Add VAV 101\nsignature ed25519 0123456789abcdef AAAA\n"
        let expected = fullCommitText
            .replacingOccurrences(of: "signature ed25519 0123456789abcdef AAAA\n\n", with: "\n")
            .replacingOccurrences(of: "Add VAV 101\n\nDetails here.\n", with: "Add VAV 101\nsignature ed25519 0123456789abcdef AAAA\n")
        #expect(String(decoding: commit.signedPayload(), as: UTF8.self) == expected)
        // Unsigned, the payload is the content.
        commit.signatures = []
        #expect(commit.signedPayload() == commit.encoded())
    }

    @Test func missingTree() {
        #expect(throws: ObjectFormatError.missingHeader("tree")) { try parseCommit(authorLine + committerLine + "\nm\n") }
        #expect(throws: ObjectFormatError.missingHeader("tree")) {
            try parseCommit("parent \(KnownDigests.emptyBlob)\n" + treeLine + authorLine + committerLine + "\nm\n")
        }
    }

    @Test func missingAuthorOrCommitter() {
        #expect(throws: ObjectFormatError.missingHeader("author")) { try parseCommit(treeLine + committerLine + "\nm\n") }
        #expect(throws: ObjectFormatError.missingHeader("committer")) { try parseCommit(treeLine + authorLine + "\nm\n") }
    }

    @Test("a bad author line is reported with its line number", arguments: [
        "author A <a@example.com> soon +0000",
        "author A <a@example.com> 1 0000",
        "author A <a@example.com> 1 +00",
        "author A <a@example.com> 1 +0060",
        "author A a@example.com 1 +0000",
        "author A <a@example.com>",
        "author A <a@example.com> 1 +0000 extra",
        "author A <a@<example.com> 1 +0000",
    ])
    func badAuthor(line: String) throws {
        let text = treeLine + "parent \(KnownDigests.emptyBlob)\n" + line + "\n" + committerLine + "\nm\n"
        let error = #expect(throws: ObjectFormatError.self) { try parseCommit(text) }
        guard case let .badHeaderLine(number, _)? = error else {
            Issue.record("expected badHeaderLine, got \(String(describing: error))")
            return
        }
        #expect(number == 3)
    }

    @Test func badIDs() {
        #expect(throws: ObjectFormatError.self) { try parseCommit("tree abc\n" + authorLine + committerLine + "\nm\n") }
        let error = #expect(throws: ObjectFormatError.self) {
            try parseCommit(treeLine + "parent \(KnownDigests.emptyBlob)\nparent xyz\n" + authorLine + committerLine + "\nm\n")
        }
        guard case let .badHeaderLine(number, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(number == 3)
    }

    @Test("header order is enforced")
    func headerOrder() {
        let signature = "signature ed25519 0123456789abcdef AAAA\n"
        // A header after a signature.
        #expect(throws: ObjectFormatError.badHeaderLine(line: 5, reason: "'x-extra' after a signature")) {
            try parseCommit(treeLine + authorLine + committerLine + signature + "x-extra value\n\nm\n")
        }
        // A second tree, a late parent.
        let late = #expect(throws: ObjectFormatError.self) { try parseCommit(treeLine + authorLine + committerLine + treeLine + "\nm\n") }
        guard case let .badHeaderLine(number, _)? = late else { Issue.record("got \(String(describing: late))"); return }
        #expect(number == 4)
        #expect(throws: ObjectFormatError.self) {
            try parseCommit(treeLine + authorLine + "parent \(KnownDigests.emptyBlob)\n" + committerLine + "\nm\n")
        }
        // Committer before author.
        #expect(throws: ObjectFormatError.self) { try parseCommit(treeLine + committerLine + authorLine + "\nm\n") }
    }

    @Test("malformed header sections", arguments: [
        "",                                                    // nothing
        "tree \(KnownDigests.emptyTree)",                      // no newline at all
        "tree \(KnownDigests.emptyTree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\n", // no empty line
        "tree \(KnownDigests.emptyTree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\nX-Upper v\n\nm\n",
        "tree \(KnownDigests.emptyTree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\nnospace\n\nm\n",
        " tree \(KnownDigests.emptyTree)\n\nm\n",
    ])
    func malformed(text: String) {
        #expect(throws: ObjectFormatError.self) { try parseCommit(text) }
    }

    @Test func invalidUTF8IsRejected() {
        let content = bytes(treeLine + "author A <a@example.com> 1 +0000\n") + bytes("committer ") + [0xFF] + bytes(" <c@x> 2 +0000\n\nm\n")
        #expect(throws: ObjectFormatError.self) { try Commit(parsing: content[...]) }
    }
}

@Suite("Tag")
struct TagTests {
    private func tag() throws -> ArxosCore.Tag {
        ArxosCore.Tag(object: try id(KnownDigests.emptyBlob), type: .commit, name: "v1.0", tagger: bob,
            signatures: ["ed25519 0123456789abcdef AAAA"], message: "Release 1.0\n")
    }

    @Test func exactEncodingAndRoundTrip() throws {
        let tag = try tag()
        let text = """
            object \(KnownDigests.emptyBlob)
            type commit
            tag v1.0
            tagger Bob <bob@example.com> -86400 -0800
            signature ed25519 0123456789abcdef AAAA

            Release 1.0

            """
        #expect(String(decoding: tag.encoded(), as: UTF8.self) == text)
        #expect(try ArxosCore.Tag(parsing: tag.encoded()[...]) == tag)
        #expect(String(decoding: tag.signedPayload(), as: UTF8.self) == text.replacingOccurrences(of: "signature ed25519 0123456789abcdef AAAA\n", with: ""))
    }

    @Test("round trip for every target type", arguments: ObjectType.allCases)
    func everyType(type: ObjectType) throws {
        var tag = try tag()
        tag.type = type
        tag.signatures = []
        #expect(try ArxosCore.Tag(parsing: tag.encoded()[...]) == tag)
    }

    @Test func parseErrors() throws {
        let object = "object \(KnownDigests.emptyBlob)\n"
        let tagger = "tagger Bob <bob@example.com> 1 +0000\n"
        #expect(throws: ObjectFormatError.missingHeader("object")) { try ArxosCore.Tag(parsing: bytes("type commit\ntag v1\n" + tagger + "\nm\n")[...]) }
        #expect(throws: ObjectFormatError.missingHeader("tagger")) { try ArxosCore.Tag(parsing: bytes(object + "type commit\ntag v1\nx y\n\nm\n")[...]) }
        #expect(throws: ObjectFormatError.badHeaderLine(line: 2, reason: "unknown type 'branch'")) {
            try ArxosCore.Tag(parsing: bytes(object + "type branch\ntag v1\n" + tagger + "\nm\n")[...])
        }
        #expect(throws: ObjectFormatError.self) { try ArxosCore.Tag(parsing: bytes(object + "type commit\ntag v1\ntagger nobody\n\nm\n")[...]) }
        #expect(throws: ObjectFormatError.badHeaderLine(line: 6, reason: "unexpected header 'x'")) {
            try ArxosCore.Tag(parsing: bytes(object + "type commit\ntag v1\n" + tagger + "signature ed25519 0123456789abcdef AAAA\nx y\n\nm\n")[...])
        }
    }
}

@Suite("Person")
struct PersonTests {
    @Test("offsets are formatted as ±hhmm", arguments: [
        (330, "+0530"), (-480, "-0800"), (0, "+0000"), (60, "+0100"), (-30, "-0030"), (-570, "-0930"), (840, "+1400"), (-5, "-0005"),
    ])
    func formatOffset(minutes: Int, text: String) throws {
        #expect(Person.formatOffset(minutes) == text)
        let parsed = try #require(Person(parsing: Substring("N <e@x> 0 \(text)")))
        #expect(parsed.offsetMinutes == minutes)
    }

    @Test func encodeAndParse() throws {
        #expect(ada.encoded == "Ada Lovelace <ada@example.com> 1700000000 +0530")
        #expect(bob.encoded == "Bob <bob@example.com> -86400 -0800")
        #expect(Person(parsing: Substring(ada.encoded)) == ada)
        #expect(Person(parsing: Substring(bob.encoded)) == bob)
        let unnamed = Person(name: "", email: "", seconds: 0, offsetMinutes: 0)
        #expect(Person(parsing: Substring(unnamed.encoded)) == unnamed)
    }

    @Test("malformed person lines are rejected", arguments: [
        "Ada <ada@example.com> 1700000000",
        "Ada <ada@example.com> 1700000000 0530",
        "Ada <ada@example.com> 1700000000 +530",
        "Ada <ada@example.com> 1700000000 +05300",
        "Ada <ada@example.com> 1700000000 +05:30",
        "Ada <ada@example.com> 1700000000 +0575",
        "Ada <ada@example.com> 17e8 +0530",
        "Ada <ada@example.com>  1700000000 +0530",
        "Ada ada@example.com 1700000000 +0530",
        "Ada <ada@example.com 1700000000 +0530",
        "A>da <ada@example.com> 1700000000 +0530",
    ])
    func malformed(text: String) {
        #expect(Person(parsing: Substring(text)) == nil)
    }

    @Test func validFields() {
        #expect(Person.isValidField("Ada Lovelace"))
        #expect(Person.isValidField("ada@example.com"))
        #expect(!Person.isValidField("Ada <x>"))
        #expect(!Person.isValidField("a\nb"))
        #expect(!Person.isValidField("a\0b"))
    }
}
