import ArxosModel
import Foundation
import Testing

/// `ObjectWriter` writes the files a merge rewrites: what it writes must read back as exactly the same values.
@Suite struct ObjectWriterTests {
    /// Writes every file of `directory` again and checks each object reads back field for field (plain and quoted
    /// scalars included), in the same layout.
    func roundTrip(_ directory: String) throws -> Int {
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") }.sorted() ?? []
        var checked = 0
        for file in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
            let objects = try ArxObject.objects(path: file, bytes: bytes)
            let layout = FileLayout.of(bytes)
            let text = ObjectWriter.file(objects.map(\.fields), layout: layout, header: FileLayout.header(of: bytes))
            let again = try ArxObject.objects(path: file, bytes: Array(text.utf8))
            #expect(again.map(\.fields) == objects.map(\.fields), "\(file) does not read back the same:\n\(text)")
            #expect(FileLayout.of(Array(text.utf8)) == layout || objects.count != 1, "\(file) changed layout")
            checked += objects.count
        }
        return checked
    }

    @Test func smallBuildingReadsBackTheSame() throws {
        #expect(try roundTrip(packageRoot + "/Fixtures/small-building") >= 20)
    }

    @Test func haystackModelReadsBackTheSame() throws {
        let output = NSTemporaryDirectory() + "/arxos-writer-haystack-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try run(["python3", packageRoot + "/Fixtures/generate-from-haystack.py", output])
        #expect(try roundTrip(output) >= 20)
    }

    @Test("awkward scalars are quoted so they read back as the same text", arguments: [
        "", " leading space", "trailing space ", "a: b", "# not a comment", "x #y", "- item", "[flow]", "{map}",
        "@at", "`tick", "%percent", "!tag", "&anchor", "*alias", "|pipe", ">fold", "'single'", "\"double\"",
        "line\nbreak", "tab\there", "---", "...", "ünïcødé °C", "yes", "null", "0123", "1e3", "key:", "?question",
    ])
    func awkwardScalars(_ text: String) throws {
        for plain in [true, false] where !(plain && text.isEmpty) {
            let fields = [ModelValue.Field(key: "id", value: .scalar("x", plain: true)),
                          ModelValue.Field(key: "type", value: .scalar("point", plain: true)),
                          ModelValue.Field(key: "value", value: .scalar(text, plain: plain)),
                          ModelValue.Field(key: "list", value: .list([.scalar(text, plain: plain), .scalar("b", plain: true)]))]
            let written = ObjectWriter.file([fields], layout: .single)
            let again = try #require(try ArxObject.objects(path: "t.yaml", bytes: Array(written.utf8)).first)
            #expect(again["value"]?.text == text, "wrote:\n\(written)")
            #expect(again["list"]?.idList?.first == text, "wrote:\n\(written)")
            #expect(ModelValue.parse(ObjectWriter.inline(.scalar(text, plain: plain)))?.text == text)
        }
    }

    @Test func layoutsArePreserved() throws {
        let one = [ModelValue.Field(key: "id", value: .scalar("a", plain: true)), .init(key: "type", value: .scalar("room", plain: true))]
        let two = [ModelValue.Field(key: "id", value: .scalar("b", plain: true)), .init(key: "type", value: .scalar("room", plain: true))]
        #expect(ObjectWriter.file([one], layout: .single) == "id: a\ntype: room\n")
        #expect(ObjectWriter.file([one, two], layout: .list) == "- id: a\n  type: room\n\n- id: b\n  type: room\n")
        #expect(ObjectWriter.file([one, two], layout: .documents) == "id: a\ntype: room\n---\nid: b\ntype: room\n")
        #expect(FileLayout.of(Array("- id: a\n  type: room\n".utf8)) == .list)
        #expect(FileLayout.of(Array("id: a\ntype: room\n---\nid: b\ntype: room\n".utf8)) == .documents)
        #expect(FileLayout.header(of: Array("# VAVs\n\n- id: a\n".utf8)) == "# VAVs\n\n")
    }
}
