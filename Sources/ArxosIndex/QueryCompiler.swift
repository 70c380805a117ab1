import ArxosModel

/// What values a property holds in a state (and may hold, per the type table), so that a query can be checked
/// before it runs: a quantity of the wrong dimension or a number without its unit is an error, not an empty answer.
public struct PropertyProfile: Sendable, Hashable {
    /// The dimensions of its quantities.
    public var dimensions: Set<Dimension>
    /// Whether it holds plain numbers (no unit).
    public var numbers: Bool
    /// Whether it holds anything else: text, booleans, dates, lists.
    public var other: Bool

    public init(dimensions: Set<Dimension> = [], numbers: Bool = false, other: Bool = false) {
        self.dimensions = dimensions; self.numbers = numbers; self.other = other
    }

    /// Both profiles' values.
    public func union(_ other: PropertyProfile) -> PropertyProfile {
        PropertyProfile(dimensions: dimensions.union(other.dimensions), numbers: numbers || other.numbers,
                        other: self.other || other.other)
    }
}

/// The property names a query may use, answered by the index and the type table.
public protocol QuerySchema {
    /// What `property` holds; nil when no object has it and the type table does not know it.
    func profile(of property: String) -> PropertyProfile?
    /// A known property name close to `name`, for an error message.
    func suggestion(for name: String) -> String?
}

/// A value bound to a `?` of compiled SQL.
public enum SQLValue: Sendable, Hashable {
    case text(String)
    case real(Double)
    case integer(Int64)
}

/// SQL text with `?` placeholders and their values, in order. Values are never written into the text.
public struct SQLFragment: Sendable, Hashable {
    public var sql: String
    public var arguments: [SQLValue]

    public init(_ sql: String, _ arguments: [SQLValue] = []) { self.sql = sql; self.arguments = arguments }

    static func + (a: SQLFragment, b: SQLFragment) -> SQLFragment { SQLFragment(a.sql + b.sql, a.arguments + b.arguments) }
    static func + (a: SQLFragment, b: String) -> SQLFragment { SQLFragment(a.sql + b, a.arguments) }
    static func + (a: String, b: SQLFragment) -> SQLFragment { SQLFragment(a + b.sql, b.arguments) }
}

/// Turns a `QueryExpression` into an SQL condition over the index's tables (docs/format.md, "The index"): the
/// condition is true for the rows of `object` (alias `o`) the query selects. Pure: the schema is passed in.
public struct QueryCompiler {
    private let schema: any QuerySchema
    private var aliases = 0

    /// The condition over `object o` for `expression`; errors name the column of the term or value at fault.
    public static func compile(_ expression: QueryExpression, schema: any QuerySchema) throws(QueryError) -> SQLFragment {
        var compiler = QueryCompiler(schema: schema)
        return try compiler.condition(expression, on: "o")
    }

    private init(schema: any QuerySchema) { self.schema = schema }

    private mutating func alias(_ prefix: String) -> String {
        aliases += 1
        return "\(prefix)\(aliases)"
    }

    private mutating func condition(_ expression: QueryExpression, on subject: String) throws(QueryError) -> SQLFragment {
        switch expression {
        case let .and(a, b): return "(" + (try condition(a, on: subject)) + " AND " + (try condition(b, on: subject)) + ")"
        case let .or(a, b): return "(" + (try condition(a, on: subject)) + " OR " + (try condition(b, on: subject)) + ")"
        case let .not(a): return "NOT " + (try condition(a, on: subject))
        case let .comparison(path, op, value):
            return try following(path.hops[...], from: subject) { (this: inout QueryCompiler, target: String) throws(QueryError) in
                try this.compare(path, op, value, on: target)
            }
        case let .membership(path, values, negated):
            return try following(path.hops[...], from: subject) { (this: inout QueryCompiler, target: String) throws(QueryError) in
                try this.member(path, values, negated: negated, on: target)
            }
        case let .has(path):
            return try following(path.hops[...], from: subject) { (this: inout QueryCompiler, target: String) throws(QueryError) in
                this.has(path, on: target)
            }
        }
    }

    /// Wraps `leaf` (a condition on one object) in the hops that lead to that object from `subject`.
    private mutating func following(
        _ hops: ArraySlice<QueryPath.Hop>, from subject: String,
        _ leaf: (inout QueryCompiler, String) throws(QueryError) -> SQLFragment
    ) throws(QueryError) -> SQLFragment {
        guard let hop = hops.first else { return try leaf(&self, subject) }
        switch hop {
        case let .relation(name):
            let r = alias("r"), t = alias("t")
            let inner = try following(hops.dropFirst(), from: t, leaf)
            return SQLFragment("EXISTS (SELECT 1 FROM relation \(r) JOIN object \(t) ON \(t).state = \(r).state AND \(t).id = \(r).target WHERE \(r).object = \(subject).num AND \(r).name = ? AND ",
                               [.text(name)]) + inner + ")"
        case .building:
            let b = alias("b")
            let inner = try following(hops.dropFirst(), from: b, leaf)
            return SQLFragment("EXISTS (SELECT 1 FROM object \(b) WHERE \(b).state = \(subject).state AND \(b).id = \(subject).building AND ") + inner + ")"
        }
    }

    // MARK: Terms

    private static let nullable: Set<QueryField> = [.name, .building, .floor]

    private func column(_ field: QueryField, _ subject: String) -> String { "\(subject).\(field.rawValue)" }

    private mutating func compare(_ path: QueryPath, _ op: ComparisonOperator, _ value: QueryValue, on subject: String) throws(QueryError) -> SQLFragment {
        switch path.term {
        case let .field(field):
            let argument = try fieldValue(field, op, value)
            let test = SQLFragment("\(column(field, subject)) \(sqlOperator(op)) ?", [argument])
            return Self.nullable.contains(field) ? "(\(column(field, subject)) IS NOT NULL AND " + test + ")" : test
        case let .relation(name):
            let text = try relationValue(name, value)
            let r = alias("r")
            return SQLFragment("EXISTS (SELECT 1 FROM relation \(r) WHERE \(r).object = \(subject).num AND \(r).name = ? AND \(r).target \(sqlOperator(op)) ?)",
                               [.text(name), .text(text)])
        case let .property(name):
            let profile = try self.profile(name, path)
            let p = alias("p")
            let test = try propertyTest(name, profile, op, value, p)
            return SQLFragment("EXISTS (SELECT 1 FROM property \(p) WHERE \(p).object = \(subject).num AND \(p).name = ? AND ", [.text(name)]) + test + ")"
        }
    }

    private mutating func member(_ path: QueryPath, _ values: [QueryValue], negated: Bool, on subject: String) throws(QueryError) -> SQLFragment {
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        let keyword = negated ? "NOT IN" : "IN"
        switch path.term {
        case let .field(field):
            var arguments = [SQLValue]()
            for value in values { arguments.append(try fieldValue(field, .equal, value)) }
            let test = SQLFragment("\(column(field, subject)) \(keyword) (\(marks))", arguments)
            return Self.nullable.contains(field) ? "(\(column(field, subject)) IS NOT NULL AND " + test + ")" : test
        case let .relation(name):
            var arguments: [SQLValue] = [.text(name)]
            for value in values { arguments.append(.text(try relationValue(name, value))) }
            let r = alias("r")
            return SQLFragment("EXISTS (SELECT 1 FROM relation \(r) WHERE \(r).object = \(subject).num AND \(r).name = ? AND \(r).target \(keyword) (\(marks)))",
                               arguments)
        case let .property(name):
            let profile = try self.profile(name, path)
            let p = alias("p")
            var tests = [SQLFragment]()
            for value in values { tests.append(try propertyTest(name, profile, .equal, value, p)) }
            var any = tests.dropFirst().reduce(tests[0]) { $0 + " OR " + $1 }
            any = (negated ? "NOT (" : "(") + any + ")"
            return SQLFragment("EXISTS (SELECT 1 FROM property \(p) WHERE \(p).object = \(subject).num AND \(p).name = ? AND ", [.text(name)]) + any + ")"
        }
    }

    private mutating func has(_ path: QueryPath, on subject: String) -> SQLFragment {
        switch path.term {
        case let .field(field):
            return SQLFragment(Self.nullable.contains(field) ? "\(column(field, subject)) IS NOT NULL" : "1")
        case let .relation(name):
            let r = alias("r")
            return SQLFragment("EXISTS (SELECT 1 FROM relation \(r) WHERE \(r).object = \(subject).num AND \(r).name = ?)", [.text(name)])
        case let .property(name):
            let p = alias("p")
            return SQLFragment("EXISTS (SELECT 1 FROM property \(p) WHERE \(p).object = \(subject).num AND \(p).name = ?)", [.text(name)])
        }
    }

    // MARK: Values

    private func sqlOperator(_ op: ComparisonOperator) -> String {
        switch op {
        case .equal: "="
        case .notEqual: "<>"
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .glob: "GLOB"
        case .notGlob: "NOT GLOB"
        }
    }

    /// The argument a field is compared with: a number for `floor`, text for the others.
    private func fieldValue(_ field: QueryField, _ op: ComparisonOperator, _ value: QueryValue) throws(QueryError) -> SQLValue {
        if field == .floor {
            if op.isGlob {
                throw QueryError("'\(op.rawValue)' matches text, and floor is a level number; compare it with =, <, >, as in floor >= 3", at: value.position)
            }
            guard case let .number(number) = value.kind else {
                throw QueryError("floor is a level number (ground floor 0); compare it with a number, as in floor >= 3", at: value.position)
            }
            return .real(number)
        }
        guard case let .text(text) = value.kind else {
            throw QueryError("\(field.rawValue) is text; quote the value, as in \(field.rawValue) = '\(Self.unquoted(value))'", at: value.position)
        }
        return .text(text)
    }

    private func relationValue(_ name: String, _ value: QueryValue) throws(QueryError) -> String {
        guard case let .text(text) = value.kind else {
            throw QueryError("\(name) holds object ids; quote the id, as in \(name) = '\(Self.unquoted(value))'", at: value.position)
        }
        return text
    }

    private static func unquoted(_ value: QueryValue) -> String {
        switch value.kind {
        case let .text(text): text
        default: value.written
        }
    }

    private func profile(_ name: String, _ path: QueryPath) throws(QueryError) -> PropertyProfile {
        if let profile = schema.profile(of: name) { return profile }
        let candidates = QueryField.allCases.map(\.rawValue) + QueryRelations.names
        let near = QueryNames.nearest(to: name, among: candidates)
            ?? schema.suggestion(for: name)
        let hint = near.map { "; did you mean '\($0)'?" }
            ?? "; no object of this state has it and the type table does not know it (fields: id, type, name, building, floor, file)"
        throw QueryError("unknown field or property '\(name)'\(hint)", at: path.termPosition)
    }

    /// The test on one property row (alias `p`) for `op value`.
    private func propertyTest(_ name: String, _ profile: PropertyProfile, _ op: ComparisonOperator, _ value: QueryValue,
                              _ p: String) throws(QueryError) -> SQLFragment {
        switch value.kind {
        case let .text(text):
            return SQLFragment("\(p).raw \(sqlOperator(op)) ?", [.text(text)])
        case let .boolean(flag):
            guard op == .equal || op == .notEqual else {
                throw QueryError("true and false compare only with = and !=", at: value.position)
            }
            return SQLFragment("\(p).raw \(sqlOperator(op)) ?", [.text(flag ? "true" : "false")])
        case let .number(number):
            if op.isGlob { throw QueryError("'\(op.rawValue)' matches text; quote the pattern, as in '\(value.written)*'", at: value.position) }
            if !profile.numbers, let dimension = profile.dimensions.sorted(by: { $0.rawValue < $1.rawValue }).first {
                let example = Self.units(of: dimension).first ?? dimension.baseSymbol
                throw QueryError("'\(name)' is \(Self.article(dimension)); give the number a unit, as in \(value.written) \(example)",
                                 at: value.position)
            }
            return SQLFragment("(\(p).unit IS NULL AND \(p).value \(sqlOperator(op)) ?)", [.real(number)])
        case let .quantity(quantity):
            if op.isGlob { throw QueryError("'\(op.rawValue)' matches text; quote the pattern", at: value.position) }
            let dimension = quantity.unit.dimension
            guard !profile.dimensions.isEmpty else {
                let fix = profile.numbers ? "it holds plain numbers; drop the unit '\(quantity.unit.symbol)'" : "compare it with text in quotes"
                throw QueryError("'\(name)' holds no quantities; \(fix)", at: value.unitPosition)
            }
            guard profile.dimensions.contains(where: { $0.converts(to: dimension) }) else {
                let held = profile.dimensions.sorted { $0.rawValue < $1.rawValue }
                let examples = held.flatMap { Self.units(of: $0).prefix(2) }.joined(separator: " or ")
                throw QueryError("'\(name)' is \(held.map(Self.article).joined(separator: " or ")), and '\(quantity.unit.symbol)' is \(Self.article(dimension)) unit; use a unit such as \(examples)",
                                 at: value.unitPosition)
            }
            let dimensions = Dimension.allCases.filter { $0.converts(to: dimension) }.map(\.rawValue)
            let marks = Array(repeating: "?", count: dimensions.count).joined(separator: ", ")
            let base = quantity.base
            // The query's value is exact; a stored value is known to half a unit in its last written digit. In the
            // same unit the numbers decide, as docs/model.md compares quantities.
            let equal = SQLFragment(
                "(CASE WHEN \(p).unit = ? THEN \(p).value = ? ELSE abs(\(p).value - ?) <= \(p).tolerance + 1e-12 * max(abs(\(p).value), ?, \(p).tolerance) END)",
                [.text(quantity.unit.symbol), .real(base), .real(base), .real(abs(base))])
            let test: SQLFragment
            switch op {
            case .equal: test = equal
            case .notEqual: test = "NOT " + equal
            case .less: test = SQLFragment("(\(p).value < ? AND NOT ", [.real(base)]) + equal + ")"
            case .lessOrEqual: test = SQLFragment("(\(p).value < ? OR ", [.real(base)]) + equal + ")"
            case .greater: test = SQLFragment("(\(p).value > ? AND NOT ", [.real(base)]) + equal + ")"
            case .greaterOrEqual: test = SQLFragment("(\(p).value > ? OR ", [.real(base)]) + equal + ")"
            case .glob, .notGlob: test = equal
            }
            return SQLFragment("(\(p).dimension IN (\(marks)) AND ", dimensions.map { .text($0) }) + test + ")"
        }
    }

    /// The canonical symbols of a dimension's units, in table order.
    static func units(of dimension: Dimension) -> [String] {
        UnitTable.all.filter { $0.dimension == dimension }.map(\.symbol)
    }

    /// "an airflow", "a temperature".
    static func article(_ dimension: Dimension) -> String {
        let words: String
        switch dimension {
        case .temperatureDifference: words = "temperature difference"
        case .apparentPower: words = "apparent power"
        default: words = dimension.rawValue
        }
        return ("aeiou".contains(words.prefix(1)) ? "an " : "a ") + words
    }
}

/// Near-miss names for error messages.
enum QueryNames {
    /// The candidate closest to `name`: one that differs only in letter case, or within one edit per three
    /// characters.
    static func nearest(to name: String, among candidates: [String]) -> String? {
        if let same = candidates.first(where: { $0.lowercased() == name.lowercased() }) { return same }
        let limit = max(1, name.count / 3)
        var best: (Int, String)?
        for candidate in candidates {
            let d = distance(name.lowercased(), candidate.lowercased())
            if d <= limit, best.map({ d < $0.0 }) ?? true { best = (d, candidate) }
        }
        return best?.1
    }

    /// Edit distance counting a swap of two neighbouring characters as one edit (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
