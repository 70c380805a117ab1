import Foundation

/// A fresh directory under the system temporary directory, removed when the closure returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("arxos-signing-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func hex(_ text: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        result.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return result
}

func permissions(of url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A commit as arxos writes it, with a message line that looks like a signature header.
let sampleCommit = bytes("""
    tree 1111111111111111111111111111111111111111111111111111111111111111
    parent 2222222222222222222222222222222222222222222222222222222222222222
    author Ada Lovelace <ada@example.com> 1700000000 +0100
    committer Ada Lovelace <ada@example.com> 1700000100 +0100
    x-site north-wing

    Raise the supply air setpoint

    signature ed25519 0123456789abcdef this-line-is-message-text

    """)

/// An annotated tag as arxos writes it.
let sampleTag = bytes("""
    object 3333333333333333333333333333333333333333333333333333333333333333
    type commit
    tag v1.0
    tagger Grace Hopper <grace@example.com> 1700000200 -0530

    Commissioned configuration

    """)
