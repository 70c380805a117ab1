import ArgumentParser
import ArxosCore
import ArxosSigning
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage your signing key and the keys this repository trusts.",
            discussion: """
                Your Ed25519 key lives in $ARXOS_HOME/keys (default ~/.config/arxos/keys). Commits and annotated tags \
                are signed with it by default. Trust decisions are per repository, in .arxos/trust.
                """,
            subcommands: [Generate.self, List.self, Export.self, Trust.self, Revoke.self])

        static var keyStore: KeyStore { KeyStore(home: URL(fileURLWithPath: Repository.home)) }

        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create your Ed25519 signing key.")
            @OptionGroup var global: GlobalOptions
            @Option(help: "A comment stored with the public key (default: your email).") var comment: String?
            @Flag(help: "Replace an existing key (signatures made with the old key no longer match your key).") var force = false

            func run() throws {
                try CommandContext(global).run {
                    let store = Key.keyStore
                    let who = try CommandContext(global).openRepositoryIfAny()?.identity()
                    let note = comment ?? who?.email ?? ProcessInfo.processInfo.environment["USER"] ?? "arxos"
                    let key = try store.generate(comment: note, force: force)
                    if !global.quiet {
                        output("Generated key \(key.keyID) in \(store.secretKeyURL.path)")
                        output("Public key: \(key.publicKey.exportLine(comment: note))")
                    }
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List your key and this repository's trusted and revoked keys.")
            @OptionGroup var global: GlobalOptions
            @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false

            struct JSONKey: Encodable { var keyId: String; var publicKey: String?; var comment: String; var status: String }
            struct JSONKeys: Encodable { var own: JSONKey?; var repository: [JSONKey] }

            func run() throws {
                let context = CommandContext(global)
                try context.run {
                    let store = Key.keyStore
                    for warning in store.warnings() { printError("arxos: warning: \(warning.localizedDescription)") }
                    let own = try store.loadPublicKey().map { JSONKey(keyId: $0.key.keyID, publicKey: $0.key.base64, comment: $0.comment, status: "own") }
                    var listed = [JSONKey]()
                    if let repository = try context.openRepositoryIfAny() {
                        let entries = try repository.trustStore.load()
                        for entry in entries.entries {
                            switch entry {
                            case let .trusted(key, comment):
                                let status = entries.status(of: key.keyID)
                                let revoked: Bool = { if case .revoked = status { return true } else { return false } }()
                                listed.append(JSONKey(keyId: key.keyID, publicKey: key.base64, comment: comment, status: revoked ? "revoked" : "trusted"))
                            case let .revoked(keyID, comment):
                                if !listed.contains(where: { $0.keyId == keyID }) {
                                    listed.append(JSONKey(keyId: keyID, publicKey: nil, comment: comment, status: "revoked"))
                                }
                            }
                        }
                    }
                    if json { try printJSON(JSONKeys(own: own, repository: listed)); return }
                    if let own { output("own      \(own.keyId) \(own.comment)") } else { output("no key of your own (arxos key generate)") }
                    for key in listed { output("\(key.status.padding(toLength: 8, withPad: " ", startingAt: 0)) \(key.keyId) \(key.comment)") }
                }
            }
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print your public key as 'ed25519 <base64> <comment>'.",
                discussion: "The base64 is the 32-byte Ed25519 public key (docs/format.md, Keys). Give the line to 'arxos key trust'.")
            @OptionGroup var global: GlobalOptions

            func run() throws {
                try CommandContext(global).run {
                    guard let (key, comment) = try Key.keyStore.loadPublicKey() else {
                        throw CommandFailure(message: "you have no key\nhint: arxos key generate")
                    }
                    output(key.exportLine(comment: comment))
                }
            }
        }

        struct Trust: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Trust a public key in this repository.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The export line, a file holding it, or the bare base64 public key.") var publicKey: String
            @Option(help: "A note on whose key this is.") var comment: String?

            func run() throws {
                try CommandContext(global).runLocked { repository in
                    var text = publicKey
                    if FileManager.default.fileExists(atPath: publicKey), let contents = try? String(contentsOfFile: publicKey, encoding: .utf8) {
                        text = contents.trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    let parsed: (key: Ed25519PublicKey, comment: String) = try (try? Ed25519PublicKey.parseExport(text)) ?? (key: Ed25519PublicKey(parsing: text), comment: "")
                    let added = try repository.trustStore.trust(parsed.key, comment: comment ?? parsed.comment)
                    if !global.quiet { output(added ? "Trusted key \(parsed.key.keyID)" : "Key \(parsed.key.keyID) was already trusted") }
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Revoke a key in this repository: its signatures no longer count.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The 16-hex-digit key id.", completion: .custom(completeKeyIDs)) var keyID: String
            @Option(help: "Why the key is revoked.") var comment: String?

            func run() throws {
                try CommandContext(global).runLocked { repository in
                    guard Ed25519PublicKey.isValidKeyID(keyID) else {
                        throw CommandFailure(message: "'\(keyID)' is not a key id (16 hex digits, see 'arxos key list')")
                    }
                    let added = try repository.trustStore.revoke(keyID: keyID, comment: comment ?? "")
                    if !global.quiet { output(added ? "Revoked key \(keyID)" : "Key \(keyID) was already revoked") }
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the signatures of a commit or annotated tag.",
            discussion: """
                Exit status 0 only if every signature by a known key verifies and at least one is by a trusted, \
                unrevoked key (or as many as --required). Otherwise a one-line reason and exit status 4.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "How many distinct trusted keys must have signed.") var required = 1
        @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false
        @Argument(help: "The commit or tag to verify (default HEAD).", completion: .custom(completeRevisions)) var revision = "HEAD"

        struct JSONVerify: Encodable {
            struct Check: Encodable { var keyId: String; var verdict: String }
            var object: String
            var verified: Bool
            var signatures: [Check]
            var reasons: [String]
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let id = try RevisionResolver(repository: repository).resolve(revision)
                let (type, content) = try repository.objects.read(id)
                guard type == .commit || type == .tag else {
                    throw CommandFailure(message: "\(revision) is a \(type.rawValue); only commits and tags carry signatures")
                }
                let trust = try repository.trustStore.load()
                let report = SignatureVerifier(trust: trust, requiredSigners: required).verify(Array(content))
                var reasons = [String]()
                if case let .failed(failures) = report.result { reasons = failures.map(\.description) }
                if json {
                    try printJSON(JSONVerify(object: id.hex, verified: report.result.isVerified,
                                             signatures: report.checks.map { .init(keyId: $0.keyID, verdict: "\($0.verdict)") },
                                             reasons: reasons))
                } else if !global.quiet {
                    for check in report.checks { output("\(type.rawValue) \(id.abbreviated()): \(check.verdict) signature by key \(check.keyID)") }
                }
                if !report.result.isVerified {
                    throw CommandFailure(message: "\(type.rawValue) \(id.abbreviated()): " + (reasons.first ?? "not verified"), code: ExitCodes.verification)
                }
            }
        }
    }
}
