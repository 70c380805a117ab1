import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

// MARK: - Helpers shared by the Ref/Config/Loose/Batch test files

/// A fresh directory for one test, deleted when the value goes away.
final class UnitScratch {
    let path: String

    init(_ label: String = "store") throws {
        path = NSTemporaryDirectory() + "/arxos-unit-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ relative: String) -> String { path + "/" + relative }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: file(relative)))).map { String(decoding: $0, as: UTF8.self) }
    }

    func write(_ relative: String, _ text: String) throws {
        let full = file(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }

    /// Every regular file below the directory, relative and sorted.
    var allFiles: [String] {
        var out = [String]()
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file(name), isDirectory: &isDirectory), !isDirectory.boolValue { out.append(name) }
        }
        return out.sorted()
    }
}

func blobID(_ text: String) -> ObjectID { ObjectEncoding.id(.blob, Array(text.utf8)) }

let tester = Person(name: "Test User", email: "test@example.com", seconds: 1_700_000_000, offsetMinutes: 60)

// MARK: -

@Suite("Ref names")
struct RefNameTests {
    @Test("accepted", arguments: ["main", "feature/x", "v1.0", "release-2024", "a.b/c", "é", "x-", "a/b/c/d", "fix_1", "x@y", "a{b}", "2024"])
    func accepted(name: String) throws {
        try RefStore.validateShort(name)
        try RefStore.validate("refs/heads/" + name)
        try RefStore.validate("refs/tags/" + name)
    }

    @Test("rejected", arguments: [
        "", "-x", "/x", "x/", "x.lock", "a/b.lock", "x.", "a..b", "..", "a//b", "a@{b", "@{", "a\u{1}b", "a\u{1F}b", "a\u{7F}b",
        "a\tb", "a\nb", "a b", " ", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "a/.b", ".a", "a/.b/c", ".",
    ])
    func rejected(name: String) {
        #expect(throws: StoreError.self) { try RefStore.validateShort(name) }
        #expect(throws: StoreError.self) { try RefStore.validate("refs/heads/" + name) }
    }

    @Test("full names need a known prefix", arguments: ["main", "heads/main", "refs/main", "refs/other/main", "HEAD", "refs/heads/"])
    func badPrefix(full: String) {
        #expect(throws: StoreError.self) { try RefStore.validate(full) }
    }

    @Test func errorNamesTheRef() {
        do {
            try RefStore.validateShort("a..b")
            Issue.record("accepted a..b")
        } catch {
            #expect(error.localizedDescription.contains("'a..b' is not a valid ref name"))
        }
    }
}

@Suite("RefStore: refs, HEAD and reflogs")
struct RefStoreTests {
    let scratch: UnitScratch
    let refs: RefStore

    init() throws {
        scratch = try UnitScratch("refs")
        refs = RefStore(root: scratch.path)
        try scratch.write("HEAD", "ref: refs/heads/main\n")
    }

    @Test func createReadAndMove() throws {
        let one = blobID("1"), two = blobID("2")
        #expect(try refs.read("refs/heads/main") == nil)
        try refs.update("refs/heads/main", to: one, expecting: .absent, who: tester, message: "create")
        #expect(scratch.read("refs/heads/main") == one.hex + "\n")
        #expect(try refs.read("refs/heads/main") == one)
        try refs.update("refs/heads/main", to: two, expecting: .value(one), who: tester, message: "move")
        #expect(try refs.read("refs/heads/main") == two)
        try refs.update("refs/heads/main", to: one, expecting: .any, who: tester, message: "force")
        #expect(try refs.read("refs/heads/main") == one)
        #expect(!scratch.exists("refs/heads/main.lock"))
    }

    @Test("expecting absent when the ref exists fails and changes nothing")
    func casAbsentButPresent() throws {
        let one = blobID("1"), two = blobID("2")
        try refs.update("refs/heads/main", to: one, expecting: .absent, who: tester, message: "create")
        let logBefore = scratch.read("logs/refs/heads/main")
        do {
            try refs.update("refs/heads/main", to: two, expecting: .absent, who: tester, message: "should fail")
            Issue.record("the update succeeded")
        } catch let error as StoreError {
            guard case let .refChanged(name, _, actual) = error else { Issue.record("got \(error)"); return }
            #expect(name == "refs/heads/main")
            #expect(actual == one.hex)
        }
        #expect(scratch.read("refs/heads/main") == one.hex + "\n")
        #expect(!scratch.exists("refs/heads/main.lock"))
        #expect(scratch.read("logs/refs/heads/main") == logBefore)
    }

    @Test("expecting a value that is not there fails and changes nothing")
    func casWrongValue() throws {
        let one = blobID("1"), two = blobID("2"), three = blobID("3")
        // Expecting a value on a ref that does not exist.
        #expect(throws: StoreError.self) { try refs.update("refs/heads/main", to: two, expecting: .value(one), who: tester, message: "x") }
        #expect(!scratch.exists("refs/heads/main"))
        try refs.update("refs/heads/main", to: one, expecting: .absent, who: tester, message: "create")
        do {
            try refs.update("refs/heads/main", to: three, expecting: .value(two), who: tester, message: "stale")
            Issue.record("the update succeeded")
        } catch let error as StoreError {
            guard case let .refChanged(_, expected, actual) = error else { Issue.record("got \(error)"); return }
            #expect(expected == two.hex)
            #expect(actual == one.hex)
        }
        #expect(try refs.read("refs/heads/main") == one)
        #expect(!scratch.exists("refs/heads/main.lock"))
        #expect(try refs.reflog("refs/heads/main").count == 1)
    }

    @Test("a stale .lock left by a dead process is cleaned up")
    func staleLock() throws {
        try scratch.write("refs/heads/main.lock", "garbage from a crash")
        try refs.update("refs/heads/main", to: blobID("1"), expecting: .absent, who: tester, message: "create")
        #expect(try refs.read("refs/heads/main") == blobID("1"))
        #expect(!scratch.exists("refs/heads/main.lock"))
        // list() never reports lock files as refs.
        try scratch.write("refs/heads/other.lock", "x")
        #expect(try refs.list("refs/heads/").map(\.name) == ["refs/heads/main"])
    }

    @Test("deleting a ref removes it and its reflog")
    func delete() throws {
        try refs.update("refs/heads/topic", to: blobID("1"), expecting: .absent, who: tester, message: "create")
        #expect(scratch.exists("logs/refs/heads/topic"))
        try refs.update("refs/heads/topic", to: nil, expecting: .value(blobID("1")), who: tester, message: "delete")
        #expect(try refs.read("refs/heads/topic") == nil)
        #expect(!scratch.exists("refs/heads/topic"))
        #expect(!scratch.exists("logs/refs/heads/topic"))
    }

    @Test("reflog lines have the format of docs/format.md and parse back")
    func reflog() throws {
        let one = blobID("1"), two = blobID("2")
        let other = Person(name: "Ödön", email: "o@example.com", seconds: -5, offsetMinutes: -570)
        try refs.update("refs/heads/main", to: one, expecting: .absent, who: tester, message: "capture (initial): first")
        try refs.update("refs/heads/main", to: two, expecting: .value(one), who: other, message: "two\nlines", alsoLogHead: true)

        let zero = String(repeating: "0", count: 64)
        #expect(scratch.read("logs/refs/heads/main") == """
            \(zero) \(one.hex) Test User <test@example.com> 1700000000 +0100\tcapture (initial): first
            \(one.hex) \(two.hex) Ödön <o@example.com> -5 -0930\ttwo lines

            """)
        let entries = try refs.reflog("refs/heads/main")
        #expect(entries == [
            ReflogEntry(old: .zero, new: one, who: tester, message: "capture (initial): first"),
            ReflogEntry(old: one, new: two, who: other, message: "two lines"),
        ])
        #expect(try refs.reflog("HEAD") == [ReflogEntry(old: one, new: two, who: other, message: "two lines")])
        #expect(try refs.reflog("refs/heads/none") == [])
        #expect(refs.reflogNames() == ["HEAD", "refs/heads/main"])
    }

    @Test("a message ending in a carriage return keeps one reflog entry per update")
    func carriageReturnInMessage() throws {
        let one = blobID("1"), two = blobID("2")
        try refs.update("refs/heads/main", to: one, expecting: .absent, who: tester, message: "pasted from Windows\r")
        try refs.update("refs/heads/main", to: two, expecting: .value(one), who: tester, message: "next")
        // Regression test for a fixed bug: RefStore.reflog splits the decoded text with String.split(separator: "\n"); a message ending in "\r"
        // makes its line end in "\r\n", which Swift treats as one Character, so that line and the next are read as a
        // single entry (the second move disappears from the reflog). appendReflog should also strip "\r", or reflog
        // should split bytes.
        let entries = (try? refs.reflog("refs/heads/main")) ?? []
        #expect(entries.map(\.new) == [one, two])
        #expect(entries.last?.message == "next")
    }

    @Test("a damaged reflog line is reported with its number")
    func damagedReflog() throws {
        try refs.update("refs/heads/main", to: blobID("1"), expecting: .absent, who: tester, message: "create")
        let good = try #require(scratch.read("logs/refs/heads/main"))
        try scratch.write("logs/refs/heads/main", good + "not a reflog line\n")
        do {
            _ = try refs.reflog("refs/heads/main")
            Issue.record("the damaged reflog parsed")
        } catch {
            #expect(error.localizedDescription.contains("line 2"))
        }
    }

    @Test func headSymbolicAndDetached() throws {
        #expect(try refs.head() == .branch("main"))
        #expect(try refs.headCommit() == nil)
        try refs.update("refs/heads/main", to: blobID("1"), expecting: .absent, who: tester, message: "create")
        #expect(try refs.headCommit() == blobID("1"))

        try refs.setHead(branch: "feature/x")
        #expect(scratch.read("HEAD") == "ref: refs/heads/feature/x\n")
        #expect(try refs.head() == .branch("feature/x"))
        #expect(try refs.headCommit() == nil)
        #expect(throws: StoreError.self) { try refs.setHead(branch: "bad..name") }
        #expect(scratch.read("HEAD") == "ref: refs/heads/feature/x\n")

        try refs.setHead(branch: "main")
        try refs.setHead(detached: blobID("2"), who: tester, message: "checkout: detach")
        #expect(scratch.read("HEAD") == blobID("2").hex + "\n")
        #expect(try refs.head() == .detached(blobID("2")))
        #expect(try refs.headCommit() == blobID("2"))
        #expect(try refs.reflog("HEAD").last == ReflogEntry(old: blobID("1"), new: blobID("2"), who: tester, message: "checkout: detach"))

        // A detached HEAD is itself updated with compare-and-swap.
        #expect(throws: StoreError.self) { try refs.update("HEAD", to: blobID("3"), expecting: .value(blobID("1")), who: tester, message: "x") }
        #expect(try refs.head() == .detached(blobID("2")))
        try refs.update("HEAD", to: blobID("3"), expecting: .value(blobID("2")), who: tester, message: "move")
        #expect(try refs.head() == .detached(blobID("3")))
    }

    @Test("a damaged HEAD or ref is an error, not an empty ref", arguments: ["", "ref: refs/tags/v1\n", "nonsense\n", "abc\n"])
    func damagedHead(text: String) throws {
        try scratch.write("HEAD", text)
        #expect(throws: StoreError.self) { try refs.head() }
        try scratch.write("refs/heads/main", text)
        #expect(throws: StoreError.self) { try refs.read("refs/heads/main") }
    }

    @Test func missingHead() throws {
        try FileManager.default.removeItem(atPath: scratch.file("HEAD"))
        #expect(throws: StoreError.self) { try refs.head() }
    }

    @Test("list returns refs sorted by name")
    func list() throws {
        for name in ["refs/heads/main", "refs/heads/b/x", "refs/heads/a", "refs/tags/v1"] {
            try refs.update(name, to: blobID(name), expecting: .absent, who: tester, message: "create")
        }
        #expect(try refs.list("refs/heads/").map(\.name) == ["refs/heads/a", "refs/heads/b/x", "refs/heads/main"])
        #expect(try refs.list().map(\.name) == ["refs/heads/a", "refs/heads/b/x", "refs/heads/main", "refs/tags/v1"])
        #expect(try refs.list("refs/tags").first?.id == blobID("refs/tags/v1"))
    }

    @Test("update refuses invalid names without touching the disk")
    func invalidUpdate() throws {
        #expect(throws: StoreError.self) { try refs.update("refs/heads/a..b", to: blobID("1"), expecting: .any, who: tester, message: "x") }
        #expect(throws: StoreError.self) { try refs.update("refs/other/x", to: blobID("1"), expecting: .any, who: tester, message: "x") }
        #expect(!scratch.exists("refs"))
    }

    @Test("a branch under a directory ending in .lock cannot wedge the branch of the shorter name")
    func lockSuffixedDirectory() throws {
        // Regression test for a fixed bug: validateShort only rejects a *name* ending in ".lock", not a component: "x.lock/y" is accepted and
        // creates the directory refs/heads/x.lock, which is exactly the lock path of branch "x". From then on every
        // update of "x" fails with "refs/heads/x.lock exists: another arxos is updating this ref". (git rejects any
        // component ending in ".lock"; either rejecting such names or another lock path would fix it.)
        try? refs.update("refs/heads/x.lock/y", to: blobID("1"), expecting: .absent, who: tester, message: "create")
        #expect(throws: Never.self) { try refs.update("refs/heads/x", to: blobID("2"), expecting: .absent, who: tester, message: "create") }
    }
}
