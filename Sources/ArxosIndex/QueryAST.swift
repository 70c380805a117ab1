import ArxosModel

/// A comparison between a term and a value.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// Glob match (`*`, `?`, `[…]`), case-sensitive.
    case glob = "~"
    case notGlob = "!~"

    /// Whether the operator orders values (`<`, `<=`, `>`, `>=`).
    var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
    var isGlob: Bool { self == .glob || self == .notGlob }
}

/// A parsed query: conditions on the fields, properties and relations of an object.
public indirect enum QueryExpression: Sendable, Hashable {
    case and(QueryExpression, QueryExpression)
    case or(QueryExpression, QueryExpression)
    case not(QueryExpression)
    /// `PATH OP VALUE`.
    case comparison(QueryPath, ComparisonOperator, QueryValue)
    /// `PATH in (VALUE, …)`, or `PATH not in (…)` when `negated`.
    case membership(QueryPath, [QueryValue], negated: Bool)
    /// `has PATH`: the term has a value.
    case has(QueryPath)

    /// Every path the expression mentions, in order.
    public var paths: [QueryPath] {
        switch self {
        case let .and(a, b), let .or(a, b): a.paths + b.paths
        case let .not(a): a.paths
        case let .comparison(path, _, _), let .membership(path, _, _), let .has(path): [path]
        }
    }
}

/// What a query looks at: a term of the object itself, of its building (`building.region`), or of the objects a
/// relation names (`fedBy->type`), in any chain (`fedBy->building.region`).
public struct QueryPath: Sendable, Hashable, CustomStringConvertible {
    /// One step from an object to others.
    public enum Hop: Sendable, Hashable {
        /// The objects the relation names (`fedBy->`).
        case relation(String)
        /// The object's building (`building.`).
        case building
    }

    /// The term read at the end of the hops.
    public enum Term: Sendable, Hashable {
        case field(QueryField)
        /// A relation read as its ids (`fedBy = 'hq/ahu-1'`: one of them is).
        case relation(String)
        /// A property (or other top-level field), by its indexed name (`maxAirflow`, `setpoints.occupied`).
        case property(String)
    }

    public var hops: [Hop]
    public var term: Term
    /// Where the path starts.
    public var position: QueryPosition
    /// Where the term (after the hops) starts.
    public var termPosition: QueryPosition

    public init(hops: [Hop], term: Term, position: QueryPosition, termPosition: QueryPosition) {
        self.hops = hops; self.term = term; self.position = position; self.termPosition = termPosition
    }

    /// The path as it would be written.
    public var description: String {
        var out = ""
        for hop in hops {
            switch hop {
            case let .relation(name): out += name + "->"
            case .building: out += "building."
            }
        }
        switch term {
        case let .field(field): out += field.rawValue
        case let .relation(name): out += name
        case let .property(name): out += name
        }
        return out
    }
}

/// The columns every indexed object has.
public enum QueryField: String, Sendable, Hashable, CaseIterable {
    case id, type, name, building, floor, file
}

/// A literal in a query.
public struct QueryValue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text(String)
        case number(Double)
        case quantity(Quantity)
        case boolean(Bool)
    }

    public var kind: Kind
    public var position: QueryPosition
    /// Where the unit of a quantity starts (the value's position otherwise).
    public var unitPosition: QueryPosition
    /// The literal as written.
    public var written: String

    public init(kind: Kind, position: QueryPosition, unitPosition: QueryPosition? = nil, written: String) {
        self.kind = kind; self.position = position; self.unitPosition = unitPosition ?? position; self.written = written
    }
}

/// The relations an object may hold, as lists of ids (`location` holds one).
public enum QueryRelations {
    public static let names: [String] = ["feeds", "fedBy", "points", "partOf", "location"]
}
