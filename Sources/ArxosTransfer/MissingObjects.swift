import ArxosCore
import ArxosStore

/// Finds the objects a receiver lacks, asking it in probe rounds and walking commits, then trees level by level, so
/// that a commit or subtree the receiver has is never descended (docs/protocol.md, "Negotiation").
public struct MissingObjects {
    let objects: ObjectDatabase
    /// Asks the receiver which of at most 256 ids it has completely.
    let probe: ([ObjectID]) throws -> Set<ObjectID>

    public init(objects: ObjectDatabase, probe: @escaping ([ObjectID]) throws -> Set<ObjectID>) {
        self.objects = objects
        self.probe = probe
    }

    /// How the walk went.
    public struct Plan: Sendable {
        /// The objects to send: commits and tags, then trees and blobs, each once.
        public var ids: [ObjectID]
        /// For trees and blobs sent: an older version (the entry at the same path in a parent commit the receiver
        /// announced with `have`), which the receiver has in its store, for compressing against (protocol.md 5.1).
        public var deltaBases: [ObjectID: ObjectID] = [:]
        /// Probe rounds run and ids probed.
        public var rounds = 0
        public var probed = 0
    }

    private struct Item {
        var id: ObjectID
        var isTree: Bool
        /// The trees at the same path in the parent commits.
        var bases: [ObjectID]
        /// The object at the same path in a parent commit among the receiver's `have` hints (in its store).
        var deltaBase: ObjectID? = nil
    }

    /// The objects reachable from `wants` that the receiver lacks. `known` are ids the receiver has completely;
    /// with `probing` false (a clone) nothing is asked and everything not known is sent.
    public func plan(wants: [ObjectID], known: Set<ObjectID>, probing: Bool = true) throws -> Plan {
        var present = known
        var plan = Plan(ids: [])
        var sending = Set<ObjectID>()
        var seen = Set<ObjectID>()

        /// Probes `ids` (not yet seen) in rounds of 256; returns those the receiver lacks.
        func lacking(_ ids: [ObjectID]) throws -> [ObjectID] {
            var fresh = [ObjectID]()
            for id in ids where !present.contains(id) && !sending.contains(id) && seen.insert(id).inserted { fresh.append(id) }
            guard probing, !fresh.isEmpty else { return fresh }
            var start = 0
            while start < fresh.count {
                let batch = Array(fresh[start..<min(start + 256, fresh.count)])
                let has = try probe(batch)
                plan.rounds += 1
                plan.probed += batch.count
                present.formUnion(has.intersection(batch))
                start += 256
            }
            return fresh.filter { !present.contains($0) }
        }

        func send(_ id: ObjectID) {
            if sending.insert(id).inserted { plan.ids.append(id) }
        }

        // Commits and tags, breadth first.
        var level = wants
        var items = [Item]()
        while !level.isEmpty {
            var next = [ObjectID]()
            for id in try lacking(level) {
                let (type, content) = try objects.read(id)
                send(id)
                switch type {
                case .commit:
                    let commit = try objects.readCommit(id)
                    next += commit.parents
                    var bases = [ObjectID]()
                    var deltaBase: ObjectID?
                    for parent in commit.parents {
                        let tree = try objects.readCommit(parent).tree
                        bases.append(tree)
                        if deltaBase == nil, known.contains(parent) { deltaBase = tree }
                    }
                    items.append(Item(id: commit.tree, isTree: true, bases: bases, deltaBase: deltaBase))
                case .tag:
                    next.append(try Tag(parsing: content).object)
                case .tree:
                    items.append(Item(id: id, isTree: true, bases: []))
                    sending.remove(id)
                    plan.ids.removeLast()
                    seen.remove(id)
                case .blob:
                    break
                }
            }
            level = next
        }

        // Trees and blobs, level by level; an entry equal to a base's entry is on the receiver (or sent with that base).
        var depth = 0
        while !items.isEmpty {
            depth += 1
            if depth > 256 { throw StoreError.corrupt("tree \(items[0].id.hex)", "trees nest deeper than 256 levels") }
            var byID = [ObjectID: Item]()
            var order = [ObjectID]()
            for item in items where !item.bases.contains(item.id) {
                if byID[item.id] == nil {
                    byID[item.id] = item
                    order.append(item.id)
                }
            }
            var next = [Item]()
            for id in try lacking(order) {
                guard let item = byID[id] else { continue }
                send(id)
                if let base = item.deltaBase, base != id { plan.deltaBases[id] = base }
                guard item.isTree else { continue }
                let tree = try objects.readTree(id)
                // Entries of the delta base by name, for the entries' own delta bases.
                var deltaEntries = [String: TreeEntry]()
                if let base = item.deltaBase, base != id, let baseTree = try? objects.readTree(base) {
                    for entry in baseTree.entries { deltaEntries[entry.name] = entry }
                }
                let bases = try item.bases.compactMap { base -> Tree? in
                    guard base != id, (try? objects.read(base).0) == .tree else { return nil }
                    return try objects.readTree(base)
                }
                // Any id in a base tree is on the receiver (or sent with that base); a changed subtree is compared
                // with the base's subtree of the same name (names matched as bytes).
                var baseIDs = Set<ObjectID>()
                var baseDirectories = [[UInt8]: [ObjectID]]()
                for base in bases {
                    for entry in base.entries {
                        baseIDs.insert(entry.id)
                        if entry.kind == .directory { baseDirectories[Array(entry.name.utf8), default: []].append(entry.id) }
                    }
                }
                for entry in tree.entries where !baseIDs.contains(entry.id) {
                    let isTree = entry.kind == .directory
                    let older = deltaEntries[entry.name].flatMap { $0.kind == entry.kind ? $0.id : nil }
                    next.append(Item(id: entry.id, isTree: isTree, bases: isTree ? baseDirectories[Array(entry.name.utf8)] ?? [] : [],
                                     deltaBase: older))
                }
            }
            items = next
        }
        return plan
    }
}
