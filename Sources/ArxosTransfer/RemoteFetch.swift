import ArxosCore
import ArxosProtocol
import ArxosStore
import ArxosWorkspace
import Foundation

/// Fetches a remote's branches and tags into `refs/remotes/<name>/…` and `refs/tags/…` (docs/protocol.md).
public struct RemoteFetch {
    let repository: Repository
    let remote: String

    public init(repository: Repository, remote: String) {
        self.repository = repository
        self.remote = remote
    }

    /// One ref this fetch moved (or would have).
    public struct RefChange: Sendable {
        public var local: String
        public var remote: String
        public var old: ObjectID?
        public var new: ObjectID
    }

    public struct Outcome: Sendable {
        public var stats = ClientSession.Stats()
        public var changes: [RefChange] = []
        /// The branch the remote's HEAD is on (`refs/heads/…`), if any.
        public var remoteHead: String?
        public var remoteRefs: [RemoteRef] = []
    }

    /// The remote-tracking ref of a remote branch `refs/heads/<b>`.
    public func trackingRef(_ remoteRef: String) -> String {
        "refs/remotes/\(remote)/" + remoteRef.dropFirst("refs/heads/".count)
    }

    /// Lists the remote's refs, fetches the objects this repository lacks into a quarantine, verifies them, moves them
    /// in and updates the tracking refs, all under the repository lock from the move on. Nothing changes on error.
    public func run(session: ClientSession) throws -> Outcome {
        var outcome = Outcome()
        let (refs, head) = try session.listRefs(prefixes: ["refs/heads/", "refs/tags/"])
        outcome.remoteHead = head
        outcome.remoteRefs = refs
        var changes = [RefChange]()
        for ref in refs {
            let local: String
            if ref.name.hasPrefix("refs/heads/") {
                local = trackingRef(ref.name)
            } else if ref.name.hasPrefix("refs/tags/") {
                local = ref.name
            } else { continue }
            // A bad name from the remote is refused before anything is fetched.
            try RefStore.validate(ref.name)
            try RefStore.validate(local)
            let old = try repository.refs.read(local)
            if old == ref.id { continue }
            // Tags are created, never moved.
            if local.hasPrefix("refs/tags/"), old != nil { continue }
            changes.append(RefChange(local: local, remote: ref.name, old: old, new: ref.id))
        }
        var wants = [ObjectID]()
        for change in changes where try !repository.objects.contains(change.new) && !wants.contains(change.new) {
            wants.append(change.new)
        }
        let limits = ReceiveLimits(setting: repository.setting)
        let policy = try SignaturePolicy.check(for: repository)
        var quarantine = try Quarantine(repository: repository, limits: limits)
        quarantine.policy = policy
        do {
            try quarantine.adoptResumed()
        } catch {
            // Objects kept from an earlier fetch that no longer pass are dropped; this fetch starts afresh.
            quarantine.discard()
            quarantine.clearResume()
            quarantine = try Quarantine(repository: repository, limits: limits)
            quarantine.policy = policy
        }
        defer { quarantine.discard() }
        if !wants.isEmpty {
            var haves = [ObjectID]()
            var seen = Set<ObjectID>()
            for ref in try repository.refs.list("refs/") where seen.insert(ref.id).inserted { haves.append(ref.id) }
            if let head = try repository.refs.headCommit(), seen.insert(head).inserted { haves.append(head) }
            do {
                outcome.stats = try session.fetch(wants: wants, haves: haves, store: repository.objects, into: quarantine)
            } catch {
                // Cut off: keep what was verified so that the next fetch does not ask for it again.
                if RemoteFetch.isInterruption(error) { quarantine.keepForResume() }
                throw error
            }
            try quarantine.checkConnectivity(tips: wants, store: repository.objects)
        }
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        try quarantine.moveIn(store: repository.objects)
        let who = repository.identity()
        for change in changes {
            try repository.refs.update(change.local, to: change.new, expecting: change.old.map { .value($0) } ?? .absent,
                                       who: who, message: "fetch: \(remote) \(change.remote)")
        }
        outcome.changes = changes
        quarantine.clearResume()
        return outcome
    }

    /// Whether an error means the connection was cut (worth resuming) rather than that the data was bad.
    static func isInterruption(_ error: Error) -> Bool {
        switch error {
        case ProtocolError.truncated: true
        case let error as TransferError: if case .io = error { true } else { false }
        default: false
        }
    }
}
