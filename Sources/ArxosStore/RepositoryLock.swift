import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The repository write lock: an exclusive `flock` on `.arxos/lock`, dropped by the kernel if the process dies.
public final class RepositoryLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock, retrying until `timeout` seconds have passed.
    public init(path: String, timeout: Double) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(fd)
                throw StoreError.io(path: path, operation: "flock", errno: code)
            }
            if Date() >= deadline {
                close(fd)
                throw StoreError.lockBusy(path, seconds: timeout)
            }
            usleep(20_000)
        }
        self.fd = fd
        let note = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The timeout from `ARXOS_LOCK_TIMEOUT`, default 3 seconds.
    public static var defaultTimeout: Double {
        ProcessInfo.processInfo.environment["ARXOS_LOCK_TIMEOUT"].flatMap(Double.init) ?? 3
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
