import ArxosImport
import Testing

/// Haystack JSON in both encodings (Haystack 3 strings with prefixes, Hayson objects with `_kind`): reading, telling
/// them apart, errors with line:column, and writing back.
@Suite struct HaystackJSONTests {
    func read(_ text: String) throws(HaystackError) -> (grid: HaystackGrid, encoding: HaystackJSONEncoding) {
        try HaystackJSONReader.read(Array(text.utf8), file: "g.json")
    }

    func tags(_ grid: HaystackGrid, _ index: Int = 0) -> [String: HaystackValue] {
        var out = [String: HaystackValue]()
        for tag in grid.rows[index].tags { out[tag.name] = tag.value }
        return out
    }

    @Test("Haystack 3 JSON: every prefix, plain JSON numbers and booleans, strings without a prefix, nulls left out")
    func version3() throws {
        let (grid, encoding) = try read(#"""
            {"meta": {"ver": "3.0"}, "cols": [{"name": "id"}, {"name": "dis"}],
             "rows": [
              {"id": "r:p:demo:r:23a44701-a89a6c66 Carytown", "dis": "Carytown", "site": "m:", "area": "n:3149 ft²",
               "curVal": "n:840.5367088075697 kW", "count": 3, "flag": false, "empty": null, "na": "z:", "rm": "-:",
               "geoCoord": "c:37.555385,-77.486903", "start": "h:10:00:00", "hisEnd": "t:2019-03-12T23:45:00-04:00 New_York",
               "day": "d:2019-03-12", "doc": "u:http://x.org", "bin": "x:Bin:text/plain", "sym": "y:elec-meter",
               "s": "s:n:not a number", "plain": "New_York", "inf": "n:-INF", "list": ["m:", "n:1"], "nested": {"a": "r:b"}}
             ]}
            """#)
        #expect(encoding == .v3)
        #expect(grid.columns == ["id", "dis"])
        let row = tags(grid)
        #expect(row["id"] == .ref("p:demo:r:23a44701-a89a6c66", dis: "Carytown"))
        #expect(row["site"] == .marker && row["na"] == .na && row["rm"] == .remove)
        #expect(row["area"] == .number(HaystackNumber("3149", unit: "ft²")))
        #expect(row["curVal"] == .number(HaystackNumber("840.5367088075697", unit: "kW")))
        #expect(row["count"] == .number(HaystackNumber("3")) && row["flag"] == .bool(false))
        #expect(row["empty"] == nil)
        #expect(row["geoCoord"] == .coord(latitude: "37.555385", longitude: "-77.486903"))
        #expect(row["start"] == .time("10:00:00"))
        #expect(row["hisEnd"] == .dateTime("2019-03-12T23:45:00-04:00", zone: "New_York"))
        #expect(row["day"] == .date("2019-03-12") && row["doc"] == .uri("http://x.org"))
        #expect(row["bin"] == .xstr(type: "Bin", value: "text/plain") && row["sym"] == .symbol("elec-meter"))
        #expect(row["s"] == .string("n:not a number") && row["plain"] == .string("New_York"))
        #expect(row["inf"] == .number(HaystackNumber("-INF")))
        #expect(row["list"] == .list([.marker, .number(HaystackNumber("1"))]))
        #expect(row["nested"] == .dict([HaystackTag("a", .ref("b", dis: nil))]))
    }

    @Test("Hayson: objects with _kind, plain strings kept as they are, a bare array of records")
    func hayson() throws {
        let (grid, encoding) = try read(#"""
            [{"id": {"_kind": "ref", "val": "a", "dis": "A"}, "site": {"_kind": "marker"},
              "temp": {"_kind": "number", "val": 72, "unit": "°F"}, "n": 5, "inf": {"_kind": "number", "val": "INF"},
              "s": "m:not a marker", "d": {"_kind": "date", "val": "2020-01-01"}, "t": {"_kind": "time", "val": "08:00:00"},
              "dt": {"_kind": "dateTime", "val": "2020-01-01T08:00:00-05:00", "tz": "New_York"},
              "c": {"_kind": "coord", "lat": 1.5, "lng": -2}, "u": {"_kind": "uri", "val": "http://x"},
              "x": {"_kind": "xstr", "type": "Span", "val": "today"}, "y": {"_kind": "symbol", "val": "ahu"},
              "na": {"_kind": "na"}, "dict": {"inner": {"_kind": "marker"}, "k": "v"}, "list": [{"_kind": "ref", "val": "@b"}]}]
            """#)
        #expect(encoding == .hayson)
        let row = tags(grid)
        #expect(row["id"] == .ref("a", dis: "A") && row["site"] == .marker)
        #expect(row["temp"] == .number(HaystackNumber("72", unit: "°F")) && row["n"] == .number(HaystackNumber("5")))
        #expect(row["inf"] == .number(HaystackNumber("INF")))
        #expect(row["s"] == .string("m:not a marker"), "Hayson strings have no prefixes")
        #expect(row["d"] == .date("2020-01-01") && row["t"] == .time("08:00:00"))
        #expect(row["dt"] == .dateTime("2020-01-01T08:00:00-05:00", zone: "New_York"))
        #expect(row["c"] == .coord(latitude: "1.5", longitude: "-2") && row["u"] == .uri("http://x"))
        #expect(row["x"] == .xstr(type: "Span", value: "today") && row["y"] == .symbol("ahu") && row["na"] == .na)
        #expect(row["dict"] == .dict([HaystackTag("inner", .marker), HaystackTag("k", .string("v"))]))
        #expect(row["list"] == .list([.ref("b", dis: nil)]), "a leading '@' in a Hayson ref is a wart, read past")
        #expect(grid.columns.first == "id")
    }

    @Test("errors name the line and column of the JSON value at fault", arguments: [
        ("{\"rows\": [\n  {\"id\": \"r:a\", \"v\": \"n:abc\"}\n]}", "g.json:2:22: \"n:abc\" is not a Haystack number; write \"n:72\" or \"n:72 °F\""),
        ("{\"rows\": [\n  {\"id\": \"r:a\", \"d\": \"d:2019-13-01\"}\n]}", "g.json:2:22: \"d:2019-13-01\" is not a date; write \"d:YYYY-MM-DD\""),
        ("{\"rows\": [\n  {\"id\": \"r:a\" \"v\": 1}\n]}", "g.json:2:16: expected ',' or '}' after a value in an object, found '\"'"),
        ("{\"rows\": [\n  {\"id\": \"r:a\", \"v\": \"open\n}]}", "g.json:2:22: the string opened here is not closed on its line; add '\"'"),
        ("{\"rows\": [{\"id\": {\"_kind\": \"reff\", \"val\": \"a\"}}]}", "g.json:1:28: \"reff\" is not a Haystack kind; Hayson knows marker, na, remove, number, ref, symbol, date, time, dateTime, uri, coord, xstr, dict and grid"),
        ("{\"meta\": {\"ver\": \"3.0\"}}", "g.json:1:1: expected a Haystack grid: a JSON object with \"rows\" (and \"meta\", \"cols\"), or an array of records"),
        ("ver:\"3.0\"\nid\n", "g.json:1:1: expected a JSON object or array, found 'v'; this is not Haystack JSON (for Zinc give --format zinc)"),
        ("{\"rows\": [1]}", "g.json:1:11: a row must be a JSON object of tags"),
        ("{\"rows\": [{\"id\": \"r:a\", \"n\": 012}]}", "g.json:1:30: a JSON number does not start with 0 followed by digits"),
        ("{\"rows\": []} x", "g.json:1:14: unexpected 'x' after the end of the JSON document"),
    ])
    func errors(text: String, expected: String) {
        #expect(throws: HaystackError.self) { try read(text) }
        do {
            _ = try read(text)
        } catch {
            #expect(error.errorDescription == expected)
        }
    }

    @Test("Hayson and Haystack 3 JSON written by the writer read back as the same grid", arguments: HaystackJSONEncoding.allCases)
    func writerRoundTrip(encoding: HaystackJSONEncoding) throws {
        let grid = HaystackGrid(rows: [HaystackRow(tags: ZincReaderTests.allKinds), HaystackRow(tags: [HaystackTag("id", .ref("b", dis: nil))])])
        let text = HaystackJSONWriter.write(grid, encoding: encoding)
        let back = try read(text)
        #expect(back.encoding == encoding)
        #expect(back.grid.columns == grid.columns)
        #expect(back.grid.rows.map(\.tags) == grid.rows.map(\.tags), "\(text)")
    }

    @Test("a Haystack number in plain decimal notation, exponents applied without losing digits", arguments: [
        ("1e3", "1000"), ("1.5E-2", "0.015"), ("-2.5e1", "-25"), ("12.340e-5", "0.0001234"), ("7", "7"), ("INF", "INF"),
        ("1.0e0", "1"), ("-0e5", "0"), ("123456789.123456789e2", "12345678912.3456789"),
    ])
    func plainNumbers(text: String, plain: String) {
        #expect(HaystackNumber(text).plainText == plain)
    }
}
