@testable import ArxosIndex
import ArxosModel
import Testing

/// A schema for compiler tests: the type table plus a few properties of the fixtures.
private let schema = IndexSchema(profiles: IndexSchema.typeTable.merging([
    "region": PropertyProfile(other: true),
    "reheat": PropertyProfile(other: true),
    "level": PropertyProfile(numbers: true),
    "covIncrement": PropertyProfile(dimensions: [.temperature, .airflow]),
]) { $1 }, suggestions: ["maxAirflw": "maxAirflow"])

private func compile(_ text: String) throws -> SQLFragment {
    try QueryCompiler.compile(try QueryParser.parse(text), schema: schema)
}

/// The error a query gives, parsing then compiling.
private func failure(_ text: String) -> QueryError? {
    do {
        _ = try compile(text)
        return nil
    } catch let error as QueryError {
        return error
    } catch {
        return nil
    }
}

@Suite struct QueryLexerTests {
    @Test("operators, names, text, numbers and quantities")
    func tokens() throws {
        let tokens = try QueryLexer("a = 'x' and b != \"y\" or c < 1 <= 2 > -3.5 >= 4 ~ 'g*' !~ 'h' == <> -> . , ( )").tokens()
        let kinds = tokens.map(\.kind)
        #expect(kinds.contains(.comparison(.equal)))
        #expect(kinds.contains(.comparison(.notEqual)))
        #expect(kinds.contains(.comparison(.less)))
        #expect(kinds.contains(.comparison(.lessOrEqual)))
        #expect(kinds.contains(.comparison(.greater)))
        #expect(kinds.contains(.comparison(.greaterOrEqual)))
        #expect(kinds.contains(.comparison(.glob)))
        #expect(kinds.contains(.comparison(.notGlob)))
        #expect(kinds.filter { $0 == .comparison(.equal) }.count == 2, "== reads as =")
        #expect(kinds.filter { $0 == .comparison(.notEqual) }.count == 2, "<> reads as !=")
        #expect(kinds.contains(.number(-3.5, decimals: 1)))
        #expect(kinds.contains(.text("x")) && kinds.contains(.text("y")))
        #expect(kinds.suffix(6) == [.arrow, .dot, .comma, .open, .close, .end])
    }

    @Test("a unit after a number makes a quantity, with or without a space, in one or two words", arguments: [
        ("800 cfm", "cfm", 800.0), ("70°F", "°F", 70), ("21.5 degC", "°C", 21.5), ("0.5 in wc", "inH₂O", 0.5),
        ("2 delta F", "Δ°F", 2), ("10 L/s", "L/s", 10), ("-3 °C", "°C", -3), ("5 KW", "kW", 5),
    ])
    func quantities(text: String, unit: String, value: Double) throws {
        let tokens = try QueryLexer("x > \(text) and y = 1").tokens()
        guard case let .quantity(quantity, _) = tokens[2].kind else {
            Issue.record("'\(text)' lexed as \(tokens[2].kind)")
            return
        }
        #expect(quantity.unit.symbol == unit)
        #expect(quantity.value == value)
        #expect(tokens[3].kind == .name("and", quoted: false))
    }

    @Test("doubled quotes in text, backquoted names")
    func quoting() throws {
        let tokens = try QueryLexer("`odd-name` = 'it''s'").tokens()
        #expect(tokens[0].kind == .name("odd-name", quoted: true))
        #expect(tokens[2].kind == .text("it's"))
    }

    @Test("columns count characters, not bytes")
    func columns() throws {
        let tokens = try QueryLexer("name = 'Café' and x").tokens()
        #expect(tokens[3].position == QueryPosition(line: 1, column: 15))
    }
}

@Suite struct QueryParserTests {
    @Test("and binds tighter than or; not binds tightest; parentheses group")
    func precedence() throws {
        let a = QueryPath(hops: [], term: .field(.type), position: QueryPosition(line: 1, column: 1),
                          termPosition: QueryPosition(line: 1, column: 1))
        let parsed = try QueryParser.parse("type = 'a' or not type = 'b' and (type = 'c' or type = 'd')")
        guard case let .or(left, right) = parsed else { Issue.record("\(parsed)"); return }
        guard case let .comparison(path, .equal, value) = left else { Issue.record("\(left)"); return }
        #expect(path.term == a.term && value.kind == .text("a"))
        guard case let .and(negated, grouped) = right, case .not = negated, case .or = grouped else {
            Issue.record("\(right)")
            return
        }
    }

    @Test("paths: fields, properties, building., properties., relations and chains")
    func paths() throws {
        func path(_ text: String) throws -> QueryPath {
            guard case let .has(path) = try QueryParser.parse("has " + text) else { throw QueryError("no path", at: .init(line: 1, column: 1)) }
            return path
        }
        #expect(try path("floor").term == .field(.floor))
        #expect(try path("maxAirflow").term == .property("maxAirflow"))
        #expect(try path("properties.type").term == .property("type"))
        #expect(try path("setpoints.occupied").term == .property("setpoints.occupied"))
        #expect(try path("fedBy").term == .relation("fedBy"))
        let region = try path("building.region")
        #expect(region.hops == [.building] && region.term == .property("region"))
        #expect(try path("building").hops.isEmpty)
        let chain = try path("fedBy->building.name")
        #expect(chain.hops == [.relation("fedBy"), .building] && chain.term == .field(.name))
        #expect(try path("`in`").term == .property("in"))
    }

    @Test("in, not in, has, booleans")
    func forms() throws {
        guard case let .membership(_, values, negated) = try QueryParser.parse("type not in ('a', 'b')") else {
            Issue.record("not a membership"); return
        }
        #expect(values.map(\.kind) == [.text("a"), .text("b")] && negated)
        guard case let .comparison(_, _, value) = try QueryParser.parse("occupied = TRUE") else { Issue.record("no comparison"); return }
        #expect(value.kind == .boolean(true))
    }

    @Test("syntax errors name the column", arguments: [
        ("maxAirflow > ", 14, "expected a value after '>'"),
        ("(type = 'vav'", 1, "this '(' is not closed; add ')'"),
        ("type = 'vav')", 13, "unbalanced ')'"),
        ("type = 'vav' and", 17, "expected a condition after 'and'"),
        ("type 'vav'", 6, "expected a comparison"),
        ("type = vav", 8, "'vav' is not a value; quote text, as in 'vav'"),
        ("name = 'open", 8, "this text is not closed"),
        ("maxAirflow > 800 cfn", 18, "'cfn' is not a known unit; did you mean 'cfm'?"),
        ("type in 'vav'", 9, "expected '(' after 'in'"),
        ("type in ('a' 'b')", 14, "expected ',' or ')' in the list"),
        ("", 1, "the query is empty"),
        ("ahu->type = 'x'", 1, "'ahu' is not a relation"),
        ("floor.level = 1", 6, "'floor' has no parts"),
        ("type = 'a' type = 'b'", 12, "expected 'and', 'or' or the end of the query"),
        ("x = 1,200", 5, "not a number this reads"),
        ("type ! 'a'", 6, "'!' must be followed by '=' or '~'"),
        ("()", 2, "empty parentheses"),
    ])
    func syntaxErrors(text: String, column: Int, message: String) {
        do {
            _ = try QueryParser.parse(text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.position.column == column, "\(error.localizedDescription)")
            #expect(error.message.contains(message), "\(error.localizedDescription)")
            #expect(error.errorDescription?.hasPrefix("query:1:\(column): ") == true)
        }
    }
}

@Suite struct QueryCompilerTests {
    @Test("every comparison operator on a field becomes its SQL operator with the value as a parameter", arguments: [
        ("=", "="), ("!=", "<>"), ("<", "<"), ("<=", "<="), (">", ">"), (">=", ">="), ("~", "GLOB"), ("!~", "NOT GLOB"),
    ])
    func fieldOperators(op: String, sql: String) throws {
        let fragment = try compile("id \(op) 'hq/vav-1*'")
        #expect(fragment.sql == "o.id \(sql) ?")
        #expect(fragment.arguments == [.text("hq/vav-1*")])
    }

    @Test("values are never written into the SQL, even with quotes in them")
    func parameters() throws {
        let fragment = try compile("name = 'x''; DROP TABLE object; --' or building.region = 'west'")
        #expect(!fragment.sql.contains("DROP"))
        #expect(!fragment.sql.contains("west"))
        #expect(fragment.arguments.contains(.text("x'; DROP TABLE object; --")))
        #expect(fragment.arguments.contains(.text("west")))
    }

    @Test("a nullable field is tested for a value first, so 'not' stays two-valued")
    func nullable() throws {
        #expect(try compile("floor >= 3").sql == "(o.floor IS NOT NULL AND o.floor >= ?)")
        #expect(try compile("not name = 'x'").sql == "NOT (o.name IS NOT NULL AND o.name = ?)")
        #expect(try compile("type in ('a', 'b')").sql == "o.type IN (?, ?)")
        #expect(try compile("building not in ('a')").sql == "(o.building IS NOT NULL AND o.building NOT IN (?))")
    }

    @Test("°F is converted to kelvin, the base the index stores °C values in")
    func fahrenheit() throws {
        let fragment = try compile("zoneTempSetpoint >= 70 °F")
        #expect(fragment.sql.contains("p1.dimension IN (?)"))
        #expect(fragment.arguments.first == .text("zoneTempSetpoint"))
        let reals = fragment.arguments.compactMap { value -> Double? in if case let .real(x) = value { return x }; return nil }
        let kelvin = (70 - 32) * 5.0 / 9.0 + 273.15
        #expect(reals.contains { abs($0 - kelvin) < 1e-9 }, "\(reals)")
        // 21.1 °C stored is 294.25 ± 0.05 K; 70 °F is 294.26 K: the same amount at the stored value's precision.
        #expect(abs(kelvin - (21.1 + 273.15)) < 0.05)
        #expect(fragment.sql.contains("p1.tolerance"), "equality allows for the stored value's precision")
    }

    @Test("cfm and L/s are airflow, and airflow accepts a gpm flow: both dimensions are searched")
    func flowDimensions() throws {
        let fragment = try compile("maxAirflow > 800 cfm")
        #expect(fragment.sql.contains("dimension IN (?, ?)"))
        #expect(fragment.arguments.contains(.text("airflow")) && fragment.arguments.contains(.text("flow")))
    }

    @Test("relation traversal, building properties, has and relations as ids")
    func traversal() throws {
        let fed = try compile("fedBy->type = 'ahu'")
        #expect(fed.sql.hasPrefix("EXISTS (SELECT 1 FROM relation r1 JOIN object t2"))
        #expect(fed.arguments == [.text("fedBy"), .text("ahu")])
        let region = try compile("building.region = 'west'")
        #expect(region.sql.contains("b1.id = o.building"))
        #expect(region.arguments == [.text("region"), .text("west")])
        #expect(try compile("has maxAirflow").arguments == [.text("maxAirflow")])
        #expect(try compile("fedBy = 'hq/ahu-1'").sql.contains("r1.target = ?"))
        #expect(try compile("has building").sql == "o.building IS NOT NULL")
    }

    @Test("compile errors name the column", arguments: [
        ("maxAirflw > 800 cfm", 1, "unknown field or property 'maxAirflw'; did you mean 'maxAirflow'?"),
        ("tpye = 'vav'", 1, "did you mean 'type'?"),
        ("zoneTempSetpoint >= 70 cfm", 24, "'zoneTempSetpoint' is a temperature, and 'cfm' is an airflow unit; use a unit such as °C or °F"),
        ("type = 'vav' and maxAirflow > 800", 31, "'maxAirflow' is an airflow; give the number a unit, as in 800 cfm"),
        ("floor = 'two'", 9, "floor is a level number"),
        ("type = 3", 8, "type is text; quote the value"),
        ("region = 3 m", 12, "'region' holds no quantities"),
        ("level = 3 m", 11, "drop the unit 'm'"),
        ("occupied < true", 12, "true and false compare only with = and !="),
        ("fedBy->colour = 'red'", 8, "unknown field or property 'colour'"),
        ("floor ~ '1*'", 9, "floor is a level number"),
        ("fedBy = 3", 9, "fedBy holds object ids"),
    ])
    func compileErrors(text: String, column: Int, message: String) {
        guard let error = failure(text) else { Issue.record("'\(text)' compiled"); return }
        #expect(error.position.column == column, "\(error.localizedDescription)")
        #expect(error.message.contains(message), "\(error.localizedDescription)")
    }

    @Test("has needs no known property: it answers 'none' rather than failing")
    func hasUnknown() throws {
        #expect(try compile("has colour").arguments == [.text("colour")])
    }
}
