import ArxosCore
import Testing

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Object encoding: <type> SP <size> NUL <content>")
struct ObjectEncodingTests {
    @Test func emptyBlobIDIsTheSHA256OfItsHeader() {
        #expect(ObjectEncoding.id(.blob, []).hex == KnownDigests.emptyBlob)
        #expect(ObjectEncoding.id(.blob, bytes("hello")).hex == KnownDigests.helloBlob)
        #expect(ObjectEncoding.id(.tree, []).hex == KnownDigests.emptyTree)
    }

    @Test("id equals the hash of the encoded bytes", arguments: ObjectType.allCases)
    func idIsHashOfEncoding(type: ObjectType) {
        let content = bytes("line one\nline two\0with a NUL\n")
        let encoded = ObjectEncoding.encode(type, content)
        #expect(encoded == bytes("\(type.rawValue) \(content.count)\0") + content)
        #expect(ObjectEncoding.id(type, content) == ObjectID(hashing: encoded))
    }

    @Test func headerHasNoLeadingZeros() {
        #expect(ObjectEncoding.header(.blob, size: 0) == bytes("blob 0\0"))
        #expect(ObjectEncoding.header(.commit, size: 1024) == bytes("commit 1024\0"))
    }

    @Test("decode returns the type and content", arguments: ObjectType.allCases)
    func decodeRoundTrip(type: ObjectType) throws {
        for content in [[], bytes("x"), bytes(String(repeating: "0123456789", count: 100))] {
            let (decodedType, decodedContent) = try ObjectEncoding.decode(ObjectEncoding.encode(type, content))
            #expect(decodedType == type)
            #expect(Array(decodedContent) == content)
        }
    }

    @Test("bad headers are rejected", arguments: [
        "blob 01\0x",        // leading zero
        "blob 00\0",         // leading zero on zero
        "blob 1x",           // no NUL
        "blob 1",            // no NUL, nothing after
        "blob \0",           // no size
        "blob\0",            // no space, no size
        "blob -1\0",         // sign
        "blob +1\0x",        // sign
        "blob 1 \0x",        // trailing space
        "blob  1\0x",        // two spaces
        "blobs 1\0x",        // unknown type
        "Blob 1\0x",         // type is case-sensitive
        "object 1\0x",       // unknown type
        " 1\0x",             // empty type
        "",                  // nothing
        "blob 0x1\0x",       // hex size
    ])
    func badHeader(text: String) {
        #expect(throws: ObjectFormatError.badHeader) { try ObjectEncoding.decode(bytes(text)) }
    }

    @Test("the declared size must equal the content length", arguments: [
        ("blob 2\0x", 2, 1), ("blob 0\0x", 0, 1), ("tree 1\0", 1, 0), ("commit 3\0abcd", 3, 4),
    ])
    func sizeMismatch(text: String, declared: Int, actual: Int) {
        #expect(throws: ObjectFormatError.sizeMismatch(declared: declared, actual: actual)) {
            try ObjectEncoding.decode(bytes(text))
        }
    }

    @Test("parseHeader works on a slice in the middle of a chunk (objects back to back, as in packs)")
    func parseHeaderOnSlice() throws {
        let first = ObjectEncoding.encode(.blob, bytes("first"))
        let second = ObjectEncoding.encode(.commit, bytes("second object"))
        let chunk = first + second
        let (type, size, start) = try ObjectEncoding.parseHeader(chunk[first.count...])
        #expect(type == .commit)
        #expect(size == 13)
        #expect(start == first.count + "commit 13\0".utf8.count)
        #expect(Array(chunk[start..<(start + size)]) == bytes("second object"))
        // A header cut short at the end of the slice is an error, not a read past the slice.
        #expect(throws: ObjectFormatError.badHeader) { try ObjectEncoding.parseHeader(chunk[first.count..<(first.count + 9)]) }
    }

    @Test("a size too large for Int is a bad header, not a crash")
    func hugeDeclaredSize() async {
        // Regression test for a fixed bug: ObjectEncoding.parseHeader allows 19 size digits and computes `size * 10 + digit` with trapping
        // arithmetic, so a corrupt or hostile object whose header declares 9999999999999999999 (> Int.max) crashes the
        // process (loose reads via decode, pack reads, fsck) instead of throwing ObjectFormatError.badHeader.
        await #expect(processExitsWith: .success) {
            let header = Array("blob 9999999999999999999\0".utf8)
            _ = try? ObjectEncoding.parseHeader(header[...])
        }
    }

    @Test func largestRepresentableSizeIsParsed() throws {
        let (_, size, _) = try ObjectEncoding.parseHeader(bytes("blob 9223372036854775807\0")[...])
        #expect(size == Int.max)
    }
}
