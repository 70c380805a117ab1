import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore

/// The three-way merge of two trees against a base: which files change relative to ours, with what bytes, and the
/// conflicts (docs/model.md, "Merging"). Only files that differ between the base and either side are read.
public struct TreeMerge {
    let objects: ObjectDatabase
    public var favor: ObjectMerge.Favor?
    public var isStrict: @Sendable (String, String) -> Bool

    public init(objects: ObjectDatabase, favor: ObjectMerge.Favor? = nil,
                isStrict: @escaping @Sendable (String, String) -> Bool = { _, _ in false }) {
        self.objects = objects; self.favor = favor; self.isStrict = isStrict
    }

    /// The outcome, relative to ours.
    public struct Result: Sendable {
        /// Files whose content differs from ours: new bytes, or nil to remove the file.
        public var changes: [(path: String, bytes: [UInt8]?)]
        public var conflicts: [MergeConflict]
        /// The merged objects that differ from ours (added or changed), for the rules.
        public var changedObjects: [ArxObject]
        /// Ids the merge removed from ours.
        public var removedIDs: [String]
        /// Ids of changed objects whose `location` differs from ours' (or that ours did not have).
        public var relocated: Set<String> = []
    }

    /// One object as found on one side: where, and in which position of its file.
    private struct Placed {
        var object: ArxObject
        var order: Int
    }

    private struct Side {
        var objects = [String: Placed]()
        var layouts = [String: FileLayout]()
        var headers = [String: String]()
        var ids = [String: Set<String>]()
        var blobs = [String: ObjectID]()
    }

    /// Merges `theirs` into `ours` against `base`. `oursObjects`, when given, lists the object ids of a file of ours
    /// (from the stat cache); with it, files only ours changed are not read.
    public func merge(base: ObjectID?, ours: ObjectID, theirs: ObjectID,
                      oursObjects: ((String) -> [String]?)? = nil) throws -> Result {
        let oursChanges = try StateDiff.changedFiles(base, ours, objects: objects)
        let theirsChanges = try StateDiff.changedFiles(base, theirs, objects: objects)
        var baseBlobs = [String: ObjectID](), oursBlobs = [String: ObjectID](), theirsBlobs = [String: ObjectID]()
        for change in oursChanges {
            if let old = change.old { baseBlobs[change.path] = old }
            oursBlobs[change.path] = change.new
        }
        for change in theirsChanges {
            if let old = change.old { baseBlobs[change.path] = old }
            theirsBlobs[change.path] = change.new
        }
        let oursTouched = Set(oursChanges.map(\.path)), theirsTouched = Set(theirsChanges.map(\.path))
        // A file one side did not touch is the base's file on that side.
        func blob(_ path: String, touched: Set<String>, _ side: [String: ObjectID]) -> ObjectID? {
            touched.contains(path) ? side[path] : baseBlobs[path]
        }

        // Each blob is read and parsed once, even when it is the same on two sides.
        var parsed = [ObjectID: (objects: [ArxObject], layout: FileLayout, header: String)]()
        func parse(_ id: ObjectID, path: String) throws -> (objects: [ArxObject], layout: FileLayout, header: String) {
            if let hit = parsed[id], hit.objects.first?.path ?? path == path { return hit }
            let content = try objects.readBlob(id)
            let (found, layout) = try ArxObject.read(path: path, bytes: content)
            let value = (found, layout, FileLayout.header(of: content))
            parsed[id] = value
            return value
        }
        func bytes(_ id: ObjectID) throws -> [UInt8] { try objects.readBlob(id) }
        func load(_ blobs: [(String, ObjectID?)]) throws -> Side {
            var side = Side()
            for (path, id) in blobs {
                guard let id else { continue }
                side.blobs[path] = id
                guard WorkingTree.holdsObjects(path) else { continue }
                let file = try parse(id, path: path)
                side.layouts[path] = file.layout
                side.headers[path] = file.header
                for (order, object) in file.objects.enumerated() {
                    side.objects[object.id] = Placed(object: object, order: order)
                    side.ids[path, default: []].insert(object.id)
                }
            }
            return side
        }

        // A file only ours changed needs no reading when none of its objects is in a file theirs changed: the
        // result there is ours. (Ids are unique in every state, so the base's objects of such a file are not in
        // theirs' changed files either.) Without ours' object lists every changed file is read.
        var paths = theirsTouched
        if let oursObjects {
            var theirsIDs = Set<String>()
            for path in theirsTouched.sorted() {
                for id in [baseBlobs[path], theirsBlobs[path] ?? nil].compactMap({ $0 }) where WorkingTree.holdsObjects(path) {
                    for object in try parse(id, path: path).objects { theirsIDs.insert(object.id) }
                }
            }
            for path in oursTouched.subtracting(theirsTouched) {
                guard let ids = oursObjects(path), ids.allSatisfy({ !theirsIDs.contains($0) }) else {
                    paths.insert(path)
                    continue
                }
                if !WorkingTree.holdsObjects(path) { paths.insert(path) }
            }
        } else {
            paths.formUnion(oursTouched)
        }
        let ordered = paths.sorted()
        // In path order: packs store objects by path, so neighbouring reads share decompressed chunks.
        let baseSide = try load(ordered.map { ($0, baseBlobs[$0]) })
        let oursSide = try load(ordered.map { ($0, blob($0, touched: oursTouched, oursBlobs)) })
        let theirsSide = try load(ordered.map { ($0, blob($0, touched: theirsTouched, theirsBlobs)) })

        var conflicts = [MergeConflict]()
        var changedObjects = [ArxObject]()
        var removedIDs = [String]()
        var relocated = Set<String>()
        // path → (sort key, id, fields written to the file)
        var placed = [String: [(key: (Int, Int), id: String, fields: [ModelValue.Field])]]()
        // Whether every object placed in a path is exactly ours' (or theirs') version.
        var notOurs = Set<String>(), notTheirs = Set<String>()

        let ids = Set(baseSide.objects.keys).union(oursSide.objects.keys).union(theirsSide.objects.keys)
        for id in ids.sorted() {
            let bo = baseSide.objects[id], oo = oursSide.objects[id], to = theirsSide.objects[id]
            let basePath = bo?.object.path
            let path: String
            switch (oo, to) {
            case let (oo?, to?):
                path = oo.object.path != basePath ? oo.object.path : to.object.path != basePath ? to.object.path : oo.object.path
            case let (oo?, nil): path = oo.object.path
            case let (nil, to?): path = to.object.path
            case (nil, nil): path = basePath ?? ""
            }
            let result = ObjectMerge.merge(base: bo?.object, ours: oo?.object, theirs: to?.object, path: path,
                                           favor: favor, isStrict: isStrict)
            conflicts += result.conflicts
            guard let fields = result.markedFields else {
                if let oo { removedIDs.append(id); notOurs.insert(oo.object.path) }
                if let to { notTheirs.insert(to.object.path) }
                continue
            }
            let key = oo.map { (0, $0.order) } ?? (1, to?.order ?? 0)
            placed[path, default: []].append((key, id, fields))
            if oo?.object.fields != fields || oo?.object.path != path {
                notOurs.insert(path)
                if let old = oo?.object.path { notOurs.insert(old) }
                if let merged = result.fields {
                    if oo?.object.location != merged.first(where: { $0.key == "location" })?.value.text { relocated.insert(id) }
                    let line = oo?.object.path == path ? oo?.object.line : to?.object.path == path ? to?.object.line : nil
                    changedObjects.append(ArxObject(id: id, type: merged.first { $0.key == "type" }?.value.text ?? "",
                                                    path: path, line: line ?? 1, fields: merged))
                }
            }
            if to?.object.fields != fields || to?.object.path != path {
                notTheirs.insert(path)
                if let old = to?.object.path { notTheirs.insert(old) }
            }
        }

        var changes = [(path: String, bytes: [UInt8]?)]()
        let conflicted = Set(conflicts.map(\.path))
        for path in ordered {
            let oursBlob = oursSide.blobs[path], theirsBlob = theirsSide.blobs[path], baseBlob = baseSide.blobs[path]
            if oursBlob == theirsBlob && !conflicted.contains(path) { continue }
            guard WorkingTree.holdsObjects(path) else {
                // Files that hold no objects (`.arxosignore`) merge whole: one side's change, or ours and a conflict.
                if oursBlob == baseBlob {
                    changes.append((path, try theirsBlob.map(bytes)))
                } else if theirsBlob != baseBlob {
                    conflicts.append(MergeConflict(id: path, type: "file", path: path, field: "(file)", kind: .value,
                                                   base: baseBlob?.hex, ours: oursBlob?.hex, theirs: theirsBlob?.hex))
                }
                continue
            }
            let entries = (placed[path] ?? []).sorted { $0.key < $1.key }
            let oursIDs = oursSide.ids[path] ?? [], theirsIDs = theirsSide.ids[path] ?? []
            let mergedIDs = Set(entries.map(\.id))
            if !notOurs.contains(path) && mergedIDs == oursIDs && oursBlob != nil { continue }
            if !notTheirs.contains(path) && mergedIDs == theirsIDs, let theirsBlob {
                changes.append((path, try bytes(theirsBlob)))
                continue
            }
            if entries.isEmpty {
                if oursBlob != nil && !(oursIDs.isEmpty && theirsIDs.isEmpty) { changes.append((path, nil)) }
                else if oursBlob == nil, let theirsBlob, oursIDs.isEmpty, theirsIDs.isEmpty, baseBlob == nil {
                    changes.append((path, try bytes(theirsBlob)))
                }
                continue
            }
            let layout = oursSide.layouts[path] ?? theirsSide.layouts[path] ?? .single
            let header = oursSide.headers[path] ?? theirsSide.headers[path] ?? ""
            let text = ObjectWriter.file(entries.map(\.fields), layout: layout, header: header)
            let written = Array(text.utf8)
            if let oursBlob, ObjectEncoding.id(.blob, written) == oursBlob { continue }
            changes.append((path, written))
        }
        return Result(changes: changes, conflicts: conflicts.sorted { ($0.path, $0.id, $0.field) < ($1.path, $1.id, $1.field) },
                      changedObjects: changedObjects, removedIDs: removedIDs, relocated: relocated)
    }
}
