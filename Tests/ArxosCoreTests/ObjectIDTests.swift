import ArxosCore
import Testing

/// SHA-256 values computed independently with Python's hashlib:
/// `python3 -c 'import hashlib; print(hashlib.sha256(b"blob 0\0").hexdigest())'`.
enum KnownDigests {
    /// SHA-256 of the empty string.
    static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// SHA-256 of "abc" (also the FIPS 180-2 test vector).
    static let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    /// SHA-256 of "blob 0\0": the id of the empty blob.
    static let emptyBlob = "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813"
    /// SHA-256 of "blob 5\0hello".
    static let helloBlob = "8aec4e4876f854f688d0ebfc8f37598f38e5fd6903cccc850ca36591175aeb60"
    /// SHA-256 of "tree 0\0": the id of the empty tree.
    static let emptyTree = "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"
}

func id(_ hex: String) throws -> ObjectID { try #require(ObjectID(hex: hex)) }

@Suite("ObjectID")
struct ObjectIDTests {
    @Test("hex round trip", arguments: [KnownDigests.empty, KnownDigests.abc, KnownDigests.emptyBlob,
                                        String(repeating: "0", count: 64), String(repeating: "f", count: 64),
                                        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"])
    func hexRoundTrip(hex: String) throws {
        let parsed = try id(hex)
        #expect(parsed.hex == hex)
        #expect(parsed.description == hex)
        #expect(ObjectID(bytes: parsed.bytes) == parsed)
        #expect(parsed.bytes.count == 32)
    }

    @Test func uppercaseHexParsesToTheSameIDAndPrintsLowercase() throws {
        let upper = try id(KnownDigests.abc.uppercased())
        #expect(upper == (try id(KnownDigests.abc)))
        #expect(upper.hex == KnownDigests.abc)
    }

    @Test("bytes are big-endian in hex order")
    func bytesMatchHex() throws {
        let parsed = try id("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
        #expect(parsed.bytes == [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
                                 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
        #expect(parsed.firstByte == 0x00)
        #expect(try id(KnownDigests.abc).firstByte == 0xba)
        #expect(parsed.abbreviated() == "001122334455")
        #expect(parsed.abbreviated(4) == "0011")
    }

    @Test("malformed hex is rejected", arguments: [
        "", "abc", String(repeating: "0", count: 63), String(repeating: "0", count: 65),
        String(repeating: "0", count: 63) + "g", " " + String(repeating: "0", count: 63),
        String(repeating: "0", count: 62) + "é",
    ])
    func malformedHex(text: String) {
        #expect(ObjectID(hex: text) == nil)
    }

    @Test func fewerThan32BytesIsRejected() {
        #expect(ObjectID(bytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(ObjectID(bytes: [UInt8]()) == nil)
        #expect(ObjectID(bytes: [UInt8](repeating: 7, count: 32)) != nil)
    }

    @Test func zeroIsSixtyFourZeros() {
        #expect(ObjectID.zero.hex == String(repeating: "0", count: 64))
        #expect(ObjectID(bytes: [UInt8](repeating: 0, count: 32)) == .zero)
    }

    @Test("ordering is the unsigned byte order of the ids (the order of pack index entries)")
    func orderingMatchesByteOrder() throws {
        var ids = (0..<200).map { ObjectID(hashing: Array("object \($0)".utf8)) }
        // Ids that differ only in one word, and in the high bit of a byte (a signed comparison would get these wrong).
        ids += try ["7f" + String(repeating: "f", count: 62), "80" + String(repeating: "0", count: 62),
                    String(repeating: "0", count: 63) + "1", String(repeating: "0", count: 16) + "8" + String(repeating: "0", count: 47),
                    String(repeating: "0", count: 32) + "ff" + String(repeating: "0", count: 30)].map(id)
        let byOperator = ids.sorted()
        let byBytes = ids.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        #expect(byOperator == byBytes)
        #expect(byOperator.map(\.hex) == ids.map(\.hex).sorted())
        #expect(try id("7f" + String(repeating: "f", count: 62)) < (try id("80" + String(repeating: "0", count: 62))))
        #expect(!(ObjectID.zero < ObjectID.zero))
    }

    @Test("init(hashing:) is SHA-256", arguments: [("", KnownDigests.empty), ("abc", KnownDigests.abc),
                                                   ("blob 0\0", KnownDigests.emptyBlob), ("blob 5\0hello", KnownDigests.helloBlob)])
    func hashingIsSHA256(input: String, expected: String) {
        #expect(ObjectID(hashing: Array(input.utf8)).hex == expected)
    }

    @Test func hexPrefixRecognition() {
        #expect(isHexPrefix("a"))
        #expect(isHexPrefix("DEADbeef"))
        #expect(isHexPrefix(String(repeating: "a", count: 64)))
        #expect(!isHexPrefix(""))
        #expect(!isHexPrefix(String(repeating: "a", count: 65)))
        #expect(!isHexPrefix("main"))
        #expect(!isHexPrefix("abc "))
    }
}
