import ArxosCore
import ArxosSigning
import ArxosTransport
import Testing

/// Runs a client and a server handshake back to back, without sockets, delivering bytes in pieces of `piece`.
struct HandshakePair {
    let clientKey: Ed25519SecretKey
    let serverKey: Ed25519SecretKey
    var client: SecureHandshake
    var server: SecureHandshake
    var toServer: [UInt8]
    var toClient: [UInt8] = []

    init(path: String = "/srv/site") throws {
        clientKey = try Ed25519SecretKey.generate()
        serverKey = try Ed25519SecretKey.generate()
        (client, toServer) = try SecureHandshake.client(identity: clientKey, path: path)
        server = try SecureHandshake.server(identity: serverKey)
    }

    /// Delivers `bytes` in pieces and collects the events.
    static func deliver(_ bytes: [UInt8], to handshake: inout SecureHandshake, piece: Int) throws -> [SecureHandshake.Event] {
        var events = [SecureHandshake.Event]()
        var offset = 0
        repeat {
            let end = min(offset + piece, bytes.count)
            events += try handshake.receive(Array(bytes[offset..<end]))
            offset = end
        } while offset < bytes.count
        return events
    }

    static func sent(_ events: [SecureHandshake.Event]) -> [UInt8] {
        events.flatMap { event -> [UInt8] in if case let .send(bytes) = event { bytes } else { [] } }
    }

    static func established(_ events: [SecureHandshake.Event]) -> SecureStream? {
        for case let .established(stream) in events { return stream }
        return nil
    }

    /// The whole handshake; returns the client's and the server's streams.
    mutating func run(piece: Int = 1 << 20) throws -> (SecureStream, SecureStream, String) {
        let serverEvents = try HandshakePair.deliver(toServer, to: &server, piece: piece)
        toClient = HandshakePair.sent(serverEvents)
        let clientEvents = try HandshakePair.deliver(toClient, to: &client, piece: piece)
        guard case let .serverIdentified(key)? = clientEvents.last else { throw SecureChannelError.misuse("no server identity") }
        #expect(key == serverKey.publicKey)
        let confirmed = try client.confirmServer()
        let clientStream = try #require(HandshakePair.established(confirmed))
        let authEvents = try HandshakePair.deliver(HandshakePair.sent(confirmed), to: &server, piece: piece)
        guard case let .clientIdentified(clientPublic, path)? = authEvents.last else { throw SecureChannelError.misuse("no client identity") }
        #expect(clientPublic == clientKey.publicKey)
        let serverStream = try #require(HandshakePair.established(try server.acceptClient()))
        return (clientStream, serverStream, path)
    }
}

@Suite struct SecureChannelTests {
    @Test(arguments: [1, 5, 47, 1 << 20])
    func handshakeAndMessagesInAnySplit(piece: Int) throws {
        var pair = try HandshakePair(path: "/srv/sites/hq")
        var (client, server, path) = try pair.run(piece: piece)
        #expect(path == "/srv/sites/hq")
        let messages: [[UInt8]] = [Array("version 1".utf8), [], (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }]
        var wire = [UInt8]()
        for message in messages { wire += try client.seal(message) }
        var received = [[UInt8]]()
        var offset = 0
        while offset < wire.count {
            let end = min(offset + piece, wire.count)
            received += try server.open(Array(wire[offset..<end]))
            offset = end
        }
        #expect(received == messages)
        // And back, ending with the final tag.
        let reply = try server.seal(Array("bye".utf8), final: true)
        #expect(try client.open(reply) == [Array("bye".utf8)])
        #expect(client.finished)
    }

    @Test func aTamperedMessageIsRefused() throws {
        var pair = try HandshakePair()
        var (client, server, _) = try pair.run()
        var sealed = try client.seal(Array("ref 00 refs/heads/main".utf8))
        sealed[10] ^= 1
        #expect(throws: SecureChannelError.decryption) { try server.open(sealed) }
    }

    @Test func aTamperedServerProofIsRefused() throws {
        var pair = try HandshakePair()
        var toClient = HandshakePair.sent(try pair.server.receive(pair.toServer))
        toClient[toClient.count - 5] ^= 0x40
        #expect(throws: SecureChannelError.self) { try pair.client.receive(toClient) }
    }

    @Test func aClientProofFromAnotherSessionIsRefused() throws {
        // Record a client's proof in one session and replay it into another server session.
        var first = try HandshakePair()
        let firstServer = try first.server.receive(first.toServer)
        _ = try first.client.receive(HandshakePair.sent(firstServer))
        let recordedProof = HandshakePair.sent(try first.client.confirmServer())

        var second = try HandshakePair()
        _ = try second.server.receive(second.toServer)
        #expect(throws: SecureChannelError.self) { try second.server.receive(recordedProof) }
    }

    @Test func garbageInsteadOfAHelloIsRefused() throws {
        var server = try SecureHandshake.server(identity: try Ed25519SecretKey.generate())
        #expect(throws: SecureChannelError.badHello) {
            try server.receive(Array("GET / HTTP/1.1\r\nHost: hub\r\n\r\n".utf8) + [UInt8](repeating: 0x41, count: 40))
        }
    }

    @Test func stepsOutOfOrderAreRefused() throws {
        var pair = try HandshakePair()
        #expect(throws: SecureChannelError.self) { try pair.client.confirmServer() }
        #expect(throws: SecureChannelError.self) { try pair.server.acceptClient() }
    }

    @Test func anOversizedFrameIsRefusedBeforeBuffering() throws {
        var pair = try HandshakePair()
        var (_, server, _) = try pair.run()
        #expect(throws: SecureChannelError.messageTooLarge(0x7FFF_FFFF)) { try server.open([0x7F, 0xFF, 0xFF, 0xFF]) }
    }
}
