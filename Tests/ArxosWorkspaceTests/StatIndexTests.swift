import ArxosCore
import ArxosModel
import ArxosStore
@testable import ArxosWorkspace
import Foundation
import Testing

private let saveTime = Date(timeIntervalSince1970: 1_700_000_000)
private let old: Int64 = 1_600_000_000

private func entry(_ path: String, mtime: Int64 = old, size: UInt64 = 10, inode: UInt64 = 7, racy: Bool = false,
                   objects: [ObjectSummary] = []) -> IndexEntry {
    IndexEntry(path: path, stat: FileStat(size: size, mtimeSeconds: mtime, mtimeNanoseconds: 123_456_789, inode: inode),
               racy: racy, blob: ObjectEncoding.id(.blob, Array(path.utf8)), objects: objects)
}

/// The fields a user of the cache relies on, comparable.
private func fields(_ e: IndexEntry) -> String {
    "\(e.path) \(e.stat) racy=\(e.racy) \(e.blob) \(e.objects.map { "\($0.id):\($0.type):\($0.line)" })"
}

/// One entry read with the layout of docs/format.md, "The stat cache".
private struct DocumentedEntry {
    var path: String
    var size: UInt64, mtime: Int64, nanoseconds: UInt32, inode: UInt64, flags: UInt32
    var blob: ObjectID
    var objects: [(id: String, type: String, line: UInt32)]
}

/// Reads an index file exactly as docs/format.md describes it; nil if the bytes do not fit that layout.
private func parseAsDocumented(_ bytes: [UInt8]) -> [DocumentedEntry]? {
    var offset = 0
    func take(_ n: Int) -> ArraySlice<UInt8>? {
        guard bytes.count - 32 - offset >= n else { return nil }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
    func integer(_ n: Int) -> UInt64? { take(n).map { $0.reduce(0) { $0 << 8 | UInt64($1) } } }
    func string() -> String? {
        guard let length = integer(2), let raw = take(Int(length)) else { return nil }
        return String(validating: raw, as: UTF8.self)
    }
    guard bytes.count >= 76, take(8).map(Array.init) == Array("ARXINDX2".utf8),
          ObjectID(hashing: bytes.dropLast(32)) == ObjectID(bytes: bytes.suffix(32)),
          let count = integer(4), take(32) != nil
    else { return nil }
    var out = [DocumentedEntry]()
    for _ in 0..<count {
        guard let path = string(), let size = integer(8), let mtime = integer(8), let ns = integer(4), let inode = integer(8),
              let flags = integer(4), let blob = take(32).flatMap({ ObjectID(bytes: $0) }), let objectCount = integer(4)
        else { return nil }
        var objects = [(id: String, type: String, line: UInt32)]()
        for _ in 0..<objectCount {
            guard let id = string(), let type = string(), let line = integer(4) else { return nil }
            objects.append((id, type, UInt32(line)))
        }
        out.append(DocumentedEntry(path: path, size: size, mtime: Int64(bitPattern: mtime), nanoseconds: UInt32(ns), inode: inode,
                                   flags: UInt32(flags), blob: blob, objects: objects))
    }
    return offset == bytes.count - 32 ? out : nil
}

@Suite("StatIndex: the stat cache")
struct StatIndexTests {
    let sandbox: Sandbox
    var path: String { sandbox.file("index") }

    init() throws { sandbox = try Sandbox("index") }

    @Test("save and load round trip")
    func roundTrip() throws {
        let entries = [
            entry("hvac/vavs.yaml", objects: [ObjectSummary(id: "hq/vav-101", type: "vav", line: 2),
                                              ObjectSummary(id: "hq/vav-102", type: "vav", line: 25)]),
            entry("building.yaml", size: 0, inode: UInt64.max, objects: [ObjectSummary(id: "hq/building", type: "building", line: 1)]),
            entry("étage/ü.yaml", mtime: -5),
            entry(".arxosignore"),
        ]
        let index = StatIndex(entries: entries)
        try index.save(to: path, now: saveTime)
        let loaded = StatIndex.load(from: path)
        #expect(loaded.entries.map(fields) == index.entries.map(fields))
        #expect(loaded.entries.map(\.path) == [".arxosignore", "building.yaml", "hvac/vavs.yaml", "étage/ü.yaml"])
        #expect(loaded["hvac/vavs.yaml"]?.objects.map(\.id) == ["hq/vav-101", "hq/vav-102"])
        #expect(loaded["missing.yaml"] == nil)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("entries are kept in tree order, a repeated path keeps its last entry")
    func orderAndDuplicates() {
        let index = StatIndex(entries: [entry("a0.yaml"), entry("a.yaml"), entry("a/z.yaml", size: 1), entry("B.yaml"),
                                        entry("a/z.yaml", size: 2)])
        #expect(index.entries.map(\.path) == ["B.yaml", "a/z.yaml", "a.yaml", "a0.yaml"])
        #expect(index["a/z.yaml"]?.stat.size == 2)
        let updated = index.updating(["a.yaml": nil, "new.yaml": entry("new.yaml"), "B.yaml": entry("B.yaml", size: 99)])
        #expect(updated.entries.map(\.path) == ["B.yaml", "a/z.yaml", "a0.yaml", "new.yaml"])
        #expect(updated["B.yaml"]?.stat.size == 99)
    }

    @Test("a file whose stat data is unchanged is reported unchanged; any difference is not")
    func unchanged() throws {
        let kept = entry("a.yaml")
        try StatIndex(entries: [kept]).save(to: path, now: saveTime)
        let loaded = StatIndex.load(from: path)
        #expect(loaded.unchanged("a.yaml", kept.stat)?.blob == kept.blob)
        var stat = kept.stat
        stat.size += 1
        #expect(loaded.unchanged("a.yaml", stat) == nil)
        stat = kept.stat
        stat.mtimeNanoseconds += 1
        #expect(loaded.unchanged("a.yaml", stat) == nil)
        stat = kept.stat
        stat.mtimeSeconds += 1
        #expect(loaded.unchanged("a.yaml", stat) == nil)
        stat = kept.stat
        stat.inode += 1
        #expect(loaded.unchanged("a.yaml", stat) == nil)
        #expect(loaded.unchanged("b.yaml", kept.stat) == nil)
    }

    @Test("entries modified less than 1 s before the save (or later) are racy and never reported unchanged",
          arguments: [0, 1, -1, -100] as [Int64])
    func racy(secondsBeforeSave: Int64) throws {
        let now = Int64(saveTime.timeIntervalSince1970)
        let recent = entry("recent.yaml", mtime: now - secondsBeforeSave)
        let settled = entry("settled.yaml", mtime: now - 3600)
        try StatIndex(entries: [recent, settled]).save(to: path, now: saveTime)
        let loaded = StatIndex.load(from: path)
        #expect(loaded["recent.yaml"]?.racy == true)
        #expect(loaded.unchanged("recent.yaml", recent.stat) == nil)
        #expect(loaded["settled.yaml"]?.racy == false)
        #expect(loaded.unchanged("settled.yaml", settled.stat) != nil)
    }

    @Test("an entry modified 2 s before the save is trusted")
    func settledAfterASecond() throws {
        let now = Int64(saveTime.timeIntervalSince1970)
        try StatIndex(entries: [entry("a.yaml", mtime: now - 2)]).save(to: path, now: saveTime)
        #expect(StatIndex.load(from: path)["a.yaml"]?.racy == false)
    }

    @Test("an entry already racy stays racy")
    func racyIsSticky() throws {
        try StatIndex(entries: [entry("a.yaml", racy: true)]).save(to: path, now: saveTime)
        #expect(StatIndex.load(from: path)["a.yaml"]?.racy == true)
    }

    @Test("a damaged index loads as an empty one")
    func damaged() throws {
        try StatIndex(entries: [entry("a.yaml"), entry("b/c.yaml")]).save(to: path, now: saveTime)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(StatIndex.load(from: path).entries.count == 2)
        var damages: [[UInt8]] = [[], Array(good.prefix(10)), Array(good.dropLast()), Array(good.dropLast(32)), good + [0],
                                  Array("ARXINDX1".utf8) + good.dropFirst(8), [UInt8](repeating: 0xFF, count: 200)]
        for offset in stride(from: 0, to: good.count, by: 7) {
            var flipped = good
            flipped[offset] ^= 0x01
            damages.append(flipped)
        }
        for damage in damages {
            try Data(damage).write(to: URL(fileURLWithPath: path))
            #expect(StatIndex.load(from: path).entries.isEmpty)
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(StatIndex.load(from: path).entries.isEmpty)
    }

    @Test("the file has the layout of docs/format.md, entries in tree order")
    func documentedLayout() throws {
        let summary = ObjectSummary(id: "hq/x", type: "vav", line: 3)
        try StatIndex(entries: [entry("a0.yaml"), entry("a/b.yaml", objects: [summary]), entry("a.yaml", mtime: -2, racy: true)])
            .save(to: path, now: saveTime)
        let parsed = try #require(parseAsDocumented([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
        #expect(parsed.map(\.path) == ["a/b.yaml", "a.yaml", "a0.yaml"])
        let first = try #require(parsed.first)
        #expect(first.size == 10)
        #expect(first.mtime == old)
        #expect(first.nanoseconds == 123_456_789)
        #expect(first.inode == 7)
        #expect(first.flags == 0)
        #expect(first.blob == ObjectEncoding.id(.blob, Array("a/b.yaml".utf8)))
        #expect(first.objects.map(\.id) == ["hq/x"])
        #expect(first.objects.map(\.type) == ["vav"])
        #expect(first.objects.map(\.line) == [3])
        #expect(parsed[1].mtime == -2)
        #expect(parsed[1].flags == 1)
        #expect(parsed[2].objects.isEmpty)
    }

    @Test("lookups find every entry after updates")
    func lookups() {
        let paths = ["B.yaml", "a/b/c.yaml", "a/z.yaml", "a-b.yaml", "a.yaml", "a0/x.yaml", "é.yaml", "z.yaml"]
        var index = StatIndex(entries: paths.shuffled().map { entry($0) })
        for path in paths { #expect(index[path]?.path == path) }
        #expect(index["a"] == nil)
        #expect(index["a/b"] == nil)
        index = index.updating(["a/z.yaml": nil, "a/m.yaml": entry("a/m.yaml")])
        #expect(index["a/z.yaml"] == nil)
        #expect(index["a/m.yaml"]?.path == "a/m.yaml")
        #expect(index["a0/x.yaml"]?.path == "a0/x.yaml")
    }
}
