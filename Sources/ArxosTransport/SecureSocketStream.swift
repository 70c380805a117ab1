import ArxosSigning
import ArxosTransfer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A byte stream to the far side of a session: a child process or an encrypted TCP connection.
public protocol RemoteStream: ByteStream {
    /// What was reached, for messages.
    var summary: String { get }
    /// Ends the session cleanly and returns the far side's exit status (0 for a connection).
    func finish() -> Int32
    /// Ends the session at once after an error on this side.
    func abort()
}

extension RemoteProcess: RemoteStream {}

/// Opens the stream for `url`: a child process for local and SSH remotes, an encrypted connection for TCP.
public func openRemote(_ url: RemoteURL, options: TransportOptions) throws -> RemoteStream {
    if case let .tcp(host, port, path) = url { return try SecureSocketStream(host: host, port: port, path: path, options: options) }
    return try RemoteProcess(url: url, options: options)
}

/// A TCP connection to `arxos serve --listen`, authenticated and encrypted by `SecureHandshake` (blocking I/O).
public final class SecureSocketStream: RemoteStream {
    private let fd: Int32
    private var stream: SecureStream
    private var plaintext: [UInt8] = []
    private var writeClosed = false
    private var closed = false
    private var receivedAny = false
    private let keyID: String
    public let summary: String
    /// Whether this connection pinned the server's key (first use).
    public private(set) var pinnedNow = false

    public init(host: String, port: Int, path: String, options: TransportOptions) throws {
        guard let identity = options.identity else {
            throw TransportError.unsupported("a tcp:// remote without your key (run 'arxos key generate', then have the server authorize it)")
        }
        summary = "tcp://\(host):\(port)"
        keyID = identity.keyID
        fd = try SecureSocketStream.connect(host: host, port: port)
        if options.timeout > 0 {
            var limit = timeval(tv_sec: Int(options.timeout), tv_usec: Int((options.timeout - options.timeout.rounded(.down)) * 1_000_000))
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        do {
            var (handshake, hello) = try SecureHandshake.client(identity: identity, path: path)
            try SecureSocketStream.writeAll(fd, hello)
            var established: SecureStream?
            while established == nil {
                let bytes = try SecureSocketStream.readSome(fd)
                guard !bytes.isEmpty else { throw SecureChannelError.ended }
                var queue = try handshake.receive(bytes)
                while !queue.isEmpty {
                    switch queue.removeFirst() {
                    case let .send(out): try SecureSocketStream.writeAll(fd, out)
                    case let .serverIdentified(key):
                        if let expected = options.expectedServerKey {
                            if expected != key { throw SecureChannelError.serverKeyChanged(expected: expected.keyID, actual: key.keyID) }
                        } else if let file = options.knownHostsFile {
                            pinnedNow = try KnownHosts(path: file).check(key, for: "\(host):\(port)")
                        }
                        queue += try handshake.confirmServer()
                    case let .established(ready): established = ready
                    case .clientIdentified: throw SecureChannelError.misuse("a client got a client's identity")
                    }
                }
            }
            guard let established else { throw SecureChannelError.ended }
            stream = established
        } catch {
            close(fd)
            if case SecureChannelError.ended = error {
                throw TransportError.spawn(summary, "the server closed the connection during the handshake (is your key authorized there?)")
            }
            throw error
        }
    }

    static func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError.spawn("tcp://\(host):\(port)", "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let fd = socket(current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), current.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return fd }
                lastError = errno
                close(fd)
            }
            entry = current.pointee.ai_next
        }
        throw TransportError.spawn("tcp://\(host):\(port)", "cannot connect: \(String(cString: strerror(lastError)))")
    }

    static func readSome(_ fd: Int32) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return Array(buffer.prefix(n)) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw TransferError.timedOut("reading from the TCP connection") }
            throw TransferError.io("reading from the TCP connection", errno: errno)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TransferError.io("writing to the TCP connection", errno: errno)
            }
            offset += n
        }
    }

    public func read(maximum: Int) throws -> [UInt8] {
        guard !closed else { throw TransferError.io("reading from a closed TCP connection", errno: EBADF) }
        while plaintext.isEmpty {
            if stream.finished { return [] }
            let bytes = try SecureSocketStream.readSome(fd)
            if bytes.isEmpty {
                // A server closes without a word on a key it does not authorize.
                if !receivedAny { throw TransportError.notAuthorized(summary, keyID: keyID) }
                return []
            }
            for message in try stream.open(bytes) {
                plaintext += message
                receivedAny = true
            }
        }
        let out = Array(plaintext.prefix(maximum))
        plaintext.removeFirst(out.count)
        return out
    }

    public func write(_ bytes: [UInt8]) throws {
        guard !closed else { throw TransferError.io("writing to a closed TCP connection", errno: EBADF) }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + (1 << 16), bytes.count)
            try SecureSocketStream.writeAll(fd, try stream.seal(Array(bytes[offset..<end])))
            offset = end
        }
    }

    public func closeWrite() {
        guard !writeClosed, !closed else { return }
        writeClosed = true
        if let final = try? stream.seal([], final: true) { try? SecureSocketStream.writeAll(fd, final) }
        shutdown(fd, Int32(SHUT_WR))
    }

    public func finish() -> Int32 {
        // Once closed, the descriptor's number may already belong to another connection of this process: never read it.
        guard !closed else { return 0 }
        closeWrite()
        // Drain until the server closes, so that its last words are not cut off.
        while let more = try? SecureSocketStream.readSome(fd), !more.isEmpty {}
        abort()
        return 0
    }

    public func abort() {
        guard !closed else { return }
        closed = true
        close(fd)
    }

    deinit { abort() }
}
