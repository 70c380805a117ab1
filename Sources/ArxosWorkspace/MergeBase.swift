import ArxosCore
import ArxosStore

/// Finds the best common ancestors of two commits (docs/model.md, "The merge base").
public struct MergeBaseFinder {
    let objects: ObjectDatabase

    public init(objects: ObjectDatabase) { self.objects = objects }

    private struct Paint: OptionSet, Hashable {
        let rawValue: UInt8
        static let ours = Paint(rawValue: 1)
        static let theirs = Paint(rawValue: 2)
        static let stale = Paint(rawValue: 4)
        static let both: Paint = [.ours, .theirs]
    }

    /// The common ancestors of `a` and `b` that are not ancestors of another common ancestor, oldest id order
    /// not guaranteed; empty when the histories are unrelated.
    public func bases(_ a: ObjectID, _ b: ObjectID) throws -> [ObjectID] {
        if a == b { return [a] }
        let candidates = try paint(a, b)
        if candidates.count < 2 { return candidates }
        // Drop candidates reachable from another candidate.
        let walker = HistoryWalker(objects: objects)
        var kept = [ObjectID]()
        for candidate in candidates {
            var redundant = false
            for other in candidates where other != candidate {
                if try walker.isAncestor(candidate, of: other) { redundant = true; break }
            }
            if !redundant { kept.append(candidate) }
        }
        return kept
    }

    /// Walks both histories newest first, painting each commit with the sides that reach it. A commit reached by
    /// both is a candidate; what lies below it is painted stale and no longer yields candidates.
    private func paint(_ a: ObjectID, _ b: ObjectID) throws -> [ObjectID] {
        var paint = [ObjectID: Paint]()
        var commits = [ObjectID: Commit]()
        // Sorted oldest first; the newest is popped from the end.
        var queue = [(id: ObjectID, time: Int64)]()
        var queued = Set<ObjectID>()
        func enqueue(_ id: ObjectID) throws {
            guard queued.insert(id).inserted else { return }
            let commit = try commits[id] ?? objects.readCommit(id)
            commits[id] = commit
            let time = commit.committer.seconds
            let position = queue.partitionIndex { $0.time > time || ($0.time == time && $0.id.hex > id.hex) }
            queue.insert((id, time), at: position)
        }
        paint[a] = .ours
        paint[b] = .theirs
        try enqueue(a)
        try enqueue(b)
        var found = [ObjectID]()
        while let (id, _) = queue.popLast() {
            queued.remove(id)
            var flags = paint[id] ?? []
            if flags.isSuperset(of: .both) && !flags.contains(.stale) {
                found.append(id)
                flags.insert(.stale)
                paint[id] = flags
            }
            for parent in commits[id]?.parents ?? [] {
                let before = paint[parent] ?? []
                let after = before.union(flags)
                if after != before {
                    paint[parent] = after
                    try enqueue(parent)
                }
            }
            // Stop once only stale commits are left to walk.
            if queue.allSatisfy({ paint[$0.id]?.contains(.stale) == true }) { break }
        }
        return found
    }
}
