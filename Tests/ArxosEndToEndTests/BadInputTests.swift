import Foundation
import Testing

/// Bad working trees and damaged or hostile repositories: each gives one clear `arxos: error:` line, a non-zero exit,
/// and writes nothing.
@Suite(.tags(.endToEnd))
struct BadInputTests {
    /// A small building with one capture.
    static func captured() throws -> (Sandbox, head: String) {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first"))
        return (box, try #require(try box.revParse("HEAD")))
    }

    /// Checks that nothing in `.arxos` changed since `snapshot`, HEAD is `head` and fsck passes.
    static func expectUnchanged(_ box: Sandbox, since snapshot: [String: Data], head: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let now = box.storeSnapshot()
        let changed = Set(snapshot.keys).union(now.keys).filter { snapshot[$0] != now[$0] }.sorted()
        #expect(changed.isEmpty, "files in .arxos changed: \(changed)", sourceLocation: sourceLocation)
        #expect(try box.revParse("HEAD") == head, sourceLocation: sourceLocation)
        let fsck = try box.arxos("fsck")
        #expect(fsck.succeeded, "\(fsck)", sourceLocation: sourceLocation)
    }

    // MARK: Bad working trees

    @Test("malformed YAML: the error names file:line and nothing is written")
    func malformedYAML() throws {
        let (box, head) = try Self.captured()
        try box.write("hvac/broken.yaml", "id: hq/broken\ntype: sensor\nname: [unclosed\nproperties:\n  a: 1\n")
        try box.replace("designAirflow: 6500 cfm", with: "designAirflow: 6600 cfm", in: "hvac/ahu-1.yaml")
        let snapshot = box.storeSnapshot()
        let result = try box.arxos("state", "capture", "-m", "broken")
        expectCleanFailure(result, mentioning: ["hvac/broken.yaml:"])
        let line = result.stderrLines.first ?? ""
        #expect(line.range(of: #"hvac/broken\.yaml:[0-9]+: "#, options: .regularExpression) != nil,
                "the error names file:line:\n\(result)")
        try Self.expectUnchanged(box, since: snapshot, head: head)
    }

    @Test("the same id in two files: both places named, nothing written")
    func duplicateIDs() throws {
        let (box, head) = try Self.captured()
        try box.write("hvac/boiler-2.yaml", "# A copy that forgot to change its id.\nid: hq/boiler-1\ntype: boiler\nname: Boiler 2\n")
        let snapshot = box.storeSnapshot()
        let result = try box.arxos("state", "capture", "-m", "duplicate")
        expectCleanFailure(result, mentioning: ["hq/boiler-1", "hvac/boiler-2.yaml:2", "hvac/boiler-1.yaml:2"])
        try Self.expectUnchanged(box, since: snapshot, head: head)
    }

    @Test("an object without an id: the file and line named, nothing written")
    func missingID() throws {
        let (box, head) = try Self.captured()
        try box.write("security/doors-2.yaml", "- id: hq/door-2\n  type: door\n  name: Door 2\n\n- type: door\n  name: No Id\n")
        let snapshot = box.storeSnapshot()
        let result = try box.arxos("state", "capture", "-m", "no id")
        expectCleanFailure(result, mentioning: ["security/doors-2.yaml:5", "id"])
        try Self.expectUnchanged(box, since: snapshot, head: head)
    }

    // MARK: Hostile trees

    /// How a command is pointed at the hostile commit.
    static let escapeAttempts: [[String]] = [["switch", "evil"], ["switch", "--detach", "evil"], ["restore", "evil"]]

    @Test("a tree entry named '..': fsck reports it, checking it out fails without writing outside the working tree",
          arguments: escapeAttempts)
    func dotDotTreeEntry(_ command: [String]) throws {
        let (box, head) = try Self.captured()
        let rootTree = try #require(try box.revParse("HEAD:"))
        // A tree whose only entry is a directory named `..` holding the whole building, a commit of it, a branch.
        var tree = Data("40000 ..".utf8)
        tree.append(0)
        tree.append(bytes(hex: rootTree))
        let evilTree = try box.writeLooseObject(type: "tree", content: tree)
        let evilCommit = try box.writeLooseObject(type: "commit", content: Data("""
            tree \(evilTree)
            parent \(head)
            author Mallory <mallory@example.com> 1700000000 +0000
            committer Mallory <mallory@example.com> 1700000000 +0000

            escape the working tree

            """.utf8))
        try box.write(".arxos/refs/heads/evil", evilCommit + "\n")

        let fsck = try box.arxos("fsck")
        #expect(fsck.status != 0, "\(fsck)")
        #expect(fsck.stdout.contains(evilTree), "fsck names the bad tree\n\(fsck)")
        #expect(fsck.stdout.contains("'..'"), "\(fsck)")

        let outside = box.files(under: box.root)
        let working = box.workingFiles()
        let snapshot = box.storeSnapshot()
        let result = try box.arxos(command)
        expectCleanFailure(result, mentioning: [evilTree])
        #expect(box.files(under: box.root) == outside, "files appeared or vanished around the working tree")
        #expect(box.workingFiles() == working)
        #expect(box.storeSnapshot() == snapshot)
        #expect(try box.readText(".arxos/HEAD") == "ref: refs/heads/main\n")
        #expect(try box.revParse("HEAD") == head)
    }

    // MARK: Damaged objects

    enum Damage: String, CaseIterable, Sendable {
        /// One bit flipped in the middle of the file.
        case bitFlip
        /// The file cut to half its length.
        case truncated
    }

    /// Which object of HEAD is damaged, and the command that must then fail naming it.
    enum Victim: String, CaseIterable, Sendable {
        case commit, rootTree, blob

        var revision: String {
            switch self {
            case .commit: "HEAD"
            case .rootTree: "HEAD:"
            case .blob: "HEAD:hvac/ahu-1.yaml"
            }
        }

        var showArgument: String {
            switch self {
            case .commit, .rootTree: "HEAD"
            case .blob: "HEAD:hvac/ahu-1.yaml"
            }
        }
    }

    @Test("a damaged loose object: fsck names it; show fails naming it", arguments: Damage.allCases, Victim.allCases)
    func damagedObject(_ damage: Damage, _ victim: Victim) throws {
        let (box, _) = try Self.captured()
        let id = try #require(try box.revParse(victim.revision))
        let path = box.looseObjectPath(id)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        switch damage {
        case .bitFlip: bytes[bytes.count / 2] ^= 0x10
        case .truncated: bytes = bytes.prefix(bytes.count / 2)
        }
        try box.makeWritable(path)
        try bytes.write(to: URL(fileURLWithPath: path))

        let fsck = try box.arxos("fsck")
        #expect(fsck.status == 4, "\(fsck)")
        #expect(fsck.stdout.contains(id), "fsck names the damaged object\n\(fsck)")
        let shown = try box.arxos("show", victim.showArgument)
        expectCleanFailure(shown, mentioning: [id])
        #expect(shown.stdout.isEmpty, "nothing of a damaged object is printed\n\(shown)")
    }

    @Test("a zstd frame that claims 1 TiB of content fails at once, without allocating it")
    func hugeDeclaredContentSize() throws {
        let (box, head) = try Self.captured()
        // Written by hand (RFC 8878): magic, a frame header descriptor with an 8-byte content size field and no single
        // segment, a 1 KiB window, the content size 2^40, then one last raw block holding 12 real bytes.
        let content = Data("blob 5\u{0}hello".utf8)
        var frame = Data([0x28, 0xB5, 0x2F, 0xFD, 0xC0, 0x00])
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { frame.append(contentsOf: $0) }
        let blockHeader = UInt32(content.count << 3 | 1)
        frame.append(contentsOf: [UInt8(blockHeader & 0xFF), UInt8(blockHeader >> 8 & 0xFF), UInt8(blockHeader >> 16 & 0xFF)])
        frame.append(content)
        let path = box.looseObjectPath(head)
        try box.makeWritable(path)
        try frame.write(to: URL(fileURLWithPath: path))
        // The frame really claims 1 TiB, as the zstd tool reads it.
        let listed = try box.sh(#"zstd -lv "$1" 2>&1"#, [path])
        #expect(listed.stdout.contains("1099511627776"), "\(listed)")

        for command in [["show", "HEAD"], ["cat-object", "-p", head], ["log"]] {
            let result = try box.arxos(command, timeout: 20)
            expectCleanFailure(result, mentioning: [head])
            #expect(result.stderr.contains("1099511627776"), "the error gives the declared size\n\(result)")
            #expect(result.seconds < 10, "took \(result.seconds)s")
        }
        let fsck = try box.arxos("fsck", timeout: 20)
        #expect(fsck.status == 4, "\(fsck)")
        #expect(fsck.stdout.contains(head), "\(fsck)")
    }

    // MARK: Unknown format

    /// Every command that opens the repository.
    static let repositoryCommands: [[String]] = [
        ["init"], ["status"], ["status", "--json"], ["log"], ["show", "HEAD"], ["show", "hq/ahu-1"],
        ["state", "capture", "-m", "x"], ["commit", "--allow-empty", "-m", "x"], ["state", "restore", "HEAD"],
        ["restore", "HEAD", "hvac/ahu-1.yaml"], ["branch"], ["branch", "other"], ["switch", "-c", "other"],
        ["tag"], ["tag", "v1"], ["reflog"], ["verify", "HEAD"], ["fsck"], ["gc"], ["cat-object", "-p", "HEAD"],
        ["hash-object", "-w", "building.yaml"], ["ls-tree", "HEAD"], ["rev-parse", "HEAD"],
        ["key", "trust", "ed25519 VsciCniBbxudvdrH401wTRlywTM3DC/WuT3VuDL6fCI= someone"],
        ["key", "revoke", "0123456789abcdef"],
        // Regression test for a fixed bug: `arxos key list` inside a repository whose .arxos/config says format.version = 99 exits 0 and silently
        // lists no repository keys (Key.List opens the repository with `try?`), instead of refusing as every other
        // command does and as docs/format.md requires ("A reader must refuse a repository whose format.version it
        // does not know").
        ["key", "list"],
    ]

    @Test("format.version = 99: every command refuses, saying why, and writes nothing", arguments: repositoryCommands)
    func unknownFormatVersion(_ command: [String]) throws {
        let (box, _) = try Self.captured()
        let config = try box.readText(".arxos/config")
        try #require(config.contains("format.version = 1\n"))
        try box.write(".arxos/config", config.replacingOccurrences(of: "format.version = 1\n", with: "format.version = 99\n"))
        let snapshot = box.storeSnapshot()
        let working = try box.workingFiles().map { ($0, try box.read($0)) }
        let result = try box.arxos(command)
        expectCleanFailure(result, mentioning: ["format.version = 99", "not supported"], exitCode: 3)
        #expect(box.storeSnapshot() == snapshot)
        #expect(try box.workingFiles().map { ($0, try box.read($0)) }.elementsEqual(working) { $0 == $1 })
    }
}
