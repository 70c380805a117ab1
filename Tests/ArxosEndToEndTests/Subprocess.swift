import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid` on its own pid.
///
/// Foundation's `Process` is not used: on Linux its `waitUntilExit()` can hang forever for a child killed right after
/// it started (seen here with SIGKILL after 0 ms: the child stayed a zombie nobody reaped), and its exit detection
/// relies on a socket the child inherits, which other children spawned at the same moment may inherit too.
final class ChildProcess {
    let pid: pid_t
    private(set) var exit: Exit?

    /// How a child ended.
    struct Exit: Equatable {
        /// The exit status, or 128 + the signal number.
        var status: Int32
        /// The signal that killed it, if one did.
        var signal: Int32?
    }

    /// Where a standard stream of the child goes.
    enum Stream {
        case null
        /// A file, created or truncated.
        case file(String)
        /// A file descriptor of this process (dup'ed onto the child's stream).
        case descriptor(Int32)
    }

    /// Starts `executable` with `arguments` in `directory` with exactly `environment`.
    init(_ executable: String, _ arguments: [String], directory: String, environment: [String: String],
         stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case let .file(path):
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case let .descriptor(source):
                posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
        }
        guard let addChdir = addChdirAction else {
            throw SandboxError("this C library lacks posix_spawn_file_actions_addchdir_np")
        }
        guard addChdir(&actions, directory) == 0 else { throw SandboxError("cannot set the child's directory to \(directory)") }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGCHLD, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SandboxError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    /// Sends `signal` to the child unless it has been reaped.
    func kill(_ signal: Int32) {
        if exit == nil { _ = sendSignal(pid, signal) }
    }

    /// Waits for the child to end, at most `timeout` seconds (forever if nil); nil if it is still running.
    @discardableResult
    func wait(timeout: Double? = nil) -> Exit? {
        if let exit { return exit }
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var pause: useconds_t = 200
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signal = status & 0x7F
                exit = signal == 0 ? Exit(status: (status >> 8) & 0xFF, signal: nil) : Exit(status: 128 + signal, signal: signal)
                return exit
            }
            if reaped < 0 && errno != EINTR {
                exit = Exit(status: -1, signal: nil)
                return exit
            }
            if let deadline, Date() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
    }

    deinit {
        if exit == nil {
            _ = sendSignal(pid, SIGKILL)
            wait()
        }
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not export.
private let addChdirAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
}()

private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 { kill(pid, signal) }

/// A pipe whose ends are closed on exec (only `dup2` onto a child's stream passes one on).
struct ClosingPipe {
    let read: Int32
    let write: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SandboxError("pipe failed: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        read = fds[0]
        write = fds[1]
    }
}
