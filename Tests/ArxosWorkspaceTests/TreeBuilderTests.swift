import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
import Testing

private func blob(_ text: String) -> ObjectID { ObjectEncoding.id(.blob, Array(text.utf8)) }
private func treeID(_ entries: [TreeEntry]) throws -> ObjectID { ObjectEncoding.id(.tree, try Tree(entries: entries).encoded()) }
private func file(_ name: String, _ id: ObjectID) -> TreeEntry { TreeEntry(kind: .file, name: name, id: id) }
private func directory(_ name: String, _ id: ObjectID) -> TreeEntry { TreeEntry(kind: .directory, name: name, id: id) }

private let files: [(String, ObjectID)] = [
    ("building.yaml", blob("building")),
    ("hvac/ahu-1.yaml", blob("ahu")),
    ("hvac/vav/vav-101.yaml", blob("vav 101")),
    ("hvac/vav/vav-102.yaml", blob("vav 102")),
    ("hvac.yaml", blob("hvac file beside the hvac directory")),
    ("hvac0/x.yaml", blob("x")),
    ("B.yaml", blob("upper")),
    (".arxosignore", blob("ignore")),
]

@Suite("TreeBuilder")
struct TreeBuilderTests {
    /// The same trees, built one by one from docs/format.md's rules.
    private func handBuiltRoot() throws -> ObjectID {
        let vav = try treeID([file("vav-101.yaml", blob("vav 101")), file("vav-102.yaml", blob("vav 102"))])
        let hvac = try treeID([file("ahu-1.yaml", blob("ahu")), directory("vav", vav)])
        let hvac0 = try treeID([file("x.yaml", blob("x"))])
        return try treeID([file(".arxosignore", blob("ignore")), file("B.yaml", blob("upper")), file("building.yaml", blob("building")),
                           directory("hvac", hvac), file("hvac.yaml", blob("hvac file beside the hvac directory")),
                           directory("hvac0", hvac0)])
    }

    @Test func equalsTreesBuiltByHand() throws {
        #expect(try TreeBuilder.build(files, into: nil) == (try handBuiltRoot()))
    }

    @Test("the root does not depend on the order of the input")
    func orderIndependent() throws {
        let expected = try handBuiltRoot()
        var rng = SeededGenerator(state: 2024)
        for round in 0..<50 {
            let shuffled = files.shuffled(using: &rng)
            #expect(try TreeBuilder.build(shuffled, into: nil) == expected, "round \(round): \(shuffled.map(\.0))")
        }
        #expect(try TreeBuilder.build(files.reversed(), into: nil) == expected)
    }

    @Test func emptyWorkingTreeIsTheEmptyTree() throws {
        #expect(try TreeBuilder.build([], into: nil).hex == "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321")
    }

    @Test("with a batch, every tree is stored and reads back as the same files")
    func storedTrees() throws {
        let sandbox = try Sandbox("treebuilder")
        let database = ObjectDatabase(directory: sandbox.path)
        let batch = ObjectBatch(database: database, looseLimit: 100)
        let root = try TreeBuilder.build(files, into: batch)
        try batch.finish()
        #expect(root == (try handBuiltRoot()))
        #expect(batch.count == 4, "root, hvac, hvac/vav and hvac0")
        let flat = try TreeBuilder.flatten(root, in: database)
        #expect(flat == Dictionary(uniqueKeysWithValues: files))
        var visited = [String]()
        try TreeBuilder.walk(root, in: database) { path, _ in visited.append(path) }
        #expect(visited == files.map(\.0).sorted { $0.treeOrderPrecedes($1) })
        #expect(try TreeBuilder.entry(at: "hvac/vav/vav-102.yaml", in: root, objects: database)?.id == blob("vav 102"))
        #expect(try TreeBuilder.entry(at: "hvac/vav", in: root, objects: database)?.kind == .directory)
        #expect(try TreeBuilder.entry(at: "hvac/nothing.yaml", in: root, objects: database) == nil)
        #expect(try TreeBuilder.entry(at: "building.yaml/below", in: root, objects: database) == nil)
    }

    @Test("a path that is both a file and a directory is an error")
    func fileDirectoryConflict() {
        #expect(throws: ObjectFormatError.self) { try TreeBuilder.build([("a", blob("1")), ("a/b.yaml", blob("2"))], into: nil) }
        #expect(throws: ObjectFormatError.self) { try TreeBuilder.build([("a.yaml", blob("1")), ("a.yaml", blob("2"))], into: nil) }
    }

    @Test("invalid path components are refused", arguments: ["a/", "a/../b.yaml", "./a.yaml", ".arxos/config", "hvac/.ARXOS/x.yaml", "a/\u{0}.yaml"])
    func invalidPaths(path: String) {
        #expect(throws: ObjectFormatError.self) { try TreeBuilder.build([(path, blob("1"))], into: nil) }
    }
}
