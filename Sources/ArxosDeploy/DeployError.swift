import ArxosCore
import Foundation

/// What can go wrong deploying, on the controller or on a node. Each case is one sentence naming the node, state or
/// file involved and, where there is one, the fix.
public enum DeployError: Error, LocalizedError, Equatable {
    case notADeployCommit(String)
    case untrusted(String)
    case wrongBuilding(commit: String, node: String)
    case staleSequence(received: UInt64, current: UInt64)
    case olderState(received: Int64, current: Int64)
    case notANode(String)
    case badNodeConfig(path: String, reason: String)
    case badInventory(path: String, reason: String)
    case unknownNode(String)
    case nodeExists(String)
    case emptySelection(String)
    case badSelector(String)
    case badOption(String)
    case buildingNotFound(building: String, revision: String)
    case noKey
    case locked(node: String, lease: String, deployment: String, until: String)
    case noSuchLease(String)
    case notPending(String)
    case nothingToRollBack(String)
    case unknownDeployment(String)
    case refused(node: String, reason: String)
    case badPlan(path: String, reason: String)
    case io(String)

    public var errorDescription: String? {
        switch self {
        case let .notADeployCommit(reason): "the received commit is not a deploy commit: \(reason)"
        case let .untrusted(reason): "the deploy commit is not signed by a trusted controller key: \(reason)\nhint: on the node, run 'arxos edge trust <controller public key>'"
        case let .wrongBuilding(commit, node): "the state is bound to building '\(commit)', but this node runs building '\(node)'"
        case let .staleSequence(received, current):
            "the deploy commit's sequence \(received) is not newer than the running state's \(current) (a replayed or stale deploy)"
        case let .olderState(received, current):
            "the state (source time \(received)) is older than the running one (\(current)); only a signed rollback goes back: use 'arxos deploy rollback'"
        case let .notANode(path): "\(path) is not an arxos edge node directory (no node.yaml)\nhint: run 'arxos edge init --building ID --dir \(path)'"
        case let .badNodeConfig(path, reason): "\(path): \(reason)"
        case let .badInventory(path, reason): "\(path): \(reason)"
        case let .unknownNode(name): "there is no node named '\(name)' in .arxos-nodes.yaml\nhint: 'arxos node list' shows the inventory"
        case let .nodeExists(name): "a node named '\(name)' is already in .arxos-nodes.yaml; remove it first or pick another name"
        case let .emptySelection(selector): "the target '\(selector)' selects no node\nhint: 'arxos node list' shows names and tags"
        case let .badSelector(reason): "bad target selector: \(reason)"
        case let .badOption(reason): reason
        case let .buildingNotFound(building, revision):
            "building '\(building)' is not in \(revision) (no building.yaml with that id at depth 0 to 3)\nhint: set 'path:' for the node in .arxos-nodes.yaml"
        case .noKey: "deploying needs your signing key\nhint: run 'arxos key generate', then trust its public key on each node ('arxos edge trust')"
        case let .locked(node, lease, deployment, until):
            "node \(node) is held by deployment \(deployment) (lease \(lease), until \(until))\nhint: wait, or 'arxos deploy unlock \(node) --lease \(lease)'"
        case let .noSuchLease(lease): "the node holds no lease '\(lease)'"
        case let .notPending(commit): "\(commit) is not waiting for confirmation on this node (it may have rolled back after the confirm timeout)"
        case let .nothingToRollBack(what): "nothing to roll back: \(what)"
        case let .unknownDeployment(id): "there is no deployment '\(id)' in .arxos/deploy.db\nhint: 'arxos deploy list' shows them"
        case let .refused(node, reason): "node \(node) refused: \(reason)"
        case let .badPlan(path, reason): "\(path): not a usable plan: \(reason)"
        case let .io(what): what
        }
    }
}
