import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
import GRDB

/// One state (a tree) the index holds rows for.
public struct IndexedState: Sendable, Hashable {
    /// The state's number, the `state` column of its rows.
    public var number: Int64
    /// The root tree the rows describe.
    public var tree: ObjectID
    /// Whether this state follows HEAD: after a capture it is updated in place to the new tree.
    public var followsHead: Bool
    public var objects: Int
    public var files: Int
    /// When the rows were last built or updated (Unix seconds).
    public var updated: Double
}

/// What `ObjectIndex.prepare` did to make a state available, and how many rows it touched.
public struct IndexUpdate: Sendable, Hashable {
    public enum How: String, Sendable {
        /// The state was already indexed; nothing was written.
        case cached
        /// Every object of the state was read and written.
        case built
        /// The rows of another state were updated to this one, touching only the objects that differ.
        case updated
    }

    public var how: How
    public var state: IndexedState
    /// Blobs read and parsed.
    public var filesRead = 0
    /// Object rows written: new objects and new versions of changed ones.
    public var objectsWritten = 0
    /// Object rows deleted: removed objects and old versions of changed ones.
    public var objectsDeleted = 0
    /// Rows of other objects whose derived `building` or `floor` changed with them.
    public var derivedUpdated = 0
}

/// The SQLite index of the objects of states (`.arxos/index.db`, a cache: docs/format.md, "The index"). One
/// `DatabasePool` in WAL mode with a busy timeout, so a query and a capture in two processes wait for each other
/// instead of failing. Rows are keyed by state; a state is cached by its tree id.
public final class ObjectIndex: Sendable {
    /// The file name under `.arxos/`.
    public static let fileName = "index.db"
    /// States kept besides the one following HEAD; the least recently updated goes first.
    public static let keptStates = 3

    public let path: String
    let pool: DatabasePool

    /// The index file of a repository.
    public static func path(in repository: Repository) -> String { repository.root + "/" + fileName }

    /// Whether the repository has an index file (a repository that never queried has none).
    public static func exists(in repository: Repository) -> Bool {
        FileManager.default.fileExists(atPath: path(in: repository))
    }

    /// Opens the index at `path`, creating it if missing, and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "arxos.index"
        configuration.prepareDatabase { db in
            // A cache: losing the last transactions to a power cut only costs a rebuild.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let superseded = try pool.read { db in try Self.migrator.hasBeenSuperseded(db) }
            if superseded { throw IndexError.newerSchema(path: path) }
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw IndexError.unreadable(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// Opens (or creates) the index of a repository.
    public convenience init(repository: Repository) throws {
        try self.init(path: Self.path(in: repository))
    }

    /// Removes the index file of a repository and its WAL files.
    public static func remove(in repository: Repository) throws {
        let base = path(in: repository)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: base + suffix) {
            try FileManager.default.removeItem(atPath: base + suffix)
        }
    }

    /// The schema. A released migration never changes; new ones are added after it.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE state (
                    num INTEGER PRIMARY KEY,
                    tree TEXT NOT NULL UNIQUE,
                    followsHead INTEGER NOT NULL DEFAULT 0,
                    objects INTEGER NOT NULL DEFAULT 0,
                    files INTEGER NOT NULL DEFAULT 0,
                    updated REAL NOT NULL
                );
                CREATE TABLE object (
                    num INTEGER PRIMARY KEY,
                    state INTEGER NOT NULL,
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    name TEXT,
                    file TEXT NOT NULL,
                    building TEXT,
                    floor INTEGER,
                    UNIQUE (state, id)
                );
                CREATE INDEX object_by_type ON object (state, type);
                CREATE INDEX object_by_file ON object (state, file);
                CREATE INDEX object_by_building ON object (state, building);
                CREATE TABLE property (
                    object INTEGER NOT NULL,
                    state INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    raw TEXT NOT NULL,
                    value REAL,
                    unit TEXT,
                    dimension TEXT,
                    tolerance REAL,
                    PRIMARY KEY (object, name)
                ) WITHOUT ROWID;
                CREATE INDEX property_by_name ON property (state, name, dimension);
                CREATE TABLE relation (
                    object INTEGER NOT NULL,
                    state INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    target TEXT NOT NULL,
                    PRIMARY KEY (object, name, target)
                ) WITHOUT ROWID;
                CREATE INDEX relation_by_target ON relation (state, target, name);
                """)
        }
        return migrator
    }

    // MARK: States

    /// Every state the index holds, most recently updated first.
    public func states() throws -> [IndexedState] {
        try pool.read { db in try Self.states(db) }
    }

    /// The state of `tree`, if the index holds it.
    public func state(for tree: ObjectID) throws -> IndexedState? {
        try pool.read { db in try Self.state(db, tree: tree) }
    }

    static func states(_ db: Database) throws -> [IndexedState] {
        try Row.fetchAll(db, sql: "SELECT * FROM state ORDER BY updated DESC, num DESC").compactMap(Self.state(row:))
    }

    static func state(_ db: Database, tree: ObjectID) throws -> IndexedState? {
        try Row.fetchOne(db, sql: "SELECT * FROM state WHERE tree = ?", arguments: [tree.hex]).flatMap(Self.state(row:))
    }

    private static func state(row: Row) -> IndexedState? {
        guard let hex: String = row["tree"], let tree = ObjectID(hex: hex) else { return nil }
        return IndexedState(number: row["num"], tree: tree, followsHead: (row["followsHead"] as Int64? ?? 0) != 0,
                            objects: row["objects"], files: row["files"], updated: row["updated"])
    }

    /// Makes the rows of `tree` available: nothing to do when they are cached; otherwise, when `followHead` and a
    /// state follows HEAD, that state's rows are updated to `tree` touching only the objects that differ; otherwise
    /// the state is built from every file. States beyond `keptStates` besides HEAD's are dropped.
    public func prepare(tree: ObjectID, in repository: Repository, followHead: Bool) throws -> IndexUpdate {
        if let state = try state(for: tree), state.followsHead || !followHead {
            return IndexUpdate(how: .cached, state: state)
        }
        return try write { db in
            if var state = try Self.state(db, tree: tree) {
                if followHead {
                    try db.execute(sql: "UPDATE state SET followsHead = (num = ?)", arguments: [state.number])
                    state.followsHead = true
                    try IndexWriter(db: db, objects: repository.objects).evict(keeping: state)
                }
                return IndexUpdate(how: .cached, state: state)
            }
            let writer = IndexWriter(db: db, objects: repository.objects)
            if followHead, let head = try Self.states(db).first(where: \.followsHead) {
                if let update = try writer.update(head, to: tree) { return update }
                try writer.delete(head)
            }
            let update = try writer.build(tree: tree, followsHead: followHead)
            try writer.evict(keeping: update.state)
            return update
        }
    }

    /// Builds the rows of `tree` again from every file, replacing any cached rows of it.
    public func rebuild(tree: ObjectID, in repository: Repository, followHead: Bool) throws -> IndexUpdate {
        try write { db in
            let writer = IndexWriter(db: db, objects: repository.objects)
            var wasHead = false
            if let old = try Self.state(db, tree: tree) {
                wasHead = old.followsHead
                try writer.delete(old)
            }
            if followHead, let head = try Self.states(db).first(where: \.followsHead) { try writer.delete(head) }
            let update = try writer.build(tree: tree, followsHead: followHead || wasHead)
            try writer.evict(keeping: update.state)
            return update
        }
    }

    /// Runs `body` in one immediate write transaction (the write lock taken first, waiting up to the busy timeout).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw IndexError.unreadable(path: path, reason: "the transaction returned nothing") }
            return result
        }
    }

    /// Runs `body` with a read-only connection that sees the last committed state.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }
}
