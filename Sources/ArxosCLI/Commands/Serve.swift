import ArgumentParser
import ArxosStore
import ArxosSigning
import ArxosTransfer
import ArxosTransport
import ArxosWorkspace
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Arxos {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve repositories to arxos clone, fetch, pull and push.",
            discussion: """
                With --stdio, speaks the transfer protocol (docs/protocol.md) on stdin and stdout for one session: this is \
                what 'arxos fetch' runs for a local remote and what ssh runs on the far side of an SSH remote. \
                With --listen HOST:PORT, serves the repositories under --root to tcp:// clients, authenticated with \
                Ed25519 keys (this node's key from 'arxos key generate'; clients listed in ROOT/authorized_keys as \
                'read|read-write ed25519 <base64 key>') and encrypted with XChaCha20-Poly1305. \
                Pushes are refused when the repository sets receive.denyPush = true, and pushes to the branch its \
                working tree is on unless it sets receive.denyCurrentBranch = false.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Serve one session on stdin and stdout.") var stdio = false
        @Option(help: ArgumentHelp("Listen for tcp:// clients on this address (port 0 picks a free port).", valueName: "host:port")) var listen: String?
        @Option(help: ArgumentHelp("With --listen, the directory whose repositories are served (default: the current one).", valueName: "dir")) var root: String?
        @Argument(help: "With --stdio, the repository to serve (its top directory or its .arxos directory).") var path: String?

        func run() async throws {
            if let listen {
                try await serveTCP(listen)
                return
            }
            try serveStdio()
        }

        func serveTCP(_ listen: String) async throws {
            let context = CommandContext(global)
            var server: TCPServer?
            try context.run {
                guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
                    throw CommandFailure(message: "--listen needs HOST:PORT, for example 127.0.0.1:7420", code: ExitCodes.usage)
                }
                guard let identity = try KeyStore(home: URL(fileURLWithPath: Repository.home)).load() else {
                    throw CommandFailure(message: "arxos serve --listen needs this node's key\nhint: run 'arxos key generate'")
                }
                let directory = root.map { $0.hasPrefix("/") ? $0 : context.directory + "/" + $0 } ?? context.directory
                _ = try AuthorizedKeys(path: directory + "/authorized_keys")
                server = TCPServer(host: String(listen[..<colon]), port: port, root: directory, identity: identity)
            }
            guard let server else { return }
            do {
                try await server.run { port in
                    FileHandle.standardError.write(Data("arxos serve: listening on \(server.host):\(port), key \(server.identity.keyID)\n".utf8))
                }
            } catch {
                CommandContext.report(error)
                throw ExitCode(ExitCodes.failure)
            }
        }

        func serveStdio() throws {
            let context = CommandContext(global)
            // On a pipe, stdout is the protocol stream: errors travel to the client as an error packet (which it prints
            // as 'arxos: error: remote: …'), so stderr stays quiet. Run by hand on a terminal, errors print as usual.
            if isatty(1) == 0 {
                let connection = Connection(stream: FileDescriptorStream(input: 0, output: 1))
                do {
                    try serve(connection, context: context)
                } catch let exit as ExitCode {
                    throw exit
                } catch {
                    connection.fail(((error as? LocalizedError)?.errorDescription ?? "\(error)").split(separator: "\n").first.map(String.init) ?? "failed")
                    throw ExitCode(CommandContext.exitCode(for: error))
                }
                return
            }
            try context.run {
                try serve(Connection(stream: FileDescriptorStream(input: 0, output: 1)), context: context)
            }
        }

        func serve(_ connection: Connection, context: CommandContext) throws {
            guard stdio, let path else {
                throw CommandFailure(message: "arxos serve needs --stdio PATH or --listen HOST:PORT", code: ExitCodes.usage)
            }
            signal(SIGPIPE, SIG_IGN)
            var top = path.hasPrefix("/") ? path : context.directory + "/" + path
            if (top as NSString).lastPathComponent == Repository.directoryName { top = (top as NSString).deletingLastPathComponent }
            guard FileSystem.isDirectory(top + "/" + Repository.directoryName) else { throw StoreError.notARepository(top) }
            let repository = try Repository.discover(from: top)
            do {
                try ServerSession(repository: repository, connection: connection).run()
            } catch {
                // ServerSession has sent the error packet already.
                throw ExitCode(CommandContext.exitCode(for: error))
            }
        }
    }
}
