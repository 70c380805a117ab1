import ArxosProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A reliable ordered byte stream in both directions: a pipe pair, a socket, an SSH channel.
public protocol ByteStream: AnyObject {
    /// Reads at least one byte; an empty result means the peer closed its side.
    func read(maximum: Int) throws -> [UInt8]
    func write(_ bytes: [UInt8]) throws
    /// Closes the writing side, telling the peer the session is over.
    func closeWrite()
}

/// A byte stream over two file descriptors (for example stdin and stdout, or the pipes of a child process).
public final class FileDescriptorStream: ByteStream {
    public let input: Int32
    public let output: Int32
    private var outputClosed = false

    public init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    public func read(maximum: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, maximum) }
            if n >= 0 {
                buffer.removeSubrange(n...)
                return buffer
            }
            if errno == EINTR { continue }
            throw TransferError.io("reading from the connection", errno: errno)
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        // After closeWrite the descriptor's number may belong to another stream of this process: never write to it.
        guard !outputClosed else { throw TransferError.io("writing to the connection after closing it", errno: EBADF) }
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(output, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TransferError.io("writing to the connection", errno: errno)
                }
                offset += n
            }
        }
    }

    public func closeWrite() {
        guard !outputClosed else { return }
        outputClosed = true
        close(output)
    }
}

/// Packets over a byte stream: encodes what is sent, decodes what arrives, whatever the read boundaries.
public final class Connection {
    public let stream: ByteStream
    private var decoder = PacketDecoder()
    private var pending: [UInt8] = []
    /// Bytes read and written, for progress and tests.
    public private(set) var bytesRead = 0
    public private(set) var bytesWritten = 0
    /// Called with the text of each progress packet received.
    public var onProgress: ((String) -> Void)?

    public init(stream: ByteStream) { self.stream = stream }

    /// Queues packets, writing them once 256 KiB are queued or a flush packet is among them.
    public func send(_ packets: [Packet]) throws {
        for packet in packets {
            try packet.encode(into: &pending)
            if packet == .flush || pending.count >= 1 << 18 { try flush() }
        }
    }

    /// Writes everything queued.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        try stream.write(pending)
        bytesWritten += pending.count
        pending.removeAll(keepingCapacity: true)
    }

    /// The next packet, or nil at the end of the stream (with nothing left over). Progress packets are passed to
    /// `onProgress` and keepalives skipped, so callers see only protocol packets.
    public func receive() throws -> Packet? {
        while true {
            if let packet = try decoder.next() {
                switch packet {
                case .keepalive: continue
                case let .progress(text): onProgress?(text); continue
                default: return packet
                }
            }
            let bytes = try stream.read(maximum: 1 << 16)
            if bytes.isEmpty {
                if decoder.buffered > 0 { throw ProtocolError.truncated("a packet") }
                return nil
            }
            bytesRead += bytes.count
            decoder.feed(bytes)
        }
    }

    /// Sends an error packet (best effort) and closes the writing side.
    public func fail(_ message: String) {
        try? send([.error(message.replacingOccurrences(of: "\n", with: " "))])
        try? flush()
        stream.closeWrite()
    }
}
