import ArxosCore
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// Writes the rows of states inside one write transaction: full builds, incremental updates, deletions.
struct IndexWriter {
    let db: Database
    let objects: ObjectDatabase

    /// Files parsed per round of a full build: bounds memory, keeps every processor busy.
    static let slice = 2048

    // MARK: Full build

    /// Indexes every object of `tree` as a new state.
    func build(tree: ObjectID, followsHead: Bool) throws -> IndexUpdate {
        if followsHead { try db.execute(sql: "UPDATE state SET followsHead = 0") }
        try db.execute(sql: "INSERT INTO state (tree, followsHead, updated) VALUES (?, ?, ?)",
                       arguments: [tree.hex, followsHead ? 1 : 0, Date().timeIntervalSince1970])
        let number = db.lastInsertedRowID
        var files = [(path: String, blob: ObjectID)]()
        try TreeBuilder.walk(tree, in: objects) { path, blob in
            if WorkingTree.holdsObjects(path) { files.append((path, blob)) }
        }
        let first = (try Int64.fetchOne(db, sql: "SELECT max(num) FROM object") ?? 0) + 1
        var containment = MemoryContainment()
        // The ids in row order (row `first + i` holds `order[i]`); the strings are shared with `containment`'s keys.
        var order = [String]()
        order.reserveCapacity(files.count)
        var filesWithObjects = 0
        let rows = try RowInserter(db: db, state: number)
        // Slices are parsed on the other processors while the rows of the previous slice are written.
        let ranges = stride(from: 0, to: files.count, by: Self.slice).map { $0..<min($0 + Self.slice, files.count) }
        let objects = self.objects
        let listed = files
        func parse(_ range: Range<Int>) throws -> [[IndexRecord]] {
            try Self.parse(listed[range].map(\.blob), paths: listed[range].map(\.path), objects: objects)
        }
        var ready = try ranges.first.map(parse) ?? []
        for k in ranges.indices {
            let ahead = PendingParse()
            if k + 1 < ranges.count {
                let range = ranges[k + 1]
                ahead.start { try Self.parse(listed[range].map(\.blob), paths: listed[range].map(\.path), objects: objects) }
            }
            for records in ready {
                if !records.isEmpty { filesWithObjects += 1 }
                for record in records where containment.nodes[record.id] == nil {
                    let num = first + Int64(order.count)
                    containment.add(record.id, record.containment)
                    try rows.insertObject(num: num, id: record.id, type: record.type, name: record.name, file: record.file,
                                          derived: Derived())
                    try rows.insertDetails(of: record, num: num)
                    order.append(record.id)
                }
            }
            ready = try ahead.wait()
        }
        containment.finish()
        for (offset, id) in order.enumerated() {
            let derived = try Derivation.derive(id, from: &containment)
            if derived != Derived() { try rows.setDerived(derived, num: first + Int64(offset)) }
        }
        try db.execute(sql: "UPDATE state SET objects = ?, files = ? WHERE num = ?",
                       arguments: [order.count, filesWithObjects, number])
        let state = IndexedState(number: number, tree: tree, followsHead: followsHead, objects: order.count,
                                 files: filesWithObjects, updated: Date().timeIntervalSince1970)
        return IndexUpdate(how: .built, state: state, filesRead: listed.count, objectsWritten: order.count)
    }

    /// Reads and parses blobs on every processor; the records of each, in order.
    static func parse(_ blobs: [ObjectID], paths: [String], objects: ObjectDatabase) throws -> [[IndexRecord]] {
        try concurrentMap(count: blobs.count) { i in
            let bytes = try objects.readBlob(blobs[i])
            do {
                return try ArxObject.objects(path: paths[i], bytes: bytes).map(IndexRecord.init)
            } catch {
                throw IndexError.badFile(path: paths[i], reason: (error as? LocalizedError)?.errorDescription ?? "\(error)")
            }
        }
    }

    // MARK: Incremental update

    /// Updates the rows of `state` to describe `tree`, touching only objects that differ, and recomputing the derived
    /// fields of the objects whose containment changed with them. Nil (nothing written) when so many files changed
    /// that a full build is cheaper, or when the old tree cannot be read.
    func update(_ state: IndexedState, to tree: ObjectID) throws -> IndexUpdate? {
        let changes: [StateDiff.FileChange]
        do {
            changes = try StateDiff.changedFiles(state.tree, tree, objects: objects).filter { WorkingTree.holdsObjects($0.path) }
        } catch is StoreError {
            return nil
        }
        if changes.count > max(256, state.files / 2) { return nil }
        // Both sides of every changed file, parsed on every processor.
        let oldSides = changes.compactMap { change in change.old.map { (change.path, $0) } }
        let newSides = changes.compactMap { change in change.new.map { (change.path, $0) } }
        let oldRecords: [[IndexRecord]]
        do {
            oldRecords = try Self.parse(oldSides.map(\.1), paths: oldSides.map(\.0), objects: objects)
        } catch is StoreError {
            return nil
        }
        let newRecords = try Self.parse(newSides.map(\.1), paths: newSides.map(\.0), objects: objects)
        var before = [String: IndexRecord](), after = [String: IndexRecord]()
        for record in oldRecords.joined() { before[record.id] = record }
        for record in newRecords.joined() where after[record.id] == nil { after[record.id] = record }
        let filesDelta = newRecords.filter { !$0.isEmpty }.count - oldRecords.filter { !$0.isEmpty }.count

        var update = IndexUpdate(how: .updated, state: state, filesRead: oldSides.count + newSides.count)
        let rows = try RowInserter(db: db, state: state.number)
        var changed = [String]()
        var pivots = [String]()
        for id in Set(before.keys).union(after.keys).sorted() {
            let old = before[id], new = after[id]
            if old == new { continue }
            changed.append(id)
            if old?.containment != new?.containment { pivots.append(id) }
            if old != nil {
                update.objectsDeleted += try rows.delete(id: id)
            }
        }
        for id in changed {
            guard let record = after[id] else { continue }
            // An id the old rows held in a file that did not change would be a duplicate: the first one stays.
            if try Int64.fetchOne(db, sql: "SELECT num FROM object WHERE state = ? AND id = ?", arguments: [state.number, id]) != nil {
                continue
            }
            let num = try rows.insertObject(num: nil, id: record.id, type: record.type, name: record.name, file: record.file,
                                            derived: Derived())
            try rows.insertDetails(of: record, num: num)
            update.objectsWritten += 1
        }
        // Derived fields: the changed objects, and everything inside an object whose containment changed.
        let changedSet = Set(changed)
        var candidates = Set(changed.filter { after[$0] != nil })
        let inside = try descendants(of: pivots, state: state.number, extraPoints: pivots.flatMap {
            (before[$0]?.containment.points ?? []) + (after[$0]?.containment.points ?? [])
        })
        for pivot in pivots where before[pivot]?.type == "building" || after[pivot]?.type == "building" {
            let prefixed = try String.fetchAll(db, sql: "SELECT id FROM object WHERE state = ? AND id GLOB ?",
                                               arguments: [state.number, Self.globEscaped(pivot) + "/*"])
            candidates.formUnion(prefixed)
        }
        var source = DatabaseContainment(db: db, state: state.number)
        for id in candidates.union(inside).sorted() {
            guard let row = try Row.fetchOne(db, sql: "SELECT num, building, floor FROM object WHERE state = ? AND id = ?",
                                             arguments: [state.number, id]) else { continue }
            let derived = try Derivation.derive(id, from: &source)
            let current = Derived(building: row["building"], floor: row["floor"])
            if derived != current {
                try db.execute(sql: "UPDATE object SET building = ?, floor = ? WHERE num = ?",
                               arguments: [derived.building, derived.floor, row["num"] as Int64])
                if !changedSet.contains(id) { update.derivedUpdated += 1 }
            }
        }
        let objectCount = state.objects + update.objectsWritten - update.objectsDeleted
        let now = Date().timeIntervalSince1970
        try db.execute(sql: "UPDATE state SET tree = ?, objects = ?, files = ?, updated = ? WHERE num = ?",
                       arguments: [tree.hex, objectCount, state.files + filesDelta, now, state.number])
        update.state = IndexedState(number: state.number, tree: tree, followsHead: state.followsHead, objects: objectCount,
                                    files: state.files + filesDelta, updated: now)
        return update
    }

    /// The ids of the objects inside `roots` (through `location`, `partOf` and `points`), at any depth.
    private func descendants(of roots: [String], state: Int64, extraPoints: [String]) throws -> Set<String> {
        var found = Set<String>()
        var queue = roots + extraPoints
        found.formUnion(extraPoints)
        var head = 0
        while head < queue.count {
            let id = queue[head]
            head += 1
            let children = try String.fetchAll(db, sql: """
                SELECT o.id FROM relation r JOIN object o ON o.num = r.object
                WHERE r.state = ? AND r.target = ? AND r.name IN ('location', 'partOf')
                UNION
                SELECT r.target FROM relation r JOIN object o ON o.num = r.object
                WHERE o.state = ? AND o.id = ? AND r.name = 'points'
                """, arguments: [state, id, state, id])
            for child in children where found.insert(child).inserted { queue.append(child) }
        }
        return found
    }

    static func globEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if "*?[".contains(c) { out += "[\(c)]" } else { out.append(c) }
        }
        return out
    }

    // MARK: Removal

    /// Deletes every row of `state`.
    func delete(_ state: IndexedState) throws {
        if try Int.fetchOne(db, sql: "SELECT count(*) FROM state WHERE num <> ?", arguments: [state.number]) == 0 {
            // The only state: emptying whole tables is much faster than deleting rows one by one.
            for table in ["property", "relation", "object", "state"] { try db.execute(sql: "DELETE FROM \(table)") }
            return
        }
        try db.execute(sql: "DELETE FROM property WHERE state = ?", arguments: [state.number])
        try db.execute(sql: "DELETE FROM relation WHERE state = ?", arguments: [state.number])
        try db.execute(sql: "DELETE FROM object WHERE state = ?", arguments: [state.number])
        try db.execute(sql: "DELETE FROM state WHERE num = ?", arguments: [state.number])
    }

    /// Drops the least recently updated states beyond `ObjectIndex.keptStates`, never the one following HEAD nor `kept`.
    func evict(keeping kept: IndexedState) throws {
        let others = try ObjectIndex.states(db).filter { !$0.followsHead && $0.number != kept.number }
        for state in others.dropFirst(ObjectIndex.keptStates - (kept.followsHead ? 0 : 1)) { try delete(state) }
    }
}

/// Inserts and deletes the rows of objects of one state. The inserts are the hot path of a full build (a million
/// property rows for 100,000 objects), so they bind values through SQLite's C API on statements prepared once.
struct RowInserter {
    let db: Database
    let state: Int64
    private let objectInsert: Statement
    private let propertyInsert: Statement
    private let relationInsert: Statement
    private let derivedUpdate: Statement

    init(db: Database, state: Int64) throws {
        self.db = db
        self.state = state
        objectInsert = try db.makeStatement(sql: """
            INSERT INTO object (num, state, id, type, name, file, building, floor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        propertyInsert = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO property (object, state, name, raw, value, unit, dimension, tolerance)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        relationInsert = try db.makeStatement(sql: "INSERT OR IGNORE INTO relation (object, state, name, target) VALUES (?, ?, ?, ?)")
        derivedUpdate = try db.makeStatement(sql: "UPDATE object SET building = ?, floor = ? WHERE num = ?")
    }

    /// Inserts the object's row; `num` nil lets SQLite choose it. Returns the row number.
    @discardableResult
    func insertObject(num: Int64?, id: String, type: String, name: String?, file: String, derived: Derived) throws -> Int64 {
        try run(objectInsert) { s in
            if let num { sqlite3_bind_int64(s, 1, num) } else { sqlite3_bind_null(s, 1) }
            sqlite3_bind_int64(s, 2, state)
            bind(s, 3, id)
            bind(s, 4, type)
            bind(s, 5, name)
            bind(s, 6, file)
            bind(s, 7, derived.building)
            if let floor = derived.floor { sqlite3_bind_int64(s, 8, Int64(floor)) } else { sqlite3_bind_null(s, 8) }
        }
        return num ?? db.lastInsertedRowID
    }

    /// Sets the derived fields of the object in row `num`.
    func setDerived(_ derived: Derived, num: Int64) throws {
        try run(derivedUpdate) { s in
            bind(s, 1, derived.building)
            if let floor = derived.floor { sqlite3_bind_int64(s, 2, Int64(floor)) } else { sqlite3_bind_null(s, 2) }
            sqlite3_bind_int64(s, 3, num)
        }
    }

    /// Inserts the property and relation rows of an object whose row number is `num`.
    func insertDetails(of record: IndexRecord, num: Int64) throws {
        for property in record.properties {
            try run(propertyInsert) { s in
                sqlite3_bind_int64(s, 1, num)
                sqlite3_bind_int64(s, 2, state)
                bind(s, 3, property.name)
                bind(s, 4, property.raw)
                if let value = property.value { sqlite3_bind_double(s, 5, value) } else { sqlite3_bind_null(s, 5) }
                bind(s, 6, property.unit)
                bind(s, 7, property.dimension)
                if let tolerance = property.tolerance { sqlite3_bind_double(s, 8, tolerance) } else { sqlite3_bind_null(s, 8) }
            }
        }
        for relation in record.relations {
            try run(relationInsert) { s in
                sqlite3_bind_int64(s, 1, num)
                sqlite3_bind_int64(s, 2, state)
                bind(s, 3, relation.name)
                bind(s, 4, relation.target)
            }
        }
    }

    /// Deletes the rows of the object `id`; returns the number of object rows deleted (0 or 1).
    func delete(id: String) throws -> Int {
        guard let num = try Int64.fetchOne(db, sql: "SELECT num FROM object WHERE state = ? AND id = ?", arguments: [state, id]) else {
            return 0
        }
        try db.execute(sql: "DELETE FROM property WHERE object = ?", arguments: [num])
        try db.execute(sql: "DELETE FROM relation WHERE object = ?", arguments: [num])
        try db.execute(sql: "DELETE FROM object WHERE num = ?", arguments: [num])
        return 1
    }

    /// Binds with `bind`, steps once, and resets the statement for its next use.
    private func run(_ statement: Statement, _ bind: (SQLiteStatement) -> Void) throws {
        let s = statement.sqliteStatement
        bind(s)
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        sqlite3_clear_bindings(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }

    private func bind(_ s: SQLiteStatement, _ index: Int32, _ text: String?) {
        guard let text else { sqlite3_bind_null(s, index); return }
        var copy = text
        copy.withUTF8 { bytes in
            if let base = bytes.baseAddress, !bytes.isEmpty {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(s, index, $0, Int32(bytes.count), sqliteTransient)
                }
            } else {
                _ = sqlite3_bind_text(s, index, "", 0, sqliteTransient)
            }
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: the library copies the bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A slice being parsed on other threads while the writer works.
private final class PendingParse: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var result: Result<[[IndexRecord]], Error> = .success([])

    func start(_ work: @escaping @Sendable () throws -> [[IndexRecord]]) {
        DispatchQueue.global().async(group: group) {
            let outcome = Result { try work() }
            self.lock.lock()
            self.result = outcome
            self.lock.unlock()
        }
    }

    func wait() throws -> [[IndexRecord]] {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return try result.get()
    }
}

/// Containment read from the rows of a state (during an incremental update, after the new rows are in).
struct DatabaseContainment: ContainmentSource {
    let db: Database
    let state: Int64
    private var nodes: [String: Containment?] = [:]
    private var owners: [String: [String]] = [:]

    init(db: Database, state: Int64) { self.db = db; self.state = state }

    mutating func node(_ id: String) throws -> Containment? {
        if let cached = nodes[id] { return cached }
        var found: Containment?
        if let row = try Row.fetchOne(db, sql: "SELECT num, type FROM object WHERE state = ? AND id = ?", arguments: [state, id]) {
            let num: Int64 = row["num"]
            let type: String = row["type"]
            var location = [String](), partOf = [String](), points = [String]()
            for relation in try Row.fetchAll(db, sql: "SELECT name, target FROM relation WHERE object = ?", arguments: [num]) {
                let name: String = relation["name"], target: String = relation["target"]
                switch name {
                case "location": location.append(target)
                case "partOf": partOf.append(target)
                case "points": points.append(target)
                default: break
                }
            }
            var level: Int?
            if type == "floor" {
                level = try String.fetchOne(db, sql: "SELECT raw FROM property WHERE object = ? AND name = 'level'", arguments: [num])
                    .flatMap { Int($0) }
            }
            found = Containment(type: type, level: level, parents: location + partOf.sorted(), points: points)
        }
        nodes[id] = .some(found)
        return found
    }

    mutating func owners(of id: String) throws -> [String] {
        if let cached = owners[id] { return cached }
        let found = try String.fetchAll(db, sql: """
            SELECT o.id FROM relation r JOIN object o ON o.num = r.object
            WHERE r.state = ? AND r.target = ? AND r.name = 'points' ORDER BY o.id
            """, arguments: [state, id])
        owners[id] = found
        return found
    }
}

/// Runs `body` for every index on all processors, one contiguous slice per worker; results in index order, or the
/// error of the lowest index that failed.
func concurrentMap<T: Sendable>(count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    guard count > 0 else { return [] }
    let slots = ConcurrentSlots<T>(count: count)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, count))
    let per = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let lower = worker * per, upper = min(lower + per, count)
        guard lower < upper else { return }
        var local = [T]()
        local.reserveCapacity(upper - lower)
        for i in lower..<upper {
            do {
                local.append(try body(i))
            } catch {
                slots.lock.lock()
                slots.errors.append((i, error))
                slots.lock.unlock()
                return
            }
        }
        slots.lock.lock()
        for (offset, value) in local.enumerated() { slots.values[lower + offset] = value }
        slots.lock.unlock()
    }
    if let first = slots.errors.min(by: { $0.0 < $1.0 }) { throw first.1 }
    return slots.values.compactMap { $0 }
}

/// Results of `concurrentMap`, written under a lock.
private final class ConcurrentSlots<T>: @unchecked Sendable {
    var values: [T?]
    var errors: [(Int, Error)] = []
    let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
}
