import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers: whole-file reads, permission checks and atomic replacement.
enum FileIO {
    /// Returns the file's bytes, or nil if it does not exist.
    static func readIfExists(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw SigningError.fileSystem(path: path, operation: "open", errno: code)
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SigningError.fileSystem(path: path, operation: "read", errno: errno)
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// The permission bits of a file (`st_mode & 0o7777`), or nil if it does not exist.
    static func permissions(_ path: String) throws -> UInt16? {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw SigningError.fileSystem(path: path, operation: "stat", errno: code)
        }
        return UInt16(truncatingIfNeeded: info.st_mode & 0o7777)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates a directory (and missing parents) with the given mode if it does not exist.
    static func makeDirectory(_ path: String, mode: mode_t) throws {
        var info = stat()
        if stat(path, &info) == 0 { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectory(parent, mode: 0o755) }
        if mkdir(path, mode) != 0, errno != EEXIST {
            throw SigningError.fileSystem(path: path, operation: "create the directory", errno: errno)
        }
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same directory is written with `mode`, fsynced,
    /// moved into place and the directory fsynced.
    ///
    /// With `replace` false the move is a `link`, which fails if `path` already exists, so an existing file is never
    /// overwritten even by a concurrent writer.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t, replace: Bool = true) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let dirPath = directory.isEmpty ? "." : directory
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<16 {
            temporary = "\(dirPath)/.\(name).tmp-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 { throw SigningError.fileSystem(path: temporary, operation: "create", errno: errno) }
        var committed = false
        defer { if !committed { unlink(temporary) } }
        try fillAndClose(fd, bytes, mode: mode, path: temporary)
        if replace {
            if rename(temporary, path) != 0 {
                throw SigningError.fileSystem(path: path, operation: "rename onto", errno: errno)
            }
        } else {
            if link(temporary, path) != 0 {
                let code = errno
                if code == EEXIST { throw SigningError.keyAlreadyExists(path: path) }
                throw SigningError.fileSystem(path: path, operation: "create", errno: code)
            }
            unlink(temporary)
        }
        committed = true
        try syncDirectory(dirPath)
    }

    /// Sets the mode, writes, fsyncs and closes a freshly created file.
    private static func fillAndClose(_ fd: Int32, _ bytes: [UInt8], mode: mode_t, path: String) throws {
        defer { close(fd) }
        // The umask may have removed bits; set exactly the requested mode.
        if fchmod(fd, mode) != 0 { throw SigningError.fileSystem(path: path, operation: "chmod", errno: errno) }
        try writeAll(fd, bytes, path: path)
        if fsync(fd) != 0 { throw SigningError.fileSystem(path: path, operation: "fsync", errno: errno) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SigningError.fileSystem(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }

    private static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SigningError.fileSystem(path: path, operation: "open the directory", errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw SigningError.fileSystem(path: path, operation: "fsync the directory", errno: errno) }
    }
}
