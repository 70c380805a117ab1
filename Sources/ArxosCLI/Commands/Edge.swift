import ArgumentParser
import ArxosDeploy
import ArxosSigning
import ArxosTransfer
import ArxosTransport
import ArxosWorkspace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Arxos {
    struct Edge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run an edge node: the building's end of 'arxos deploy' (docs/deploy.md).",
            subcommands: [EdgeInit.self, EdgeServe.self, EdgeStatus.self, EdgeTrust.self, EdgeRevoke.self, EdgeWatch.self])
    }

    struct NodeDirectory: ParsableArguments {
        @Option(name: .customLong("dir"), help: ArgumentHelp("The node directory (default: ./arxos-edge).", valueName: "dir"))
        var directory: String?

        func path(_ context: CommandContext) -> String {
            let dir = directory ?? "arxos-edge"
            return dir.hasPrefix("/") ? dir : context.directory + "/" + dir
        }
    }

    struct EdgeInit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Create an edge node: store, identity key, trust list, node.yaml and node.db.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var node: NodeDirectory
        @Option(help: ArgumentHelp("The building this node runs.", valueName: "id")) var building: String
        @Option(help: ArgumentHelp("Where 'arxos edge serve' listens.", valueName: "host:port")) var listen: String?

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let made = try EdgeNode.initialize(at: node.path(context), building: building, listen: listen)
                _ = try made.database()
                if !global.quiet {
                    output("Initialized edge node for building \(building) in \(made.directory)")
                    output("node key: ed25519 \(made.identity.publicKey.base64)")
                    output("next: trust your controller key there ('arxos edge trust \"$(arxos key export)\" --dir \(made.directory)'), then 'arxos edge serve'")
                }
            }
        }
    }

    struct EdgeTrust: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust", abstract: "Accept deploys signed by a controller key (the 'arxos key export' line or its base64 key).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var node: NodeDirectory
        @Argument(help: "The controller's public key.") var key: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let edge = try EdgeNode(directory: node.path(context))
                let parsed = try Ed25519PublicKey.parseExport(key.hasPrefix("ed25519 ") ? key : "ed25519 \(key)")
                let added = try edge.trust(parsed.key, comment: parsed.comment)
                if !global.quiet { output(added ? "Trusted controller key \(parsed.key.keyID)" : "Key \(parsed.key.keyID) was trusted already") }
            }
        }
    }

    struct EdgeRevoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Refuse deploys signed by a controller key from now on.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var node: NodeDirectory
        @Argument(help: "The key id to revoke.") var keyID: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let edge = try EdgeNode(directory: node.path(context))
                let revoked = try edge.revoke(keyID: keyID)
                if !global.quiet { output(revoked ? "Revoked controller key \(keyID)" : "Key \(keyID) was revoked already") }
            }
        }
    }

    struct EdgeServe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the node to controllers: TCP with the node key, or one session on stdin/stdout (--stdio, for ssh).",
            discussion: """
                Only controller keys of the node's trust list that are not revoked get through the TCP handshake. A \
                pending activation that the controller does not confirm in time is switched back by the daemon \
                (with --stdio, by a watcher process left behind when the session ends).
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var node: NodeDirectory
        @Flag(help: "Serve one session on stdin and stdout.") var stdio = false
        @Option(help: ArgumentHelp("Listen here instead of node.yaml's 'listen' (port 0 picks a free port).", valueName: "host:port"))
        var listen: String?
        @Argument(help: "With --stdio, the node directory (as given in an ssh:// address).") var path: String?

        func run() async throws {
            let context = CommandContext(global)
            signal(SIGPIPE, SIG_IGN)
            if stdio {
                let directory = path.map { $0.hasPrefix("/") ? $0 : context.directory + "/" + $0 } ?? node.path(context)
                try serveStdio(directory, context: context)
                return
            }
            var prepared: (TCPServer, NodeService)?
            try context.run {
                let edge = try EdgeNode(directory: node.path(context))
                guard let address = listen ?? edge.config.listen, let colon = address.lastIndex(of: ":"),
                      let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else {
                    throw CommandFailure(message: "no address to listen on: give --listen HOST:PORT or set 'listen:' in \(edge.directory)/node.yaml",
                                         code: ExitCodes.usage)
                }
                let service = try NodeService(node: edge) { line in
                    FileHandle.standardError.write(Data("arxos edge: \(line)\n".utf8))
                }
                service.expireIfDue()
                let server = TCPServer(host: String(address[..<colon]), port: port, identity: edge.identity, name: "arxos edge",
                    authorize: { key in
                        try edge.trust().trustedKeys.contains(key) ? .readWrite : nil
                    },
                    session: { _, _ in
                        { connection in try ServerSession(repository: edge.store, connection: connection, node: service).run() }
                    })
                prepared = (server, service)
            }
            guard let (server, service) = prepared else { return }
            Thread.detachNewThread {
                while true {
                    service.expireIfDue()
                    Thread.sleep(forTimeInterval: 0.2)
                }
            }
            do {
                try await server.run { port in
                    FileHandle.standardError.write(Data("arxos edge: building \(service.node.config.building), listening on \(server.host):\(port), key \(server.identity.keyID)\n".utf8))
                }
            } catch {
                CommandContext.report(error)
                throw ExitCode(ExitCodes.failure)
            }
        }

        func serveStdio(_ directory: String, context: CommandContext) throws {
            let connection = Connection(stream: FileDescriptorStream(input: 0, output: 1))
            let edge: EdgeNode
            let service: NodeService
            // An activation waiting for confirmation outlives this session (even one that ended in an error): leave a
            // watcher that switches back in time.
            defer { if let node = try? EdgeNode(directory: directory), node.pending() != nil { spawnWatcher(directory) } }
            do {
                edge = try EdgeNode(directory: directory)
                service = try NodeService(node: edge) { line in FileHandle.standardError.write(Data("arxos edge: \(line)\n".utf8)) }
                service.expireIfDue()
                try ServerSession(repository: edge.store, connection: connection, node: service).run()
            } catch {
                connection.fail(((error as? LocalizedError)?.errorDescription ?? "\(error)").split(separator: "\n").first.map(String.init) ?? "failed")
                throw ExitCode(CommandContext.exitCode(for: error))
            }
            connection.stream.closeWrite()
        }

        private func spawnWatcher(_ directory: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TransportOptions.currentExecutable)
            process.arguments = ["edge", "watch", "--dir", directory]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
        }
    }

    struct EdgeWatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch", abstract: "Wait for a pending activation to be confirmed, or switch it back at its deadline.",
            shouldDisplay: false)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var node: NodeDirectory

        func run() throws {
            let context = CommandContext(global)
            setsid()
            try context.run {
                try NodeService(node: try EdgeNode(directory: node.path(context))).watchPending()
            }
        }
    }

    struct EdgeStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show the node's current and previous states, pending activation, lease, deploys and trust.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var node: NodeDirectory
        @Flag(help: "Print JSON (docs/json.md).") var json = false

        struct Report: Encodable {
            var building: String
            var nodeKey: String
            var current: String?
            var sequence: UInt64
            var pending: PendingActivation?
            var lease: NodeLease?
            var states: [String]
            var deployments: [NodeDatabase.Entry]
            var trusted: [String]
            var revoked: [String]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let edge = try EdgeNode(directory: node.path(context))
                NodeServiceExpiry.sweep(edge)
                let trust = try edge.trust()
                let report = Report(
                    building: edge.config.building, nodeKey: "ed25519 " + edge.identity.publicKey.base64, current: edge.current()?.hex,
                    sequence: edge.highestSequence(), pending: edge.pending(), lease: edge.lease(),
                    states: FileManager.default.fileExists(atPath: edge.statesDirectory)
                        ? ((try? FileManager.default.contentsOfDirectory(atPath: edge.statesDirectory)) ?? []).filter { !$0.hasSuffix(".tmp") }.sorted() : [],
                    deployments: try edge.database().recent(limit: 10), trusted: trust.trustedKeys.map(\.keyID), revoked: trust.revokedKeyIDs)
                if json { try printJSON(report); return }
                output("building:  \(report.building)")
                output("node key:  \(report.nodeKey)")
                output("current:   \(report.current ?? "none") (sequence \(report.sequence))")
                if let pending = report.pending {
                    output("pending:   \(pending.commit) (\(pending.phase), switches back at \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: pending.deadline))) unless confirmed)")
                }
                if let lease = report.lease { output("lease:     \(lease.id) held by deployment \(lease.deployment) until \(lease.untilText)") }
                output("states:    \(report.states.isEmpty ? "none" : report.states.map { String($0.prefix(12)) }.joined(separator: ", "))")
                output("trusted:   \(report.trusted.isEmpty ? "none ('arxos edge trust')" : report.trusted.joined(separator: ", "))")
                if !report.revoked.isEmpty { output("revoked:   \(report.revoked.joined(separator: ", "))") }
                if !report.deployments.isEmpty { output("deployments:") }
                for entry in report.deployments {
                    let health = entry.health.map { "\($0.name) \($0.passed ? "ok" : "FAILED")" }.joined(separator: ", ")
                    output("  \(entry.commit.prefix(12))  seq \(entry.sequence)  \(entry.kind)  \(entry.status)\(entry.reason.isEmpty ? "" : " (\(entry.reason))")  \(entry.deployment)\(health.isEmpty ? "" : "  [\(health)]")")
                }
            }
        }
    }
}

/// Lets `edge status` settle an expired activation first, so it never shows a state that is already due to switch back.
enum NodeServiceExpiry {
    static func sweep(_ edge: EdgeNode) {
        guard edge.pending() != nil, let service = try? NodeService(node: edge) else { return }
        service.expireIfDue()
    }
}
