import Foundation
import Testing

/// `arxos gc`: packing, keeping history readable, and the grace period for unreachable objects.
@Suite(.tags(.endToEnd))
struct GarbageCollectionTests {
    /// Four commits, each changing `hvac/ahu-1.yaml`; returns the file's content at each, oldest first.
    static func history(_ box: Sandbox) throws -> [Data] {
        expectSuccess(try box.arxos("init"))
        var versions = [Data]()
        let airflows = ["6500", "6600", "6700", "6800"]
        for (n, airflow) in airflows.enumerated() {
            if n > 0 {
                try box.replace("designAirflow: \(airflows[n - 1]) cfm", with: "designAirflow: \(airflow) cfm", in: "hvac/ahu-1.yaml")
            }
            try box.write("notes/round-\(n).yaml", "id: hq/note-\(n)\ntype: note\nname: Note \(n)\n")
            expectSuccess(try box.arxos("state", "capture", "-m", "airflow \(airflow)"))
            versions.append(try box.read("hvac/ahu-1.yaml"))
        }
        return versions
    }

    @Test("gc --prune=now packs everything; every revision stays readable and fsck is clean")
    func packsEverything() throws {
        let box = try Sandbox(.smallBuilding)
        let versions = try Self.history(box)
        expectSuccess(try box.arxos("tag", "-m", "annotated", "v1", "HEAD~2"))
        let before = try box.arxos("log", "--json")
        let ids = try #require(try before.json() as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(ids.count == 4)
        let looseBefore = box.looseObjectFiles().count
        #expect(looseBefore > 20, "the captures wrote loose objects")

        let gc = try box.arxos("gc", "--prune=now")
        expectSuccess(gc)
        #expect(box.looseObjectFiles().isEmpty, "loose objects are left after gc --prune=now: \(box.looseObjectFiles())")
        let packFiles = box.files(under: box.storeURL.appendingPathComponent("objects/pack"))
        #expect(packFiles.filter { $0.hasSuffix(".pack") }.count == 1, "\(packFiles)")
        #expect(packFiles.filter { $0.hasSuffix(".idx") }.count == 1, "\(packFiles)")
        let packedCount = gc.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(gc.stdout.hasPrefix("packed ") && packedCount >= looseBefore,
                "gc should report how many objects it packed (\(looseBefore) were loose)\n\(gc)")

        // History and old versions are still there.
        let after = try box.arxos("log", "--json")
        #expect(try #require(try after.json() as? [[String: Any]]).compactMap { $0["id"] as? String } == ids)
        for (n, version) in versions.enumerated() {
            let revision = n == versions.count - 1 ? "HEAD" : "HEAD~\(versions.count - 1 - n)"
            let shown = try box.arxos("show", "\(revision):hvac/ahu-1.yaml")
            expectSuccess(shown)
            #expect(shown.stdoutData == version, "\(revision) after gc")
            expectSuccess(try box.arxos("show", revision))
        }
        #expect(try box.arxos("show", "v1").stdout.contains("annotated"))
        #expect(try box.arxos("show", "HEAD~3:notes/round-0.yaml").stdout.contains("hq/note-0"))
        #expect(try box.arxos("show", "hq/ahu-1").stdout.contains("6800 cfm"))
        let fsck = try box.arxos("fsck")
        expectSuccess(fsck)
        #expect(fsck.stdout.contains("0 loose, 1 pack"), "\(fsck)")
        let status = try #require(try box.arxos("status", "--json").json() as? [String: Any])
        #expect(status["clean"] as? Bool == true)

        // Work goes on after gc, and a second gc replaces the pack.
        try box.write("notes/after-gc.yaml", "id: hq/note-after\ntype: note\nname: After\n")
        expectSuccess(try box.arxos("state", "capture", "-m", "after gc"))
        expectSuccess(try box.arxos("gc", "--prune=now"))
        #expect(box.looseObjectFiles().isEmpty)
        #expect(box.files(under: box.storeURL.appendingPathComponent("objects/pack")).filter { $0.hasSuffix(".pack") }.count == 1)
        #expect(try box.arxos("show", "HEAD~4:hvac/ahu-1.yaml").stdoutData == versions[0])
        expectSuccess(try box.arxos("fsck"))
    }

    @Test("an unreachable loose object survives gc inside the grace period, and goes with --prune=now or when old")
    func gracePeriod() throws {
        let box = try Sandbox(.smallBuilding)
        _ = try Self.history(box)
        try box.write("scratch.txt", "never captured, written with hash-object -w\n")
        let written = try box.arxos("hash-object", "-w", "scratch.txt")
        expectSuccess(written)
        let young = written.trimmed
        try box.write("scratch-old.txt", "an old unreachable object\n")
        let old = try box.arxos("hash-object", "-w", "scratch-old.txt").trimmed
        try FileManager.default.removeItem(at: box.url("scratch.txt"))
        try FileManager.default.removeItem(at: box.url("scratch-old.txt"))
        let youngPath = box.looseObjectPath(young)
        let oldPath = box.looseObjectPath(old)
        #expect(FileManager.default.fileExists(atPath: youngPath))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -30 * 86_400)], ofItemAtPath: oldPath)

        let gc = try box.arxos("gc")
        expectSuccess(gc)
        #expect(FileManager.default.fileExists(atPath: youngPath), "gc removed an unreachable object younger than the grace period")
        #expect(!FileManager.default.fileExists(atPath: oldPath), "gc kept an unreachable object 30 days old")
        #expect(box.looseObjectFiles() == ["\(young.prefix(2))/\(young.dropFirst(2))"], "only the young unreachable object stays loose")
        let cat = try box.arxos("cat-object", "-p", young)
        #expect(cat.stdout == "never captured, written with hash-object -w\n", "\(cat)")
        expectSuccess(try box.arxos("fsck"))

        expectSuccess(try box.arxos("gc", "--prune=now"))
        #expect(!FileManager.default.fileExists(atPath: youngPath), "gc --prune=now kept an unreachable object")
        expectCleanFailure(try box.arxos("cat-object", "-p", young))
        expectSuccess(try box.arxos("fsck"))
        #expect(try box.arxos("log", "--oneline").stdoutLines.count == 4)
    }
}
