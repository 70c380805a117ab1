import ArxosCore
import ArxosProtocol
import ArxosSigning
import ArxosStore
import ArxosTransfer
import ArxosWorkspace
import Foundation
import Synchronization

/// What happened on one node (docs/deploy.md).
public struct NodeOutcome: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Runs the new state, confirmed.
        case succeeded
        /// Already ran it: nothing sent.
        case unchanged
        /// Refused, failed to prepare, failed its apply hook or a required check (it switched back), or not confirmed.
        case failed
        /// Could not be reached before anything switched: pending.
        case offline
        /// Held by another deployment's lease: pending.
        case locked
        /// Its state moved since the saved plan.
        case skipped
        /// Not started: the rollout was aborted first.
        case cancelled
        /// Blue-green: prepared, waiting for the switch.
        case staged
        /// Switched, then switched back by this deployment (a signed rollback or a blue-green switch back).
        case rolledBack = "rolled-back"
        /// Outside its maintenance window: pending.
        case outsideWindow = "outside-window"
    }

    public var node: String
    public var building: String
    public var batch: Int
    public var status: Status
    public var reason: String
    /// The deploy commit the node ran before, and the one it was sent.
    public var from: String?
    public var to: String?
    public var objects: Int
    public var bytes: Int
    public var health: [String]
    /// The node's lease while this deployment holds it (between staging and confirmation); not part of the report.
    var lease: String?

    enum CodingKeys: String, CodingKey { case node, building, batch, status, reason, from, to, objects, bytes, health }

    public var isPending: Bool { status == .offline || status == .locked || status == .outsideWindow }
}

/// The state a node should run: a building tree taken from a portfolio commit, or a rollback to an earlier tree.
public struct TargetState: Sendable {
    public var tree: ObjectID
    public var source: ObjectID
    public var sourceTime: Int64
    public var kind: DeployCommit.Kind
}

/// The result of a rollout.
public struct RolloutReport: Sendable, Codable {
    public var deployment: String
    public var revision: String
    public var commit: String
    public var strategy: String
    public var status: String
    public var exitCode: Int32
    /// Why the rollout stopped early, if it did ("batch 1: 1 failure exceeds --max-failures 0").
    public var aborted: String?
    public var nodes: [NodeOutcome]

    public init(deployment: String, revision: String, commit: String, strategy: String, status: String, exitCode: Int32,
                aborted: String? = nil, nodes: [NodeOutcome] = []) {
        self.deployment = deployment
        self.revision = revision
        self.commit = commit
        self.strategy = strategy
        self.status = status
        self.exitCode = exitCode
        self.aborted = aborted
        self.nodes = nodes
    }
}

/// Runs deployments (docs/deploy.md "What a deploy does, per node" and the strategies): pushes signed deploy commits to
/// edge nodes, batch by batch, with failure thresholds, confirmation over a fresh connection, and rollback.
public final class Deployer: @unchecked Sendable {
    let repository: Repository
    let key: Ed25519SecretKey
    let who: Person
    let connector: NodeConnector
    let records: DeployRecords
    /// Progress lines for the operator (stderr).
    let say: @Sendable (String) -> Void
    /// The inventory's maintenance windows, checked before each node (nil: none).
    public var windows: Inventory?
    /// Told how many of a rollout's nodes have an outcome, of how many, as each gets one (for a progress display).
    public var onProgress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(repository: Repository, key: Ed25519SecretKey, who: Person, connector: NodeConnector, records: DeployRecords,
                say: @escaping @Sendable (String) -> Void) {
        self.repository = repository; self.key = key; self.who = who; self.connector = connector; self.records = records; self.say = say
    }

    /// A new deployment id: `d<yyyymmdd>-<hhmmss>-<4 hex>`.
    public static func newID() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return "d" + formatter.string(from: Date()) + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }

    // MARK: Rollouts

    /// Records a deployment that does not start now (`--at`, or waiting for approvals) and returns its id.
    public func register(commit: ObjectID, revision: String, nodes: [NodeEntry], options: RolloutOptions, status: String,
                         scheduledAt: Double?, selectors: [String], approvalsNeeded: Int) throws -> String {
        let id = Deployer.newID()
        let now = Date().timeIntervalSince1970
        var rows = [DeployRecords.Target]()
        var offset = 0
        for (index, size) in options.batchSizes(count: nodes.count).enumerated() {
            for node in nodes[offset..<offset + size] {
                rows.append(DeployRecords.Target(node: node.name, building: node.building, batch: index + 1, status: "pending", reason: "",
                                                 bytes: 0, objects: 0, updatedAt: now))
            }
            offset += size
        }
        try records.create(DeployRecords.Deployment(
            id: id, revision: revision, commit: commit.hex, strategy: options.strategy.rawValue,
            options: String(decoding: try JSONEncoder().encode(options), as: UTF8.self), status: status, who: who.encoded, kind: "deploy",
            createdAt: now, scheduledAt: scheduledAt, selectors: selectors.joined(separator: "\n"), approvalsNeeded: approvalsNeeded), targets: rows)
        return id
    }

    /// Deploys `commit` (named `revision`) to `nodes`. `expected` (from a saved plan) maps a node to the deploy commit
    /// it must still run ("" for none). `deployment` continues an existing deployment (`deploy resume`).
    public func deploy(commit: ObjectID, revision: String, nodes: [NodeEntry], options: RolloutOptions,
                       expected: [String: String]? = nil, deployment existing: String? = nil) throws -> RolloutReport {
        let source = try repository.objects.readCommit(commit)
        let finder = BuildingTree(objects: repository.objects)
        var targets = [String: TargetState]()
        for node in nodes {
            targets[node.name] = TargetState(tree: try finder.find(node.building, path: node.path, in: source.tree, revision: revision),
                                             source: commit, sourceTime: source.committer.seconds, kind: .deploy)
        }
        return try run(nodes: nodes, targets: targets, commit: commit, revision: revision, options: options, kind: "deploy",
                       expected: expected, existing: existing)
    }

    /// Sends every node that deployment `id` switched a signed rollback to the state it ran before.
    public func rollback(_ id: String, options: RolloutOptions, inventory: Inventory) throws -> RolloutReport {
        guard let deployment = try records.deployment(id) else { throw DeployError.unknownDeployment(id) }
        var nodes = [NodeEntry](), targets = [String: TargetState]()
        for target in try records.targets(id) where target.status == NodeOutcome.Status.succeeded.rawValue {
            guard let node = inventory.nodes.first(where: { $0.name == target.node }) else { continue }
            guard let tree = target.fromTree.flatMap(ObjectID.init(hex:)) else {
                say("\(target.node): no earlier state to roll back to (deployment \(id) was its first); left as it is")
                continue
            }
            nodes.append(node)
            let source = target.fromSource.flatMap(ObjectID.init(hex:)) ?? .zero
            targets[node.name] = TargetState(tree: tree, source: source, sourceTime: sourceTime(of: source), kind: .rollback)
        }
        guard !nodes.isEmpty else { throw DeployError.nothingToRollBack("deployment \(id) switched no node that has an earlier state") }
        return try run(nodes: nodes, targets: targets, commit: ObjectID(hex: deployment.commit) ?? .zero, revision: "rollback of \(id)",
                       options: options, kind: "rollback", expected: nil, existing: nil)
    }

    private func run(nodes: [NodeEntry], targets: [String: TargetState], commit: ObjectID, revision: String, options: RolloutOptions,
                     kind: String, expected: [String: String]?, existing: String?) throws -> RolloutReport {
        let id = existing ?? Deployer.newID()
        let sizes = options.batchSizes(count: nodes.count)
        var batches = [[NodeEntry]](), offset = 0
        for size in sizes { batches.append(Array(nodes[offset..<offset + size])); offset += size }
        let optionText = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
        if existing == nil {
            let now = Date().timeIntervalSince1970
            var rows = [DeployRecords.Target]()
            for (index, batch) in batches.enumerated() {
                for node in batch {
                    rows.append(DeployRecords.Target(node: node.name, building: node.building, batch: index + 1, status: "pending",
                                                     reason: "", bytes: 0, objects: 0, updatedAt: now))
                }
            }
            try records.create(DeployRecords.Deployment(
                id: id, revision: revision, commit: commit.hex, strategy: options.strategy.rawValue, options: optionText,
                status: "running", who: who.encoded, kind: kind, createdAt: now), targets: rows)
        } else {
            try records.setStatus(id, status: "running")
        }
        say("deployment \(id): \(kind) \(revision) (\(commit.hex.prefix(12))) to \(nodes.count) node\(nodes.count == 1 ? "" : "s"), "
            + "\(options.strategy.rawValue)" + (batches.count > 1 ? ", batches \(sizes.map(String.init).joined(separator: ","))" : ""))
        for line in options.limitLines(nodes: nodes.count) { say(line) }

        var outcomes = [String: NodeOutcome]()
        var aborted: String?
        var totalFailures = 0
        let finished = NodeCount(total: nodes.count, report: onProgress)
        let totalLimit = options.maxTotalFailures?.roundedDown(of: nodes.count)
        if options.strategy == .blueGreen {
            let results = try blueGreen(id: id, nodes: nodes, targets: targets, options: options, expected: expected)
            for outcome in results { outcomes[outcome.node] = outcome }
            finished.add(results.count)
            let failures = results.filter { $0.status == .failed || $0.status == .rolledBack }.count
            if failures > 0 { aborted = "blue-green: \(failures) node\(failures == 1 ? "" : "s") failed; every switched node was switched back" }
        } else {
            for (index, batch) in batches.enumerated() {
                if aborted != nil {
                    for node in batch {
                        outcomes[node.name] = NodeOutcome(node: node.name, building: node.building, batch: index + 1, status: .cancelled,
                                                          reason: "not started: the rollout was aborted", from: nil, to: nil, objects: 0,
                                                          bytes: 0, health: [])
                        try records.update(id, node: node.name, status: "cancelled", reason: "the rollout was aborted")
                    }
                    finished.add(batch.count)
                    continue
                }
                if index > 0, options.pauseBetween > 0 {
                    say("pausing \(Durations.format(options.pauseBetween)) before batch \(index + 1)")
                    Thread.sleep(forTimeInterval: options.pauseBetween)
                }
                say("batch \(index + 1) of \(batches.count): \(batch.map(\.name).joined(separator: ", "))")
                let results = parallel(batch, limit: options.parallel) { node in
                    let outcome = self.deployNode(node, batch: index + 1, target: targets[node.name], deployment: id, options: options,
                                                  expected: expected?[node.name], activate: true)
                    finished.add(1)
                    return outcome
                }
                for outcome in results { outcomes[outcome.node] = outcome }
                let failures = results.filter { $0.status == .failed }.count
                totalFailures += failures
                let limit = options.maxFailures.roundedDown(of: batch.count)
                let batchLimit = Deployer.limitPhrase("--max-failures \(options.maxFailures)", allowed: limit,
                                                      fromThreshold: options.maxFailuresFromThreshold, options: options)
                if failures > limit {
                    aborted = "batch \(index + 1): \(failures) failure\(failures == 1 ? "" : "s") exceeded \(batchLimit)"
                } else if let totalLimit, totalFailures > totalLimit {
                    aborted = "\(totalFailures) failures in all exceeded "
                        + Deployer.limitPhrase("--max-total-failures \(options.maxTotalFailures.map { "\($0)" } ?? "")", allowed: totalLimit,
                                               fromThreshold: options.maxTotalFailuresFromThreshold, options: options)
                } else if failures > 0 {
                    say("batch \(index + 1): \(failures) failure\(failures == 1 ? "" : "s") reached, within \(batchLimit); continuing")
                }
            }
            if let reason = aborted {
                say("aborting: \(reason)")
                if options.rollbackOnFailure {
                    for (name, outcome) in outcomes where outcome.status == .succeeded {
                        outcomes[name] = rollBack(outcome, nodes: nodes, deployment: id, options: options)
                    }
                }
            }
        }
        let ordered = nodes.compactMap { outcomes[$0.name] }
        try recordRefs(ordered)
        let code: Int32
        let status: String
        if aborted != nil {
            code = options.rollbackOnFailure || options.strategy == .blueGreen ? 12 : 13
            status = code == 12 ? "aborted-rolled-back" : "aborted-halted"
        } else if ordered.contains(where: { $0.status == .failed }) {
            code = 11; status = "completed-with-failures"
        } else if ordered.contains(where: { $0.isPending || $0.status == .skipped }) {
            code = 10; status = "completed-with-pending"
        } else {
            code = 0; status = "succeeded"
        }
        try records.finish(id, status: status, exitCode: code)
        return RolloutReport(deployment: id, revision: revision, commit: commit.hex, strategy: options.strategy.rawValue, status: status,
                             exitCode: code, aborted: aborted, nodes: ordered)
    }

    /// How a failure limit is named in progress lines and abort reasons: the option as given ("--max-failures 0 (0
    /// allowed)"), or the configured threshold it came from ("the 2 allowed by deploy.rollbackThreshold 0.5 in …").
    static func limitPhrase(_ option: String, allowed: Int, fromThreshold: Bool?, options: RolloutOptions) -> String {
        if fromThreshold == true, let setting = options.rollbackThreshold { return "the \(allowed) allowed by \(setting)" }
        return "\(option) (\(allowed) allowed)"
    }

    /// Blue-green: lease, push and prepare everywhere; then switch all; then confirm all, or switch all back.
    private func blueGreen(id: String, nodes: [NodeEntry], targets: [String: TargetState], options: RolloutOptions,
                           expected: [String: String]?) throws -> [NodeOutcome] {
        say("blue-green: staging on \(nodes.count) nodes")
        var staged = parallel(nodes, limit: options.parallel) { node in
            self.deployNode(node, batch: 1, target: targets[node.name], deployment: id, options: options,
                            expected: expected?[node.name], activate: false)
        }
        let stageFailures = staged.filter { $0.status == .failed }.count
        if stageFailures > options.maxFailures.roundedDown(of: nodes.count) {
            say("blue-green: \(stageFailures) node\(stageFailures == 1 ? "" : "s") failed to stage; nothing is switched")
            for outcome in staged where outcome.status == .staged { release(outcome, nodes: nodes, deployment: id) }
            return try staged.map { outcome in
                guard outcome.status == .staged else { return outcome }
                try records.update(id, node: outcome.node, status: "cancelled", reason: "staged, not switched: another node failed")
                var copy = outcome
                copy.status = .cancelled
                copy.reason = "staged, not switched: another node failed to stage"
                return copy
            }
        }
        say("blue-green: switching \(staged.filter { $0.status == .staged }.count) nodes")
        let switched = parallel(staged.filter { $0.status == .staged }, limit: options.parallel) { outcome in
            self.activate(outcome, nodes: nodes, deployment: id, options: options, confirm: false)
        }
        for outcome in switched { if let i = staged.firstIndex(where: { $0.node == outcome.node }) { staged[i] = outcome } }
        let healthy = switched.allSatisfy { $0.status == .staged }
        if !healthy {
            say("blue-green: post-switch health failed; switching every node back")
            let back = parallel(switched.filter { $0.status == .staged }, limit: options.parallel) { outcome in
                self.finishSwitch(outcome, nodes: nodes, deployment: id, confirm: false)
            }
            for outcome in back { if let i = staged.firstIndex(where: { $0.node == outcome.node }) { staged[i] = outcome } }
            return staged
        }
        let confirmed = parallel(switched, limit: options.parallel) { outcome in
            self.finishSwitch(outcome, nodes: nodes, deployment: id, confirm: true)
        }
        for outcome in confirmed { if let i = staged.firstIndex(where: { $0.node == outcome.node }) { staged[i] = outcome } }
        return staged
    }

    // MARK: One node

    /// Gives `outcome` its final status for this step: recorded (with what it carries) and said.
    private func settle(_ outcome: inout NodeOutcome, _ status: NodeOutcome.Status, _ reason: String, deployment: String) -> NodeOutcome {
        outcome.status = status
        outcome.reason = reason
        try? records.update(deployment, node: outcome.node, status: status.rawValue, reason: reason, from: outcome.from, to: outcome.to,
                            bytes: outcome.bytes, objects: outcome.objects)
        say("\(outcome.node): \(status.rawValue)\(reason.isEmpty ? "" : ": \(reason)")")
        return outcome
    }

    /// Lease, status, push, prepare and (unless `activate` is false: blue-green staging) activate and confirm. A
    /// connection that stalls before anything switched (a read timing out) is tried once more from the start: the
    /// node renews the same deployment's lease, and answers probes for what it already received.
    func deployNode(_ node: NodeEntry, batch: Int, target: TargetState?, deployment: String, options: RolloutOptions,
                    expected: String?, activate: Bool) -> NodeOutcome {
        let first = deployNodeOnce(node, batch: batch, target: target, deployment: deployment, options: options, expected: expected,
                                   activate: activate)
        guard first.status == .offline, first.reason.contains("timed out") else { return first }
        say("\(node.name): the connection stalled before anything switched; trying once more")
        return deployNodeOnce(node, batch: batch, target: target, deployment: deployment, options: options, expected: expected,
                              activate: activate)
    }

    private func deployNodeOnce(_ node: NodeEntry, batch: Int, target: TargetState?, deployment: String, options: RolloutOptions,
                                expected: String?, activate: Bool) -> NodeOutcome {
        var outcome = NodeOutcome(node: node.name, building: node.building, batch: batch, status: .failed, reason: "", from: nil,
                                  to: nil, objects: 0, bytes: 0, health: [])
        func finish(_ status: NodeOutcome.Status, _ reason: String) -> NodeOutcome {
            settle(&outcome, status, reason, deployment: deployment)
        }
        guard let target else { return finish(.failed, "no target state") }
        if let windows, !options.overrideWindow {
            var verdict = windows.window(for: node, at: Date())
            if !verdict.open, options.waitForWindow, let opens = windows.nextOpening(for: node, after: Date()) {
                say("\(node.name): \(verdict.reason); waiting until \(ISO8601DateFormatter().string(from: opens))")
                Thread.sleep(until: opens)
                verdict = windows.window(for: node, at: Date())
            }
            if !verdict.open {
                return finish(.outsideWindow, verdict.reason + " (--wait-for-window waits, --override-window deploys anyway)")
            }
        } else if let windows, options.overrideWindow, !windows.window(for: node, at: Date()).open {
            say("\(node.name): outside its maintenance window; deploying anyway (--override-window, recorded)")
        }
        let client: NodeClient
        do { client = try connector.connect(node, timeout: max(30, options.healthTimeout + 30)) } catch {
            return finish(error is NodeUnreachable ? .offline : .failed, NodeClient.describe(error))
        }
        var leaseID: String?
        var keepLease = false
        defer {
            if let leaseID, !keepLease, (try? client.request("node-release", [NodeParam("lease", leaseID)])) == nil {
                // The session ended with an error (a refused push closes it): release over a fresh one.
                client.abort()
                if let again = try? connector.connect(node) {
                    _ = try? again.request("node-release", [NodeParam("lease", leaseID)])
                    again.close()
                }
            }
            client.close()
        }
        do {
            let granted = try client.request("node-lease", [NodeParam("deployment", deployment), NodeParam("ttl", String(Int(options.leaseSeconds)))])
            leaseID = granted.first { $0.key == "lease" }?.value
            let status = try client.status()
            try? records.sawNode(node.name, building: status.building, commit: status.current?.hex, sequence: status.sequence)
            outcome.from = status.current?.hex
            try? records.update(deployment, node: node.name, status: "leased", from: status.current?.hex,
                                fromSource: status.currentSource?.hex, fromTree: status.currentTree?.hex)
            guard status.building == node.building else {
                return finish(.failed, "the node runs building '\(status.building)', the inventory says '\(node.building)'")
            }
            guard status.trusts.contains(key.keyID) else {
                return finish(.failed, "the node does not trust our key \(key.keyID) (on the node: arxos edge trust)")
            }
            if let expected, expected != (status.current?.hex ?? "") {
                return finish(.skipped, "its state moved since the plan (plan: \(expected.isEmpty ? "none" : String(expected.prefix(12))), now: \(status.current.map { String($0.hex.prefix(12)) } ?? "none"))")
            }
            if target.kind == .deploy, status.currentTree == target.tree, status.pending == nil {
                outcome.to = status.current?.hex
                return finish(.unchanged, "already runs this state")
            }
            let made = DeployCommit(building: node.building, sequence: status.sequence + 1, kind: target.kind, source: target.source,
                                    sourceTime: target.sourceTime, deployment: deployment, previous: status.current)
            let commit = try made.commit(tree: target.tree, who: who, key: key,
                                         message: "\(target.kind.rawValue) \(target.source.hex.prefix(12)) to \(node.name)\n")
            let commitID = try repository.objects.write(.commit, commit.encoded())
            outcome.to = commitID.hex
            let stats: ClientSession.Stats
            do { stats = try client.push(commitID, store: repository.objects) } catch let error as DeployError {
                throw error
            } catch let error as ProtocolError {
                // The node refused what it received (a remote error) — unless what it says is that the stream was cut.
                if case let .remote(message) = error, !message.contains("the connection ended in the middle of") { throw error }
                return finish(.offline, "the transfer was cut: \(NodeClient.describe(error)); nothing was switched")
            } catch {
                return finish(.offline, "the transfer was cut: \(NodeClient.describe(error)); nothing was switched")
            }
            outcome.objects = stats.objects
            outcome.bytes = stats.bytes
            _ = try client.request("node-prepare", [NodeParam("commit", commitID.hex), NodeParam("lease", leaseID ?? "")])
            if !activate {
                keepLease = true
                outcome.lease = leaseID
                return finish(.staged, "prepared")
            }
        } catch let DeployError.refused(_, reason) where reason.contains("is held by deployment") {
            return finish(.locked, reason)
        } catch TransferError.timedOut(let what) {
            // Nothing was switched yet: the node is offline for now (and tried once more by `deployNode`).
            return finish(.offline, "\(what) timed out; nothing was switched")
        } catch {
            return finish(.failed, NodeClient.describe(error))
        }
        keepLease = true
        client.close()
        outcome.lease = leaseID
        let switched = self.activate(outcome, nodes: [node], deployment: deployment, options: options, confirm: true)
        return switched
    }

    /// Switches a prepared node (holding `outcome.lease`); with `confirm`, confirms over a
    /// fresh connection. Without it (blue-green) the node stays `staged` while it waits for `finishSwitch`.
    func activate(_ prepared: NodeOutcome, nodes: [NodeEntry], deployment: String, options: RolloutOptions, confirm: Bool) -> NodeOutcome {
        var outcome = prepared
        let lease = prepared.lease ?? ""
        func finish(_ status: NodeOutcome.Status, _ reason: String) -> NodeOutcome {
            settle(&outcome, status, reason, deployment: deployment)
        }
        guard let node = nodes.first(where: { $0.name == prepared.node }), let commit = outcome.to else { return finish(.failed, "unknown node") }
        do {
            // Nothing is switched before the request is sent, so a connection that fails is tried once more.
            let client: NodeClient
            do {
                client = try connector.connect(node, timeout: options.healthTimeout + 30)
            } catch is NodeUnreachable {
                client = try connector.connect(node, timeout: options.healthTimeout + 30)
            }
            defer { client.close() }
            let answer: [NodeParam]
            do {
                answer = try client.request("node-activate", [
                    NodeParam("commit", commit), NodeParam("lease", lease),
                    NodeParam("confirm-timeout", String(Int(options.confirmTimeout.rounded(.up)))),
                    NodeParam("health-timeout", String(Int(options.healthTimeout.rounded(.up)))),
                ])
            } catch let error as DeployError {
                throw error
            } catch {
                return finish(.failed, "lost contact during activation (\(NodeClient.describe(error))); the node switches back by itself unless confirmed")
            }
            outcome.health = answer.filter { $0.key == "check" }.map(\.value)
            if let failed = answer.first(where: { $0.key == "failed" }) {
                return finish(.failed, failed.value + "; the node switched back")
            }
            try? records.update(deployment, node: node.name, status: "activated", to: commit)
        } catch {
            return finish(.failed, NodeClient.describe(error))
        }
        if !confirm {
            outcome.status = .staged
            return outcome
        }
        return finishSwitch(outcome, nodes: nodes, deployment: deployment, confirm: true)
    }

    /// Confirms (or, with `confirm` false, switches back) an activated node over a fresh connection.
    func finishSwitch(_ activated: NodeOutcome, nodes: [NodeEntry], deployment: String, confirm: Bool) -> NodeOutcome {
        var outcome = activated
        let lease = activated.lease ?? ""
        func finish(_ status: NodeOutcome.Status, _ reason: String) -> NodeOutcome {
            settle(&outcome, status, reason, deployment: deployment)
        }
        guard let node = nodes.first(where: { $0.name == activated.node }), let commit = outcome.to else { return finish(.failed, "unknown node") }
        do {
            if confirm {
                // Confirmation is idempotent on the node, so a connection lost on the way is tried once more.
                var attempt = 0
                while true {
                    attempt += 1
                    do {
                        let client = try connector.connect(node, timeout: 30)
                        defer { client.close() }
                        _ = try client.request("node-confirm", [NodeParam("commit", commit), NodeParam("lease", lease)])
                        return finish(.succeeded, "")
                    } catch let error as DeployError {
                        throw error
                    } catch {
                        if attempt >= 2 { throw error }
                        say("\(node.name): confirming failed (\(NodeClient.describe(error))); trying again")
                    }
                }
            }
            let client = try connector.connect(node, timeout: 30)
            defer { client.close() }
            _ = try client.request("node-abort", [NodeParam("commit", commit), NodeParam("lease", lease),
                                                  NodeParam("reason", "another node failed its health checks")])
            return finish(.rolledBack, "switched back: another node failed its health checks after the switch")
        } catch {
            return finish(.failed, (confirm ? "could not confirm: " : "could not switch back: ") + NodeClient.describe(error)
                          + "; the node switches back by itself after the confirm timeout")
        }
    }

    /// Releases the lease of a staged node that will not be switched.
    func release(_ outcome: NodeOutcome, nodes: [NodeEntry], deployment: String) {
        guard let node = nodes.first(where: { $0.name == outcome.node }), let client = try? connector.connect(node) else { return }
        _ = try? client.request("node-release", [NodeParam("lease", outcome.lease ?? "")])
        client.close()
    }

    /// Sends a succeeded node a signed rollback to the state it ran before this deployment.
    func rollBack(_ outcome: NodeOutcome, nodes: [NodeEntry], deployment: String, options: RolloutOptions) -> NodeOutcome {
        guard let node = nodes.first(where: { $0.name == outcome.node }),
              let row = try? records.targets(deployment).first(where: { $0.node == outcome.node }),
              let tree = row.fromTree.flatMap(ObjectID.init(hex:)) else {
            var copy = outcome
            copy.reason = "kept the new state: it had no earlier state to roll back to"
            return copy
        }
        let source = row.fromSource.flatMap(ObjectID.init(hex:)) ?? .zero
        let target = TargetState(tree: tree, source: source, sourceTime: sourceTime(of: source), kind: .rollback)
        var options = options
        options.confirmTimeout = max(options.confirmTimeout, 10)
        let result = deployNode(node, batch: outcome.batch, target: target, deployment: deployment, options: options, expected: nil,
                                activate: true)
        var copy = outcome
        if result.status == .succeeded {
            copy.status = .rolledBack
            copy.reason = "rolled back to \(row.fromCommit.map { String($0.prefix(12)) } ?? "its earlier state") after the abort"
        } else {
            copy.reason = "rolling back failed: \(result.reason)"
        }
        try? records.update(deployment, node: node.name, status: copy.status.rawValue, reason: copy.reason)
        return copy
    }

    /// The committer time of a portfolio commit, so that a rolled-back node still refuses states older than the one it
    /// went back to; 0 when this repository does not have the commit.
    func sourceTime(of commit: ObjectID) -> Int64 {
        (try? repository.objects.readCommit(commit).committer.seconds) ?? 0
    }

    /// Keeps `refs/deploys/<node>` at the last deploy commit sent to each node, so its objects stay in this store.
    private func recordRefs(_ outcomes: [NodeOutcome]) throws {
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        for outcome in outcomes {
            guard let to = outcome.to.flatMap(ObjectID.init(hex:)), try repository.objects.contains(to),
                  (try? RefStore.validate("refs/deploys/" + outcome.node)) != nil else { continue }
            try? repository.refs.update("refs/deploys/" + outcome.node, to: to, expecting: .any, who: who, message: "deploy")
        }
    }

    /// Runs `body` on every item with at most `limit` at a time, keeping the order of `items`.
    func parallel<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) -> R) -> [R] {
        let results = Mutex<[Int: R]>([:])
        let next = Mutex(0)
        let workers = max(1, min(limit, items.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                while true {
                    let index = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard index < items.count else { break }
                    let result = body(items[index])
                    results.withLock { $0[index] = result }
                }
                group.leave()
            }
        }
        group.wait()
        return results.withLock { all in (0..<items.count).compactMap { all[$0] } }
    }
}

/// Counts the nodes of a rollout that have an outcome, from any thread, telling `report` each time.
private final class NodeCount: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let total: Int
    let report: (@Sendable (Int, Int) -> Void)?

    /// Reports the start, none done, at once.
    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
        report?(0, total)
    }

    func add(_ count: Int) {
        guard let report, count > 0 else { return }
        lock.lock()
        done += count
        let now = done
        lock.unlock()
        report(now, total)
    }
}
