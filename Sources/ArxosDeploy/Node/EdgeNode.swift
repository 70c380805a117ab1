import ArxosCore
import ArxosSigning
import ArxosStore
import ArxosWorkspace
import Foundation

/// An edge node's directory (docs/deploy.md, "The edge node"): config, store, identity key, trust list, states.
public struct EdgeNode: Sendable {
    public let directory: String
    public let config: NodeConfig
    public let store: Repository
    public let identity: Ed25519SecretKey

    public var trustFile: String { directory + "/trust" }
    public var statesDirectory: String { directory + "/states" }
    public var currentLink: String { directory + "/current" }
    public var pendingFile: String { directory + "/pending.json" }
    public var leaseFile: String { directory + "/lease.json" }
    public var sequenceFile: String { directory + "/sequence" }
    public var lockFile: String { directory + "/lock" }

    /// Creates a node in `directory` (which must not hold one yet): config, an empty store, a fresh identity key.
    @discardableResult
    public static func initialize(at directory: String, building: String, listen: String?) throws -> EdgeNode {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path
        if FileSystem.exists(path + "/node.yaml") {
            throw DeployError.io("\(path) already holds an edge node (node.yaml exists)")
        }
        guard !building.isEmpty, !building.contains(where: { $0 == " " || $0 == "\n" }) else {
            throw DeployError.badOption("the building id '\(building)' must be one word")
        }
        try FileSystem.makeDirectories(path + "/states")
        try FileSystem.makeDirectories(path + "/store")
        _ = try Repository.initialize(at: path + "/store")
        let keys = KeyStore(home: URL(fileURLWithPath: path))
        _ = try keys.generate(comment: "arxos-edge-\(building)")
        let config = NodeConfig(building: building, listen: listen)
        try FileSystem.writeAtomically(path + "/node.yaml", Array(config.initialText.utf8))
        try FileSystem.writeAtomically(path + "/trust", [])
        return try EdgeNode(directory: path)
    }

    /// Opens the node in `directory`.
    public init(directory: String) throws {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path
        guard let bytes = try FileSystem.read(path + "/node.yaml") else { throw DeployError.notANode(path) }
        self.directory = path
        config = try NodeConfig(path: path + "/node.yaml", text: String(decoding: bytes, as: UTF8.self))
        store = try Repository.discover(from: path + "/store")
        guard let key = try KeyStore(home: URL(fileURLWithPath: path)).load() else {
            throw DeployError.badNodeConfig(path: path + "/keys/id_ed25519", reason: "the node's identity key is missing")
        }
        identity = key
    }

    /// The node's trust list (controller keys), as it is now.
    public func trust() throws -> TrustSnapshot { try TrustStore(url: URL(fileURLWithPath: trustFile)).load() }

    /// Trusts a controller key; false when it was trusted already.
    public func trust(_ key: Ed25519PublicKey, comment: String) throws -> Bool {
        try TrustStore(url: URL(fileURLWithPath: trustFile)).trust(key, comment: comment)
    }

    /// Revokes a controller key; false when it was revoked already.
    public func revoke(keyID: String) throws -> Bool {
        try TrustStore(url: URL(fileURLWithPath: trustFile)).revoke(keyID: keyID, comment: "revoked")
    }

    /// The deploy commit the node runs (the target of `current`), nil before the first deploy.
    public func current() -> ObjectID? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink) else { return nil }
        return ObjectID(hex: (target as NSString).lastPathComponent)
    }

    /// The highest sequence this node ever accepted (0 before the first deploy).
    public func highestSequence() -> UInt64 {
        guard let bytes = try? FileSystem.read(sequenceFile) else { return 0 }
        return UInt64(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    func setHighestSequence(_ value: UInt64) throws {
        try FileSystem.writeAtomically(sequenceFile, Array("\(value)\n".utf8))
    }

    /// The deploy headers of a commit in the node's store.
    public func deployCommit(_ id: ObjectID) throws -> DeployCommit {
        try DeployCommit(try store.objects.readCommit(id))
    }

    /// The directory of a materialized state.
    public func stateDirectory(_ id: ObjectID) -> String { statesDirectory + "/" + id.hex }

    /// Takes the node lock (one activation, confirmation or rollback at a time, across processes).
    func lock(timeout: Double = 600) throws -> RepositoryLock { try RepositoryLock(path: lockFile, timeout: timeout) }

    /// Takes the lease lock (lease.lock): leases are granted and released while an activation holds the node lock.
    func leaseLock(timeout: Double = 30) throws -> RepositoryLock { try RepositoryLock(path: directory + "/lease.lock", timeout: timeout) }

    /// The node database.
    public func database() throws -> NodeDatabase { try NodeDatabase(path: directory + "/node.db") }
}

/// `pending.json`: an activation waiting for the controller's confirmation.
public struct PendingActivation: Codable, Sendable, Equatable {
    public var commit: String
    public var previous: String?
    public var deployment: String
    /// `activating` while the apply hook and checks run; `confirming` once they passed.
    public var phase: String
    /// Seconds since 1970 after which the node switches back by itself.
    public var deadline: Double
}

/// `lease.json`: which deployment holds the node, until when.
public struct NodeLease: Codable, Sendable, Equatable {
    public var id: String
    public var deployment: String
    public var until: Double
    public var untilText: String { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: until)) }
}

extension EdgeNode {
    func readJSON<T: Decodable>(_ path: String, as: T.Type) -> T? {
        guard let bytes = try? FileSystem.read(path) else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(bytes))
    }

    func writeJSON<T: Encodable>(_ path: String, _ value: T) throws {
        try FileSystem.writeAtomically(path, Array(try JSONEncoder().encode(value)))
    }

    public func pending() -> PendingActivation? { readJSON(pendingFile, as: PendingActivation.self) }

    /// The lease in force, nil when there is none or it expired.
    public func lease() -> NodeLease? {
        guard let lease = readJSON(leaseFile, as: NodeLease.self), lease.until > Date().timeIntervalSince1970 else { return nil }
        return lease
    }
}
