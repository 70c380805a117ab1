import ArxosProtocol
import ArxosSigning
import ArxosStore
import ArxosTransfer
import ArxosWorkspace
import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// `arxos serve --listen`: serves the repositories under `root` to clients whose keys `<root>/authorized_keys` lists,
/// each connection behind `SecureHandshake` (docs/protocol.md, section 9).
///
/// Each connection is an `NIOAsyncChannel`; after the handshake its plaintext is piped to a `ServerSession` running on
/// its own thread (the store's blocking I/O stays off the event loops), and the session's output is sealed and sent back.
public struct TCPServer: Sendable {
    public let host: String
    public let port: Int
    public let identity: Ed25519SecretKey
    /// The right of a client key, nil for a key that gets nothing (the connection closes without a word).
    public typealias Authorizer = @Sendable (Ed25519PublicKey) throws -> AccessRight?
    /// The session for an authorized client asking for `path`: runs the protocol over the connection; nil when there
    /// is nothing at `path`.
    public typealias SessionMaker = @Sendable (_ path: String, _ right: AccessRight) -> (@Sendable (Connection) throws -> Void)?
    let authorize: Authorizer
    let makeSession: SessionMaker
    /// Names the server in the operator's messages (`arxos serve`, `arxos edge serve`).
    let name: String

    /// The hub: the repositories under `root`, for the keys of `<root>/authorized_keys`.
    public init(host: String, port: Int, root: String, identity: Ed25519SecretKey) {
        self.host = host
        self.port = port
        self.identity = identity
        name = "arxos serve"
        authorize = { key in try AuthorizedKeys(path: root + "/authorized_keys").right(of: key) }
        makeSession = { path, right in
            guard let repository = TCPServer.repository(at: path, root: root) else { return nil }
            return { connection in
                try ServerSession(repository: repository, connection: connection, allowPush: right == .readWrite).run()
            }
        }
    }

    /// Any other service behind the same handshake (an edge node).
    public init(host: String, port: Int, identity: Ed25519SecretKey, name: String,
                authorize: @escaping Authorizer, session: @escaping SessionMaker) {
        self.host = host
        self.port = port
        self.identity = identity
        self.name = name
        self.authorize = authorize
        makeSession = session
    }

    /// Binds, calls `bound` with the port (useful with port 0), then serves until the process ends.
    public func run(bound: @Sendable (Int) -> Void) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        bound(server.channel.localAddress?.port ?? port)
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { clients in
                for try await client in clients {
                    group.addTask {
                        do {
                            try await serve(client)
                        } catch {
                            let peer = client.channel.remoteAddress.map { "\($0)" } ?? "a client"
                            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                            FileHandle.standardError.write(Data("\(name): \(peer): \(text.split(separator: "\n").first ?? "")\n".utf8))
                        }
                    }
                }
            }
        }
    }

    /// The repository a client asked for, inside `root`; nil when there is none.
    static func repository(at path: String, root: String) -> Repository? {
        let full = URL(fileURLWithPath: root + "/" + path).standardizedFileURL.path
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard full == base || full.hasPrefix(base.hasSuffix("/") ? base : base + "/") else { return nil }
        guard FileSystem.isDirectory(full + "/" + Repository.directoryName) else { return nil }
        return try? Repository.discover(from: full)
    }

    private func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await client.executeThenClose { inbound, outbound in
            var handshake = try SecureHandshake.server(identity: identity)
            var iterator = inbound.makeAsyncIterator()
            var established: SecureStream?
            var grant: ((@Sendable (Connection) throws -> Void)?, String)?
            while established == nil {
                guard let buffer = try await iterator.next() else { return }
                var queue = try handshake.receive(Array(buffer.readableBytesView))
                while !queue.isEmpty {
                    switch queue.removeFirst() {
                    case let .send(bytes): try await outbound.write(ByteBuffer(bytes: bytes))
                    case let .clientIdentified(key, path):
                        // An unknown key learns nothing: the connection closes without a word.
                        guard let right = try authorize(key) else { return }
                        grant = (makeSession(path, right), path)
                        queue += try handshake.acceptClient()
                    case let .established(stream): established = stream
                    case .serverIdentified: return
                    }
                }
            }
            guard var reader = established, var writer = established, let (found, path) = grant else { return }
            guard let session = found else {
                let refusal = try Packet.encode([.error("there is no arxos repository at '\(path)' on this server")])
                try await outbound.write(ByteBuffer(bytes: try writer.seal(refusal) + writer.seal([], final: true)))
                return
            }

            // Plaintext goes to the session through one pipe and comes back through another.
            var toSession: [Int32] = [0, 0], fromSession: [Int32] = [0, 0]
            guard pipe(&toSession) == 0 else { throw TransferError.io("creating a pipe", errno: errno) }
            guard pipe(&fromSession) == 0 else {
                close(toSession[0]); close(toSession[1])
                throw TransferError.io("creating a pipe", errno: errno)
            }
            for fd in toSession + fromSession { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            let sessionInput = toSession[0], sessionOutput = fromSession[1]
            let name = self.name
            let thread = Thread {
                let connection = Connection(stream: FileDescriptorStream(input: sessionInput, output: sessionOutput))
                do {
                    try session(connection)
                } catch {
                    // The client got the error packet; the operator gets a line.
                    let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                    FileHandle.standardError.write(Data("\(name): \(path): \(text.split(separator: "\n").first ?? "")\n".utf8))
                }
                connection.stream.closeWrite()
                close(sessionInput)
            }
            thread.start()
            let local = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptors(input: fromSession[0], output: toSession[1]) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Finishing the writer closes the pipe into the session: it reads the end of the stream, ends,
                        // and its thread exits (without half-closure it would wait on the pipe for ever).
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
            try await local.executeThenClose { fromLocal, toLocal in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Session → client: seal what the session writes; a final message when it is done.
                    group.addTask { [writer] in
                        var sealer = writer
                        for try await buffer in fromLocal {
                            try await outbound.write(ByteBuffer(bytes: try sealer.seal(Array(buffer.readableBytesView))))
                        }
                        try await outbound.write(ByteBuffer(bytes: try sealer.seal([], final: true)))
                    }
                    // Client → session: open what arrives until the client's final message or the end of the stream.
                    while !reader.finished, let buffer = try await iterator.next() {
                        for message in try reader.open(Array(buffer.readableBytesView)) where !message.isEmpty {
                            try await toLocal.write(ByteBuffer(bytes: message))
                        }
                    }
                    toLocal.finish()
                    try await group.waitForAll()
                }
            }
        }
    }
}
