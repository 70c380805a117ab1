import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSH server on a loopback port with a temporary host key, accepting one temporary user key, for the
/// current user. Stopped on deinit.
final class LoopbackSSHServer {
    let directory: URL
    let port: Int
    let userKey: URL
    let user: String
    private let process: ChildProcess

    static let sshd = "/usr/sbin/sshd"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: sshd) && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")
    }

    init(in box: Sandbox) throws {
        directory = box.root.appendingPathComponent("sshd")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hostKey = directory.appendingPathComponent("host_ed25519")
        userKey = directory.appendingPathComponent("user_ed25519")
        for key in [hostKey, userKey] {
            let made = try box.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key.path], in: directory)
            try #require(made.succeeded, "ssh-keygen failed\n\(made)")
        }
        try FileManager.default.copyItem(at: userKey.appendingPathExtension("pub"), to: directory.appendingPathComponent("authorized_keys"))
        user = String(cString: getpwuid(getuid()).pointee.pw_name)
        if getuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }
        var started: (ChildProcess, Int)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            let config = directory.appendingPathComponent("sshd_config")
            try """
                Port \(port)
                ListenAddress 127.0.0.1
                HostKey \(hostKey.path)
                AuthorizedKeysFile \(directory.path)/authorized_keys
                PidFile \(directory.path)/sshd.pid
                StrictModes no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                UsePAM no
                PermitRootLogin prohibit-password
                PermitUserEnvironment no
                """.write(to: config, atomically: true, encoding: .utf8)
            let log = directory.appendingPathComponent("sshd-\(port).log").path
            let child = try ChildProcess(LoopbackSSHServer.sshd, ["-D", "-e", "-f", config.path], directory: directory.path,
                                         environment: ["PATH": "/usr/bin:/bin:/usr/sbin"], stderr: .file(log))
            for _ in 0..<100 {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains("Server listening") { started = (child, port); break }
                if child.wait(timeout: 0.05) != nil { break }
            }
            if started == nil { child.kill(SIGKILL); child.wait() }
        }
        let (child, port) = try #require(started, "sshd did not start on a loopback port (see \(directory.path))")
        process = child
        self.port = port
    }

    /// An `ARXOS_SSH` command that logs in with the test key and trusts the temporary host key.
    var sshCommand: String {
        "ssh -i \(userKey.path) -o StrictHostKeyChecking=no -o UserKnownHostsFile=\(directory.path)/known_hosts -o BatchMode=yes -o LogLevel=ERROR -o IdentitiesOnly=yes"
    }

    deinit {
        process.kill(SIGTERM)
        process.wait(timeout: 5)
    }
}

@Suite(.tags(.endToEnd), .enabled(if: LoopbackSSHServer.available, "sshd, ssh or ssh-keygen is not installed (apt-get install openssh-server openssh-client)"))
struct SSHTransportTests {
    @Test func cloneFetchPushOverARealSSHServer() throws {
        let hub = try Sandbox(.smallBuilding)
        expectSuccess(try hub.arxos("init"))
        expectSuccess(try hub.arxos("state", "capture", "-m", "first"))
        try hub.write(".arxos/config", try hub.readText(".arxos/config") + "receive.denyCurrentBranch = false\n")
        let server = try LoopbackSSHServer(in: hub)
        let clone = try Sandbox()
        clone.environment["ARXOS_SSH"] = server.sshCommand
        let url = "ssh://\(server.user)@127.0.0.1:\(server.port)\(hub.work.path)"

        let cloned = try clone.arxos(["clone", "--arxos-path", ArxosBinary.path, url, clone.work.path], in: clone.root)
        expectSuccess(cloned)
        #expect(clone.workingFiles() == hub.workingFiles())
        #expect(try clone.revParse("main") == hub.revParse("main"))
        #expect(try clone.arxos("remote", "list", "--json").stdout.contains(ArxosBinary.path))

        let second = try HubAndClone.edit(hub, "second")
        let pulled = try clone.arxos("pull")
        expectSuccess(pulled)
        #expect(movedObjects(pulled, "Received") == 4, "\(pulled)")
        #expect(try clone.revParse("main") == second)

        let third = try HubAndClone.edit(clone, "third", in: "security/doors.yaml")
        let pushed = try clone.arxos("push")
        expectSuccess(pushed)
        #expect(movedObjects(pushed, "Sent") == 4, "\(pushed)")
        #expect(try hub.revParse("main") == third)
        expectSuccess(try hub.arxos("fsck"))

        // The scp-like form reaches the same repository.
        clone.environment["ARXOS_SSH"] = server.sshCommand + " -p \(server.port)"
        expectSuccess(try clone.arxos("remote", "add", "--arxos-path", ArxosBinary.path, "scp", "\(server.user)@127.0.0.1:\(hub.work.path)"))
        expectSuccess(try clone.arxos("fetch", "scp"))
        #expect(try clone.revParse("scp/main") == third)
    }

    @Test func aMissingRemoteRepositoryIsReportedByTheFarSide() throws {
        let box = try Sandbox()
        let server = try LoopbackSSHServer(in: box)
        box.environment["ARXOS_SSH"] = server.sshCommand
        let url = "ssh://\(server.user)@127.0.0.1:\(server.port)\(box.root.path)/nowhere"
        let cloned = try box.arxos(["clone", "--arxos-path", ArxosBinary.path, url, box.root.appendingPathComponent("c").path], in: box.root)
        expectCleanFailure(cloned, mentioning: ["remote:", "not an arxos repository", "nowhere"])

        // No arxos at the configured path on the far side: the shell's status is reported, with the setting to fix.
        let missing = try box.arxos(["clone", "--arxos-path", "/nonexistent/arxos", url, box.root.appendingPathComponent("d").path], in: box.root)
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("arxos: error: ") && missing.stderr.contains("exited with status 127"), "\(missing)")
        #expect(missing.stderr.contains("remote.<name>.arxosPath"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: box.root.appendingPathComponent("d").path))
    }
}
