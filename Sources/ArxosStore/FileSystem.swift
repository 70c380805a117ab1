import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Durable file primitives: write-then-rename with fsync of file and directory.
public enum FileSystem {
    /// Creates `path` and its parents (mode 0755); existing directories are fine.
    public static func makeDirectories(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, parent != path { try makeDirectories(parent) }
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        }
        throw StoreError.io(path: path, operation: "mkdir", errno: errno)
    }

    /// fsyncs a directory so that a rename or creation inside it survives power loss.
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw StoreError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// Writes all of `bytes` to `fd`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { (raw) in try writeAll(fd, raw, path: path) }
    }

    /// Writes a file atomically: a temporary file in the same directory, fsync, rename, fsync of the directory.
    /// `durable: false` skips both fsyncs (for caches, which are rebuilt if lost) but keeps the rename.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644, syncDirectory sync: Bool = true,
                                       durable: Bool = true) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = try writeTemporary(in: directory.isEmpty ? "." : directory, bytes, mode: mode, sync: durable)
        if rename(temp, path) != 0 {
            let code = errno
            unlink(temp)
            throw StoreError.io(path: path, operation: "rename", errno: code)
        }
        if sync && durable { try syncDirectory(directory.isEmpty ? "." : directory) }
    }

    /// Writes `bytes` to a new fsynced temporary file in `directory` and returns its path.
    public static func writeTemporary(in directory: String, _ bytes: [UInt8], mode: mode_t = 0o644, sync: Bool = true) throws -> String {
        let (fd, temp) = try createTemporary(in: directory, mode: mode)
        defer { close(fd) }
        do {
            try writeAll(fd, bytes, path: temp)
            if sync && fsync(fd) != 0 { throw StoreError.io(path: temp, operation: "fsync", errno: errno) }
        } catch {
            unlink(temp)
            throw error
        }
        return temp
    }

    /// Creates a uniquely named temporary file `tmp-*` in `directory`.
    public static func createTemporary(in directory: String, mode: mode_t = 0o644) throws -> (Int32, String) {
        for _ in 0..<100 {
            let path = directory + "/tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 { return (fd, path) }
            if errno != EEXIST { throw StoreError.io(path: path, operation: "create", errno: errno) }
        }
        throw StoreError.io(path: directory, operation: "create temporary file", errno: EEXIST)
    }

    /// Reads a whole file; nil when it does not exist.
    public static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw StoreError.io(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(path: path, operation: "stat", errno: errno) }
        var out = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < out.count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { out.removeSubrange(offset...); break }
            offset += n
        }
        return out
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory (without `.` and `..`); empty if it does not exist.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names = [String]()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
