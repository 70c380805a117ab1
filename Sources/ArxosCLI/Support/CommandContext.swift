import ArgumentParser
import ArxosCore
import ArxosModel
import ArxosSigning
import ArxosStore
import ArxosWorkspace
import Foundation

/// Runs a command: resolves the directory, opens the repository, and turns every error into one `arxos: error:` line
/// (plus `hint:` lines) on stderr and a documented exit code.
struct CommandContext {
    let options: GlobalOptions

    init(_ options: GlobalOptions) {
        self.options = options
        // `--env` selects the configuration environment for everything this process reads (`Settings`).
        if let env = options.env { setenv("ARXOS_ENV", env, 1) }
    }

    /// The directory the command works in.
    var directory: String {
        let cwd = FileManager.default.currentDirectoryPath
        guard let dir = options.directory else { return cwd }
        return dir.hasPrefix("/") ? dir : cwd + "/" + dir
    }

    func openRepository() throws -> Repository { try Repository.discover(from: directory) }

    /// The repository if the directory is inside one; nil outside any repository. A repository that cannot be opened
    /// (unknown format, damaged config) is still an error.
    func openRepositoryIfAny() throws -> Repository? {
        do {
            return try Repository.discover(from: directory)
        } catch StoreError.notARepository {
            return nil
        }
    }

    /// Runs `body`, mapping errors to messages and exit codes.
    func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            CommandContext.report(error)
            throw ExitCode(CommandContext.exitCode(for: error))
        }
    }

    /// Runs `body` on the repository while holding its write lock, mapping errors as `run` does.
    func runLocked(_ body: (Repository) throws -> Void) throws {
        try run {
            let repository = try openRepository()
            let lock = try repository.lock()
            defer { withExtendedLifetime(lock) {} }
            try body(repository)
        }
    }

    static func report(_ error: Error) {
        let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        for line in text.split(separator: "\n") {
            if line.hasPrefix("hint:") { printError(String(line)) } else { printError("arxos: error: " + line) }
        }
    }

    static func exitCode(for error: Error) -> Int32 {
        switch error {
        case let error as StoreError:
            switch error {
            case .notARepository, .unsupportedFormat: return ExitCodes.repository
            case .lockBusy: return ExitCodes.locked
            case .corrupt, .idMismatch, .missingObject, .malformed, .tooLarge: return ExitCodes.verification
            default: return ExitCodes.failure
            }
        case let failure as CommandFailure: return failure.code
        case is MergeStopped: return ExitCodes.validation
        case let error as MergeError:
            if case .unresolved = error { return ExitCodes.conflict }
            return ExitCodes.failure
        default: return ExitCodes.failure
        }
    }

    /// The user's signing key, if any, unless signing is turned off.
    func signer(disabled: Bool) throws -> PayloadSigner? {
        if disabled { return nil }
        guard let key = try KeyStore(home: URL(fileURLWithPath: Repository.home)).load() else { return nil }
        return KeySigner(key: key)
    }
}

extension Repository {
    /// The repository's trusted and revoked keys (`.arxos/trust`).
    var trustStore: TrustStore { TrustStore(url: URL(fileURLWithPath: root + "/trust")) }
}

/// A failure with its own message and exit code.
struct CommandFailure: Error, LocalizedError {
    var message: String
    var code: Int32 = ExitCodes.failure
    var errorDescription: String? { message }
}

/// Signs payloads with the user's key.
struct KeySigner: PayloadSigner {
    let key: Ed25519SecretKey
    func signatureHeader(for payload: [UInt8]) throws -> String {
        "ed25519 \(key.keyID) \(Data(try key.sign(payload)).base64EncodedString())"
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes to stdout without buffering surprises.
func output(_ text: String) {
    print(text)
}

/// Encodes a value as pretty, key-sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    output(String(decoding: try encoder.encode(value), as: UTF8.self))
}
