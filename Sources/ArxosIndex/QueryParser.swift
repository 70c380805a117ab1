/// Reads the text of a query into a `QueryExpression` (grammar in docs/query.md). No I/O; the first error stops it
/// with the line and column it is about.
public struct QueryParser {
    private var tokens: [QueryToken]
    private var index = 0

    /// Parses `text`, or throws a `QueryError` naming the column.
    public static func parse(_ text: String) throws(QueryError) -> QueryExpression {
        var parser = QueryParser(tokens: try QueryLexer(text).tokens())
        return try parser.query()
    }

    private init(tokens: [QueryToken]) { self.tokens = tokens }

    static let keywords: Set<String> = ["and", "or", "not", "in", "has", "true", "false"]

    private var current: QueryToken { tokens[index] }
    private var previous: QueryToken? { index > 0 ? tokens[index - 1] : nil }
    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    /// The keyword the current token is (lowercased), if it is one.
    private func keyword(_ token: QueryToken) -> String? {
        guard case let .name(name, quoted) = token.kind, !quoted else { return nil }
        let lower = name.lowercased()
        return Self.keywords.contains(lower) ? lower : nil
    }

    private func isKeyword(_ word: String) -> Bool { keyword(current) == word }

    /// How the current token reads in a message.
    private func shown(_ token: QueryToken) -> String {
        token.kind == .end ? "the end of the query" : "'\(token.text)'"
    }

    private func after() -> String { previous.map { " after '\($0.text)'" } ?? "" }

    private mutating func query() throws(QueryError) -> QueryExpression {
        if current.kind == .end {
            throw QueryError("the query is empty; write a condition such as type = 'vav'", at: current.position)
        }
        let expression = try disjunction()
        switch current.kind {
        case .end: return expression
        case .close: throw QueryError("unbalanced ')': there is no '(' before it", at: current.position)
        default:
            throw QueryError("expected 'and', 'or' or the end of the query\(after()), found \(shown(current))", at: current.position)
        }
    }

    private mutating func disjunction() throws(QueryError) -> QueryExpression {
        var left = try conjunction()
        while isKeyword("or") {
            advance()
            left = .or(left, try conjunction())
        }
        return left
    }

    private mutating func conjunction() throws(QueryError) -> QueryExpression {
        var left = try negation()
        while isKeyword("and") {
            advance()
            left = .and(left, try negation())
        }
        return left
    }

    private mutating func negation() throws(QueryError) -> QueryExpression {
        if isKeyword("not") {
            advance()
            return .not(try negation())
        }
        return try primary()
    }

    private mutating func primary() throws(QueryError) -> QueryExpression {
        let token = current
        switch token.kind {
        case .open:
            advance()
            let inner = try disjunction()
            guard current.kind == .close else {
                if current.kind == .end {
                    throw QueryError("this '(' is not closed; add ')'", at: token.position)
                }
                throw QueryError("expected ')', 'and' or 'or'\(after()), found \(shown(current))", at: current.position)
            }
            advance()
            return inner
        case .close:
            if previous?.kind == .open { throw QueryError("empty parentheses; write a condition inside them", at: token.position) }
            throw QueryError("unbalanced ')': there is no '(' before it", at: token.position)
        case .end:
            throw QueryError("expected a condition\(after())", at: token.position)
        case .name:
            if isKeyword("has") {
                advance()
                return .has(try path(after: "has"))
            }
            if let word = keyword(token) {
                throw QueryError("expected a condition, found the keyword '\(word)'; quote a property of that name in backquotes (`\(word)`)", at: token.position)
            }
            let subject = try path(after: nil)
            return try condition(on: subject)
        default:
            throw QueryError("a condition starts with a field or property, as in type = 'vav'; found \(shown(token))", at: token.position)
        }
    }

    /// What follows a path: an operator and a value, or `in (…)`, or `not in (…)`.
    private mutating func condition(on subject: QueryPath) throws(QueryError) -> QueryExpression {
        if case let .comparison(op) = current.kind {
            let opToken = current
            advance()
            return .comparison(subject, op, try value(after: opToken))
        }
        if isKeyword("in") {
            advance()
            return .membership(subject, try list(), negated: false)
        }
        if isKeyword("not") {
            let notToken = current
            advance()
            guard isKeyword("in") else {
                throw QueryError("expected 'in' after 'not' here; to negate a condition, put 'not' before it", at: notToken.position)
            }
            advance()
            return .membership(subject, try list(), negated: true)
        }
        throw QueryError("expected a comparison (=, !=, <, <=, >, >=, ~, !~), 'in' or 'not in' after '\(subject)', found \(shown(current))",
                         at: current.position)
    }

    private mutating func list() throws(QueryError) -> [QueryValue] {
        guard current.kind == .open else {
            throw QueryError("expected '(' after 'in', as in type in ('vav', 'ahu'); found \(shown(current))", at: current.position)
        }
        let open = current
        advance()
        if current.kind == .close { throw QueryError("the list is empty; write at least one value", at: current.position) }
        var values = [QueryValue]()
        while true {
            values.append(try value(after: previous ?? open))
            switch current.kind {
            case .comma: advance()
            case .close:
                advance()
                return values
            case .end: throw QueryError("this '(' is not closed; add ')'", at: open.position)
            default: throw QueryError("expected ',' or ')' in the list, found \(shown(current))", at: current.position)
            }
        }
    }

    private mutating func value(after token: QueryToken) throws(QueryError) -> QueryValue {
        let value = current
        switch value.kind {
        case let .text(text):
            advance()
            return QueryValue(kind: .text(text), position: value.position, written: value.text)
        case let .number(number, _):
            advance()
            return QueryValue(kind: .number(number), position: value.position, written: value.text)
        case let .quantity(quantity, unitAt):
            advance()
            return QueryValue(kind: .quantity(quantity), position: value.position, unitPosition: unitAt, written: value.text)
        case let .name(name, quoted):
            if !quoted, let word = keyword(value), word == "true" || word == "false" {
                advance()
                return QueryValue(kind: .boolean(word == "true"), position: value.position, written: value.text)
            }
            throw QueryError("'\(name)' is not a value; quote text, as in '\(name)'", at: value.position)
        case .end:
            throw QueryError("expected a value after '\(token.text)'", at: value.position)
        default:
            throw QueryError("expected a value after '\(token.text)', found \(shown(value))", at: value.position)
        }
    }

    /// A path: hops (`fedBy->`, `building.`) then a term (a field, a relation, or a dotted property name).
    private mutating func path(after word: String?) throws(QueryError) -> QueryPath {
        let start = current.position
        var hops = [QueryPath.Hop]()
        while true {
            let token = current
            guard case let .name(name, quoted) = token.kind, quoted || keyword(token) == nil else {
                let place = word.map { " after '\($0)'" } ?? (hops.isEmpty ? "" : after())
                throw QueryError("expected a field or property\(place), found \(shown(token))", at: token.position)
            }
            advance()
            if current.kind == .arrow {
                guard !quoted, QueryRelations.names.contains(name) else {
                    let fix = name == "building" ? "; write building.NAME for the building's fields and properties" : ""
                    throw QueryError("'\(name)' is not a relation; '->' follows feeds, fedBy, points, partOf or location\(fix)", at: token.position)
                }
                hops.append(.relation(name))
                advance()
                continue
            }
            if !quoted, name == "building", current.kind == .dot {
                hops.append(.building)
                advance()
                continue
            }
            // The term: NAME, or NAME.NAME… (a nested property, or properties.NAME).
            var segments = [name]
            var firstDot: QueryPosition?
            while current.kind == .dot {
                firstDot = firstDot ?? current.position
                advance()
                guard case let .name(part, _) = current.kind else {
                    throw QueryError("expected a name after '.', found \(shown(current))", at: current.position)
                }
                segments.append(part)
                advance()
            }
            let term: QueryPath.Term
            if segments.count == 1 {
                if !quoted, let field = QueryField(rawValue: name) {
                    term = .field(field)
                } else if !quoted, QueryRelations.names.contains(name) {
                    term = .relation(name)
                } else {
                    term = .property(name)
                }
            } else if !quoted, name == "properties" {
                term = .property(segments.dropFirst().joined(separator: "."))
            } else if !quoted, QueryField(rawValue: name) != nil || QueryRelations.names.contains(name), let firstDot {
                throw QueryError("'\(name)' has no parts; only building.NAME and properties.NAME take a '.'", at: firstDot)
            } else {
                term = .property(segments.joined(separator: "."))
            }
            return QueryPath(hops: hops, term: term, position: start, termPosition: token.position)
        }
    }
}
