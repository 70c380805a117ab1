import ArxosCore
import Testing

/// A small deterministic generator, so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}

/// Names chosen to sit on both sides of `/` (0x2F) in byte order: `-` 0x2D, `.` 0x2E, `0` 0x30, uppercase, non-ASCII.
private let trickyNames = ["a", "a.yaml", "a0", "a-b", "B", "b", "a!", "é", "e\u{301}", "z", "_", "a b", "aa", "a\u{1}"]

/// The order in which a depth-first walk of sorted trees (docs/format.md: entries sorted by name bytes) visits files.
/// Works on bytes throughout: Swift `String` equality and hashing treat NFC and NFD spellings as equal, file names do not.
private func depthFirstOrder(_ paths: [String]) -> [String] {
    final class Node {
        var children: [[UInt8]: Node] = [:]
        var isFile = false
    }
    let root = Node()
    for path in paths {
        var node = root
        for component in Array(path.utf8).split(separator: 0x2F).map(Array.init) {
            if let child = node.children[component] { node = child } else {
                let child = Node()
                node.children[component] = child
                node = child
            }
        }
        node.isFile = true
    }
    var out = [String]()
    func walk(_ node: Node, _ prefix: [UInt8]) {
        for name in node.children.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let child = node.children[name]!
            let path = prefix.isEmpty ? name : prefix + [0x2F] + name
            if child.isFile { out.append(String(decoding: path, as: UTF8.self)) } else { walk(child, path) }
        }
    }
    walk(root, [])
    return out
}

@Suite("Byte order and tree order of names and paths")
struct OrderingTests {
    @Test("utf8Precedes compares unsigned bytes", arguments: [
        ("B", "a", true), ("a", "B", false), ("a", "a.yaml", true), ("a.yaml", "a0", true), ("a", "a0", true),
        ("", "a", true), ("a", "", false), ("a", "a", false), ("z", "é", true), ("e\u{301}", "\u{E9}", true),
        ("\u{E9}", "e\u{301}", false), ("a/b", "a.b", false), ("a.b", "a/b", true), ("abc", "abd", true),
        ("\u{7F}", "\u{80}", true), ("\u{FFFF}", "\u{10000}", true),
    ])
    func utf8Precedes(a: String, b: String, expected: Bool) {
        #expect(a.utf8Precedes(b) == expected)
    }

    @Test("utf8Precedes agrees with a byte-array comparison on random strings")
    func utf8PrecedesRandom() {
        var rng = SplitMix64(state: 42)
        let pieces = ["a", "B", "/", ".", "0", "é", "e\u{301}", "\u{1F600}", "\u{0}", "~", "ab", "zz"]
        for _ in 0..<2000 {
            let a = (0..<Int(rng.next() % 5)).map { _ in rng.pick(pieces) }.joined()
            let b = (0..<Int(rng.next() % 5)).map { _ in rng.pick(pieces) }.joined()
            #expect(a.utf8Precedes(b) == Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)), "\(a.debugDescription) vs \(b.debugDescription)")
        }
    }

    @Test("treeOrderPrecedes counts / as the lowest byte", arguments: [
        ("a/z", "a.yaml", true), ("a.yaml", "a/z", false), ("a.yaml", "a0", true), ("a/z", "a0", true),
        ("a-b/x", "a/x", false), ("a/x", "a-b/x", true), ("a!", "a/b", false), ("a/b", "a!", true),
        ("a", "a/b", true), ("a/b", "a/b", false), ("B/x", "a", true), ("a/b/c", "a/b.yaml", true),
    ])
    func treeOrder(a: String, b: String, expected: Bool) {
        #expect(a.treeOrderPrecedes(b) == expected)
    }

    @Test("sorting paths by treeOrderPrecedes is the depth-first order of sorted trees")
    func treeOrderIsDepthFirst() {
        var rng = SplitMix64(state: 7)
        for round in 0..<200 {
            var paths = Set<[UInt8]>()
            for _ in 0..<Int(2 + rng.next() % 20) {
                let depth = Int(1 + rng.next() % 3)
                paths.insert(Array((0..<depth).map { _ in rng.pick(trickyNames) }.joined(separator: "/").utf8))
            }
            // A path that is a file cannot also be a directory.
            let files = paths.filter { path in !paths.contains { $0.starts(with: path + [0x2F]) } }
                .map { String(decoding: $0, as: UTF8.self) }
            let expected = depthFirstOrder(files)
            let sorted = files.sorted { $0.treeOrderPrecedes($1) }
            #expect(sorted.map { Array($0.utf8) } == expected.map { Array($0.utf8) }, "round \(round)")
        }
    }

    @Test func specificTreeOrder() {
        let paths = ["a0", "a.yaml", "a/z.yaml", "a/b/c.yaml", "B.yaml", "a-b/x.yaml"]
        #expect(paths.sorted { $0.treeOrderPrecedes($1) } == ["B.yaml", "a/b/c.yaml", "a/z.yaml", "a-b/x.yaml", "a.yaml", "a0"])
        #expect(depthFirstOrder(paths) == ["B.yaml", "a/b/c.yaml", "a/z.yaml", "a-b/x.yaml", "a.yaml", "a0"])
    }
}
