import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The repository lock, seen from outside: another process holding it, and several captures at once.
@Suite(.tags(.endToEnd))
struct ConcurrencyTests {
    /// Takes an exclusive flock on the file named by argv[1], prints `locked`, and holds it until stdin closes or it is killed.
    static let holdLockScript = #"""
        import fcntl, sys
        f = open(sys.argv[1], "a")
        fcntl.flock(f, fcntl.LOCK_EX)
        print("locked", flush=True)
        sys.stdin.read()
        """#

    @Test("a capture while another process holds .arxos/lock fails naming the lock and writes nothing; after release it works")
    func heldLock() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first"))
        let head = try #require(try box.revParse("HEAD"))
        try box.replace("capacity: 500 MBH", with: "capacity: 550 MBH", in: "hvac/boiler-1.yaml")

        let input = try ClosingPipe()
        let output = try ClosingPipe()
        let holder = try ChildProcess("/usr/bin/env", ["python3", "-c", Self.holdLockScript, box.storeURL.appendingPathComponent("lock").path],
                                      directory: box.work.path, environment: ProcessInfo.processInfo.environment,
                                      stdin: .descriptor(input.read), stdout: .descriptor(output.write))
        close(input.read)
        close(output.write)
        defer {
            close(input.write)
            holder.kill(SIGKILL)
            holder.wait()
            close(output.read)
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(output.read, &buffer, buffer.count)
        let announced = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        try #require(announced.hasPrefix("locked"), "the Python lock holder did not start: '\(announced)'")

        let snapshot = box.storeSnapshot()
        let blocked = try box.arxos("state", "capture", "-m", "while locked", environment: ["ARXOS_LOCK_TIMEOUT": "1"])
        expectCleanFailure(blocked, mentioning: [".arxos/lock"], exitCode: 5)
        #expect(blocked.seconds >= 0.9, "gave up before the timeout: \(blocked.seconds)s")
        #expect(blocked.seconds < 10, "did not honour ARXOS_LOCK_TIMEOUT=1: \(blocked.seconds)s")
        #expect(box.storeSnapshot() == snapshot, "a capture that could not lock wrote into .arxos")
        #expect(try box.revParse("HEAD") == head)

        // Other writers are refused the same way; readers do not wait for the lock.
        let branch = try box.arxos("branch", "other", environment: ["ARXOS_LOCK_TIMEOUT": "1"])
        expectCleanFailure(branch, mentioning: [".arxos/lock"], exitCode: 5)
        expectSuccess(try box.arxos("log", "--oneline", environment: ["ARXOS_LOCK_TIMEOUT": "1"]))
        expectSuccess(try box.arxos("status", environment: ["ARXOS_LOCK_TIMEOUT": "1"]))

        holder.kill(SIGTERM)
        #expect(holder.wait(timeout: 10) != nil, "the lock holder did not exit")
        let after = try box.arxos("state", "capture", "-m", "after release", environment: ["ARXOS_LOCK_TIMEOUT": "1"])
        expectSuccess(after)
        #expect(try box.revParse("HEAD~1") == head)
        expectSuccess(try box.arxos("fsck"))
    }

    @Test("four captures started at once all land, one after another, with none lost")
    func simultaneousCaptures() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first"))
        let first = try #require(try box.revParse("HEAD"))
        let count = 4
        let processes = try (0..<count).map {
            try box.startArxos(["state", "capture", "--allow-empty", "-m", "concurrent \($0)"], environment: ["ARXOS_LOCK_TIMEOUT": "30"])
        }
        for (n, process) in processes.enumerated() {
            let exit = process.wait(timeout: 60)
            #expect(exit?.status == 0, "capture \(n) ended with \(String(describing: exit))")
        }
        let log = try box.arxos("log", "--json")
        let commits = try #require(try log.json() as? [[String: Any]], "\(log)")
        #expect(commits.count == count + 1, "every capture is in the history\n\(log)")
        #expect(commits.last?["id"] as? String == first)
        let messages = Set(commits.dropLast().compactMap { $0["message"] as? String })
        #expect(messages == Set((0..<count).map { "concurrent \($0)\n" }))
        let reflog = try box.arxos("reflog")
        #expect(reflog.stdoutLines.count == count + 1, "\(reflog)")
        expectSuccess(try box.arxos("fsck"))
    }
}
