import Foundation
import GRDB

/// The controller's audit trail (`.arxos/deploy.db`, docs/deploy.md "Records"): deployments, one target row per node,
/// every status change, and what each node was last seen running. GRDB `DatabasePool` (WAL); migrations never change
/// once released.
public struct DeployRecords: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        pool = try openDeployDatabase(path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "deployments") { t in
                t.column("id", .text).primaryKey()
                t.column("revision", .text).notNull()
                t.column("commitId", .text).notNull()
                t.column("strategy", .text).notNull()
                t.column("options", .text).notNull()
                t.column("status", .text).notNull()
                t.column("exitCode", .integer)
                t.column("who", .text).notNull()
                t.column("kind", .text).notNull().defaults(to: "deploy")
                t.column("createdAt", .double).notNull()
                t.column("finishedAt", .double)
                t.column("scheduledAt", .double)
                t.column("selectors", .text).notNull().defaults(to: "")
                t.column("approvalsNeeded", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "approvals") { t in
                t.column("deployment", .text).notNull().references("deployments")
                t.column("keyId", .text).notNull()
                t.column("signature", .text).notNull()
                t.column("at", .double).notNull()
                t.primaryKey(["deployment", "keyId"])
            }
            try db.create(table: "deployment_targets") { t in
                t.column("deployment", .text).notNull().references("deployments")
                t.column("node", .text).notNull()
                t.column("building", .text).notNull()
                t.column("batch", .integer).notNull()
                t.column("fromCommit", .text)
                t.column("toCommit", .text)
                t.column("fromSource", .text)
                t.column("fromTree", .text)
                t.column("status", .text).notNull()
                t.column("reason", .text).notNull().defaults(to: "")
                t.column("bytes", .integer).notNull().defaults(to: 0)
                t.column("objects", .integer).notNull().defaults(to: 0)
                t.column("updatedAt", .double).notNull()
                t.primaryKey(["deployment", "node"])
            }
            try db.create(table: "state_transitions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("deployment", .text).notNull().indexed()
                t.column("node", .text).notNull()
                t.column("fromStatus", .text).notNull()
                t.column("toStatus", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(table: "edge_nodes") { t in
                t.column("name", .text).primaryKey()
                t.column("building", .text).notNull()
                t.column("lastCommit", .text)
                t.column("lastSequence", .integer)
                t.column("lastSeenAt", .double).notNull()
            }
        }
        try migrator.migrate(pool)
    }

    /// One deployment row.
    public struct Deployment: Codable, Sendable, Equatable {
        public var id: String
        public var revision: String
        public var commit: String
        public var strategy: String
        public var options: String
        public var status: String
        public var exitCode: Int?
        public var who: String
        public var kind: String
        public var createdAt: Double
        public var finishedAt: Double?
        /// `deploy apply --at`: when it becomes due (`deploy run-due`).
        public var scheduledAt: Double?
        /// The `--target` selectors, newline-separated.
        public var selectors: String = ""
        /// Approvals a protected branch asks for (0: none).
        public var approvalsNeeded: Int = 0
    }

    /// One node of a deployment.
    public struct Target: Codable, Sendable, Equatable {
        public var node: String
        public var building: String
        public var batch: Int
        public var fromCommit: String?
        public var toCommit: String?
        public var fromSource: String?
        public var fromTree: String?
        public var status: String
        public var reason: String
        public var bytes: Int
        public var objects: Int
        public var updatedAt: Double
    }

    public func create(_ deployment: Deployment, targets: [Target]) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO deployments (id, revision, commitId, strategy, options, status, who, kind, createdAt, scheduledAt,
                selectors, approvalsNeeded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [deployment.id, deployment.revision, deployment.commit, deployment.strategy, deployment.options,
                                 deployment.status, deployment.who, deployment.kind, deployment.createdAt, deployment.scheduledAt,
                                 deployment.selectors, deployment.approvalsNeeded])
            for target in targets {
                try db.execute(sql: """
                    INSERT INTO deployment_targets (deployment, node, building, batch, status, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [deployment.id, target.node, target.building, target.batch, target.status, target.updatedAt])
            }
        }
    }

    public func finish(_ id: String, status: String, exitCode: Int32) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE deployments SET status = ?, exitCode = ?, finishedAt = ? WHERE id = ?",
                           arguments: [status, Int(exitCode), Date().timeIntervalSince1970, id])
        }
    }

    public func setStatus(_ id: String, status: String) throws {
        try pool.write { db in try db.execute(sql: "UPDATE deployments SET status = ? WHERE id = ?", arguments: [status, id]) }
    }

    /// Moves a target to `status`, recording the transition.
    public func update(_ id: String, node: String, status: String, reason: String = "", from: String? = nil, to: String? = nil,
                       fromSource: String? = nil, fromTree: String? = nil, bytes: Int? = nil, objects: Int? = nil) throws {
        try pool.write { db in
            let old = try String.fetchOne(db, sql: "SELECT status FROM deployment_targets WHERE deployment = ? AND node = ?",
                                          arguments: [id, node]) ?? "none"
            try db.execute(sql: """
                UPDATE deployment_targets SET status = ?, reason = ?, fromCommit = COALESCE(?, fromCommit), toCommit = COALESCE(?, toCommit),
                fromSource = COALESCE(?, fromSource), fromTree = COALESCE(?, fromTree), bytes = COALESCE(?, bytes), objects = COALESCE(?, objects), updatedAt = ?
                WHERE deployment = ? AND node = ?
                """, arguments: [status, reason, from, to, fromSource, fromTree, bytes, objects, Date().timeIntervalSince1970, id, node])
            try db.execute(sql: "INSERT INTO state_transitions (deployment, node, fromStatus, toStatus, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, node, old, status, reason, Date().timeIntervalSince1970])
        }
    }

    public func sawNode(_ name: String, building: String, commit: String?, sequence: UInt64) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO edge_nodes (name, building, lastCommit, lastSequence, lastSeenAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET building = excluded.building, lastCommit = excluded.lastCommit,
                lastSequence = excluded.lastSequence, lastSeenAt = excluded.lastSeenAt
                """, arguments: [name, building, commit, Int64(sequence), Date().timeIntervalSince1970])
        }
    }

    /// Records an approval; false when that key approved already.
    public func approve(_ id: String, keyID: String, signature: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO approvals (deployment, keyId, signature, at) VALUES (?, ?, ?, ?)",
                           arguments: [id, keyID, signature, Date().timeIntervalSince1970])
            return db.changesCount > 0
        }
    }

    /// The approvals of a deployment: key id and signature (base64).
    public func approvals(_ id: String) throws -> [(keyID: String, signature: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT keyId, signature FROM approvals WHERE deployment = ? ORDER BY at", arguments: [id]).map {
                (keyID: $0["keyId"], signature: $0["signature"])
            }
        }
    }

    /// Deployments waiting to start (scheduled, or awaiting approval), oldest first.
    public func waiting() throws -> [Deployment] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deployments WHERE status IN ('scheduled', 'awaiting-approval') ORDER BY createdAt")
                .map(Self.deployment)
        }
    }

    public func deployment(_ id: String) throws -> Deployment? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM deployments WHERE id = ?", arguments: [id]).map(Self.deployment) }
    }

    /// The newest deployment, if any.
    public func latest() throws -> Deployment? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM deployments ORDER BY createdAt DESC LIMIT 1").map(Self.deployment) }
    }

    public func list(limit: Int = 50) throws -> [Deployment] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deployments ORDER BY createdAt DESC LIMIT ?", arguments: [limit]).map(Self.deployment)
        }
    }

    public func targets(_ id: String) throws -> [Target] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deployment_targets WHERE deployment = ? ORDER BY batch, node", arguments: [id]).map {
                Target(node: $0["node"], building: $0["building"], batch: $0["batch"], fromCommit: $0["fromCommit"], toCommit: $0["toCommit"],
                       fromSource: $0["fromSource"], fromTree: $0["fromTree"], status: $0["status"], reason: $0["reason"], bytes: $0["bytes"], objects: $0["objects"],
                       updatedAt: $0["updatedAt"])
            }
        }
    }

    /// Every status change of a deployment's targets, oldest first.
    public func transitions(_ id: String) throws -> [(node: String, from: String, to: String, reason: String, at: Double)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM state_transitions WHERE deployment = ? ORDER BY id", arguments: [id]).map {
                (node: $0["node"], from: $0["fromStatus"], to: $0["toStatus"], reason: $0["reason"], at: $0["at"])
            }
        }
    }

    private static func deployment(_ row: Row) -> Deployment {
        Deployment(id: row["id"], revision: row["revision"], commit: row["commitId"], strategy: row["strategy"], options: row["options"],
                   status: row["status"], exitCode: row["exitCode"], who: row["who"], kind: row["kind"], createdAt: row["createdAt"],
                   finishedAt: row["finishedAt"], scheduledAt: row["scheduledAt"], selectors: row["selectors"],
                   approvalsNeeded: row["approvalsNeeded"])
    }
}
