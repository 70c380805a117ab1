import ArxosCore
import ArxosModel
import ArxosStore
import Foundation

/// Something that can sign a payload: returns the value of a `signature` header (`ed25519 <key-id> <base64>`).
public protocol PayloadSigner {
    func signatureHeader(for payload: [UInt8]) throws -> String
}

/// What went wrong in a workspace command, beyond store and file errors.
public enum WorkspaceError: Error, LocalizedError {
    case nothingToCapture
    case nothingToAmend
    case badRevision(String, reason: String)
    case ambiguousRevision(String, candidates: [String])
    case uncapturedChanges(paths: [String], action: String)
    case branchExists(String)
    case noSuchBranch(String)
    case deletingCurrentBranch(String)
    case tagExists(String)
    case badPath(String)
    case badIdentity(String)

    public var errorDescription: String? {
        switch self {
        case .nothingToCapture:
            "nothing to capture: the working tree matches HEAD\nhint: edit files first, or use --allow-empty"
        case .nothingToAmend: "there is no commit to amend on this branch"
        case let .badRevision(rev, reason): "bad revision '\(rev.debugEscaped)': \(reason)"
        case let .ambiguousRevision(rev, candidates):
            "revision '\(rev)' is ambiguous: it matches \(candidates.prefix(5).joined(separator: ", "))\nhint: give more hex digits"
        case let .uncapturedChanges(paths, action):
            "\(action) would overwrite uncaptured changes in \(paths.prefix(5).joined(separator: ", "))\(paths.count > 5 ? " and \(paths.count - 5) more" : "")\nhint: capture them first ('arxos state capture -m …') or discard them with 'arxos state restore HEAD PATH'"
        case let .branchExists(name): "a branch named '\(name)' already exists"
        case let .noSuchBranch(name): "there is no branch named '\(name)'\nhint: 'arxos branch' lists branches; 'arxos switch -c \(name)' creates one"
        case let .deletingCurrentBranch(name): "cannot delete '\(name)': it is the current branch\nhint: switch to another branch first"
        case let .tagExists(name): "a tag named '\(name)' already exists"
        case let .badPath(path): "'\(path)' is not a tracked file or directory"
        case let .badIdentity(text): "'\(text)' is not 'Name <email>'"
        }
    }
}

/// Records the working tree as a new commit on the current branch.
public struct Capture {
    public var message: String?
    public var allowEmpty = false
    public var amend = false
    public var author: Person?
    public var signer: PayloadSigner?
    /// Further parents after HEAD: the other side of a merge being concluded.
    public var mergeParents: [ObjectID] = []
    /// Check the changed objects against the rules first and refuse a state with errors (docs/model.md). Off for
    /// emergencies (`--no-validate`, which also sets `recordSkippedValidation`), or when the caller validated the
    /// state itself (a merge).
    public var validate = true
    /// With `validate` off, end the commit message with the trailer `Validation-Skipped: yes`.
    public var recordSkippedValidation = false
    /// Told how the reading of changed files and the writing of objects go; nil costs nothing.
    public var progress: ProgressHandler? = nil

    public init(message: String?) { self.message = message }

    public struct Result: Sendable {
        public var commit: ObjectID
        public var tree: ObjectID
        public var branch: String?
        public var filesRead: Int
        public var objectsWritten: Int
        public var isRoot: Bool
        /// How many packs the store has now; many small packs slow reads until `arxos gc` merges them.
        public var packCount: Int
        /// Violations of severity warning found in the changed objects (errors refuse the capture).
        public var warnings: [Violation] = []
    }

    /// The trailer that records a capture made with validation off.
    public static let validationSkippedTrailer = "Validation-Skipped: yes"

    /// Runs the capture under the repository lock. Nothing is written when a file is bad or nothing changed.
    public func run(in repository: Repository) throws -> Result {
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        let indexPath = repository.root + "/index"
        let head = try repository.refs.head()
        let headCommit = try repository.refs.headCommit()
        let previous = try headCommit.map { try repository.objects.readCommit($0) }
        if amend && previous == nil { throw WorkspaceError.nothingToAmend }

        let looseLimit = repository.setting("capture.looseLimit").flatMap(Int.init) ?? 100
        let level = repository.setting("pack.level").flatMap(Int32.init) ?? 3
        let workingTree = try WorkingTree(top: repository.top)
        var checker: CaptureValidator? = nil
        if validate {
            // A changed rules file applies to the unchanged objects too.
            let rulesText = try RepositoryValidation.workingTreeRules(repository)
            let parentRules = try previous.flatMap { try TreeBuilder.entry(at: WorkingTree.rulesFileName, in: $0.tree, objects: repository.objects) }
                .map { String(decoding: try repository.objects.readBlob($0.id), as: UTF8.self) }
            checker = CaptureValidator(validator: try RepositoryValidation.validator(for: repository, rulesText: rulesText),
                                       tree: workingTree, rulesChanged: { rulesText != parentRules })
        }
        let batch = ObjectBatch(database: repository.objects, looseLimit: looseLimit, level: level)
        let snapshot: Snapshot
        do {
            var builder = SnapshotBuilder(tree: workingTree, previous: .file(indexPath),
                                          sizeLimit: repository.objects.sizeLimit, objects: repository.objects)
            // Checks the changed objects as they are read; a state with errors stops the snapshot before any tree is
            // built, and leaves the stat cache as it was, so the next capture reads (and checks) those files again.
            builder.visitor = checker
            builder.progress = progress
            snapshot = try builder.build(into: batch)
        } catch {
            batch.abandon()
            throw error
        }
        let parentTree = amend ? (try previous?.parents.first.map { try repository.objects.readCommit($0).tree }) : previous?.tree
        if !allowEmpty && !amend && snapshot.tree == (parentTree ?? ObjectEncoding.id(.tree, [])) {
            batch.abandon()
            try? snapshot.index.save(to: indexPath)
            throw WorkspaceError.nothingToCapture
        }
        let committer = repository.identity(dateVariable: "ARXOS_COMMITTER_DATE")
        var commit = Commit(
            tree: snapshot.tree,
            parents: amend ? (previous?.parents ?? []) : (headCommit.map { [$0] } ?? []) + mergeParents,
            author: author ?? (amend ? previous?.author : nil) ?? repository.identity(),
            committer: committer,
            message: Capture.normalize(message ?? (amend ? previous?.message : nil) ?? ""))
        if !validate && recordSkippedValidation && !commit.message.contains(Capture.validationSkippedTrailer) {
            commit.message = Capture.normalize(commit.message + "\n" + Capture.validationSkippedTrailer)
        }
        if let signer { commit.signatures = [try signer.signatureHeader(for: commit.signedPayload())] }
        let id = try batch.add(.commit, commit.encoded())
        // Objects become durable before any ref can point at them. They went into the batch (one pack, when many) as
        // the files were read and the trees built, so writing has no steps of its own to report, only its end.
        try batch.finish()
        progress?(WorkProgress(phase: .writingObjects, done: batch.count, total: batch.count, finished: true))

        let subject = commit.subject
        let reflogMessage = (amend ? "capture (amend): " : previous == nil ? "capture (initial): " : "capture: ") + subject
        switch head {
        case let .branch(name):
            try repository.refs.update("refs/heads/" + name, to: id, expecting: headCommit.map { .value($0) } ?? .absent,
                                       who: committer, message: reflogMessage, alsoLogHead: true)
        case .detached:
            try repository.refs.setHead(detached: id, who: committer, message: reflogMessage)
        }
        try snapshot.index.save(to: indexPath)
        var branch: String? = nil
        if case let .branch(name) = head { branch = name }
        return Result(commit: id, tree: snapshot.tree, branch: branch, filesRead: snapshot.filesRead,
                      objectsWritten: batch.count, isRoot: commit.parents.isEmpty,
                      packCount: (try? repository.objects.packs.count) ?? 0, warnings: checker?.warnings ?? [])
    }

    /// Messages end with exactly one newline; trailing blank lines are dropped.
    public static func normalize(_ message: String) -> String {
        var text = message.replacingOccurrences(of: "\r\n", with: "\n")
        while text.hasSuffix("\n") || text.hasSuffix(" ") || text.hasSuffix("\t") { text.removeLast() }
        return text + "\n"
    }
}
