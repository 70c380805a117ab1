import ArxosCore
import ArxosStore
import ArxosTransfer
import Testing

@Suite struct MissingObjectsTests {
    let who = Person(name: "T", email: "t@example.com", seconds: 1_700_000_000, offsetMinutes: 0)

    func tree(_ store: ObjectDatabase, _ entries: [(String, ObjectID, Bool)]) throws -> ObjectID {
        try store.write(.tree, try Tree(entries: entries.map { TreeEntry(kind: $0.2 ? .directory : .file, name: $0.0, id: $0.1) }).encoded())
    }

    /// Two commits: the second changes one file in `a/`; `b/` (a deep subtree) is unchanged.
    func history(_ store: ObjectDatabase) throws -> (c1: ObjectID, c2: ObjectID, b: [ObjectID], changed: [ObjectID]) {
        let x1 = try store.write(.blob, Array("x: 1\n".utf8)), x2 = try store.write(.blob, Array("x: 2\n".utf8))
        let y = try store.write(.blob, Array("y\n".utf8))
        let deepBlob = try store.write(.blob, Array("deep\n".utf8))
        let deep = try tree(store, [("deep.yaml", deepBlob, false)])
        let b = try tree(store, [("deep", deep, true), ("y.yaml", y, false)])
        let a1 = try tree(store, [("x.yaml", x1, false), ("y.yaml", y, false)])
        let a2 = try tree(store, [("x.yaml", x2, false), ("y.yaml", y, false)])
        let root1 = try tree(store, [("a", a1, true), ("b", b, true)])
        let root2 = try tree(store, [("a", a2, true), ("b", b, true)])
        let c1 = try store.write(.commit, Commit(tree: root1, parents: [], author: who, committer: who, message: "one\n").encoded())
        let c2 = try store.write(.commit, Commit(tree: root2, parents: [c1], author: who, committer: who, message: "two\n").encoded())
        return (c1, c2, [b, deep, deepBlob, y], [c2, root2, a2, x2])
    }

    @Test func sendsOnlyWhatChangedAndNeverProbesAnUnchangedSubtree() throws {
        let store = try TemporaryStore()
        let h = try history(store.objects)
        var probed = [ObjectID]()
        let walker = MissingObjects(objects: store.objects) { ids in
            probed += ids
            return []  // the receiver answers nothing beyond what it told us up front
        }
        let plan = try walker.plan(wants: [h.c2], known: [h.c1])
        #expect(Set(plan.ids) == Set(h.changed))
        #expect(plan.ids.first == h.c2, "commits go first")
        for id in h.b { #expect(!probed.contains(id), "probed \(id.hex), which is in an unchanged subtree") }
        #expect(plan.rounds == 4, "one round per level: commit, root, a/, x.yaml")
    }

    @Test func aProbedObjectTheReceiverHasIsNotDescended() throws {
        let store = try TemporaryStore()
        let h = try history(store.objects)
        // Nothing known up front; the receiver has c1 and says so when asked.
        let walker = MissingObjects(objects: store.objects) { ids in Set(ids.filter { $0 == h.c1 }) }
        let plan = try walker.plan(wants: [h.c2], known: [])
        #expect(Set(plan.ids) == Set(h.changed))
    }

    @Test func aCloneSendsEverythingWithoutProbing() throws {
        let store = try TemporaryStore()
        let h = try history(store.objects)
        let walker = MissingObjects(objects: store.objects) { _ in
            Issue.record("a clone must not probe")
            return []
        }
        let plan = try walker.plan(wants: [h.c2], known: [], probing: false)
        #expect(plan.ids.count == Set(plan.ids).count)
        #expect(Set(plan.ids).isSuperset(of: Set(h.changed + h.b + [h.c1])))
        #expect(plan.rounds == 0)
        // The pack of that plan parses back into the same objects.
        let pack = try PackStreamWriter.build(plan.ids, from: store.objects)
        #expect(Set(try parse(pack, pieces: 333)) == Set(plan.ids))
    }
}
