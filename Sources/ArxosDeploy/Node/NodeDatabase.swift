import Foundation
import GRDB

/// The node's own history (`node.db`, docs/deploy.md): deployments it received, every switch of its active state, and
/// the health results of each activation. One `DatabasePool` in WAL mode; migrations never change once released.
public struct NodeDatabase: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        pool = try openDeployDatabase(path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "deployments") { t in
                t.column("commitId", .text).primaryKey()
                t.column("deployment", .text).notNull()
                t.column("sequence", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("signer", .text).notNull()
                t.column("status", .text).notNull()
                t.column("reason", .text).notNull().defaults(to: "")
                t.column("receivedAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
            }
            try db.create(table: "state_transitions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deployment", .text).notNull()
                t.column("fromState", .text).notNull()
                t.column("toState", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(table: "health_results") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("commitId", .text).notNull().indexed()
                t.column("name", .text).notNull()
                t.column("required", .boolean).notNull()
                t.column("passed", .boolean).notNull()
                t.column("seconds", .double).notNull()
                t.column("detail", .text).notNull()
                t.column("at", .double).notNull()
            }
        }
        try migrator.migrate(pool)
    }

    /// Records a received deploy commit (status `received`), or updates its status.
    func record(commit: String, deployment: String, sequence: UInt64, kind: String, signer: String) throws {
        let now = Date().timeIntervalSince1970
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO deployments (commitId, deployment, sequence, kind, signer, status, receivedAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, 'received', ?, ?) ON CONFLICT(commitId) DO NOTHING
                """, arguments: [commit, deployment, Int64(sequence), kind, signer, now, now])
        }
    }

    func setStatus(commit: String, _ status: String, reason: String = "") throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE deployments SET status = ?, reason = ?, updatedAt = ? WHERE commitId = ?",
                           arguments: [status, reason, Date().timeIntervalSince1970, commit])
        }
    }

    func transition(deployment: String, from: String, to: String, reason: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO state_transitions (deployment, fromState, toState, reason, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [deployment, from, to, reason, Date().timeIntervalSince1970])
        }
    }

    func recordHealth(commit: String, _ results: [CheckResult]) throws {
        try pool.write { db in
            for result in results {
                try db.execute(sql: """
                    INSERT INTO health_results (commitId, name, required, passed, seconds, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [commit, result.name, result.required, result.passed, result.seconds, result.detail,
                                     Date().timeIntervalSince1970])
            }
        }
    }

    /// One received deployment as `edge status` shows it.
    public struct Entry: Sendable, Codable, Equatable {
        public var commit: String
        public var deployment: String
        public var sequence: Int64
        public var kind: String
        public var signer: String
        public var status: String
        public var reason: String
        public var receivedAt: Double
        public var health: [CheckResult]
    }

    /// The last `limit` deployments, newest first, with their health results.
    public func recent(limit: Int = 10) throws -> [Entry] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM deployments ORDER BY sequence DESC, receivedAt DESC LIMIT ?", arguments: [limit])
            return try rows.map { row in
                let commit: String = row["commitId"]
                let health = try Row.fetchAll(db, sql: "SELECT * FROM health_results WHERE commitId = ? ORDER BY id", arguments: [commit]).map {
                    CheckResult(name: $0["name"], required: $0["required"], passed: $0["passed"], seconds: $0["seconds"], detail: $0["detail"])
                }
                return Entry(commit: commit, deployment: row["deployment"], sequence: row["sequence"], kind: row["kind"],
                             signer: row["signer"], status: row["status"], reason: row["reason"], receivedAt: row["receivedAt"],
                             health: health)
            }
        }
    }

    /// Every switch of the active state, oldest first.
    public func transitions() throws -> [(deployment: String, from: String, to: String, reason: String, at: Double)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM state_transitions ORDER BY id").map {
                (deployment: $0["deployment"], from: $0["fromState"], to: $0["toState"], reason: $0["reason"], at: $0["at"])
            }
        }
    }
}

/// Opens one of the deploy databases (the node's `node.db`, the controller's `deploy.db`): a WAL `DatabasePool` that
/// waits up to 10 seconds for another process's write.
func openDeployDatabase(_ path: String) throws -> DatabasePool {
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    return try DatabasePool(path: path, configuration: configuration)
}
