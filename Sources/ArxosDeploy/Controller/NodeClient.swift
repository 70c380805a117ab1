import ArxosCore
import ArxosProtocol
import ArxosStore
import ArxosTransfer
import ArxosTransport
import Foundation

/// What a node said about itself (`node-status`).
public struct NodeStatus: Sendable, Equatable, Codable {
    public var building: String
    public var nodeKey: String
    public var sequence: UInt64
    public var current: ObjectID?
    public var currentSequence: UInt64?
    public var currentSource: ObjectID?
    public var currentTree: ObjectID?
    public var pending: String?
    public var lease: String?
    public var trusts: [String]

    init(_ params: [NodeParam]) {
        func value(_ key: String) -> String? { params.first { $0.key == key }?.value }
        building = value("building") ?? ""
        nodeKey = value("node-key") ?? ""
        sequence = value("sequence").flatMap(UInt64.init) ?? 0
        current = value("current").flatMap(ObjectID.init(hex:))
        currentSequence = value("current-sequence").flatMap(UInt64.init)
        currentSource = value("current-source").flatMap(ObjectID.init(hex:))
        currentTree = value("current-tree").flatMap(ObjectID.init(hex:))
        pending = value("pending")
        lease = value("lease")
        trusts = params.filter { $0.key == "trusts" }.map(\.value)
    }
}

/// How the controller reaches nodes: the transport options shared by every connection of a deploy.
public struct NodeConnector: Sendable {
    public var options: TransportOptions
    /// The directory relative addresses are read against (the repository's top).
    public var directory: String

    public init(options: TransportOptions, directory: String) {
        var options = options
        options.serverCommand = ["edge", "serve", "--stdio"]
        self.options = options
        self.directory = directory
    }

    /// Opens a session to `node`; throws `NodeUnreachable` when it cannot be reached.
    public func connect(_ node: NodeEntry, timeout: Double = 30) throws -> NodeClient {
        let url: RemoteURL
        // A node serves one thing: `tcp://host:port` needs no path.
        var address = node.address
        if address.hasPrefix("tcp://"), !address.dropFirst("tcp://".count).contains("/") { address += "/node" }
        do { url = try RemoteURL(parsing: address, relativeTo: directory) } catch {
            throw DeployError.badInventory(path: Inventory.fileName, reason: "node \(node.name): \(error.localizedDescription)")
        }
        var options = self.options
        options.timeout = timeout
        options.expectedServerKey = try node.publicKey()
        let stream: RemoteStream
        do {
            stream = try openRemote(url, options: options)
        } catch let error as TransportError {
            // A node closes the handshake on a key it does not trust: that is a refusal, not an outage.
            if case let .spawn(_, reason) = error, reason.contains("handshake") {
                throw DeployError.refused(node: node.name, reason: "it did not accept our key \(options.identity?.keyID ?? "(none)") in the TCP handshake; on the node: arxos edge trust")
            }
            if case .notAuthorized = error {
                throw DeployError.refused(node: node.name, reason: "it did not accept our key \(options.identity?.keyID ?? "(none)"); on the node: arxos edge trust")
            }
            throw NodeUnreachable(node: node.name, reason: NodeClient.describe(error))
        } catch let error as SecureChannelError {
            throw DeployError.refused(node: node.name, reason: NodeClient.describe(error))
        } catch {
            throw NodeUnreachable(node: node.name, reason: NodeClient.describe(error))
        }
        let session = ClientSession(connection: Connection(stream: stream))
        do {
            try session.start()
        } catch let error as TransportError {
            stream.abort()
            if case .notAuthorized = error {
                throw DeployError.refused(node: node.name, reason: "it did not accept our key \(options.identity?.keyID ?? "(none)"); on the node: arxos edge trust")
            }
            throw NodeUnreachable(node: node.name, reason: NodeClient.describe(error))
        } catch {
            stream.abort()
            throw NodeUnreachable(node: node.name, reason: NodeClient.describe(error))
        }
        guard session.isNode else {
            stream.abort()
            throw DeployError.refused(node: node.name, reason: "\(node.address) is an arxos repository, not an edge node")
        }
        return NodeClient(node: node, stream: stream, session: session)
    }
}

/// A node that could not be reached: it is offline, not failed (docs/deploy.md).
public struct NodeUnreachable: Error, LocalizedError {
    public var node: String
    public var reason: String
    public var errorDescription: String? { "node \(node) is unreachable: \(reason)" }
}

/// One session with an edge node.
public final class NodeClient {
    public let node: NodeEntry
    let stream: RemoteStream
    let session: ClientSession

    init(node: NodeEntry, stream: RemoteStream, session: ClientSession) {
        self.node = node; self.stream = stream; self.session = session
    }

    public static func describe(_ error: Error) -> String {
        let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        return String(text.split(separator: "\n").first ?? "")
    }

    /// Sends a request; an `error` answer becomes `DeployError.refused`.
    public func request(_ name: String, _ params: [NodeParam] = []) throws -> [NodeParam] {
        let answer = try session.request(name, params)
        if let error = answer.first(where: { $0.key == "error" }) { throw DeployError.refused(node: node.name, reason: error.value) }
        return answer
    }

    public func status() throws -> NodeStatus { NodeStatus(try request("node-status")) }

    /// Pushes `commit` (and the objects the node lacks) to the node's `refs/heads/staged`.
    public func push(_ commit: ObjectID, store: ObjectDatabase) throws -> ClientSession.Stats {
        let refs = try session.listRefs(prefixes: ["refs/heads/"]).refs
        let old = refs.first { $0.name == "refs/heads/staged" }?.id
        var known = Set<ObjectID>()
        for ref in refs where try store.contains(ref.id) { known.insert(ref.id) }
        let (results, stats) = try session.push([RefUpdate(ref: "refs/heads/staged", old: old, new: commit, force: true)],
                                                store: store, known: known)
        if let refused = results.first(where: { !$0.ok }) {
            throw DeployError.refused(node: node.name, reason: refused.rejection ?? "push refused")
        }
        return stats
    }

    private var closed = false

    /// Ends the session cleanly (once; later calls do nothing).
    public func close() {
        guard !closed else { return }
        closed = true
        session.close()
        _ = stream.finish()
    }

    /// Ends the session at once.
    public func abort() {
        closed = true
        stream.abort()
    }
}
