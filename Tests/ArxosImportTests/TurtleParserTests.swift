import ArxosImport
import Foundation
import Testing

/// The Turtle reader: the syntax real Brick files use, and clear errors with file:line:column.
@Suite struct TurtleParserTests {
    let ex = "http://example.org/#"
    let brick = "https://brickschema.org/schema/Brick#"

    func parse(_ text: String, file: String = "t.ttl") throws(TurtleError) -> [Triple] {
        try TurtleParser.parse(Array(text.utf8), file: file)
    }

    @Test("prefixes, 'a', ';' and ',' (with a trailing ';'), and both directive styles")
    func predicateAndObjectLists() throws {
        let triples = try parse("""
            @prefix ex: <http://example.org/#> .
            PREFIX brick: <https://brickschema.org/schema/Brick#>
            ex:ahu1 a brick:AHU ;
                brick:feeds ex:vav1 , ex:vav2 ;
            .
            """)
        #expect(triples == [
            Triple(.iri(ex + "ahu1"), Vocabulary.type, .iri(brick + "AHU")),
            Triple(.iri(ex + "ahu1"), brick + "feeds", .iri(ex + "vav1")),
            Triple(.iri(ex + "ahu1"), brick + "feeds", .iri(ex + "vav2")),
        ])
        #expect(triples.map(\.line) == [3, 4, 4])
    }

    @Test("literals: short and long quotes, escapes, language tags, datatypes, numbers, booleans")
    func literals() throws {
        let triples = try parse(#"""
            @prefix ex: <http://example.org/#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            ex:s ex:p "a \"quoted\"\tword\u00E9" , 'single' , """two
            lines "with" quotes""" , '''x''' , "chat"@fr , "38"^^xsd:decimal , "X"^^<http://example.org/#t> ,
                42 , -1.5 , 1e3 , +7 , true , false , "\U0001F600" .
            """#)
        let objects = triples.map(\.object)
        let xsd = Vocabulary.xsd
        #expect(objects == [
            .literal(.init("a \"quoted\"\twordé")), .literal(.init("single")),
            .literal(.init("two\nlines \"with\" quotes")), .literal(.init("x")),
            .literal(.init("chat", language: "fr")), .literal(.init("38", datatype: xsd + "decimal")),
            .literal(.init("X", datatype: ex + "t")),
            .literal(.init("42", datatype: xsd + "integer")), .literal(.init("-1.5", datatype: xsd + "decimal")),
            .literal(.init("1e3", datatype: xsd + "double")), .literal(.init("+7", datatype: xsd + "integer")),
            .literal(.init("true", datatype: xsd + "boolean")), .literal(.init("false", datatype: xsd + "boolean")),
            .literal(.init("😀")),
        ])
    }

    @Test("blank nodes: nested property lists as objects and subjects, labels, empty brackets; collections")
    func blankNodes() throws {
        let triples = try parse("""
            @prefix ex: <http://example.org/#> .
            ex:s ex:p [ ex:value "38" ; ex:unit [ ex:name "VA" ] ] ;
                 ex:q _:x , [] .
            _:x ex:r ex:o .
            [ ex:a ex:b ] ex:c ex:d .
            ex:s ex:list ( ex:one "two" ) .
            """)
        #expect(triples.count == 14)
        let p = try #require(triples.first { $0.predicate == ex + "p" })
        guard case .blank = p.object else { Issue.record("\(p) has no blank object"); return }
        #expect(triples.contains { $0.subject == p.object && $0.predicate == ex + "value" })
        let x = triples.filter { $0.predicate == ex + "q" }.map(\.object)
        #expect(x.count == 2 && x[0] != x[1])
        #expect(triples.contains { $0.subject == x[0] && $0.predicate == ex + "r" }, "the label _:x names one node")
        #expect(triples.contains { $0.predicate == Vocabulary.first && $0.object == .literal(.init("two")) })
        #expect(triples.contains { $0.predicate == Vocabulary.rest && $0.object == .iri(Vocabulary.nilList) })
    }

    @Test("relative IRIs resolve against @base; prefixed names keep escapes and inner dots", arguments: [
        ("@base <http://x.org/a/b> . <c> <p> <#f> .", "http://x.org/a/c", "http://x.org/a/b#f"),
        ("@base <http://x.org/a/b/> . <../c> <p> </root> .", "http://x.org/a/c", "http://x.org/root"),
        ("BASE <http://x.org/> <c?q=1> <p> <//other.org/y> .", "http://x.org/c?q=1", "http://other.org/y"),
        ("@prefix e: <http://x.org/> . e:a.b <p> e:c\\,d .", "http://x.org/a.b", "http://x.org/c,d"),
        ("@prefix : <http://x.org/#> . :1st_Floor <p> :x-y%20z .", "http://x.org/#1st_Floor", "http://x.org/#x-y%20z"),
    ])
    func iris(text: String, subject: String, object: String) throws {
        let triples = try parse(text)
        #expect(triples.first?.subject == .iri(subject))
        #expect(triples.first?.object == .iri(object))
    }

    @Test("a prefix may be redefined; a name ending a statement leaves the dot; comments are skipped")
    func redefinitionAndComments() throws {
        let triples = try parse("""
            @prefix e: <http://one/> . # first
            e:a e:b e:c. # a dot right after a name
            @prefix e: <http://two/> .
            e:a e:b "x#not a comment" .
            """)
        #expect(triples.map(\.subject) == [.iri("http://one/a"), .iri("http://two/a")])
        #expect(triples[1].object == .literal(.init("x#not a comment")))
    }

    @Test("a byte-order mark, CRLF line ends, \\u escapes in IRIs and a last line without a newline")
    func bomAndLineEnds() throws {
        let text = "\u{FEFF}@prefix ex: <http://x.org/\\u00E9/> .\r\nex:a ex:b \"c\" .\r\n# the end\r\nex:d ex:e ex:f ."
        let triples = try parse(text)
        #expect(triples.map(\.subject) == [.iri("http://x.org/é/a"), .iri("http://x.org/é/d")])
        #expect(triples.map(\.line) == [2, 4])
        do {
            _ = try parse("\u{FEFF}@prefix ex: <http://x/> .\r\nex:a ex:b ex:c ;\r\n  ex:d ? .", file: "crlf.ttl")
            Issue.record("no error")
        } catch {
            #expect(error.errorDescription?.hasPrefix("crlf.ttl:3:8: ") == true, "\(error.errorDescription ?? "")")
        }
    }

    @Test("errors name the file, line and column and say what to do", arguments: [
        ("ex:a ex:b ex:c .", "f.ttl:1:1: 'ex:' is not declared"),
        ("@prefix ex: <http://x/> .\nex:a ex:b \"open\n", "f.ttl:2:11: the string that starts here is not closed on its line"),
        ("@prefix ex: <http://x/> .\nex:a ex:b <http://x/y\n", "f.ttl:2:11: the IRI that starts here is not closed"),
        ("@prefix ex: <http://x/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .", "f.ttl:3:1: expected '.' to end the statement"),
        ("@prefix ex: <http://x/> .\nex:a \"lit\" ex:c .", "f.ttl:2:6: expected a predicate"),
        ("@prefix ex: <http://x/> .\nex:a ex:b \"bad \\q\" .", "f.ttl:2:16: '\\q' is not a string escape"),
        ("@prefix ex: <http://x/> .\n  ex:a ex:b [ ex:c ex:d .", "f.ttl:2:25: expected ']' to close the blank node, found '.'"),
        ("@prefix ex <http://x/> .", "f.ttl:1:9: 'ex' is not a keyword or a prefixed name; a prefixed name needs a ':'"),
        ("<http://a> <http://b> ; .", "f.ttl:1:23: expected an object"),
        ("@prefix é: <http://x/> .\né:a é:b é:ç ; é:d ?", "f.ttl:2:19: unexpected '?'"),
    ])
    func errors(text: String, expected: String) {
        do {
            let triples = try parse(text, file: "f.ttl")
            Issue.record("no error; read \(triples)")
        } catch {
            #expect(error.errorDescription?.hasPrefix(expected) == true, "\(error.errorDescription ?? "")")
        }
    }

    @Test("every shared Brick file reads (Fixtures/shared-data/brick)")
    func sharedFiles() throws {
        let directory = BrickSamples.directory
        let names = try #require(try? FileManager.default.contentsOfDirectory(atPath: directory), "no \(directory)")
        var total = 0
        for name in names where name.hasSuffix(".ttl") {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            let triples = try TurtleParser.parse(bytes, file: name)
            #expect(triples.count > 10, "\(name)")
            total += triples.count
        }
        #expect(total > 1_500)
    }
}

/// Where the real Brick samples are: `$ARXOS_BRICK_SAMPLES`, else the copy in `Fixtures/shared-data/brick`.
enum BrickSamples {
    static var directory: String {
        if let path = ProcessInfo.processInfo.environment["ARXOS_BRICK_SAMPLES"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/shared-data/brick").path
    }
}

/// The reader against rdflib, triple for triple, on every shared Brick file (skipped when rdflib is not installed).
@Suite struct TurtleRdflibTests {
    static let script = #"""
        import json, sys
        try:
            import rdflib
        except ImportError:
            sys.exit(3)
        rdflib.NORMALIZE_LITERALS = False  # compare lexical forms as written
        g = rdflib.Graph()
        g.parse(sys.argv[1], format="turtle")
        def term(t):
            if isinstance(t, rdflib.BNode): return None
            if isinstance(t, rdflib.Literal):
                return ["literal", str(t), str(t.datatype) if t.datatype else None, t.language]
            return ["iri", str(t)]
        rows = []
        for s, p, o in g:
            if term(s) is None or term(o) is None: continue
            rows.append([term(s)[1], str(p)] + term(o))
        print(json.dumps({"count": len(g), "rows": rows}))
        """#

    /// One triple without blank nodes as rdflib prints it here.
    static func row(_ triple: Triple) -> [String?]? {
        guard case let .iri(subject) = triple.subject else { return nil }
        switch triple.object {
        case .blank: return nil
        case let .iri(value): return [subject, triple.predicate, "iri", value]
        case let .literal(literal): return [subject, triple.predicate, "literal", literal.lexical, literal.datatype, literal.language]
        }
    }

    @Test("every shared Brick file reads as the graph rdflib reads", arguments:
            ((try? FileManager.default.contentsOfDirectory(atPath: BrickSamples.directory)) ?? []).filter { $0.hasSuffix(".ttl") }.sorted())
    func sameGraph(name: String) throws {
        let path = BrickSamples.directory + "/" + name
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 3 { print("skipping: rdflib is not installed (pip install rdflib)"); return }
        try #require(process.terminationStatus == 0, "python3 failed on \(name)")
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let theirs = Set(try #require(document["rows"] as? [[Any]]).map { $0.map { $0 as? String } })
        let triples = try TurtleParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: name)
        let ours = Set(triples.compactMap(Self.row))
        #expect(Set(triples).count == document["count"] as? Int, "all triples, blank nodes included")
        #expect(ours == theirs, "only ours: \(Array(ours.subtracting(theirs)).prefix(3)); only rdflib: \(Array(theirs.subtracting(ours)).prefix(3))")
        #expect(ours.count > 5)
    }
}
