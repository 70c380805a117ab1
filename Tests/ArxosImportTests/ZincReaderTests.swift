import ArxosImport
import Testing

/// The Zinc reader and writer: the syntax real Haystack servers write (with their warts), errors with
/// file:line:column, and writing then reading back the same values.
@Suite struct ZincReaderTests {
    func read(_ text: String, file: String = "t.zinc") throws(HaystackError) -> HaystackGrid {
        try ZincReader.read(Array(text.utf8), file: file)
    }

    func row(_ grid: HaystackGrid, _ index: Int = 0) -> [String: HaystackValue] {
        var out = [String: HaystackValue]()
        for tag in grid.rows[index].tags { out[tag.name] = tag.value }
        return out
    }

    @Test("a grid with meta, column meta, every scalar kind, empty cells and the rows' lines")
    func scalars() throws {
        let grid = try read(#"""
            ver:"3.0" database:"demo" hisStart:2019-01-01 watch
            id dis:"Id",dis,site,temp,flag,area,when,at,stamp,geo,doc,bin,kind,na
            @p:demo:r:1 "Carytown",,M,72°F,T,3_149ft²,2019-03-12,10:00:00,2019-03-12T23:45:00-04:00 New_York,C(37.555385,-77.486903),`http://x.org/a\`b`,Bin("text/plain"),^elec-meter,NA
            @p:demo:r:2,"Second \"one\"\n\ttab \u00e9 \uD83D\uDE00 \$",,-3.5,F,1e3kW,,23:59:59.125,2018-12-12T22:24:01.714Z UTC,,,,,
            """#)
        #expect(grid.columns == ["id", "dis", "site", "temp", "flag", "area", "when", "at", "stamp", "geo", "doc", "bin", "kind", "na"])
        #expect(grid.meta.map(\.name) == ["ver", "database", "hisStart", "watch"])
        #expect(grid.meta[2].value == .date("2019-01-01") && grid.meta[3].value == .marker)
        #expect(grid.rows.map(\.line) == [3, 4])
        let first = row(grid)
        #expect(first["id"] == .ref("p:demo:r:1", dis: "Carytown"))
        #expect(first["dis"] == nil, "an empty cell is null, and null tags are left out")
        #expect(first["site"] == .marker)
        #expect(first["temp"] == .number(HaystackNumber("72", unit: "°F")))
        #expect(first["flag"] == .bool(true))
        #expect(first["area"] == .number(HaystackNumber("3149", unit: "ft²")), "'_' separates digits")
        #expect(first["when"] == .date("2019-03-12"))
        #expect(first["at"] == .time("10:00:00"))
        #expect(first["stamp"] == .dateTime("2019-03-12T23:45:00-04:00", zone: "New_York"))
        #expect(first["geo"] == .coord(latitude: "37.555385", longitude: "-77.486903"))
        #expect(first["doc"] == .uri("http://x.org/a`b"))
        #expect(first["bin"] == .xstr(type: "Bin", value: "text/plain"))
        #expect(first["kind"] == .symbol("elec-meter"))
        #expect(first["na"] == .na)
        let second = row(grid, 1)
        #expect(second["id"] == .ref("p:demo:r:2", dis: nil))
        #expect(second["dis"] == .string("Second \"one\"\n\ttab é 😀 $"))
        #expect(second["temp"] == .number(HaystackNumber("-3.5")))
        #expect(second["area"] == .number(HaystackNumber("1e3", unit: "kW")))
        #expect(second["at"] == .time("23:59:59.125"))
        #expect(second["stamp"] == .dateTime("2018-12-12T22:24:01.714Z", zone: "UTC"))
        #expect(second["flag"] == .bool(false))
        #expect(second.count == 7)
    }

    @Test("real-world warts: a BOM, CRLF line ends, blank lines, spaces around cells, a file without a final newline, version 2.0")
    func warts() throws {
        let text = "\u{FEFF}\r\nver:\"2.0\"\r\nid, dis , curVal\r\n\r\n@a , \"A\" ,  INF \r\n@b,,-INF°F\r\n@c,\"C\",NaN\r\n\r\n\r\n@d,,0x1F"
        let grid = try read(text)
        #expect(grid.columns == ["id", "dis", "curVal"])
        #expect(grid.rows.count == 4)
        #expect(row(grid)["dis"] == .string("A") && row(grid)["curVal"] == .number(HaystackNumber("INF")))
        #expect(row(grid, 1)["curVal"] == .number(HaystackNumber("-INF", unit: "°F")))
        #expect(row(grid, 2)["curVal"] == .number(HaystackNumber("NaN")))
        #expect(row(grid, 3)["curVal"] == .number(HaystackNumber("31")), "hexadecimal")
        #expect(grid.rows.map(\.line) == [5, 6, 7, 10])
    }

    @Test("lists and dicts (space or comma separated, nested), markers and refs inside them")
    func collections() throws {
        let grid = try read("""
            ver:"3.0"
            id,tags,items
            @a,{dis:"x" site area:10m² ref:@b},[1, "two", @c "C", [M, N], {}]
            @b,{a:1, b:2,c},[]
            """)
        #expect(row(grid)["tags"] == .dict([HaystackTag("dis", .string("x")), HaystackTag("site", .marker),
                                            HaystackTag("area", .number(HaystackNumber("10", unit: "m²"))), HaystackTag("ref", .ref("b", dis: nil))]))
        #expect(row(grid)["items"] == .list([.number(HaystackNumber("1")), .string("two"), .ref("c", dis: "C"), .list([.marker, .null]), .dict([])]))
        #expect(row(grid, 1)["tags"] == .dict([HaystackTag("a", .number(HaystackNumber("1"))), HaystackTag("b", .number(HaystackNumber("2"))), HaystackTag("c", .marker)]))
        #expect(row(grid, 1)["items"] == .list([]))
    }

    @Test("errors name the line and the column and say what to do", arguments: [
        ("ver:\"3.0\"\nid,dis\n@a,\"open\n", "t.zinc:3:4: the string opened here is not closed on its line; add '\"' (write a line break as \\n)"),
        ("ver:\"3.0\"\nid,dis\n@a,Carytown\n", "t.zinc:3:4: 'Carytown' is not a Zinc value; write a string in double quotes (\"Carytown\"), a marker as M, a boolean as T or F"),
        ("ver:\"3.0\"\nid,dis,site\n@a,\"A\"\n", "t.zinc:3:7: the row ends after 2 cells but the grid has 3 columns; add the missing commas (an empty cell is null)"),
        ("ver:\"3.0\"\nid,dis\n@a,\"A\",M\n", "t.zinc:3:7: the row has more cells than the grid's 2 columns; remove the extra cell or add a column"),
        ("ver:\"3.0\"\nid,d\n@a,2019-02-30\n", "t.zinc:3:4: '2019-02-30' is not a date; write a real calendar date as YYYY-MM-DD"),
        ("ver:\"3.0\"\nid,dis\n@a,\"x\\q\"\n", "t.zinc:3:6: '\\q' is not an escape; use \\n, \\t, \\\", \\\\, \\$ or \\uXXXX"),
        ("id,dis\n@a,\"A\"\n", "t.zinc:1:1: a Zinc grid starts with a line such as 'ver:\"3.0\"'; this is not Zinc (for Haystack JSON give --format json)"),
        ("ver:\"3.0\"\nid,dis,id\n", "t.zinc:2:8: column 'id' appears twice; each column needs its own name"),
        ("ver:\"3.0\"\nid,g\n@a,<<\n", "t.zinc:3:4: nested grids ('<<…>>') are not read; remove the cell or export the records without it"),
        ("ver:\"3.0\"\nid,t\n@a,25:00:00\n", "t.zinc:3:4: '25:00:00' is not a time; write hh:mm:ss (24-hour clock)"),
        ("ver:\"3.0\"\nid,l\n@a,[1, 2\n", "t.zinc:3:4: the list opened here is not closed on its line; add ']'"),
        ("ver:\"3.0\"\nid,r\n@a,@\n", "t.zinc:3:4: '@' must be followed by a ref id (letters, digits, '_', ':', '-', '.', '~'), found the end of the line"),
        ("ver:\"3.0\"\nid,dis\n@a \"Å\" x,\"A\"\n", "t.zinc:3:8: expected ',' after the value of column 'id', found 'x'"),
        ("ver:\"3.0\"\nid,c\n@a,C(91,0)\n", "t.zinc:3:6: expected the latitude in decimal degrees (at most 90) in C(latitude,longitude)"),
    ])
    func errors(text: String, expected: String) {
        #expect(throws: HaystackError.self) { try read(text) }
        do {
            _ = try read(text)
        } catch {
            #expect(error.errorDescription == expected)
        }
    }

    @Test("a second grid in the file is refused at its line")
    func secondGrid() {
        #expect(throws: HaystackError(file: "t.zinc", line: 4, column: 1, message: "a second grid starts here; arxos reads one grid per file, so split the file")) {
            try read("ver:\"3.0\"\nid\n@a\nver:\"3.0\"\nid\n@b\n")
        }
    }

    /// Every kind of value the reader knows, for round trips.
    static let allKinds: [HaystackTag] = [
        HaystackTag("id", .ref("p:x:r:1", dis: "Zone \"A\"")),
        HaystackTag("marker", .marker),
        HaystackTag("na", .na),
        HaystackTag("remove", .remove),
        HaystackTag("yes", .bool(true)),
        HaystackTag("no", .bool(false)),
        HaystackTag("plain", .number(HaystackNumber("-12.50"))),
        HaystackTag("unit", .number(HaystackNumber("850", unit: "cfm"))),
        HaystackTag("exp", .number(HaystackNumber("1.5e-3", unit: "inH₂O"))),
        HaystackTag("inf", .number(HaystackNumber("-INF", unit: "°F"))),
        HaystackTag("nan", .number(HaystackNumber("NaN"))),
        HaystackTag("text", .string("line\nnext\t\"q\" \\ $ é 😀 \u{7}")),
        HaystackTag("colon", .string("s:looks prefixed")),
        HaystackTag("uri", .uri("http://example.org/a`b")),
        HaystackTag("ref", .ref("p:x:r:2", dis: nil)),
        HaystackTag("symbol", .symbol("elec-meter")),
        HaystackTag("date", .date("2020-02-29")),
        HaystackTag("time", .time("07:30:00.5")),
        HaystackTag("stamp", .dateTime("2019-03-12T23:45:00-04:00", zone: "New_York")),
        HaystackTag("utc", .dateTime("2020-01-01T00:00:00Z", zone: nil)),
        HaystackTag("geo", .coord(latitude: "37.555385", longitude: "-77.486903")),
        HaystackTag("bin", .xstr(type: "Bin", value: "text/plain")),
        HaystackTag("list", .list([.number(HaystackNumber("1")), .string("x"), .list([]), .marker])),
        HaystackTag("dict", .dict([HaystackTag("a", .marker), HaystackTag("b", .number(HaystackNumber("2", unit: "%"))), HaystackTag("c", .dict([]))])),
    ]

    @Test("the writer's Zinc reads back as the same grid")
    func writerRoundTrip() throws {
        let grid = HaystackGrid(rows: [HaystackRow(tags: Self.allKinds), HaystackRow(tags: [HaystackTag("id", .ref("b", dis: nil))])])
        let text = ZincWriter.write(grid)
        #expect(text.hasPrefix("ver:\"3.0\"\nid,marker,na,"))
        let back = try read(text)
        #expect(back.columns == grid.columns)
        #expect(back.rows.map(\.tags) == grid.rows.map(\.tags), "\(text)")
    }
}
