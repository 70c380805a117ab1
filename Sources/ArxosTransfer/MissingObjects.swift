import ArxosCore
import ArxosStore

/// Finds the objects a receiver lacks, asking it in probe rounds and walking commits, then trees level by level, so
/// that a commit or subtree the receiver has is never descended (docs/protocol.md, "Negotiation").
public struct MissingObjects {
    let objects: ObjectDatabase
    /// Asks the receiver which of at most 256 ids it has completely.
    let probe: ([ObjectID]) throws -> Set<ObjectID>

    /// Called with the number of objects found to send so far, every few hundred objects, for progress.
    public var onCount: ((Int) throws -> Void)?

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
                if plan.ids.count & 255 == 0 { try onCount?(plan.ids.count) }
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
                if plan.ids.count & 255 == 0 { try onCount?(plan.ids.count) }
                if let base = item.deltaBase, base != id { plan.deltaBases[id] = base }
                guard item.isTree else { continue }
                guard let tree = try rawEntries(id) else { throw StoreError.corrupt("tree \(id.hex)", "it is not a tree") }
                // Any id in a base tree is on the receiver (or sent with that base); a changed subtree is compared
                // with the base's subtree of the same name (names matched as bytes). The delta base's entries give the
                // entries' own delta bases.
                var bases = [(id: ObjectID, entries: [RawEntry])]()
                for base in item.bases where base != id {
                    if let entries = try rawEntries(base) { bases.append((base, entries)) }
                }
                var baseIDs = Set<ObjectID>(minimumCapacity: bases.reduce(0) { $0 + $1.entries.count })
                for base in bases { for entry in base.entries { baseIDs.insert(entry.id) } }
                // The tree and its bases are sorted by name bytes: each base is walked once, alongside the tree.
                var cursors = [Int](repeating: 0, count: bases.count)
                for entry in tree where !baseIDs.contains(entry.id) {
                    var subtreeBases = [ObjectID]()
                    var older: ObjectID?
                    for (b, base) in bases.enumerated() {
                        while cursors[b] < base.entries.count, base.entries[cursors[b]].name.lexicographicallyPrecedes(entry.name) {
                            cursors[b] += 1
                        }
                        guard cursors[b] < base.entries.count, base.entries[cursors[b]].name.elementsEqual(entry.name) else { continue }
                        let same = base.entries[cursors[b]]
                        if entry.isDirectory, same.isDirectory { subtreeBases.append(same.id) }
                        if base.id == item.deltaBase, same.isDirectory == entry.isDirectory { older = same.id }
                    }
                    next.append(Item(id: entry.id, isTree: entry.isDirectory, bases: subtreeBases, deltaBase: older))
                }
            }
            items = next
        }
        return plan
    }

    /// One entry of a tree as stored: its kind, its name's bytes and its id.
    struct RawEntry {
        var isDirectory: Bool
        var name: ArraySlice<UInt8>
        var id: ObjectID
    }

    /// The entries of `id` read straight from its bytes (which the read checked against the id), or nil when it is not
    /// a tree. Trees were checked when they entered the store, so the walk does not parse and validate names again.
    func rawEntries(_ id: ObjectID) throws -> [RawEntry]? {
        let (type, content) = try objects.read(id)
        guard type == .tree else { return nil }
        var entries = [RawEntry]()
        var i = content.startIndex
        while i < content.endIndex {
            guard let space = content[i...].firstIndex(of: 0x20), let nul = content[space...].firstIndex(of: 0),
                  nul + 33 <= content.endIndex, let entryID = ObjectID(bytes: content[(nul + 1)..<(nul + 33)]) else {
                throw StoreError.corrupt("tree \(id.hex)", "its entry at byte \(i - content.startIndex) is malformed")
            }
            entries.append(RawEntry(isDirectory: content[i..<space].elementsEqual("40000".utf8), name: content[(space + 1)..<nul], id: entryID))
            i = nul + 33
        }
        return entries
    }
}
