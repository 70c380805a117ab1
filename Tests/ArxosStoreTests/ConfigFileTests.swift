import ArxosCore
@testable import ArxosStore
import Foundation
import Testing

@Suite("ConfigFile: name = value")
struct ConfigFileTests {
    let scratch: UnitScratch
    var path: String { scratch.file("config") }

    init() throws { scratch = try UnitScratch("config") }

    @Test func missingFileIsEmpty() throws {
        let config = try ConfigFile(path: path)
        #expect(config["format.version"] == nil)
        #expect(config.entries.isEmpty)
    }

    @Test func readsValues() throws {
        try scratch.write("config", """
            # written by arxos init
            format.version = 1
            format.hash=sha256

               user.name   =   Ada Lovelace  
            capture.looseLimit = 50
            url.base = https://example.com/a=b
            empty.value =
            # user.email = commented@example.com
            user.name = Ada Byron

            """)
        let config = try ConfigFile(path: path)
        #expect(config["format.version"] == "1")
        #expect(config["format.hash"] == "sha256")
        #expect(config["user.name"] == "Ada Byron", "the last occurrence wins")
        #expect(config["capture.looseLimit"] == "50")
        #expect(config["url.base"] == "https://example.com/a=b")
        #expect(config["empty.value"] == "")
        #expect(config["user.email"] == nil, "a commented-out line is not a setting")
        #expect(config["format"] == nil)
        #expect(config.entries.map(\.0) == ["format.version", "format.hash", "user.name", "capture.looseLimit", "url.base", "empty.value", "user.name"])
    }

    @Test("set, unset and save round trip, keeping comments and order")
    func setUnsetSave() throws {
        try scratch.write("config", "# top comment\nformat.version = 1\nuser.name = Old\n\n# trailing comment\nformat.hash = sha256\n")
        var config = try ConfigFile(path: path)
        config.set("user.name", "New Name")
        config.set("user.email", "new@example.com")
        config.unset("format.hash")
        config.unset("not.there")
        try config.save()
        #expect(scratch.read("config") == "# top comment\nformat.version = 1\nuser.name = New Name\n\n# trailing comment\nuser.email = new@example.com\n")

        let reloaded = try ConfigFile(path: path)
        #expect(reloaded["user.name"] == "New Name")
        #expect(reloaded["user.email"] == "new@example.com")
        #expect(reloaded["format.hash"] == nil)
        #expect(reloaded["format.version"] == "1")
        #expect(reloaded.entries.count == 3)
    }

    @Test("setting a name given twice changes the value that is read")
    func setDuplicated() throws {
        try scratch.write("config", "a.b = 1\na.b = 2\n")
        var config = try ConfigFile(path: path)
        config.set("a.b", "3")
        try config.save()
        #expect(try ConfigFile(path: path)["a.b"] == "3")
        config.unset("a.b")
        try config.save()
        #expect(try ConfigFile(path: path)["a.b"] == nil)
        #expect(scratch.read("config") == "")
    }

    @Test("saving a new file creates it")
    func saveNew() throws {
        var config = try ConfigFile(path: path)
        config.set("format.version", "1")
        try config.save()
        #expect(scratch.read("config") == "format.version = 1\n")
        #expect(scratch.allFiles == ["config"], "no temporary file is left behind")
    }

    @Test("a malformed line is rejected with its line number", arguments: [
        ("format.version = 1\njunk line\n", 2),
        ("# ok\n\n= value\n", 3),
        ("format.version = 1\nformat.hash = sha256\n1abc = x\n", 3),
        ("Format.version = 1\n", 1),
        ("user_name = x\n", 1),
        ("user name = x\n", 1),
        ("a.b = 1\n-x = 2\n", 2),
        (".a = 1\n", 1),
        ("[core]\n", 1),
    ])
    func malformedLine(text: String, line: Int) throws {
        try scratch.write("config", text)
        do {
            _ = try ConfigFile(path: path)
            Issue.record("accepted \(text.debugDescription)")
        } catch let error as StoreError {
            guard case let .badConfig(errorPath, errorLine, _) = error else { Issue.record("got \(error)"); return }
            #expect(errorPath == path)
            #expect(errorLine == line)
            #expect(error.localizedDescription.hasPrefix("\(path):\(line): "))
        }
    }

    @Test func invalidUTF8IsRejected() throws {
        try Data([0x61, 0x20, 0x3D, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try ConfigFile(path: path) }
    }
}
