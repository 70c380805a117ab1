import ArxosCore
import ArxosStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An opened arxos repository: its working tree, store, refs and configuration.
public final class Repository: @unchecked Sendable {
    /// The top of the working tree.
    public let top: String
    /// The `.arxos` directory.
    public let root: String
    public let objects: ObjectDatabase
    public let refs: RefStore
    public private(set) var config: ConfigFile

    public static let formatVersion = "1"
    public static let hashName = "sha256"
    public static let directoryName = ".arxos"
    public static let defaultBranch = "main"

    init(top: String) throws {
        self.top = top
        self.root = top + "/" + Repository.directoryName
        let config = try ConfigFile(path: root + "/config")
        let version = config["format.version"], hash = config["format.hash"]
        guard version == Repository.formatVersion, hash == Repository.hashName else {
            throw StoreError.unsupportedFormat(path: root + "/config", found: "format.version = \(version ?? "(missing)"), format.hash = \(hash ?? "(missing)")")
        }
        self.config = config
        let limit = config["core.objectSizeLimit"].flatMap(Int.init) ?? 256 << 20
        self.objects = ObjectDatabase(directory: root + "/objects", sizeLimit: limit)
        self.refs = RefStore(root: root)
    }

    /// Opens the repository containing `directory` (searching upwards).
    public static func discover(from directory: String) throws -> Repository {
        var current = URL(fileURLWithPath: directory).standardizedFileURL.path
        while true {
            if FileSystem.isDirectory(current + "/" + directoryName) { return try Repository(top: current) }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { throw StoreError.notARepository(directory) }
            current = parent
        }
    }

    /// Creates a repository in `directory` (made if missing). Returns false if one already existed there (it is left untouched).
    @discardableResult
    public static func initialize(at directory: String, branch: String = defaultBranch) throws -> Bool {
        let top = URL(fileURLWithPath: directory).standardizedFileURL.path
        let root = top + "/" + directoryName
        if FileSystem.exists(root + "/config") {
            _ = try Repository(top: top)
            return false
        }
        try RefStore.validateShort(branch)
        for dir in ["", "/objects", "/objects/pack", "/refs/heads", "/refs/tags", "/logs"] {
            try FileSystem.makeDirectories(root + dir)
        }
        try FileSystem.writeAtomically(root + "/HEAD", Array("ref: refs/heads/\(branch)\n".utf8))
        // The config is written last: a directory without it is not yet a repository.
        try FileSystem.writeAtomically(root + "/config", Array("format.version = \(formatVersion)\nformat.hash = \(hashName)\n".utf8))
        return true
    }

    /// Takes the repository write lock.
    public func lock() throws -> RepositoryLock {
        try RepositoryLock(path: root + "/lock", timeout: RepositoryLock.defaultTimeout)
    }

    public func reloadConfig() throws { config = try ConfigFile(path: root + "/config") }

    /// The user-level configuration directory: `$ARXOS_HOME`, else `~/.config/arxos`.
    public static var home: String {
        let env = ProcessInfo.processInfo.environment
        if let home = env["ARXOS_HOME"], !home.isEmpty { return home }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.config/arxos"
    }

    /// A setting: `ARXOS_CONFIG_*` variables, the selected environment's overlay (`ARXOS_ENV`), the repository
    /// config, then the user config (`Settings`, docs/config.md).
    public func setting(_ name: String) -> String? {
        settings.lookup(name)?.value
    }

    /// The local UTC offset at a moment, from the C library's time zone rules (`TZ`), without loading ICU.
    static func utcOffsetMinutes(at seconds: Int64) -> Int {
        var time = time_t(seconds)
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff) / 60
    }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// Who is acting now: `ARXOS_AUTHOR_NAME`/`ARXOS_AUTHOR_EMAIL`, then `user.name`/`user.email`, then the login name.
    /// `ARXOS_AUTHOR_DATE` (unix seconds) fixes the time, for reproducible tests.
    public func identity(dateVariable: String = "ARXOS_AUTHOR_DATE") -> Person {
        let env = ProcessInfo.processInfo.environment
        let user = env["USER"] ?? env["LOGNAME"] ?? "arxos"
        let name = env["ARXOS_AUTHOR_NAME"] ?? setting("user.name") ?? user
        let email = env["ARXOS_AUTHOR_EMAIL"] ?? setting("user.email") ?? "\(user)@\(Repository.hostName)"
        let seconds = env[dateVariable].flatMap(Int64.init) ?? Int64(Date().timeIntervalSince1970)
        let offset = Repository.utcOffsetMinutes(at: seconds)
        func clean(_ s: String) -> String { s.filter { $0 != "<" && $0 != ">" && $0 != "\n" && $0 != "\0" } }
        return Person(name: clean(name), email: clean(email), seconds: seconds, offsetMinutes: offset)
    }
}
