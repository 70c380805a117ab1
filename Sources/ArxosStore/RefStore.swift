import ArxosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where HEAD points.
public enum Head: Equatable, Sendable {
    /// On a branch (`refs/heads/<name>`), which may not exist yet.
    case branch(String)
    case detached(ObjectID)
}

/// One line of a reflog.
public struct ReflogEntry: Sendable, Equatable {
    public var old: ObjectID
    public var new: ObjectID
    public var who: Person
    public var message: String
}

/// The expected value of a ref before an update.
public enum RefExpectation: Sendable {
    case any
    case absent
    case value(ObjectID)
}

/// Branches, tags, HEAD and their reflogs under `.arxos/`.
public struct RefStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    // MARK: Names

    /// Checks a ref name such as `refs/heads/main` against the rules of docs/format.md.
    public static func validate(_ full: String) throws {
        let prefixes = ["refs/heads/", "refs/tags/", "refs/remotes/"]
        guard let prefix = prefixes.first(where: { full.hasPrefix($0) }) else {
            throw StoreError.badRefName(full, reason: "must start with refs/heads/, refs/tags/ or refs/remotes/")
        }
        try validateShort(String(full.dropFirst(prefix.count)))
    }

    /// Checks a branch or tag name (without `refs/heads/`).
    public static func validateShort(_ name: String) throws {
        func fail(_ reason: String) -> StoreError { .badRefName(name, reason: reason) }
        if name.isEmpty { throw fail("it is empty") }
        if name.hasPrefix("-") { throw fail("it starts with '-'") }
        if name.hasPrefix("/") || name.hasSuffix("/") { throw fail("it starts or ends with '/'") }
        if name.hasSuffix(".") { throw fail("it ends with '.'") }
        if name.split(separator: "/").contains(where: { $0.hasSuffix(".lock") }) { throw fail("a component ends with '.lock'") }
        if name.contains("..") { throw fail("it contains '..'") }
        if name.contains("//") { throw fail("it contains '//'") }
        if name.contains("@{") { throw fail("it contains '@{'") }
        if name == "@" || name == "HEAD" { throw fail("'\(name)' is reserved") }
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { throw fail("it contains a control character") }
            if " ~^:?*[\\".unicodeScalars.contains(scalar) { throw fail("it contains '\(scalar)'") }
        }
        if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { throw fail("a component starts with '.'") }
    }

    // MARK: Reading

    func path(_ ref: String) -> String { root + "/" + ref }

    /// The value of a ref file (`refs/...` or `HEAD` when detached), nil if absent.
    public func read(_ ref: String) throws -> ObjectID? {
        guard let bytes = try FileSystem.read(path(ref)) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = ObjectID(hex: text) else { throw StoreError.corrupt("ref \(ref) (\(path(ref)))", "it does not hold a 64-digit hex id") }
        return id
    }

    public func head() throws -> Head {
        guard let bytes = try FileSystem.read(path("HEAD")) else { throw StoreError.corrupt("HEAD (\(path("HEAD")))", "the file is missing") }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("ref: refs/heads/") { return .branch(String(text.dropFirst("ref: refs/heads/".count))) }
        if let id = ObjectID(hex: text) { return .detached(id) }
        throw StoreError.corrupt("HEAD (\(path("HEAD")))", "expected 'ref: refs/heads/<name>' or a commit id")
    }

    /// The commit HEAD names, nil on an unborn branch.
    public func headCommit() throws -> ObjectID? {
        switch try head() {
        case let .branch(name): return try read("refs/heads/" + name)
        case let .detached(id): return id
        }
    }

    /// All refs under a prefix (`refs/heads/`, `refs/tags/`, or `refs/`), sorted by name.
    public func list(_ prefix: String = "refs/") throws -> [(name: String, id: ObjectID)] {
        var out = [(name: String, id: ObjectID)]()
        func walk(_ relative: String) throws {
            for name in FileSystem.list(path(relative)).sorted() {
                let child = relative + name
                if FileSystem.isDirectory(path(child)) {
                    try walk(child + "/")
                } else if !name.hasSuffix(".lock"), !name.hasPrefix("tmp-"), let id = try read(child) {
                    out.append((child, id))
                }
            }
        }
        let dir = prefix.hasSuffix("/") ? prefix : prefix + "/"
        try walk(dir)
        return out.sorted { $0.name < $1.name }
    }

    // MARK: Updating (the caller holds the repository lock)

    /// Moves `ref` to `new` (nil deletes it) if it still holds `expected`, with a reflog line.
    /// `ref` is `refs/...` or `HEAD` (detached).
    public func update(_ ref: String, to new: ObjectID?, expecting expected: RefExpectation, who: Person, message: String,
                       alsoLogHead: Bool = false) throws {
        if ref != "HEAD" { try RefStore.validate(ref) }
        let target = path(ref)
        try FileSystem.makeDirectories((target as NSString).deletingLastPathComponent)
        let lockPath = target + ".lock"
        // Under the repository lock, a ref lock can only be left by a process that died.
        unlink(lockPath)
        let fd = open(lockPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw StoreError.refLockHeld(lockPath) }
            throw StoreError.io(path: lockPath, operation: "create", errno: errno)
        }
        var renamed = false
        defer {
            close(fd)
            if !renamed { unlink(lockPath) }
        }
        let current = ref == "HEAD" ? (try? headDetachedValue()) ?? nil : try read(ref)
        switch expected {
        case .any: break
        case .absent:
            if let current { throw StoreError.refChanged(ref, expected: "no value", actual: current.hex) }
        case let .value(id):
            if current != id { throw StoreError.refChanged(ref, expected: id.hex, actual: current?.hex ?? "no value") }
        }
        if let new {
            try FileSystem.writeAll(fd, Array((new.hex + "\n").utf8), path: lockPath)
            guard fsync(fd) == 0 else { throw StoreError.io(path: lockPath, operation: "fsync", errno: errno) }
            guard rename(lockPath, target) == 0 else { throw StoreError.io(path: target, operation: "rename", errno: errno) }
            renamed = true
        } else {
            if unlink(target) != 0 && errno != ENOENT { throw StoreError.io(path: target, operation: "unlink", errno: errno) }
            unlink(path("logs/" + ref))
        }
        try FileSystem.syncDirectory((target as NSString).deletingLastPathComponent)
        let entry = ReflogEntry(old: current ?? .zero, new: new ?? .zero, who: who, message: message)
        if new != nil { try appendReflog(ref, entry) }
        if alsoLogHead && ref != "HEAD" { try appendReflog("HEAD", entry) }
    }

    private func headDetachedValue() throws -> ObjectID? {
        if case let .detached(id) = try head() { return id }
        return nil
    }

    /// Points HEAD at a branch (symbolic).
    public func setHead(branch: String) throws {
        try RefStore.validateShort(branch)
        try FileSystem.writeAtomically(path("HEAD"), Array("ref: refs/heads/\(branch)\n".utf8))
    }

    /// Detaches HEAD at a commit.
    public func setHead(detached id: ObjectID, who: Person, message: String) throws {
        let old = try headCommit()
        try FileSystem.writeAtomically(path("HEAD"), Array((id.hex + "\n").utf8))
        try appendReflog("HEAD", ReflogEntry(old: old ?? .zero, new: id, who: who, message: message))
    }

    /// Logs a HEAD move caused by switching branches.
    public func logHeadMove(from old: ObjectID?, to new: ObjectID?, who: Person, message: String) throws {
        try appendReflog("HEAD", ReflogEntry(old: old ?? .zero, new: new ?? .zero, who: who, message: message))
    }

    // MARK: Reflogs

    func appendReflog(_ ref: String, _ entry: ReflogEntry) throws {
        let logPath = path("logs/" + ref)
        try FileSystem.makeDirectories((logPath as NSString).deletingLastPathComponent)
        let message = entry.message.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        let line = "\(entry.old.hex) \(entry.new.hex) \(entry.who.encoded)\t\(message)\n"
        let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(path: logPath, operation: "open", errno: errno) }
        defer { close(fd) }
        try FileSystem.writeAll(fd, Array(line.utf8), path: logPath)
        guard fsync(fd) == 0 else { throw StoreError.io(path: logPath, operation: "fsync", errno: errno) }
    }

    /// The reflog of a ref, oldest first. Malformed lines are reported by line number.
    public func reflog(_ ref: String) throws -> [ReflogEntry] {
        let logPath = path("logs/" + ref)
        guard let bytes = try FileSystem.read(logPath) else { return [] }
        var out = [ReflogEntry]()
        for (number, raw) in bytes.split(separator: 0x0A).enumerated() {
            let line = Substring(String(decoding: raw, as: UTF8.self))
            guard let entry = RefStore.parseReflogLine(line) else {
                throw StoreError.corrupt("reflog \(logPath) line \(number + 1)", "expected '<old> <new> <name> <<email>> <seconds> <±hhmm>\\t<message>'")
            }
            out.append(entry)
        }
        return out
    }

    static func parseReflogLine(_ line: Substring) -> ReflogEntry? {
        let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
        let head = parts[0]
        guard head.count > 130, let old = ObjectID(hex: head.prefix(64)),
              let new = ObjectID(hex: head.dropFirst(65).prefix(64)),
              let who = Person(parsing: head.dropFirst(130))
        else { return nil }
        return ReflogEntry(old: old, new: new, who: who, message: parts.count > 1 ? String(parts[1]) : "")
    }

    /// Every reflog file, as ref names (`HEAD`, `refs/heads/main`, …).
    public func reflogNames() -> [String] {
        var out = [String]()
        func walk(_ relative: String) {
            for name in FileSystem.list(path("logs/" + relative)).sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                if FileSystem.isDirectory(path("logs/" + child)) { walk(child) } else { out.append(child) }
            }
        }
        walk("")
        return out
    }
}
