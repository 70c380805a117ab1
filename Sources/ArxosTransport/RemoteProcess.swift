import ArxosSigning
import ArxosTransfer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How to reach the far side's `arxos serve --stdio`.
public struct TransportOptions: Sendable {
    /// The ssh command line (`$ARXOS_SSH`, `core.sshCommand`, else `ssh`); run by `/bin/sh` with the arguments appended.
    public var sshCommand: String
    /// The `arxos` to run on an SSH remote (`remote.<name>.arxosPath`, `--arxos-path`).
    public var remoteArxos: String
    /// The `arxos` binary to run for a local remote (this binary).
    public var localArxos: String

    /// The user's key, for tcp:// remotes.
    public var identity: Ed25519SecretKey?
    /// Where the keys of TCP servers are pinned (`.arxos/known_hosts`).
    public var knownHostsFile: String?
    /// The key the TCP server must prove, when it is known beforehand (an edge node's key from the inventory); checked
    /// instead of `knownHostsFile`.
    public var expectedServerKey: Ed25519PublicKey?
    /// The words that start the far side: `serve --stdio` for a repository, `edge serve --stdio` for an edge node.
    public var serverCommand: [String] = ["serve", "--stdio"]
    /// Seconds to wait for a TCP connection to be accepted, and for any read to complete (0 waits forever).
    public var timeout: Double = 0

    public init(sshCommand: String = "ssh", remoteArxos: String = "arxos", localArxos: String = TransportOptions.currentExecutable) {
        self.sshCommand = sshCommand
        self.remoteArxos = remoteArxos
        self.localArxos = localArxos
    }

    /// The path of the running executable.
    public static var currentExecutable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}

/// A child process speaking the protocol on its stdin and stdout: `arxos serve --stdio` or `ssh … arxos serve --stdio`.
/// Its stderr is this process's stderr, so the remote's messages reach the user.
public final class RemoteProcess: ByteStream {
    private let process: Process
    private let stream: FileDescriptorStream
    private var readClosed = false
    /// What was started, for messages.
    public let summary: String

    /// Starts the server side for `url`.
    public init(url: RemoteURL, options: TransportOptions) throws {
        let executable: String
        let arguments: [String]
        switch url {
        case let .local(path):
            executable = options.localArxos
            arguments = options.serverCommand + [path]
            summary = "arxos \(options.serverCommand.joined(separator: " ")) \(path)"
        case let .ssh(user, host, port, path):
            let remoteCommand = ([options.remoteArxos] + options.serverCommand + [path]).map(RemoteProcess.shellQuote).joined(separator: " ")
            var sshArguments = [String]()
            if let port { sshArguments += ["-p", String(port)] }
            sshArguments += [(user.map { $0 + "@" } ?? "") + host, remoteCommand]
            executable = "/bin/sh"
            arguments = ["-c", options.sshCommand + " \"$@\"", "arxos-ssh"] + sshArguments
            summary = "\(options.sshCommand) \(host)"
        case .tcp:
            throw TransportError.unsupported("tcp:// remotes through a child process")
        }
        let input = Pipe(), output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw TransportError.spawn(executable, error.localizedDescription)
        }
        self.process = process
        // Own close-on-exec copies of this side's ends, so that no other child inherits them; the pipe handles (and
        // the child's ends, which belong to the child now) are closed here.
        let write = fcntl(input.fileHandleForWriting.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        let read = fcntl(output.fileHandleForReading.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        for handle in [input.fileHandleForReading, input.fileHandleForWriting, output.fileHandleForReading, output.fileHandleForWriting] {
            try? handle.close()
        }
        guard write >= 0, read >= 0 else { throw TransportError.spawn(executable, String(cString: strerror(errno))) }
        stream = FileDescriptorStream(input: read, output: write)
    }

    public func read(maximum: Int) throws -> [UInt8] {
        // After closeRead the descriptor's number may belong to another connection: never read it.
        guard !readClosed else { throw TransferError.io("reading from a finished remote process", errno: EBADF) }
        return try stream.read(maximum: maximum)
    }
    public func write(_ bytes: [UInt8]) throws { try stream.write(bytes) }
    public func closeWrite() { stream.closeWrite() }

    /// Closes the connection and waits for the child; returns its exit status.
    @discardableResult
    public func finish() -> Int32 {
        stream.closeWrite()
        process.waitUntilExit()
        closeRead()
        return process.terminationStatus
    }

    /// Ends the child at once (after an error on this side).
    public func abort() {
        stream.closeWrite()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        closeRead()
    }

    private func closeRead() {
        guard !readClosed else { return }
        readClosed = true
        close(stream.input)
    }

    deinit {
        stream.closeWrite()
        closeRead()
    }

    /// Quotes a word for a POSIX shell.
    public static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
