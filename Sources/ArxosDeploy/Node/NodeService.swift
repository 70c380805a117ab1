import ArxosCore
import ArxosProtocol
import ArxosSigning
import ArxosStore
import ArxosTransfer
import Foundation

/// The node's side of a deploy (docs/deploy.md, protocol.md section 10): checks every pushed commit, answers the node
/// requests, switches states, and switches back by itself when the controller does not confirm in time.
public final class NodeService: NodeRequestHandler, @unchecked Sendable {
    public let node: EdgeNode
    let database: NodeDatabase
    /// Where the node's messages go (the daemon's stderr).
    let log: @Sendable (String) -> Void

    public init(node: EdgeNode, log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.node = node
        database = try node.database()
        self.log = log
    }

    // MARK: Receiving

    /// Refuses any object but a deploy commit that is signed by a trusted, unrevoked key, bound to this building,
    /// newer in sequence than anything the node accepted, and (unless it is a rollback) not older than what it runs.
    public func checkReceived(_ id: ObjectID, _ type: ObjectType, _ content: ArraySlice<UInt8>) throws {
        guard type == .commit else { throw DeployError.notADeployCommit("a node accepts only deploy commits, not a \(type.rawValue)") }
        let commit: Commit
        do { commit = try Commit(parsing: content) } catch { throw DeployError.notADeployCommit("\(error)") }
        try check(commit, content: Array(content))
    }

    /// The checks of docs/deploy.md "The deploy commit", in order.
    func check(_ commit: Commit, content: [UInt8]) throws {
        let report = SignatureVerifier(trust: try node.trust()).verify(content)
        guard commit.signatures.count > 0 else { throw DeployError.untrusted("the commit is not signed") }
        if case let .failed(reasons) = report.result {
            throw DeployError.untrusted(reasons.map(\.description).joined(separator: "; "))
        }
        let deploy = try DeployCommit(commit)
        guard deploy.building == node.config.building else {
            throw DeployError.wrongBuilding(commit: deploy.building, node: node.config.building)
        }
        let highest = node.highestSequence()
        guard deploy.sequence > highest else { throw DeployError.staleSequence(received: deploy.sequence, current: highest) }
        if deploy.kind == .deploy, let current = node.current(), let running = try? node.deployCommit(current),
           deploy.sourceTime < running.sourceTime {
            throw DeployError.olderState(received: deploy.sourceTime, current: running.sourceTime)
        }
    }

    // MARK: Requests

    public func handle(_ name: String, _ params: [NodeParam], keepalive: () -> Void) throws -> [NodeParam] {
        var values = [String: String]()
        for param in params { values[param.key] = param.value }
        do {
            switch name {
            case "node-status": return try status()
            case "node-lease": return try lease(values)
            case "node-release", "node-unlock": return try release(values, strict: name == "node-unlock")
            case "node-prepare": return try prepare(values)
            case "node-activate": return try activate(values, keepalive: keepalive)
            case "node-confirm": return try confirm(values)
            case "node-abort": return try abort(values)
            default: throw DeployError.badOption("unknown node request '\(name)'")
            }
        } catch let error as DeployError {
            // A refusal is an answer, not the end of the session.
            return [NodeParam("error", error.errorDescription?.split(separator: "\n").first.map(String.init) ?? "\(error)")]
        }
    }

    func status() throws -> [NodeParam] {
        var out = [NodeParam("building", node.config.building), NodeParam("node-key", node.identity.publicKey.base64),
                   NodeParam("sequence", String(node.highestSequence()))]
        if let current = node.current() {
            out.append(NodeParam("current", current.hex))
            if let deploy = try? node.deployCommit(current) {
                out.append(NodeParam("current-sequence", String(deploy.sequence)))
                out.append(NodeParam("current-source", deploy.source.hex))
                if let tree = try? node.store.objects.readCommit(current).tree { out.append(NodeParam("current-tree", tree.hex)) }
            }
        }
        if let pending = node.pending() { out.append(NodeParam("pending", pending.commit)) }
        if let lease = node.lease() { out.append(NodeParam("lease", "\(lease.id) \(lease.deployment) \(lease.untilText)")) }
        for key in try node.trust().trustedKeys { out.append(NodeParam("trusts", key.keyID)) }
        return out
    }

    func lease(_ values: [String: String]) throws -> [NodeParam] {
        guard let deployment = values["deployment"], let ttl = values["ttl"].flatMap(Double.init), ttl > 0 else {
            throw DeployError.badOption("node-lease needs 'deployment' and 'ttl'")
        }
        let lock = try node.leaseLock()
        defer { withExtendedLifetime(lock) {} }
        if let held = node.lease(), held.deployment != deployment {
            throw DeployError.locked(node: node.config.building, lease: held.id, deployment: held.deployment, until: held.untilText)
        }
        let id = node.lease()?.id ?? String(format: "%08x", UInt32.random(in: 0...UInt32.max))
        let lease = NodeLease(id: id, deployment: deployment, until: Date().timeIntervalSince1970 + ttl)
        try node.writeJSON(node.leaseFile, lease)
        return [NodeParam("lease", id), NodeParam("until", lease.untilText)]
    }

    func release(_ values: [String: String], strict: Bool) throws -> [NodeParam] {
        guard let id = values["lease"] else { throw DeployError.badOption("the request needs 'lease'") }
        let lock = try node.leaseLock()
        defer { withExtendedLifetime(lock) {} }
        guard let held = node.readJSON(node.leaseFile, as: NodeLease.self), held.id == id else {
            if strict { throw DeployError.noSuchLease(id) }
            return [NodeParam("ok", "")]
        }
        try? FileManager.default.removeItem(atPath: node.leaseFile)
        log("lease \(id) of deployment \(held.deployment) \(strict ? "broken by unlock" : "released")")
        return [NodeParam("ok", "")]
    }

    /// Checks that `values` name the lease in force.
    private func holdsLease(_ values: [String: String]) throws {
        guard let id = values["lease"] else { throw DeployError.badOption("the request needs 'lease'") }
        guard let held = node.lease(), held.id == id else {
            throw DeployError.noSuchLease(id + " (it expired or was broken; start the deploy again)")
        }
    }

    private func commitParam(_ values: [String: String]) throws -> ObjectID {
        guard let text = values["commit"], let id = ObjectID(hex: text) else { throw DeployError.badOption("the request needs 'commit'") }
        return id
    }

    func prepare(_ values: [String: String]) throws -> [NodeParam] {
        try holdsLease(values)
        let id = try commitParam(values)
        guard try node.store.objects.contains(id) else { throw DeployError.io("\(id.hex) was not pushed to this node") }
        let commit = try node.store.objects.readCommit(id)
        try check(commit, content: commit.encoded())
        let deploy = try DeployCommit(commit)
        try database.record(commit: id.hex, deployment: deploy.deployment, sequence: deploy.sequence, kind: deploy.kind.rawValue,
                            signer: commit.signatures.first.map { String($0.split(separator: " ").dropFirst().first ?? "") } ?? "")
        try node.materialize(id)
        try database.setStatus(commit: id.hex, "prepared")
        return [NodeParam("ok", "")]
    }

    func activate(_ values: [String: String], keepalive: () -> Void) throws -> [NodeParam] {
        try holdsLease(values)
        let id = try commitParam(values)
        let confirmTimeout = values["confirm-timeout"].flatMap(Double.init) ?? 60
        let healthTimeout = values["health-timeout"].flatMap(Double.init) ?? 120
        let lock = try waitForLock()
        defer { withExtendedLifetime(lock) {} }
        guard FileSystem.isDirectory(node.stateDirectory(id)) else { throw DeployError.io("\(id.hex) is not prepared on this node") }
        if let pending = node.pending() { throw DeployError.io("another activation (\(pending.commit)) waits for confirmation") }
        let commit = try node.store.objects.readCommit(id)
        try check(commit, content: commit.encoded())
        let deploy = try DeployCommit(commit)
        let previous = node.current()
        let now = Date().timeIntervalSince1970
        try node.writeJSON(node.pendingFile, PendingActivation(
            commit: id.hex, previous: previous?.hex, deployment: deploy.deployment, phase: "activating",
            deadline: now + healthTimeout + confirmTimeout))
        try node.setHighestSequence(deploy.sequence)
        try node.switchCurrent(to: id)
        try database.transition(deployment: deploy.deployment, from: previous?.hex ?? "none", to: id.hex, reason: "activated")
        log("activated \(id.hex) (deployment \(deploy.deployment), sequence \(deploy.sequence))")

        let started = Date()
        var results = [CheckResult]()
        let environment = hookEnvironment(id, previous: previous, deployment: deploy.deployment)
        let runner = HookRunner(directory: node.directory)
        func remaining() -> Double { healthTimeout - Date().timeIntervalSince(started) }
        if let apply = node.config.apply {
            results.append(runner.run(apply, required: true, stateDirectory: node.stateDirectory(id), environment: environment,
                                      timeout: remaining(), keepalive: keepalive))
        }
        if results.allSatisfy(\.passed) {
            for check in node.config.required {
                results.append(runner.run(check, required: true, stateDirectory: node.stateDirectory(id), environment: environment,
                                          timeout: remaining(), keepalive: keepalive))
                if results.last?.passed == false { break }
            }
        }
        if results.allSatisfy(\.passed) {
            for check in node.config.wanted {
                results.append(runner.run(check, required: false, stateDirectory: node.stateDirectory(id), environment: environment,
                                          timeout: remaining(), keepalive: keepalive))
            }
        }
        try database.recordHealth(commit: id.hex, results)
        let answer = results.map { result in
            NodeParam("check", "\(result.name) \(result.required ? "required" : "wanted") \(result.passed ? "passed" : "failed") "
                + String(format: "%.2f", result.seconds) + (result.detail.isEmpty ? "" : " \(result.detail)"))
        }
        if let failed = results.first(where: { $0.required && !$0.passed }) {
            let reason = failed.name == "apply" ? "the apply hook failed: \(failed.detail)" : "required check '\(failed.name)' failed: \(failed.detail)"
            try switchBack(reason: reason)
            // This deployment is done with the node.
            if let held = node.lease(), held.id == values["lease"] { try? FileManager.default.removeItem(atPath: node.leaseFile) }
            return answer + [NodeParam("failed", reason)]
        }
        try node.writeJSON(node.pendingFile, PendingActivation(
            commit: id.hex, previous: previous?.hex, deployment: deploy.deployment, phase: "confirming",
            deadline: Date().timeIntervalSince1970 + confirmTimeout))
        try database.setStatus(commit: id.hex, "active", reason: "waiting for confirmation")
        return answer + [NodeParam("ok", "")]
    }

    func confirm(_ values: [String: String]) throws -> [NodeParam] {
        let id = try commitParam(values)
        let lock = try waitForLock()
        defer { withExtendedLifetime(lock) {} }
        guard let pending = node.pending(), pending.commit == id.hex, pending.phase == "confirming" else {
            // A repeated confirmation (the controller retrying after a lost answer) is answered the same way.
            if node.current() == id, try database.recent(limit: 20).contains(where: { $0.commit == id.hex && $0.status == "confirmed" }) {
                return [NodeParam("ok", "")]
            }
            throw DeployError.notPending(id.hex)
        }
        try FileManager.default.removeItem(atPath: node.pendingFile)
        try FileSystem.syncDirectory(node.directory)
        try database.setStatus(commit: id.hex, "confirmed")
        if let held = node.lease(), held.id == values["lease"] { try? FileManager.default.removeItem(atPath: node.leaseFile) }
        try node.prune(database: database)
        log("confirmed \(id.hex)")
        return [NodeParam("ok", "")]
    }

    func abort(_ values: [String: String]) throws -> [NodeParam] {
        let id = try commitParam(values)
        let lock = try waitForLock()
        defer { withExtendedLifetime(lock) {} }
        guard let pending = node.pending(), pending.commit == id.hex else { throw DeployError.notPending(id.hex) }
        try switchBack(reason: values["reason"].map { "switched back by the controller: \($0)" } ?? "switched back by the controller")
        if let held = node.lease(), held.id == values["lease"] { try? FileManager.default.removeItem(atPath: node.leaseFile) }
        return [NodeParam("ok", "")]
    }

    /// Takes the node lock for a request, saying so in the log when it had to wait.
    private func waitForLock() throws -> RepositoryLock {
        let started = Date()
        let lock = try node.lock(timeout: 30)
        let waited = Date().timeIntervalSince(started)
        if waited > 2 { log(String(format: "waited %.1f s for the node lock", waited)) }
        return lock
    }

    // MARK: Switching back

    private func hookEnvironment(_ id: ObjectID, previous: ObjectID?, deployment: String) -> [String: String] {
        [
            "ARXOS_STATE_DIR": node.stateDirectory(id), "ARXOS_PREVIOUS_STATE_DIR": previous.map(node.stateDirectory) ?? "",
            "ARXOS_BUILDING": node.config.building, "ARXOS_COMMIT": id.hex, "ARXOS_DEPLOYMENT": deployment,
        ]
    }

    /// Makes the pending activation's previous state current again and runs the apply hook on it. The caller holds
    /// the node lock.
    func switchBack(reason: String) throws {
        guard let pending = node.pending() else { return }
        let previous = pending.previous.flatMap(ObjectID.init(hex:))
        try node.switchCurrent(to: previous)
        try FileManager.default.removeItem(atPath: node.pendingFile)
        try FileSystem.syncDirectory(node.directory)
        try database.setStatus(commit: pending.commit, "rolled-back", reason: reason)
        try database.transition(deployment: pending.deployment, from: pending.commit, to: previous?.hex ?? "none", reason: reason)
        log("switched back to \(previous?.hex ?? "no state"): \(reason)")
        if let previous, let apply = node.config.apply {
            let result = HookRunner(directory: node.directory).run(
                apply, required: true, stateDirectory: node.stateDirectory(previous),
                environment: hookEnvironment(previous, previous: nil, deployment: pending.deployment), timeout: apply.timeout, keepalive: {})
            if !result.passed { log("the apply hook failed on the previous state too: \(result.detail)") }
        }
    }

    /// Switches back when the pending activation's deadline passed, or when the process activating it died (its
    /// phase is still `activating` but nobody holds the node lock). Returns whether a pending activation remains.
    @discardableResult
    public func expireIfDue() -> Bool {
        guard let pending = node.pending() else { return false }
        guard let lock = try? node.lock(timeout: 0) else { return true }
        defer { withExtendedLifetime(lock) {} }
        guard let current = node.pending(), current == pending else { return node.pending() != nil }
        let now = Date().timeIntervalSince1970
        do {
            if pending.phase == "activating" {
                try switchBack(reason: "interrupted before confirmation")
            } else if now >= pending.deadline {
                try switchBack(reason: "not confirmed within the confirm timeout")
                if let held = node.readJSON(node.leaseFile, as: NodeLease.self), held.deployment == pending.deployment {
                    try? FileManager.default.removeItem(atPath: node.leaseFile)
                }
            } else {
                return true
            }
        } catch {
            log("switching back failed: \(error.localizedDescription)")
            return true
        }
        return false
    }

    /// Watches the pending activation until it is confirmed or switched back.
    public func watchPending(interval: Double = 0.2) {
        while expireIfDue() { Thread.sleep(forTimeInterval: interval) }
    }
}
