import ArxosModel
import Testing

private func summaries(_ text: String, path: String = "hvac/vavs.yaml") throws(ModelError) -> [ObjectSummary] {
    try ObjectFile.summaries(path: path, bytes: Array(text.utf8))
}

private func summary(_ id: String, _ type: String, _ line: Int) -> ObjectSummary { ObjectSummary(id: id, type: type, line: line) }

/// The error `text` produces; records an issue and returns nil if it parses.
private func failure(_ text: String, path: String = "hvac/vavs.yaml") -> ModelError? {
    failure(bytes: Array(text.utf8), path: path)
}

private func failure(bytes: [UInt8], path: String = "hvac/vavs.yaml") -> ModelError? {
    do {
        let parsed = try ObjectFile.summaries(path: path, bytes: bytes)
        Issue.record("expected an error, got \(parsed)")
        return nil
    } catch {
        return error
    }
}

@Suite("ObjectFile.summaries: the objects of one YAML file")
struct ObjectFileTests {
    @Test func singleObject() throws {
        #expect(try summaries("id: hq/vav-101\ntype: vav\nname: VAV 101\n") == [summary("hq/vav-101", "vav", 1)])
        // The line is where the object's mapping starts, after comments and blank lines.
        #expect(try summaries("# a comment\n\n  # another\nname: x\ntype: vav\nid: hq/vav-101\n") == [summary("hq/vav-101", "vav", 4)])
        // Keys in any order, nested values ignored.
        let nested = """
            type: ahu
            properties:
              id: not-the-object-id
              type: not-the-type
              list: [{id: x, type: y}]
            id: hq/ahu-1
            """
        #expect(try summaries(nested) == [summary("hq/ahu-1", "ahu", 1)])
    }

    @Test func listOfObjects() throws {
        let text = """
            # two boxes
            - id: hq/vav-101
              type: vav
              points: [hq/vav-101/zone-temp]

            - id: hq/vav-102
              type: vav
            - {id: hq/ahu-1, type: ahu}
            """
        #expect(try summaries(text) == [summary("hq/vav-101", "vav", 2), summary("hq/vav-102", "vav", 6), summary("hq/ahu-1", "ahu", 8)])
    }

    @Test func severalDocuments() throws {
        let text = """
            id: hq/building
            type: building
            ---
            - id: hq/floor-1
              type: floor
            - id: hq/floor-2
              type: floor
            --- # a third document
            id: hq/meter
            type: meter
            ...
            """
        #expect(try summaries(text) == [summary("hq/building", "building", 1), summary("hq/floor-1", "floor", 4),
                                        summary("hq/floor-2", "floor", 6), summary("hq/meter", "meter", 9)])
        #expect(try summaries("---\nid: a\ntype: vav\n") == [summary("a", "vav", 2)])
    }

    @Test("files without objects", arguments: ["", "\n\n", "# only a comment\n", "# one\n# two\n   # indented\n", "[]\n", "[] # nothing\n"])
    func zeroObjects(text: String) throws {
        #expect(try summaries(text) == [])
    }

    @Test("ids and types are strings as written", arguments: [
        ("id: \"null\"\ntype: vav\n", "null", "vav"),
        ("id: a'b\ntype: vav\n", "a'b", "vav"),
        ("id: \"hq/vav-101\"\ntype: 'vav'\n", "hq/vav-101", "vav"),
        ("id: hq/vav-101 # trailing comment\ntype: vav\n", "hq/vav-101", "vav"),
        ("id: &anchor hq/x\ntype: elec_panel\n", "hq/x", "elec_panel"),
        ("id: hq/ü-1\ntype: a1\n", "hq/ü-1", "a1"),
        ("? id\n: hq/complex-key-syntax\ntype: vav\n", "hq/complex-key-syntax", "vav"),
    ])
    func idAndTypeValues(text: String, id: String, type: String) throws {
        let found = try summaries(text)
        #expect(found.map(\.id) == [id])
        #expect(found.map(\.type) == [type])
    }

    // MARK: Errors, each with the line a user must look at

    @Test("malformed YAML reports libyaml's line (PyYAML agrees)", arguments: [
        ("id: a\ntype: vav\nname: [x\nfloor: 2\n", 4),
        ("id: a\ntype: vav\nname: {x: 1\n", 4),
        ("- id: a\n  type: vav\n  name: x\n    bad: y\n", 4),
        ("id: a\ntype: vav\nname: x\n- item\n", 4),
        ("id: a\ntype: vav\n@bad\n", 3),
        ("id: a\ntype: vav\n  name: x\n", 3),
        ("id: a\n\ttype: vav\n", 2),
        ("id: a\ntype: vav\nname: \"abc\n", 4),
    ])
    func malformedYAML(text: String, line: Int) throws {
        let error = try #require(failure(text))
        #expect(error.path == "hvac/vavs.yaml")
        #expect(error.line == line)
        #expect(error.message.contains("YAML syntax error"))
        #expect(error.localizedDescription.hasPrefix("hvac/vavs.yaml:\(line): "))
    }

    @Test func missingID() throws {
        let single = try #require(failure("# header\ntype: vav\nname: x\n"))
        #expect(single.line == 2)
        #expect(single.message.contains("no 'id'"))
        let inList = try #require(failure("- id: a\n  type: vav\n- type: ahu\n  name: b\n"))
        #expect(inList.line == 3)
        #expect(inList.message.contains("no 'id'"))
        let secondDocument = try #require(failure("id: a\ntype: vav\n---\nname: b\ntype: ahu\n"))
        #expect(secondDocument.line == 4)
    }

    @Test func missingType() throws {
        let error = try #require(failure("- id: a\n  type: vav\n- id: b\n  name: b\n"))
        #expect(error.line == 3)
        #expect(error.message.contains("'b' has no 'type'"))
    }

    @Test("id and type must be strings", arguments: [
        ("id: [a, b]\ntype: vav\n", 1),
        ("type: vav\nid:\n  - a\n  - b\n", 3),
        ("id: {a: b}\ntype: vav\n", 1),
        ("id: null\ntype: vav\n", 1),
        ("type: vav\nid: ~\n", 2),
        ("type: vav\nid: NULL\n", 2),
        ("type: vav\nid:\nname: x\n", 2),
        ("id: a\ntype: null\n", 2),
        ("id: a\ntype: [vav]\n", 2),
        ("x: &a hq/x\nid: *a\ntype: vav\n", 2),
    ])
    func nonStringIDOrType(text: String, line: Int) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message.contains("must be a string"))
    }

    @Test("a key given twice in any mapping", arguments: [
        ("id: a\ntype: vav\nproperties:\n  x: 1\n  y: 2\n  x: 3\n", 6, "x"),
        ("id: a\ntype: vav\nid: b\n", 3, "id"),
        ("- id: a\n  type: vav\n  refs: {brick: x, brick: y}\n", 3, "brick"),
        ("id: a\ntype: vav\nproperties:\n  deep:\n    deeper:\n      k: 1\n      'k': 2\n", 7, "k"),
    ])
    func duplicateKey(text: String, line: Int, key: String) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message.contains("'\(key)' appears twice"))
    }

    @Test("the same key in sibling mappings is fine")
    func sameKeyInSiblings() throws {
        let text = "id: a\ntype: vav\nin: {x: 1}\nout: {x: 2}\nlist: [{x: 1}, {x: 1}]\n"
        #expect(try summaries(text) == [summary("a", "vav", 1)])
    }

    @Test("the root must be an object or a list of objects", arguments: [
        ("hello\n", 1), ("# c\n42\n", 2), ("\"quoted\"\n", 1), ("id: a\ntype: vav\n---\njust text\n", 4),
    ])
    func scalarRoot(text: String, line: Int) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message.contains("expected an object"))
    }

    @Test("every list item must be an object", arguments: [
        ("- id: a\n  type: vav\n- just text\n", 3),
        ("- id: a\n  type: vav\n-\n", 3),
        ("- [id, a]\n", 1),
        ("- id: a\n  type: vav\n\n\n- 42\n", 5),
    ])
    func scalarListItem(text: String, line: Int) throws {
        let error = try #require(failure(text))
        #expect(error.line == line)
        #expect(error.message.contains("list item is not an object"))
    }

    static let invalidUTF8Files: [([UInt8], Int)] = [
        (Array("id: a\ntype: vav\nname: ".utf8) + [0xFF] + Array("\n".utf8), 3),
        ([0xC3], 1),
        (Array("id: a\n".utf8) + [0xE2, 0x82] + Array("\ntype: vav\n".utf8), 2),
        (Array("id: a\ntype: vav\n# ok\nname: x".utf8) + [0xC0, 0x80], 4),
    ]

    @Test("invalid UTF-8 is reported at its line", arguments: invalidUTF8Files)
    func invalidUTF8(bytes: [UInt8], line: Int) throws {
        let error = try #require(failure(bytes: bytes))
        #expect(error.line == line)
        #expect(error.message.contains("UTF-8"))
    }

    @Test("types are short lowercase words", arguments: [
        ("VAV", false), ("has space", false), ("Vav", false), ("9vav", false), ("_vav", false), ("vav-box", false),
        ("vav.box", false), ("é", false), (String(repeating: "a", count: 65), false),
        ("vav", true), ("elec_panel", true), ("a1", true), ("a", true), (String(repeating: "a", count: 64), true),
    ])
    func typeValidity(type: String, valid: Bool) throws {
        #expect(ObjectFile.isValidType(type) == valid)
        let text = "id: hq/x\ntype: \"\(type)\"\n"
        if valid {
            #expect(try summaries(text) == [summary("hq/x", type, 1)])
        } else {
            let error = try #require(failure(text))
            #expect(error.line == 1)
            #expect(error.message.contains("type '\(type)'"))
        }
    }

    @Test("ids may not contain spaces or control characters", arguments: ["\"a b\"", "\"a\\tb\"", "\"a\\nb\"", "\"a\\u007fb\"", "' lead'"])
    func badIDCharacters(id: String) throws {
        let error = try #require(failure("type: vav\nid: \(id)\n"))
        #expect(error.line == 1)
        #expect(error.message.contains("'id'"))
    }

    @Test("an empty id is not an id")
    func emptyID() throws {
        // A quoted empty string is not an id either; the error points at the line of the empty id.
        for (text, line) in [("id: \"\"\ntype: vav\n", 1), ("type: vav\nid: ''\n", 2)] {
            let error = failure(text)
            #expect(error?.line == line, "\(text.debugDescription)")
            #expect(error?.message.contains("'id'") == true)
        }
    }

    @Test("the first problem in the file is reported")
    func firstProblemWins() throws {
        let error = try #require(failure("- id: a\n  type: VAV\n- type: vav\n"))
        #expect(error.line == 1)
        #expect(error.message.contains("type 'VAV'"))
    }
}
