import ArxosStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The stat data of a working-tree file, enough to tell whether it changed.
public struct FileStat: Hashable, Sendable {
    public var size: UInt64
    public var mtimeSeconds: Int64
    public var mtimeNanoseconds: UInt32
    public var inode: UInt64

    init(_ info: stat) {
        size = UInt64(info.st_size)
        mtimeSeconds = Int64(info.st_mtim.tv_sec)
        mtimeNanoseconds = UInt32(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    public init(size: UInt64, mtimeSeconds: Int64, mtimeNanoseconds: UInt32, inode: UInt64) {
        self.size = size; self.mtimeSeconds = mtimeSeconds; self.mtimeNanoseconds = mtimeNanoseconds; self.inode = inode
    }
}

/// The tracked files of a working tree: `*.yaml`, `*.yml`, and at the top `.arxosignore`, `.arxos-rules.yaml` and `.arxos-nodes.yaml`, outside
/// dot-directories and ignored paths.
public struct WorkingTree: Sendable {
    public let top: String
    public let ignore: IgnoreRules

    public static let ignoreFileName = ".arxosignore"
    /// The repository's threshold rules (docs/model.md): versioned with the building, but not building objects.
    public static let rulesFileName = ".arxos-rules.yaml"
    /// The inventory of edge nodes (docs/deploy.md): versioned with the building, but not building objects.
    public static let nodesFileName = ".arxos-nodes.yaml"

    public init(top: String) throws {
        self.top = top
        if let bytes = try FileSystem.read(top + "/" + WorkingTree.ignoreFileName) {
            ignore = IgnoreRules(text: String(decoding: bytes, as: UTF8.self))
        } else {
            ignore = IgnoreRules()
        }
    }

    /// Whether a file name is one arxos tracks.
    public static func isTrackedName(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name == ignoreFileName
    }

    /// The folder of the repository's configuration templates (docs/templates.md): versioned, but not building objects.
    public static let templatesDirectory = "templates/"

    /// Whether a file holds building objects (as opposed to `.arxosignore`, `.arxos-rules.yaml`, `.arxos-nodes.yaml`
    /// and the templates under `templates/`).
    public static func holdsObjects(_ path: String) -> Bool {
        (path.hasSuffix(".yaml") || path.hasSuffix(".yml")) && path != rulesFileName && path != nodesFileName
            && !path.hasPrefix(templatesDirectory)
    }

    /// Every tracked file with its stat data, in tree order (see `String.treeOrderPrecedes`).
    /// Top-level directories are walked in parallel.
    public func scan() -> [(path: String, stat: FileStat)] {
        let top = list(relative: "")
        let results = UnsafeResults<[(path: String, stat: FileStat)]>(count: top.count)
        let self_ = self
        DispatchQueue.concurrentPerform(iterations: top.count) { i in
            var out = [(path: String, stat: FileStat)]()
            switch top[i] {
            case let .file(path, stat): out.append((path, stat))
            case let .directory(path): self_.walk(relative: path, into: &out)
            }
            results[i] = out
        }
        return results.all().flatMap { $0 ?? [] }
    }

    enum Entry {
        case file(String, FileStat)
        case directory(String)
        var name: String {
            switch self {
            case let .file(path, _), let .directory(path): return path.split(separator: "/").last.map(String.init) ?? path
            }
        }
    }

    /// The tracked files and directories of one directory, sorted by name bytes.
    func list(relative: String) -> [Entry] {
        let directory = relative.isEmpty ? top : top + "/" + relative
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var entries = [(String, Entry)]()
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix(".") && !(relative.isEmpty && (name == WorkingTree.ignoreFileName || name == WorkingTree.rulesFileName || name == WorkingTree.nodesFileName)) { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            var isDirectory = type == UInt8(DT_DIR)
            var info = stat()
            if type == UInt8(DT_UNKNOWN) {
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
                if !isDirectory && (info.st_mode & S_IFMT) != S_IFREG { continue }
            } else if type != UInt8(DT_DIR) && type != UInt8(DT_REG) {
                continue
            }
            if !ignore.isEmpty && ignore.isIgnored(path, isDirectory: isDirectory) { continue }
            if isDirectory {
                entries.append((name, .directory(path)))
            } else if WorkingTree.isTrackedName(name) {
                if type != UInt8(DT_UNKNOWN) { guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue } }
                entries.append((name, .file(path, FileStat(info))))
            }
        }
        return WorkingTree.sortedByName(entries)
    }

    /// Sorts entries by name bytes. Names are compared through a plain-integer key made of their first 16 bytes, so
    /// the sort moves no reference-counted values; only names sharing those bytes compare in full.
    static func sortedByName(_ entries: [(String, Entry)]) -> [Entry] {
        struct Key { var hi: UInt64; var lo: UInt64; var index: Int }
        var keys = [Key]()
        keys.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            var hi: UInt64 = 0, lo: UInt64 = 0
            var i = 0
            for byte in entry.0.utf8.prefix(16) {
                if i < 8 { hi |= UInt64(byte) << UInt64(56 - 8 * i) } else { lo |= UInt64(byte) << UInt64(56 - 8 * (i - 8)) }
                i += 1
            }
            keys.append(Key(hi: hi, lo: lo, index: index))
        }
        keys.sort { a, b in
            if a.hi != b.hi { return a.hi < b.hi }
            if a.lo != b.lo { return a.lo < b.lo }
            return entries[a.index].0.utf8Precedes(entries[b.index].0)
        }
        return keys.map { entries[$0.index].1 }
    }

    private func walk(relative: String, into out: inout [(path: String, stat: FileStat)]) {
        for entry in list(relative: relative) {
            switch entry {
            case let .file(path, stat): out.append((path, stat))
            case let .directory(path): walk(relative: path, into: &out)
            }
        }
    }

    /// Reads a file of the working tree.
    public func read(_ path: String) throws -> [UInt8] {
        guard let bytes = try FileSystem.read(top + "/" + path) else {
            throw StoreError.io(path: top + "/" + path, operation: "read", errno: ENOENT)
        }
        return bytes
    }

    /// Writes a file of the working tree atomically, creating its directory. `durable: false` skips the fsync (the
    /// content is in the store already, as git does for its checkouts).
    public func write(_ path: String, _ bytes: [UInt8], durable: Bool = true) throws -> FileStat {
        let full = top + "/" + path
        try FileSystem.makeDirectories((full as NSString).deletingLastPathComponent)
        try FileSystem.writeAtomically(full, bytes, syncDirectory: false, durable: durable)
        var info = stat()
        guard lstat(full, &info) == 0 else { throw StoreError.io(path: full, operation: "stat", errno: errno) }
        return FileStat(info)
    }

    /// Removes a file of the working tree and any directories it leaves empty.
    public func remove(_ path: String) throws {
        let full = top + "/" + path
        if unlink(full) != 0 && errno != ENOENT { throw StoreError.io(path: full, operation: "unlink", errno: errno) }
        var dir = (path as NSString).deletingLastPathComponent
        while !dir.isEmpty {
            if rmdir(top + "/" + dir) != 0 { break }
            dir = (dir as NSString).deletingLastPathComponent
        }
    }
}
