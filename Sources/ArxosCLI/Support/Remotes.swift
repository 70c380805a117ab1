import ArxosCore
import ArxosProtocol
import ArxosSigning
import ArxosStore
import ArxosTransfer
import ArxosTransport
import ArxosWorkspace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Remotes in `.arxos/config`: `remote.<name>.url` and `remote.<name>.arxosPath`.
enum Remotes {
    /// Checks a remote name: letters, digits and `-`, not starting with `-` (it becomes a config key and a ref component).
    static func validate(_ name: String) throws {
        let ok = !name.isEmpty && !name.hasPrefix("-") && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        guard ok else {
            throw CommandFailure(message: "'\(name.debugEscaped)' is not a valid remote name: use letters, digits and '-', not starting with '-'")
        }
    }

    /// The remote names, in config order.
    static func names(_ config: ConfigFile) -> [String] {
        var out = [String]()
        for (key, _) in config.entries where key.hasPrefix("remote.") && key.hasSuffix(".url") {
            let name = String(key.dropFirst("remote.".count).dropLast(".url".count))
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    static func url(_ repository: Repository, _ name: String) throws -> String {
        guard let url = repository.config["remote.\(name).url"] else {
            throw CommandFailure(message: "no remote named '\(name)'\nhint: list remotes with 'arxos remote list', add one with 'arxos remote add \(name) URL'")
        }
        return url
    }

    /// How to reach a remote: ssh command and remote arxos path from the environment and config.
    static func options(_ repository: Repository?, remote: String?, arxosPath: String?) -> TransportOptions {
        let env = ProcessInfo.processInfo.environment
        var options = TransportOptions()
        if let ssh = env["ARXOS_SSH"], !ssh.isEmpty {
            options.sshCommand = ssh
        } else if let ssh = repository?.setting("core.sshCommand") {
            options.sshCommand = ssh
        }
        options.identity = try? KeyStore(home: URL(fileURLWithPath: Repository.home)).load()
        options.knownHostsFile = repository.map { $0.root + "/known_hosts" }
        if let arxosPath {
            options.remoteArxos = arxosPath
        } else if let remote, let path = repository?.setting("remote.\(remote).arxosPath") {
            options.remoteArxos = path
        }
        return options
    }
}

/// An open session with a remote's `arxos serve`.
final class RemoteConnection {
    let process: RemoteStream
    let session: ClientSession
    let url: RemoteURL

    /// Opens a session with the remote at `url`; `meter` (nil when stderr is not a terminal, or `--quiet`) shows the
    /// server's progress lines and the objects received or sent.
    init(url: String, directory: String, options: TransportOptions, meter: ProgressMeter?) throws {
        signal(SIGPIPE, SIG_IGN)
        self.url = try RemoteURL(parsing: url, relativeTo: directory)
        process = try openRemote(self.url, options: options)
        let connection = Connection(stream: process)
        session = ClientSession(connection: connection)
        if let meter {
            connection.onProgress = RemoteConnection.showProgress
            session.wantsProgress = true
            session.onPackProgress = { meter.update(RemoteConnection.report("Receiving objects", $0)) }
            session.onSendProgress = { meter.update(RemoteConnection.report("Sending objects", $0)) }
        }
        do {
            try session.start()
        } catch {
            throw close(after: error)
        }
    }

    /// A transfer's progress as a meter draws it: objects, and bytes of the pack, which the percentage follows.
    static func report(_ label: String, _ progress: ClientSession.Progress) -> ProgressMeter.Report {
        ProgressMeter.Report(label: label, done: progress.objects, total: progress.totalObjects, bytes: progress.bytes,
                             totalBytes: progress.totalBytes, finished: progress.bytes >= progress.totalBytes)
    }

    /// Shows a progress packet on the terminal as `remote: …`: a text ending in CR is an interim status, overwritten by
    /// the next; other control characters are removed.
    static func showProgress(_ text: String) {
        let line = text.filter { !$0.isASCII || $0.asciiValue.map { $0 >= 0x20 && $0 != 0x7F } == true }
        let interim = text.hasSuffix("\r")
        // CR, the line, then erase what a longer earlier line left.
        FileHandle.standardError.write(Data(("\rremote: " + line + "\u{1B}[K" + (interim ? "" : "\n")).utf8))
    }

    /// Ends the session and checks that the remote side exited cleanly.
    func finish() throws {
        session.close()
        let status = process.finish()
        if status != 0 { throw TransportError.remoteExited(process.summary, status: status) }
    }

    /// Stops the remote after `error`, returning the error to throw: when the stream just ended, the remote's exit
    /// status explains more than "truncated".
    func close(after error: Error) -> Error {
        if case ProtocolError.truncated = error {
            // The far side hung up: its exit status (ssh's 255, a shell's 127 for a missing arxos) says more.
            let status = process.finish()
            if status != 0 { return TransportError.remoteExited(process.summary, status: status) }
            return error
        }
        process.abort()
        return error
    }

    /// Runs `body` with the session, then finishes it; on error the remote is stopped.
    func run<T>(_ body: (ClientSession) throws -> T) throws -> T {
        let result: T
        do {
            result = try body(session)
        } catch {
            throw close(after: error)
        }
        try finish()
        return result
    }
}

/// Maps transfer errors to exit codes: data that fails verification exits 4 (docs/exit-codes.md).
func withTransferErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as TransferError {
        throw CommandFailure(message: error.errorDescription ?? "\(error)", code: error.isVerification ? ExitCodes.verification : ExitCodes.failure)
    }
}

/// The short form of a ref for messages: `main` for `refs/heads/main`.
func shortRef(_ ref: String) -> String {
    for prefix in ["refs/heads/", "refs/tags/", "refs/remotes/"] where ref.hasPrefix(prefix) { return String(ref.dropFirst(prefix.count)) }
    return ref
}
