import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore
import Foundation

/// Why a merge command could not go on.
public enum MergeError: Error, LocalizedError {
    case inProgress(String)
    case noMergeInProgress
    case notFastForward(String)
    case unrelatedHistories(String)
    case headMoved
    case unresolved([String])
    case badState(String)
    case noConflict(id: String, field: String?)
    case objectNotFound(String)
    case valueForObjectConflict(String)

    public var errorDescription: String? {
        switch self {
        case let .inProgress(name):
            "a merge of '\(name)' is in progress: finish it with 'arxos merge --continue' or drop it with 'arxos merge --abort'"
        case .noMergeInProgress: "there is no merge in progress"
        case let .notFastForward(name):
            "'\(name)' cannot be fast-forwarded into the current branch: both have new commits\nhint: run 'arxos merge \(name)' without --ff-only"
        case let .unrelatedHistories(name): "refusing to merge '\(name)': it shares no history with the current branch"
        case .headMoved:
            "HEAD moved since the merge started\nhint: 'arxos merge --abort' and merge again"
        case let .unresolved(items):
            "\(items.count) conflict\(items.count == 1 ? " is" : "s are") not resolved: \(items.prefix(5).joined(separator: ", "))\(items.count > 5 ? ", …" : "")\nhint: 'arxos conflicts' lists them; 'arxos resolve ID --ours|--theirs|--value V', or edit the file and remove its $conflicts entry"
        case let .badState(path): "the merge state \(path) is damaged\nhint: remove it and restore the working tree with 'arxos state restore HEAD'"
        case let .noConflict(id, field):
            "'\(id)' has no open conflict\(field.map { " on '\($0)'" } ?? "")\nhint: 'arxos conflicts' lists the open ones"
        case let .objectNotFound(id): "no object '\(id)' in the files of this merge"
        case let .valueForObjectConflict(id):
            "the conflict on '\(id)' is about the whole object (deleted on one side): resolve it with --ours or --theirs"
        }
    }
}

/// One conflict still open in the working tree.
public struct OpenConflict: Sendable, Codable, Hashable {
    public var id: String
    public var type: String
    public var path: String
    public var line: Int
    public var field: String
    public var kind: MergeConflict.Kind
    public var base: String?
    public var ours: String?
    public var theirs: String?
}

/// `arxos merge`: fast-forward, or a three-way merge of objects with conflicts kept as data (docs/model.md).
public struct Merge {
    public enum Outcome: Sendable {
        case upToDate
        case fastForward(ObjectID, written: Int)
        case merged(ObjectID, written: Int, violations: [Violation])
        /// Stopped: conflicts to resolve, rule errors to fix, or `--no-commit`.
        case stopped(MergeState)
    }

    let repository: Repository
    public var message: String?
    public var noCommit = false
    public var fastForwardOnly = false
    public var noFastForward = false
    public var favor: ObjectMerge.Favor?
    public var allowViolations = false
    public var signer: PayloadSigner?
    public var validator: Validator
    public var isStrict: @Sendable (String, String) -> Bool = { type, field in TypeTable.standard.isStrict(type: type, property: field) }

    public init(repository: Repository, validator: Validator) {
        self.repository = repository
        self.validator = validator
    }

    /// Merges `theirs` (written `name` by the user) into HEAD.
    public func run(theirs: ObjectID, name: String) throws -> Outcome {
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        if let state = try MergeState.load(from: repository) { throw MergeError.inProgress(state.name) }
        let objects = repository.objects
        let head = try repository.refs.head()
        let committer = repository.identity(dateVariable: "ARXOS_COMMITTER_DATE")
        guard let ours = try repository.refs.headCommit() else {
            // An unborn branch simply takes theirs.
            let result = try Checkout(repository: repository).switchTree(from: nil, to: try objects.readCommit(theirs).tree, action: "merging")
            try moveHead(head, to: theirs, expecting: .absent, who: committer, message: "merge \(name): initial")
            return .fastForward(theirs, written: result.written)
        }
        let walker = HistoryWalker(objects: objects)
        if try walker.isAncestor(theirs, of: ours) { return .upToDate }
        let oursTree = try objects.readCommit(ours).tree, theirsTree = try objects.readCommit(theirs).tree
        if try !noFastForward && walker.isAncestor(ours, of: theirs) {
            let result = try Checkout(repository: repository).switchTree(from: oursTree, to: theirsTree, action: "merging '\(name)'")
            try moveHead(head, to: theirs, expecting: .value(ours), who: committer, message: "merge \(name): fast-forward")
            return .fastForward(theirs, written: result.written)
        }
        if fastForwardOnly { throw MergeError.notFastForward(name) }

        // The working tree must match HEAD: the merge writes files, and abort must restore them exactly.
        let snapshot = try SnapshotBuilder(tree: try WorkingTree(top: repository.top), previous: .file(repository.root + "/index"),
                                           sizeLimit: objects.sizeLimit, objects: objects).build(into: nil)
        if snapshot.tree != oursTree {
            let status = try WorkingTreeStatus.compute(in: repository)
            throw WorkspaceError.uncapturedChanges(paths: status.files.map(\.path), action: "merging '\(name)'")
        }

        let bases = try MergeBaseFinder(objects: objects).bases(ours, theirs)
        if bases.isEmpty { throw MergeError.unrelatedHistories(name) }
        let baseTree = try virtualBase(bases, depth: 0)
        // The working tree is clean, so the stat cache lists ours' objects file by file.
        let index = snapshot.index
        let result = try TreeMerge(objects: objects, favor: favor, isStrict: isStrict)
            .merge(base: baseTree, ours: oursTree, theirs: theirsTree, oursObjects: { index[$0]?.objects.map(\.id) })

        let branch: String? = if case let .branch(name) = head { name } else { nil }
        let message = self.message.map { Capture.normalize($0) }
            ?? "Merge '\(name)'\(branch.map { " into \($0)" } ?? "")\n"
        var state = MergeState(ours: ours, theirs: theirs, name: name, message: message,
                               paths: result.changes.map(\.path), conflicts: result.conflicts, violations: [],
                               allowViolations: allowViolations)
        if result.conflicts.isEmpty {
            state.violations = try violations(of: result, index: snapshot.index)
        }
        let blocking = state.violations.filter { $0.severity == .error }
        if !result.conflicts.isEmpty || (!blocking.isEmpty && !allowViolations) || noCommit {
            // The state is written before the files, so an interrupted merge can still be aborted.
            try state.save(in: repository)
            _ = try writeFiles(result.changes, tree: nil)
            return .stopped(state)
        }

        let batch = ObjectBatch(database: objects, looseLimit: 100, level: 3)
        var commitID: ObjectID
        do {
            var blobs = [(String, ObjectID?)]()
            for change in result.changes {
                blobs.append((change.path, try change.bytes.map { try batch.add(.blob, $0) }))
            }
            let tree = try TreeBuilder.patch(oursTree, with: blobs, objects: objects, into: batch)
            var commit = Commit(tree: tree, parents: [ours, theirs], author: repository.identity(), committer: committer,
                                message: Merge.withTrailers(message, violations: blocking))
            if let signer { commit.signatures = [try signer.signatureHeader(for: commit.signedPayload())] }
            commitID = try batch.add(.commit, commit.encoded())
            try batch.finish()
            try moveHead(head, to: commitID, expecting: .value(ours), who: committer, message: "merge \(name): " + commit.subject)
            let written = try Checkout(repository: repository).write(result.changes, tree: tree, index: snapshot.index)
            return .merged(commitID, written: written, violations: state.violations)
        } catch {
            batch.abandon()
            throw error
        }
    }

    /// The commit message with one `Allowed-Violation:` trailer per rule error let through.
    static func withTrailers(_ message: String, violations: [Violation]) -> String {
        guard !violations.isEmpty else { return message }
        let trailers = violations.map { "Allowed-Violation: \($0.rule) \($0.object)" }
        return Capture.normalize(message.trimmingCharacters(in: .newlines) + "\n\n" + trailers.joined(separator: "\n"))
    }

    /// The tree to merge against: the single base's, or a virtual base merged from several (criss-cross).
    func virtualBase(_ bases: [ObjectID], depth: Int) throws -> ObjectID {
        let objects = repository.objects
        var tree = try objects.readCommit(bases[0]).tree
        guard bases.count > 1, depth < 8 else { return tree }
        for other in bases.dropFirst() {
            let inner = try MergeBaseFinder(objects: objects).bases(bases[0], other)
            let innerTree = inner.isEmpty ? nil : try virtualBase(inner, depth: depth + 1)
            let merged = try TreeMerge(objects: objects, favor: .ours, isStrict: { _, _ in false })
                .merge(base: innerTree, ours: tree, theirs: try objects.readCommit(other).tree)
            // The virtual base's objects are written like any other: unreferenced, `arxos gc` removes them.
            let batch = ObjectBatch(database: objects, looseLimit: 100, level: 3)
            var blobs = [(String, ObjectID?)]()
            for change in merged.changes { blobs.append((change.path, try change.bytes.map { try batch.add(.blob, $0) })) }
            tree = try TreeBuilder.patch(tree, with: blobs, objects: objects, into: batch)
            try batch.finish()
        }
        return tree
    }

    /// The rule violations the merge brings: the rules run on the objects it changed, with the objects those rules
    /// look into loaded beside them (the new location of a moved object, a circuit's panel); every relation is checked
    /// against every id of the merged state (from the stat cache of the clean working tree). Whole-state totals such
    /// as a panel's load over all its circuits are left to `arxos validate`.
    func violations(of result: TreeMerge.Result, index: StatIndex) throws -> [Violation] {
        guard !result.changedObjects.isEmpty else { return [] }
        var pathOf = [String: String]()
        for entry in index.entries { for object in entry.objects { pathOf[object.id] = entry.path } }
        let removed = Set(result.removedIDs)
        var changed = [String: ArxObject]()
        for object in result.changedObjects { changed[object.id] = object }
        var known = Set(pathOf.keys).subtracting(removed).union(changed.keys)
        // Objects the changed ones point at, read from the working tree (which matches ours outside the changes).
        var neighbours = [String: ArxObject]()
        let tree = try WorkingTree(top: repository.top)
        var filesRead = Set<String>()
        for object in changed.values {
            // The objects the rules look into: the location chain when the location changed, the panel of a
            // circuit (and a panel's supplier). Other relations are checked for existence only.
            var keys = result.relocated.contains(object.id) ? ["location"] : []
            if object.type == "circuit" || object.type == "elec_panel" { keys += ["partOf", "fedBy"] }
            for key in keys {
                for target in object[key]?.idList ?? [] where changed[target] == nil && neighbours[target] == nil {
                    guard let path = pathOf[target], !removed.contains(target), filesRead.insert(path).inserted else { continue }
                    for found in try ArxObject.objects(path: path, bytes: try tree.read(path)) where changed[found.id] == nil {
                        neighbours[found.id] = found
                    }
                }
            }
        }
        known.formUnion(neighbours.keys)
        let checked = Array(changed.values) + Array(neighbours.values)
        return validator.validate(checked).filter { violation in
            guard changed[violation.object] != nil else { return false }
            if violation.rule == "relation-target", let target = violation.message.split(separator: "'").dropFirst().first {
                return !known.contains(String(target))
            }
            return true
        }
    }

    /// Points the current branch (or detached HEAD) at `commit`.
    func moveHead(_ head: Head, to commit: ObjectID, expecting: RefExpectation, who: Person, message: String) throws {
        switch head {
        case let .branch(name):
            try repository.refs.update("refs/heads/" + name, to: commit, expecting: expecting, who: who, message: message,
                                       alsoLogHead: true)
        case .detached:
            try repository.refs.setHead(detached: commit, who: who, message: message)
        }
    }

    /// Writes merged files into the working tree and the stat cache; `tree` is the root tree the working tree now
    /// matches, when known.
    func writeFiles(_ changes: [(path: String, bytes: [UInt8]?)], tree: ObjectID?) throws -> Int {
        try Checkout(repository: repository).write(changes, tree: tree)
    }

    // MARK: Concluding a stopped merge

    /// The conflicts still open in the working tree: every `$conflicts` entry in the files the merge wrote.
    public static func openConflicts(in repository: Repository, state: MergeState) throws -> [OpenConflict] {
        var kinds = [String: MergeConflict.Kind]()
        for conflict in state.conflicts { kinds[conflict.id + "\u{0}" + conflict.field] = conflict.kind }
        var out = [OpenConflict]()
        for path in state.paths where WorkingTree.holdsObjects(path) {
            guard let bytes = try FileSystem.read(repository.top + "/" + path) else { continue }
            for object in try ArxObject.objects(path: path, bytes: bytes) {
                guard let entries = object[ObjectMerge.conflictsKey]?.fields else { continue }
                for entry in entries {
                    let sides = entry.value.fields ?? []
                    func side(_ name: String) -> String? { sides.first { $0.key == name }.map { ObjectWriter.inline($0.value) } }
                    out.append(OpenConflict(id: object.id, type: object.type, path: path, line: object.line, field: entry.key,
                                            kind: kinds[object.id + "\u{0}" + entry.key] ?? .value,
                                            base: side("base"), ours: side("ours"), theirs: side("theirs")))
                }
            }
        }
        return out
    }

    /// Records the merge commit for a stopped merge once its conflicts are resolved and the rules pass.
    public func conclude(allowViolations allow: Bool) throws -> (ObjectID, [Violation]) {
        guard var state = try MergeState.load(from: repository) else { throw MergeError.noMergeInProgress }
        guard try repository.refs.headCommit() == state.ours else { throw MergeError.headMoved }
        let open = try Merge.openConflicts(in: repository, state: state)
        if !open.isEmpty { throw MergeError.unresolved(open.map { "\($0.id) \($0.field)" }) }
        let allowed = allow || state.allowViolations || allowViolations
        // The rules run on the merged state as it is now in the working tree.
        let objects = try StateObjects.loadWorkingTree(of: repository)
        let touched = Set(state.paths)
        let all = validator.validate(objects).filter { touched.contains($0.path) }
        let blocking = all.filter { $0.severity == .error }
        if !blocking.isEmpty && !allowed {
            state.violations = all
            try state.save(in: repository)
            throw MergeStopped(violations: blocking)
        }
        var capture = Capture(message: Merge.withTrailers(message.map { Capture.normalize($0) } ?? state.message, violations: blocking))
        capture.mergeParents = [state.theirs]
        capture.allowEmpty = true
        capture.signer = signer
        // The rules ran above, on the whole merged state; the capture need not repeat them.
        capture.validate = false
        let result = try capture.run(in: repository)
        try MergeState.remove(in: repository)
        return (result.commit, all)
    }

    /// Puts back every file the merge wrote, as it is in HEAD, and forgets the merge.
    public func abort() throws -> Int {
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        guard let state = try MergeState.load(from: repository) else { throw MergeError.noMergeInProgress }
        let tree = try repository.objects.readCommit(state.ours).tree
        var original = [String: ObjectID]()
        for path in state.paths {
            if let entry = try TreeBuilder.entry(at: path, in: tree, objects: repository.objects), entry.kind == .file {
                original[path] = entry.id
            }
        }
        let result = try Checkout(repository: repository).apply(old: [:], new: original, paths: state.paths)
        try MergeState.remove(in: repository)
        return result.written + result.removed
    }
}

/// A merge stopped by rule errors on the merged state.
public struct MergeStopped: Error, LocalizedError {
    public var violations: [Violation]
    public init(violations: [Violation]) { self.violations = violations }
    public var errorDescription: String? {
        "the merged state breaks \(violations.count) rule\(violations.count == 1 ? "" : "s") (listed above)\nhint: fix the files and run 'arxos merge --continue', or accept with 'arxos merge --continue --allow-violations'"
    }
}
