import ArxosCore
import ArxosModel
import ArxosWorkspace
import GRDB

/// One object a query selected: its columns in the index.
public struct IndexedObject: Sendable, Hashable, Codable {
    public var id: String
    public var type: String
    public var name: String?
    /// The id of the building it belongs to (docs/query.md, "Derived fields").
    public var building: String?
    /// The level number of its floor, ground floor 0.
    public var floor: Int?
    /// The file holding it, relative to the top of the working tree.
    public var file: String

    public init(id: String, type: String, name: String? = nil, building: String? = nil, floor: Int? = nil, file: String) {
        self.id = id; self.type = type; self.name = name; self.building = building; self.floor = floor; self.file = file
    }
}

/// Runs queries (docs/query.md) against the index of a repository, building or updating the index of the state
/// asked for first. The deploy target selector and template selectors call this.
///
/// ```swift
/// let engine = try QueryEngine(repository: repository)
/// let vavs = try engine.select("type = 'vav' and maxAirflow > 800 cfm")            // at HEAD
/// let sites = try engine.buildings(matching: "building.region = 'west'", at: tree)  // the buildings of the matches
/// ```
public struct QueryEngine: Sendable {
    public let repository: Repository
    public let index: ObjectIndex

    /// Opens (creating if needed) the repository's index, `.arxos/index.db`.
    public init(repository: Repository) throws {
        self.init(repository: repository, index: try ObjectIndex(repository: repository))
    }

    public init(repository: Repository, index: ObjectIndex) {
        self.repository = repository
        self.index = index
    }

    /// The tree of a revision (`HEAD`, a branch, a tag, a commit or tree id).
    public func tree(of revision: String) throws -> ObjectID {
        try RevisionResolver(repository: repository).resolveTree(revision)
    }

    /// Makes the rows of `tree` available; the state follows HEAD when `tree` is HEAD's tree.
    @discardableResult
    public func prepare(_ tree: ObjectID) throws -> IndexUpdate {
        let headTree = try? self.tree(of: "HEAD")
        return try index.prepare(tree: tree, in: repository, followHead: headTree == tree)
    }

    /// The objects of `revision`'s state that `expression` selects, in id order.
    public func select(_ expression: String, revision: String = "HEAD") throws -> [IndexedObject] {
        let parsed = try QueryParser.parse(expression)
        return try select(parsed, at: try tree(of: revision))
    }

    /// The objects of the state `tree` that `expression` selects, in id order.
    public func select(_ expression: String, at tree: ObjectID) throws -> [IndexedObject] {
        try select(try QueryParser.parse(expression), at: tree)
    }

    /// The objects of the state `tree` that a parsed query selects, in id order.
    public func select(_ expression: QueryExpression, at tree: ObjectID) throws -> [IndexedObject] {
        let state = try prepare(tree).state
        return try index.read { db in
            let condition = try Self.compile(expression, db: db, state: state)
            return try Row.fetchAll(db, sql: """
                SELECT o.id, o.type, o.name, o.building, o.floor, o.file FROM object o
                WHERE o.state = ? AND \(condition.sql) ORDER BY o.id
                """, arguments: Self.arguments([.integer(state.number)] + condition.arguments)).map(Self.object(row:))
        }
    }

    /// How many objects of the state `tree` the query selects.
    public func count(_ expression: String, at tree: ObjectID) throws -> Int {
        let parsed = try QueryParser.parse(expression)
        let state = try prepare(tree).state
        return try index.read { db in
            let condition = try Self.compile(parsed, db: db, state: state)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM object o WHERE o.state = ? AND \(condition.sql)",
                                    arguments: Self.arguments([.integer(state.number)] + condition.arguments)) ?? 0
        }
    }

    /// The buildings of the objects `expression` selects in the state `tree` (each once, in id order): what a
    /// deployment targets when its selector names equipment, spaces or the buildings themselves.
    public func buildings(matching expression: String, at tree: ObjectID) throws -> [IndexedObject] {
        let parsed = try QueryParser.parse(expression)
        let state = try prepare(tree).state
        return try index.read { db in
            let condition = try Self.compile(parsed, db: db, state: state)
            return try Row.fetchAll(db, sql: """
                SELECT b.id, b.type, b.name, b.building, b.floor, b.file FROM object b
                WHERE b.state = ? AND b.id IN (SELECT o.building FROM object o WHERE o.state = ? AND \(condition.sql))
                ORDER BY b.id
                """, arguments: Self.arguments([.integer(state.number), .integer(state.number)] + condition.arguments))
                .map(Self.object(row:))
        }
    }

    /// The SQL condition of a query against the rows of `state`, checked against what the state holds.
    static func compile(_ expression: QueryExpression, db: Database, state: IndexedState) throws -> SQLFragment {
        let schema = try IndexSchema.load(for: expression, db: db, state: state.number)
        return try QueryCompiler.compile(expression, schema: schema)
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case let .text(text): text
            case let .real(number): number
            case let .integer(number): number
            }
        })
    }

    static func object(row: Row) -> IndexedObject {
        IndexedObject(id: row["id"], type: row["type"], name: row["name"], building: row["building"], floor: row["floor"],
                      file: row["file"])
    }
}

/// The profiles of the properties a query names, from the type table and the rows of one state.
public struct IndexSchema: QuerySchema, Sendable {
    public var profiles: [String: PropertyProfile]
    public var suggestions: [String: String]

    public init(profiles: [String: PropertyProfile], suggestions: [String: String] = [:]) {
        self.profiles = profiles; self.suggestions = suggestions
    }

    public func profile(of property: String) -> PropertyProfile? { profiles[property] }
    public func suggestion(for name: String) -> String? { suggestions[name] }

    /// What the type table says each known property (and lifecycle field) may hold, merged over all types.
    public static let typeTable: [String: PropertyProfile] = {
        var out = [String: PropertyProfile]()
        let table = TypeTable.standard
        let schemas = table.entries.flatMap(\.properties) + table.commonProperties + table.commonFields
        for schema in schemas {
            out[schema.name] = (out[schema.name] ?? PropertyProfile()).union(profile(of: schema.kind))
        }
        return out
    }()

    static func profile(of kind: ValueKind) -> PropertyProfile {
        switch kind {
        case let .quantity(dimensions): PropertyProfile(dimensions: Set(dimensions))
        case .number, .integer: PropertyProfile(numbers: true)
        case .boolean, .date, .string, .reference: PropertyProfile(other: true)
        case let .either(kinds): kinds.map(profile(of:)).reduce(PropertyProfile()) { $0.union($1) }
        }
    }

    /// Profiles for every property `expression` names; a suggestion for each one nothing knows.
    static func load(for expression: QueryExpression, db: Database, state: Int64) throws -> IndexSchema {
        var schema = IndexSchema(profiles: [:])
        var unknown = [String]()
        for path in expression.paths {
            guard case let .property(name) = path.term, schema.profiles[name] == nil else { continue }
            var profile = typeTable[name]
            let rows = try Row.fetchAll(db, sql: """
                SELECT dimension, value IS NOT NULL AS numeric FROM property WHERE state = ? AND name = ?
                GROUP BY dimension, numeric
                """, arguments: [state, name])
            for row in rows {
                let dimension: String? = row["dimension"]
                let numeric: Bool = row["numeric"]
                var found = PropertyProfile()
                if let dimension, let known = Dimension(rawValue: dimension) {
                    found.dimensions = [known]
                } else if numeric {
                    found.numbers = true
                } else {
                    found.other = true
                }
                profile = (profile ?? PropertyProfile()).union(found)
            }
            if let profile { schema.profiles[name] = profile } else { unknown.append(name) }
        }
        if !unknown.isEmpty {
            let names = try String.fetchAll(db, sql: "SELECT DISTINCT name FROM property WHERE state = ?", arguments: [state])
            let candidates = Array(Set(names).union(typeTable.keys)).sorted()
            for name in unknown {
                if let near = QueryNames.nearest(to: name, among: candidates) { schema.suggestions[name] = near }
            }
        }
        return schema
    }
}
