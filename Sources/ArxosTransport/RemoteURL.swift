import Foundation

/// Where a remote repository is, parsed from its URL (docs/protocol.md, the table of transports).
public enum RemoteURL: Equatable, Sendable, CustomStringConvertible {
    /// A repository on this machine, as an absolute path.
    case local(path: String)
    /// A repository reached through the system ssh client.
    case ssh(user: String?, host: String, port: Int?, path: String)
    /// An `arxos serve --listen` daemon (not implemented yet).
    case tcp(host: String, port: Int, path: String)

    /// Parses `URL`: `file:///path`, a local path, `ssh://[user@]host[:port]/path`, `[user@]host:path` or
    /// `tcp://host:port/path`. Relative local paths are resolved against `directory`. A user, host or path that starts
    /// with `-` is refused, so that it can never be taken for an option of ssh.
    public init(parsing text: String, relativeTo directory: String) throws {
        func absolute(_ path: String) -> String {
            let full = path.hasPrefix("/") ? path : directory + "/" + path
            return URL(fileURLWithPath: full).standardizedFileURL.path
        }
        if text.isEmpty { throw TransportError.badURL(text, reason: "it is empty") }
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else { throw TransportError.badURL(text, reason: "a file:// URL needs an absolute path") }
            self = .local(path: absolute(path))
            return
        }
        if text.hasPrefix("ssh://") {
            let rest = text.dropFirst("ssh://".count)
            guard let slash = rest.firstIndex(of: "/") else { throw TransportError.badURL(text, reason: "it has no path after the host") }
            var authority = String(rest[..<slash])
            let path = String(rest[slash...])
            var user: String?
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                authority = String(authority[authority.index(after: at)...])
            }
            var port: Int?
            if let colon = authority.lastIndex(of: ":") {
                guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
                    throw TransportError.badURL(text, reason: "the port is not a number from 1 to 65535")
                }
                port = p
                authority = String(authority[..<colon])
            }
            self = .ssh(user: user, host: authority, port: port, path: path)
            try checkSSH(text)
            return
        }
        if text.hasPrefix("tcp://") {
            let rest = text.dropFirst("tcp://".count)
            guard let slash = rest.firstIndex(of: "/"), let colon = rest[..<slash].lastIndex(of: ":"),
                  let port = Int(rest[rest.index(after: colon)..<slash]), (1...65535).contains(port) else {
                throw TransportError.badURL(text, reason: "expected tcp://host:port/path")
            }
            self = .tcp(host: String(rest[..<colon]), port: port, path: String(rest[slash...]))
            return
        }
        if text.contains("://") { throw TransportError.badURL(text, reason: "unknown scheme (use a path, file://, ssh:// or tcp://)") }
        // scp-like `[user@]host:path`: a colon before any slash.
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            var host = String(text[..<colon])
            var user: String?
            if let at = host.lastIndex(of: "@") {
                user = String(host[..<at])
                host = String(host[host.index(after: at)...])
            }
            self = .ssh(user: user, host: host, port: nil, path: String(text[text.index(after: colon)...]))
            try checkSSH(text)
            return
        }
        self = .local(path: absolute(text))
    }

    private func checkSSH(_ text: String) throws {
        guard case let .ssh(user, host, _, path) = self else { return }
        if host.isEmpty { throw TransportError.badURL(text, reason: "the host is empty") }
        if path.isEmpty { throw TransportError.badURL(text, reason: "the path is empty") }
        for (what, value) in [("host", host), ("user", user ?? ""), ("path", path)] where value.hasPrefix("-") {
            throw TransportError.badURL(text, reason: "the \(what) '\(value)' starts with '-', which ssh would take for an option")
        }
        if host.contains(where: { $0.isWhitespace }) || (user ?? "").contains(where: { $0.isWhitespace }) {
            throw TransportError.badURL(text, reason: "the user or host contains a space")
        }
    }

    public var description: String {
        switch self {
        case let .local(path): path
        case let .ssh(user, host, port, path):
            "ssh://" + (user.map { $0 + "@" } ?? "") + host + (port.map { ":\($0)" } ?? "") + (path.hasPrefix("/") ? path : "/~/" + path)
        case let .tcp(host, port, path): "tcp://\(host):\(port)\(path)"
        }
    }
}

/// What can go wrong reaching a remote.
public enum TransportError: Error, LocalizedError {
    case badURL(String, reason: String)
    case unsupported(String)
    case spawn(String, String)
    case remoteExited(String, status: Int32)
    case notAuthorized(String, keyID: String)

    public var errorDescription: String? {
        switch self {
        case let .badURL(url, reason): "'\(url)' is not a usable remote URL: \(reason)"
        case let .unsupported(what): "\(what) is not supported yet\nhint: use a local path or an ssh:// URL"
        case let .spawn(command, reason): "cannot start '\(command)': \(reason)"
        case let .notAuthorized(server, keyID):
            "\(server) closed the connection after the handshake: your key \(keyID) is not authorized there\nhint: ask its operator to add 'read-write <the line of arxos key export>' to authorized_keys in the served root"
        case let .remoteExited(what, status):
            "\(what) exited with status \(status) before the session ended\nhint: see the messages above; check the URL and that arxos is installed on the remote (remote.<name>.arxosPath)"
        }
    }
}
