import ArxosCore
import Testing

private let blobA = ObjectEncoding.id(.blob, bytes("a"))
private let blobB = ObjectEncoding.id(.blob, bytes("b"))

private func file(_ name: String, _ id: ObjectID = blobA) -> TreeEntry { TreeEntry(kind: .file, name: name, id: id) }
private func directory(_ name: String, _ id: ObjectID = ObjectEncoding.id(.tree, [])) -> TreeEntry {
    TreeEntry(kind: .directory, name: name, id: id)
}

/// Encodes entries exactly as given (no sorting, no checks), as a hostile or buggy writer would.
private func rawTree(_ entries: [(String, String, [UInt8])]) -> [UInt8] {
    var out = [UInt8]()
    for (mode, name, id) in entries { out += bytes(mode) + [0x20] + bytes(name) + [0] + id }
    return out
}

@Suite("Tree")
struct TreeTests {
    @Test("invalid entry names are rejected", arguments: [
        "", "/", "a/b", "a/", ".", "..", "a\0b", ".arxos", ".ARXOS", ".Arxos", ".arXos",
        String(repeating: "x", count: 256), String(repeating: "é", count: 128),
    ])
    func invalidName(name: String) {
        #expect(throws: ObjectFormatError.self) { try Tree.validate(name: name) }
        #expect(throws: ObjectFormatError.self) { try Tree(entries: [file(name)]) }
        // The parser applies the same rules to stored trees.
        #expect(throws: ObjectFormatError.self) { try Tree(parsing: rawTree([("100644", name, blobA.bytes)])[...]) }
    }

    @Test("valid entry names are accepted", arguments: [
        "a", "a.yaml", ".arxosignore", "arxos", ".arxos2", "..a", "...", "é.yaml", "with space.yaml", "#1",
        String(repeating: "x", count: 255), String(repeating: "é", count: 127) + "x",
    ])
    func validName(name: String) throws {
        try Tree.validate(name: name)
        let tree = try Tree(entries: [file(name)])
        #expect(try Tree(parsing: tree.encoded()[...]) == tree)
    }

    @Test func emptyTreeEncodesToNothing() throws {
        #expect(Tree.empty.encoded() == [])
        #expect(try Tree(entries: []).encoded() == [])
        #expect(ObjectEncoding.id(.tree, Tree.empty.encoded()).hex == KnownDigests.emptyTree)
        #expect(try Tree(parsing: [][...]) == Tree.empty)
    }

    @Test("encoded bytes follow docs/format.md, checked against a hash computed with Python")
    func exactEncoding() throws {
        let emptyTree = try id(KnownDigests.emptyTree)
        let blob = try id(KnownDigests.emptyBlob)
        let tree = try Tree(entries: [directory("dir", emptyTree), file("a.yaml", blob)])
        #expect(tree.encoded() == bytes("100644 a.yaml\0") + blob.bytes + bytes("40000 dir\0") + emptyTree.bytes)
        // hashlib.sha256(b"tree 84\0" + b"100644 a.yaml\0" + blob + b"40000 dir\0" + empty_tree)
        #expect(ObjectEncoding.id(.tree, tree.encoded()).hex == "700efa70229a743da17799b082f6f53157e73525397746080567fb1061a3d729")
    }

    @Test("entries are sorted by unsigned name bytes")
    func sortedByBytes() throws {
        let names = ["a0", "é", "a.yaml", "B", "a", "z", "a-b", "Z", "_x", "~"]
        let tree = try Tree(entries: names.map { file($0) })
        // B (0x42) < Z < _ (0x5F) < a < a-b (0x2D) < a.yaml (0x2E) < a0 (0x30) < z < ~ (0x7E) < é (0xC3 0xA9)
        #expect(tree.entries.map(\.name) == ["B", "Z", "_x", "a", "a-b", "a.yaml", "a0", "z", "~", "é"])
    }

    @Test("encode and parse round trip, any input order")
    func roundTrip() throws {
        let entries = [file("vav-101.yaml", blobA), directory("hvac", ObjectEncoding.id(.tree, bytes("x"))),
                       file("building.yaml", blobB), directory("floors"), file(".arxosignore", blobB)]
        let tree = try Tree(entries: entries)
        let reversed = try Tree(entries: entries.reversed())
        #expect(tree.encoded() == reversed.encoded())
        let parsed = try Tree(parsing: tree.encoded()[...])
        #expect(parsed == tree)
        #expect(parsed.entries.map(\.name) == [".arxosignore", "building.yaml", "floors", "hvac", "vav-101.yaml"])
        #expect(parsed["hvac"]?.kind == .directory)
        #expect(parsed["building.yaml"]?.id == blobB)
        #expect(parsed["missing"] == nil)
    }

    @Test func duplicateNamesAreRejected() {
        #expect(throws: ObjectFormatError.treeNotSorted("a.yaml")) { try Tree(entries: [file("a.yaml", blobA), file("a.yaml", blobB)]) }
        #expect(throws: ObjectFormatError.treeNotSorted("a")) { try Tree(entries: [file("a"), directory("a")]) }
    }

    @Test("names that differ only in Unicode normalization are different names")
    func normalizationVariantsAreDistinct() throws {
        let composed = "caf\u{E9}.yaml"      // é as one scalar: bytes C3 A9
        let decomposed = "cafe\u{301}.yaml"  // e + combining acute: bytes 65 CC 81
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        // The parser accepts two such entries (their bytes are distinct and sorted) ...
        let raw = rawTree([("100644", decomposed, blobA.bytes), ("100644", composed, blobB.bytes)])
        let parsed = try Tree(parsing: raw[...])
        #expect(parsed.entries.count == 2)
        // Regression test for a fixed bug: Tree.init(entries:) checks uniqueness with String `==`, which is Unicode canonical equivalence, so two
        // files whose names differ only in normalization (NFC vs NFD, e.g. copied from macOS onto Linux) are reported
        // as "out of order or duplicated" and the capture fails, although docs/format.md compares names as bytes.
        let built = try? Tree(entries: [file(composed, blobB), file(decomposed, blobA)])
        #expect(built?.encoded() == raw)
    }

    @Test("the parser rejects unsorted or duplicated entries")
    func parserRejectsUnsorted() {
        let unsorted = rawTree([("100644", "b.yaml", blobA.bytes), ("100644", "a.yaml", blobA.bytes)])
        #expect(throws: ObjectFormatError.treeNotSorted("a.yaml")) { try Tree(parsing: unsorted[...]) }
        let duplicated = rawTree([("100644", "a.yaml", blobA.bytes), ("40000", "a.yaml", blobB.bytes)])
        #expect(throws: ObjectFormatError.treeNotSorted("a.yaml")) { try Tree(parsing: duplicated[...]) }
        // Sorted the way Swift's String `<` would not: uppercase after lowercase is unsorted by bytes.
        let caseOrder = rawTree([("100644", "a", blobA.bytes), ("100644", "B", blobA.bytes)])
        #expect(throws: ObjectFormatError.treeNotSorted("B")) { try Tree(parsing: caseOrder[...]) }
        // A prefix sorts first.
        let prefixLast = rawTree([("100644", "a.yaml", blobA.bytes), ("40000", "a", blobA.bytes)])
        #expect(throws: ObjectFormatError.treeNotSorted("a")) { try Tree(parsing: prefixLast[...]) }
    }

    static let malformedTrees: [(String, [UInt8])] = {
        let a: [UInt8] = rawTree([("100644", "a", blobA.bytes)])
        var cases: [(String, [UInt8])] = []
        cases.append(("unknown mode", rawTree([("100755", "a", blobA.bytes)])))
        cases.append(("git-style directory mode", rawTree([("040000", "a", blobA.bytes)])))
        cases.append(("truncated id", Array(a.dropLast())))
        cases.append(("name not terminated", bytes("100644 a")))
        cases.append(("no mode", bytes("a")))
        cases.append(("no space", bytes("100644")))
        cases.append(("invalid UTF-8 name", bytes("100644 ") + [0xFF, 0xFE, 0] + blobA.bytes))
        cases.append(("trailing garbage", a + [0x31]))
        return cases
    }()

    @Test("the parser rejects malformed entries", arguments: malformedTrees)
    func parserRejectsMalformed(_ label: String, content: [UInt8]) {
        #expect(throws: ObjectFormatError.self, "\(label)") { try Tree(parsing: content[...]) }
    }
}
