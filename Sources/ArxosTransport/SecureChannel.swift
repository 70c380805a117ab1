import ArxosCore
import ArxosSigning
import CSodium
import Foundation

/// What can go wrong setting up or using the encrypted TCP channel (docs/protocol.md, "The TCP handshake").
public enum SecureChannelError: Error, LocalizedError, Equatable {
    case badHello
    case badSignature(String)
    case serverKeyChanged(expected: String, actual: String)
    case unauthorized(keyID: String)
    case decryption
    case messageTooLarge(Int)
    case ended
    case sodium(String)
    case misuse(String)

    public var errorDescription: String? {
        switch self {
        case .badHello: "the peer is not an arxos TCP endpoint (bad handshake hello)"
        case let .badSignature(who): "the \(who)'s handshake signature does not verify; the connection was closed"
        case let .serverKeyChanged(expected, actual):
            "the server's key is \(actual), not the pinned \(expected); someone may be intercepting the connection\nhint: if the server's key really changed, remove its line from .arxos/known_hosts"
        case let .unauthorized(keyID): "key \(keyID) is not authorized on this server"
        case .decryption: "a message of the encrypted channel failed authentication; the connection was closed"
        case let .messageTooLarge(length): "an encrypted message of \(length) bytes is larger than the limit"
        case .ended: "the encrypted channel was closed by the peer"
        case let .sodium(what): "libsodium failed: \(what)"
        case let .misuse(what): "secure channel misuse: \(what)"
        }
    }
}

/// Both directions of the encrypted channel: libsodium's XChaCha20-Poly1305 secretstream, one stream per direction,
/// each message framed on the wire by a 4-byte big-endian length of its ciphertext.
public struct SecureStream: @unchecked Sendable {
    private var pushState = crypto_secretstream_xchacha20poly1305_state()
    private var pullState = crypto_secretstream_xchacha20poly1305_state()
    private var pullReady = false
    private let pullKey: [UInt8]
    private var inbound: [UInt8] = []
    /// Whether the peer sent its final message.
    public private(set) var finished = false

    /// The largest plaintext of one message.
    public static let maxPlaintext = 1 << 20
    static var headerBytes: Int { Int(crypto_secretstream_xchacha20poly1305_headerbytes()) }
    static var overhead: Int { Int(crypto_secretstream_xchacha20poly1305_abytes()) }

    /// Starts both directions with the session keys; returns the stream and the header to send before any message.
    static func start(tx: [UInt8], rx: [UInt8]) throws(SecureChannelError) -> (SecureStream, [UInt8]) {
        var stream = SecureStream(pullKey: rx)
        var header = [UInt8](repeating: 0, count: headerBytes)
        let result = crypto_secretstream_xchacha20poly1305_init_push(&stream.pushState, &header, tx)
        guard result == 0 else { throw .sodium("crypto_secretstream_xchacha20poly1305_init_push") }
        return (stream, header)
    }

    private init(pullKey: [UInt8]) { self.pullKey = pullKey }

    /// Encrypts one message and frames it; `final` marks the last message of this direction.
    public mutating func seal(_ plaintext: [UInt8], final: Bool = false) throws(SecureChannelError) -> [UInt8] {
        guard plaintext.count <= SecureStream.maxPlaintext else { throw .messageTooLarge(plaintext.count) }
        var cipher = [UInt8](repeating: 0, count: plaintext.count + SecureStream.overhead)
        var length: UInt64 = 0
        let tag = final ? crypto_secretstream_xchacha20poly1305_tag_final() : crypto_secretstream_xchacha20poly1305_tag_message()
        let result = crypto_secretstream_xchacha20poly1305_push(&pushState, &cipher, &length, plaintext, UInt64(plaintext.count), nil, 0, tag)
        guard result == 0 else { throw .sodium("crypto_secretstream_xchacha20poly1305_push") }
        let n = UInt32(length)
        return [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] + cipher.prefix(Int(length))
    }

    /// Adds received bytes (the peer's header first) and returns the messages they complete, decrypted and verified.
    public mutating func open(_ bytes: [UInt8]) throws(SecureChannelError) -> [[UInt8]] {
        inbound += bytes
        var messages = [[UInt8]]()
        if !pullReady {
            guard inbound.count >= SecureStream.headerBytes else { return [] }
            let header = Array(inbound.prefix(SecureStream.headerBytes))
            guard crypto_secretstream_xchacha20poly1305_init_pull(&pullState, header, pullKey) == 0 else { throw .decryption }
            inbound.removeFirst(SecureStream.headerBytes)
            pullReady = true
        }
        while inbound.count >= 4 {
            let length = Int(inbound[0]) << 24 | Int(inbound[1]) << 16 | Int(inbound[2]) << 8 | Int(inbound[3])
            guard length >= SecureStream.overhead, length <= SecureStream.maxPlaintext + SecureStream.overhead else {
                throw .messageTooLarge(length)
            }
            guard inbound.count >= 4 + length else { break }
            if finished { throw .decryption }
            let cipher = Array(inbound[4..<(4 + length)])
            inbound.removeFirst(4 + length)
            var plain = [UInt8](repeating: 0, count: length - SecureStream.overhead)
            var plainLength: UInt64 = 0
            var tag: UInt8 = 0
            let result = crypto_secretstream_xchacha20poly1305_pull(&pullState, &plain, &plainLength, &tag, cipher, UInt64(length), nil, 0)
            guard result == 0 else { throw .decryption }
            if tag == crypto_secretstream_xchacha20poly1305_tag_final() { finished = true }
            messages.append(Array(plain.prefix(Int(plainLength))))
        }
        return messages
    }
}

/// The mutual authentication and key exchange that opens a TCP connection (docs/protocol.md, "The TCP handshake"):
/// a value type without I/O, fed the bytes that arrive and returning what to send and what to decide.
public struct SecureHandshake: @unchecked Sendable {
    /// What the driver must do.
    public enum Event {
        case send([UInt8])
        /// Client: the server proved it holds this key; check it against the pinned key, then `confirmServer()`.
        case serverIdentified(Ed25519PublicKey)
        /// Server: the client proved it holds this key and asks for this repository path; check the authorized keys,
        /// then `acceptClient()` (or close the connection without a word).
        case clientIdentified(Ed25519PublicKey, path: String)
        /// The channel is up; bytes that arrived after the handshake are buffered inside the stream.
        case established(SecureStream)
    }

    private enum State {
        case clientAwaitingServer(hello: [UInt8])
        case clientAwaitingConfirmation
        case serverAwaitingHello
        case serverAwaitingClientAuth
        case serverAwaitingDecision
        case established
        case failed
    }

    static let magic = Array("ARXTCP01".utf8)
    static let helloBytes = 48
    static let serverContext = Array("arxos-tcp-server".utf8)
    static let clientContext = Array("arxos-tcp-client".utf8)

    private var state: State
    private let identity: Ed25519SecretKey
    private let path: String
    private var kxPublic = [UInt8](repeating: 0, count: Int(crypto_kx_publickeybytes()))
    private var kxSecret = [UInt8](repeating: 0, count: Int(crypto_kx_secretkeybytes()))
    private var inbound: [UInt8] = []
    private var transcript: [UInt8] = []
    private var stream: SecureStream?

    private init(state: State, identity: Ed25519SecretKey, path: String) throws(SecureChannelError) {
        guard sodium_init() >= 0 else { throw .sodium("sodium_init") }
        self.state = state
        self.identity = identity
        self.path = path
        guard crypto_kx_keypair(&kxPublic, &kxSecret) == 0 else { throw .sodium("crypto_kx_keypair") }
    }

    /// A client asking for the repository at `path`; returns the handshake and the hello to send first.
    public static func client(identity: Ed25519SecretKey, path: String) throws(SecureChannelError) -> (SecureHandshake, [UInt8]) {
        var handshake = try SecureHandshake(state: .serverAwaitingHello, identity: identity, path: path)
        let hello = handshake.hello()
        handshake.state = .clientAwaitingServer(hello: hello)
        return (handshake, hello)
    }

    /// A server; it speaks only after the client's hello.
    public static func server(identity: Ed25519SecretKey) throws(SecureChannelError) -> SecureHandshake {
        try SecureHandshake(state: .serverAwaitingHello, identity: identity, path: "")
    }

    private func hello() -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 8)
        randombytes_buf(&nonce, 8)
        return SecureHandshake.magic + kxPublic + nonce
    }

    /// Feeds received bytes.
    public mutating func receive(_ bytes: [UInt8]) throws(SecureChannelError) -> [Event] {
        do {
            return try handle(bytes)
        } catch {
            state = .failed
            throw error
        }
    }

    private mutating func handle(_ bytes: [UInt8]) throws(SecureChannelError) -> [Event] {
        inbound += bytes
        switch state {
        case let .clientAwaitingServer(ownHello):
            if stream == nil {
                guard inbound.count >= SecureHandshake.helloBytes else { return [] }
                let serverHello = Array(inbound.prefix(SecureHandshake.helloBytes))
                inbound.removeFirst(SecureHandshake.helloBytes)
                guard serverHello.starts(with: SecureHandshake.magic) else { throw .badHello }
                let serverKX = Array(serverHello[8..<40])
                var rx = [UInt8](repeating: 0, count: Int(crypto_kx_sessionkeybytes()))
                var tx = rx
                guard crypto_kx_client_session_keys(&rx, &tx, kxPublic, kxSecret, serverKX) == 0 else { throw .badHello }
                transcript = ownHello + serverHello
                let (started, header) = try SecureStream.start(tx: tx, rx: rx)
                stream = started
                pendingHeader = header
            }
            guard var current = stream else { return [] }
            let messages = try current.open(inbound)
            inbound = []
            stream = current
            guard let auth = messages.first else { return [] }
            guard messages.count == 1, auth.count == 96 else { throw .badSignature("server") }
            let key: Ed25519PublicKey
            do { key = try Ed25519PublicKey(bytes: Array(auth.prefix(32))) } catch { throw .badSignature("server") }
            guard key.verify(signature: Array(auth.suffix(64)), payload: SecureHandshake.serverContext + digest) else {
                throw .badSignature("server")
            }
            state = .clientAwaitingConfirmation
            return [.serverIdentified(key)]
        case .serverAwaitingHello:
            guard inbound.count >= SecureHandshake.helloBytes else { return [] }
            let clientHello = Array(inbound.prefix(SecureHandshake.helloBytes))
            inbound.removeFirst(SecureHandshake.helloBytes)
            guard clientHello.starts(with: SecureHandshake.magic) else { throw .badHello }
            var rx = [UInt8](repeating: 0, count: Int(crypto_kx_sessionkeybytes()))
            var tx = rx
            guard crypto_kx_server_session_keys(&rx, &tx, kxPublic, kxSecret, Array(clientHello[8..<40])) == 0 else { throw .badHello }
            let serverHello = hello()
            transcript = clientHello + serverHello
            var (started, header) = try SecureStream.start(tx: tx, rx: rx)
            let signature: [UInt8]
            do { signature = try identity.sign(SecureHandshake.serverContext + digest) } catch { throw .sodium("signing the handshake") }
            let auth = try started.seal(identity.publicKey.bytes + signature)
            stream = started
            state = .serverAwaitingClientAuth
            let send = Event.send(serverHello + header + auth)
            return [send] + (inbound.isEmpty ? [] : try handle([]))
        case .serverAwaitingClientAuth:
            guard var current = stream else { throw .misuse("no stream") }
            let messages = try current.open(inbound)
            inbound = []
            stream = current
            guard let auth = messages.first else { return [] }
            guard messages.count == 1, auth.count > 96, let path = String(validating: auth.dropFirst(96), as: UTF8.self) else { throw .badSignature("client") }
            let key: Ed25519PublicKey
            do { key = try Ed25519PublicKey(bytes: Array(auth.prefix(32))) } catch { throw .badSignature("client") }
            let signature = Array(auth[32..<96])
            guard key.verify(signature: signature, payload: SecureHandshake.clientContext + digest + Array(path.utf8)) else {
                throw .badSignature("client")
            }
            state = .serverAwaitingDecision
            return [.clientIdentified(key, path: path)]
        default:
            throw .misuse("bytes arrived after the handshake; pass them to the established stream")
        }
    }

    private var pendingHeader: [UInt8] = []

    /// SHA-256 of the two hellos: what both signatures are bound to.
    private var digest: [UInt8] { ObjectID(hashing: transcript).bytes }

    /// Client: the server's key is the expected one; sends the client's proof and opens the channel.
    public mutating func confirmServer() throws(SecureChannelError) -> [Event] {
        guard case .clientAwaitingConfirmation = state, var current = stream else { throw .misuse("confirmServer before the server identified itself") }
        let signature: [UInt8]
        do { signature = try identity.sign(SecureHandshake.clientContext + digest + Array(path.utf8)) } catch { throw .sodium("signing the handshake") }
        let auth = try current.seal(identity.publicKey.bytes + signature + Array(path.utf8))
        state = .established
        stream = nil
        return [.send(pendingHeader + auth), .established(current)]
    }

    /// Server: the client may use the repository; opens the channel.
    public mutating func acceptClient() throws(SecureChannelError) -> [Event] {
        guard case .serverAwaitingDecision = state, let current = stream else { throw .misuse("acceptClient before the client identified itself") }
        state = .established
        stream = nil
        return [.established(current)]
    }
}
