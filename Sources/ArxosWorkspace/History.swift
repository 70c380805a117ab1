import ArxosCore
import ArxosStore

/// Walks commits newest first (by committer time), following all parents.
public struct HistoryWalker {
    let objects: ObjectDatabase

    public init(objects: ObjectDatabase) { self.objects = objects }

    /// Commits reachable from `starts`, newest first; `visit` returns false to stop.
    public func walk(from starts: [ObjectID], visit: (ObjectID, Commit) throws -> Bool) throws {
        var seen = Set<ObjectID>()
        var queue = [(ObjectID, Commit)]()
        func push(_ id: ObjectID) throws {
            guard seen.insert(id).inserted else { return }
            let commit = try objects.readCommit(id)
            // Keep the queue sorted oldest first so the newest is popped from the end.
            let position = queue.partitionIndex { $0.1.committer.seconds > commit.committer.seconds }
            queue.insert((id, commit), at: position)
        }
        for start in starts { try push(start) }
        while let (id, commit) = queue.popLast() {
            guard try visit(id, commit) else { return }
            for parent in commit.parents { try push(parent) }
        }
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        var found = false
        try walk(from: [descendant]) { id, _ in
            if id == ancestor { found = true }
            return !found
        }
        return found
    }
}

extension Array {
    /// The first index whose element satisfies `belongsInSecondPartition`, assuming the array is partitioned by it.
    func partitionIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongsInSecondPartition(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
