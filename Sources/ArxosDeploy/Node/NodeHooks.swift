import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of one hook or health check.
public struct CheckResult: Sendable, Equatable, Codable {
    public var name: String
    public var required: Bool
    public var passed: Bool
    public var seconds: Double
    /// The last line the command printed, or why it failed ("timed out after 10s").
    public var detail: String
}

/// Runs the node's commands: `/bin/sh -c COMMAND arxos-hook STATE_DIR` in the node directory, in a process group of
/// its own so that a timeout kills everything it started.
struct HookRunner {
    let directory: String

    func run(_ command: NodeCommand, required: Bool, stateDirectory: String, environment: [String: String],
             timeout limit: Double, keepalive: () -> Void) -> CheckResult {
        let started = Date()
        let timeout = min(command.timeout, max(limit, 0.1))
        let logPath = directory + "/.hook-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { unlink(logPath) }
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
        // The daemon's sockets, database and locks must not leak into a hook that outlives it.
        closeInheritedDescriptors(&fileActions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        // The shell changes into the node directory itself (the daemon's own directory is shared by its threads).
        let quoted = "'" + directory.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let arguments = ["/bin/sh", "-c", "cd \(quoted) || exit 126\n" + command.command, "arxos-hook", stateDirectory]
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(env.map { "\($0.key)=\($0.value)" }) { envp in
                posix_spawn(&pid, "/bin/sh", &fileActions, &attributes, argv, envp)
            }
        }
        guard status == 0 else {
            return CheckResult(name: command.name, required: required, passed: false, seconds: 0,
                               detail: "cannot start /bin/sh: \(String(cString: strerror(status)))")
        }
        var lastKeepalive = Date()
        var exitStatus: Int32 = 0
        var timedOut = false
        while true {
            let done = waitpid(pid, &exitStatus, WNOHANG)
            if done == pid { break }
            if done < 0, errno != EINTR { break }
            if Date().timeIntervalSince(started) > timeout {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &exitStatus, 0)
                timedOut = true
                break
            }
            if Date().timeIntervalSince(lastKeepalive) >= 2 {
                keepalive()
                lastKeepalive = Date()
            }
            usleep(20_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let lastLine = output.split(separator: "\n").last.map { String($0.prefix(200)) } ?? ""
        if timedOut {
            return CheckResult(name: command.name, required: required, passed: false, seconds: seconds,
                               detail: "timed out after \(Durations.format(timeout))")
        }
        let exited = (exitStatus & 0x7f) == 0
        let code = (exitStatus >> 8) & 0xff
        let passed = exited && code == 0
        let detail = passed ? lastLine : (exited ? "exit status \(code)" : "killed by signal \(exitStatus & 0x7f)")
            + (passed || lastLine.isEmpty ? "" : ": \(lastLine)")
        return CheckResult(name: command.name, required: required, passed: passed, seconds: seconds, detail: detail)
    }
}

/// Adds "close every descriptor from 3 up" to `actions`: glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+,
/// looked up at run time), else one close action per descriptor open now (from /proc/self/fd).
private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
        let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
        if closeFrom(&actions, 3) == 0 { return }
    }
    let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
    for fd in open where fd > 2 && fcntl(fd, F_GETFD) >= 0 { posix_spawn_file_actions_addclose(&actions, fd) }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
