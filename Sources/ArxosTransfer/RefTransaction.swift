import ArxosCore
import ArxosProtocol
import ArxosStore
import ArxosWorkspace

/// Applies the ref updates of one push all together or not at all (docs/protocol.md, "Receiving", step 6).
public struct RefTransaction {
    let repository: Repository
    /// Refuse updates of the branch HEAD is on (its working tree would no longer match); `receive.denyCurrentBranch`.
    public var denyCurrentBranch: Bool

    public init(repository: Repository) {
        self.repository = repository
        denyCurrentBranch = repository.setting("receive.denyCurrentBranch") != "false"
    }

    /// Checks every update against the current refs, then applies them all; the caller holds the repository lock, so
    /// no ref moves between the check and the writes. Returns one result per update.
    public func apply(_ updates: [RefUpdate], who: Person, message: String) -> [RefResult] {
        var rejections = [String: String]()
        for update in updates {
            if let reason = check(update) { rejections[update.ref] = reason }
        }
        if rejections.isEmpty {
            var applied = [RefUpdate]()
            for update in updates {
                do {
                    try repository.refs.update(update.ref, to: update.new, expecting: update.old.map { .value($0) } ?? .absent,
                                               who: who, message: message)
                    applied.append(update)
                } catch {
                    rejections[update.ref] = error.localizedDescription.split(separator: "\n").first.map(String.init) ?? "failed"
                    // Put back what was already moved, so the push stays all or nothing.
                    for done in applied.reversed() {
                        try? repository.refs.update(done.ref, to: done.old, expecting: done.new.map { .value($0) } ?? .absent,
                                                    who: who, message: message + " (rolled back)")
                    }
                    break
                }
            }
        }
        if rejections.isEmpty { return updates.map { RefResult(ref: $0.ref, rejection: nil) } }
        return updates.map { RefResult(ref: $0.ref, rejection: rejections[$0.ref] ?? "not applied: another update was refused") }
    }

    /// The results to send when some update breaks a rule that needs no objects (name, prefix, stale old value,
    /// checked-out branch, existing tag); nil when all pass. Run before the received objects are moved in, so a
    /// refused push stores nothing.
    public func precheck(_ updates: [RefUpdate]) -> [RefResult]? {
        var rejections = [String: String]()
        for update in updates {
            if let reason = check(update, objects: false) { rejections[update.ref] = reason }
        }
        if rejections.isEmpty { return nil }
        return updates.map { RefResult(ref: $0.ref, rejection: rejections[$0.ref] ?? "not applied: another update was refused") }
    }

    /// Why an update cannot be applied, or nil; `objects` false skips the rules that read objects.
    func check(_ update: RefUpdate, objects: Bool = true) -> String? {
        do {
            try RefStore.validate(update.ref)
        } catch {
            return "bad ref name: " + (error.localizedDescription.split(separator: "\n").first.map(String.init) ?? "")
        }
        guard update.ref.hasPrefix("refs/heads/") || update.ref.hasPrefix("refs/tags/") else {
            return "only refs/heads/ and refs/tags/ can be pushed"
        }
        do {
            let current = try repository.refs.read(update.ref)
            if current != update.old {
                return "stale: expected \(update.old?.hex ?? "no value"), found \(current?.hex ?? "no value"); fetch first"
            }
            if denyCurrentBranch, case let .branch(name) = try repository.refs.head(), update.ref == "refs/heads/" + name {
                return "\(update.ref) is checked out in the remote's working tree; set receive.denyCurrentBranch = false there to allow"
            }
            if update.ref.hasPrefix("refs/tags/"), update.old != nil, update.new != nil, !update.force { return "tag already exists" }
            guard let new = update.new, objects else { return nil }
            guard try repository.objects.contains(new) else { return "\(new.hex) is missing" }
            if let old = update.old, !update.force, update.ref.hasPrefix("refs/heads/") {
                guard try repository.objects.read(new).0 == .commit else { return "\(new.hex) is not a commit" }
                if try !HistoryWalker(objects: repository.objects).isAncestor(old, of: new) {
                    return "non-fast-forward"
                }
            }
            return nil
        } catch {
            return error.localizedDescription.split(separator: "\n").first.map(String.init) ?? "failed"
        }
    }
}
