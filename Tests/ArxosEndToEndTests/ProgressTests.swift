import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of long local work (capture of many files, gc) is drawn on stderr only when stderr is a terminal, never
/// with `--quiet`, and never for work too short to matter.
@Suite(.tags(.endToEnd))
struct ProgressTests {
    /// The words of every progress line capture and gc draw.
    static let labels = ["Reading files", "Writing objects", "Counting objects", "Writing pack", "Removing objects"]

    /// Where a run's stderr goes.
    enum ErrorStream {
        case pipe
        case terminal
    }

    /// A working tree of 2,000 one-object files (two generated buildings of 1,000 objects) and a repository.
    func manyFiles() throws -> Sandbox {
        let box = try Sandbox()
        let generator = ArxosBinary.fixtures.appendingPathComponent("generate-portfolio.py").path
        let generated = try box.run("/usr/bin/env", ["python3", generator, "--buildings", "2", "--objects", "1000", box.work.path],
                                    in: box.root)
        try #require(generated.succeeded, "\(generated)")
        try #require(box.workingFiles().count == 2000, "the generator should write 2,000 files")
        expectSuccess(try box.arxos("init"))
        return box
    }

    /// Runs `arxos ARGS` in the working tree with stdout a file and stderr the write end of a pipe or the terminal end
    /// of a pseudo-terminal; what arrived at the other end is the result's stderr.
    func arxos(_ box: Sandbox, _ arguments: [String], stderr kind: ErrorStream,
               environment extra: [String: String] = [:], without removed: [String] = []) throws -> RunResult {
        let (reader, writer): (Int32, Int32)
        switch kind {
        case .pipe:
            // Created closed-on-exec, so that no child another test starts meanwhile holds the write end open.
            var ends: [Int32] = [0, 0]
            guard let pipe2 = LibC.pipe2, pipe2(&ends, O_CLOEXEC) == 0 else {
                throw SandboxError("pipe2 failed: \(String(cString: strerror(errno)))")
            }
            (reader, writer) = (ends[0], ends[1])
        case .terminal:
            let terminal = try PseudoTerminal()
            (reader, writer) = (terminal.controller, terminal.terminal)
        }
        defer { close(reader) }
        let received = Received()
        let drained = DispatchSemaphore(value: 0)
        // Drained while the child runs: a full pipe or terminal buffer would stop it.
        let readEnd = reader
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count > 0 {
                    received.data.append(contentsOf: buffer[0..<count])
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    // 0 at the end of a pipe; EIO from a terminal whose other end is closed.
                    break
                }
            }
            drained.signal()
        }
        let outPath = box.root.appendingPathComponent(".out-\(UUID().uuidString)").path
        defer { unlink(outPath) }
        var environment = box.environment.merging(extra) { _, new in new }
        for name in removed { environment[name] = nil }
        let start = Date()
        let child: ChildProcess
        do {
            child = try ChildProcess(ArxosBinary.path, arguments, directory: box.work.path, environment: environment,
                                     stdout: .file(outPath), stderr: .descriptor(writer))
        } catch {
            close(writer)
            throw error
        }
        // Only the child holds the write end now, so the reader sees the end when the child exits.
        close(writer)
        var exit = child.wait(timeout: 120)
        let timedOut = exit == nil
        if timedOut {
            child.kill(SIGKILL)
            exit = child.wait()
        }
        guard drained.wait(timeout: .now() + 30) == .success else {
            throw SandboxError("stderr of arxos \(arguments.joined(separator: " ")) never reached its end")
        }
        return RunResult(command: ["arxos"] + arguments, status: exit?.status ?? -1,
                         stdoutData: FileManager.default.contents(atPath: outPath) ?? Data(), stderrData: received.data,
                         timedOut: timedOut, seconds: Date().timeIntervalSince(start))
    }

    func expectNoProgress(_ result: RunResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for label in ProgressTests.labels {
            #expect(!result.stderr.contains(label), "\(what): no '\(label)'\n\(result)", sourceLocation: sourceLocation)
            #expect(!result.stdout.contains(label), "\(what): progress never goes to stdout\n\(result)", sourceLocation: sourceLocation)
        }
    }

    @Test("stderr a pipe: capture of 2,000 files and gc draw no progress at all")
    func pipeGetsNothing() throws {
        let box = try manyFiles()
        let capture = try arxos(box, ["state", "capture", "-m", "portfolio"], stderr: .pipe)
        expectSuccess(capture)
        #expect(capture.stdout.contains("2000 files read"), "\(capture)")
        #expect(capture.stderr.isEmpty, "a pipe gets no progress\n\(capture)")
        let gc = try arxos(box, ["gc", "--prune=now"], stderr: .pipe)
        expectSuccess(gc)
        #expect(gc.stdout.contains("packed "), "\(gc)")
        #expect(gc.stderr.isEmpty, "a pipe gets no progress\n\(gc)")
        expectNoProgress(capture, "capture on a pipe")
        expectNoProgress(gc, "gc on a pipe")
    }

    @Test("stderr a terminal: capture shows files read and objects written, gc shows counting and packing, each ended")
    func terminalShowsProgress() throws {
        let box = try manyFiles()
        let capture = try arxos(box, ["state", "capture", "-m", "portfolio"], stderr: .terminal)
        expectSuccess(capture)
        let drawn = capture.stderr
        #expect(drawn.contains("Reading files:"), "\(capture)")
        #expect(drawn.contains("100% (2000/2000)"), "the last line counts every file read\n\(capture)")
        #expect(drawn.contains("Writing objects:"), "\(capture)")
        // Every phase ends with a finished line (blanks may cover a longer line drawn before) and a newline, which a
        // terminal turns into CR LF.
        let finished = try Regex(#", done\. *\r\n"#)
        #expect(drawn.matches(of: finished).count == 2, "two finished phases\n\(capture)")
        #expect(!drawn.contains("\u{1B}["), "NO_COLOR (set for every test) keeps escapes out\n\(capture)")
        // Results stay on stdout, progress stays off it.
        #expect(capture.stdout.contains("2000 files read"), "\(capture)")
        #expect(!ProgressTests.labels.contains { capture.stdout.contains($0) }, "\(capture)")

        // gc on a terminal without NO_COLOR: counting and packing every object, labels in colour.
        let gc = try arxos(box, ["gc", "--prune=now"], stderr: .terminal, environment: ["TERM": "xterm"], without: ["NO_COLOR"])
        expectSuccess(gc)
        let packed = try #require(gc.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) },
                                  "gc prints 'packed N objects'\n\(gc)")
        #expect(packed > 2000)
        let plain = gc.stderr.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(plain.contains("Counting objects: \(packed), done."), "\(gc)")
        #expect(plain.contains("Writing pack: 100% (\(packed)/\(packed))"), "\(gc)")
        #expect(gc.stderr.contains("\u{1B}["), "a terminal without NO_COLOR gets colour\n\(gc)")
        let never = try arxos(box, ["gc", "--prune=now", "--color", "never"], stderr: .terminal,
                              environment: ["TERM": "xterm"], without: ["NO_COLOR"])
        expectSuccess(never)
        #expect(never.stderr.contains("Writing pack: 100%"), "\(never)")
        #expect(!never.stderr.contains("\u{1B}["), "--color never keeps escapes out\n\(never)")
    }

    @Test("stderr a terminal with --quiet: nothing at all")
    func quietTerminalGetsNothing() throws {
        let box = try manyFiles()
        let capture = try arxos(box, ["state", "capture", "-m", "portfolio", "--quiet"], stderr: .terminal)
        expectSuccess(capture)
        #expect(capture.stderr.isEmpty, "--quiet draws nothing\n\(capture)")
        let gc = try arxos(box, ["gc", "--prune=now", "-q"], stderr: .terminal)
        expectSuccess(gc)
        #expect(gc.stderr.isEmpty, "--quiet draws nothing\n\(gc)")
        expectNoProgress(capture, "quiet capture")
        expectNoProgress(gc, "quiet gc")
        // The work was done all the same.
        #expect(try box.arxos("log", "--oneline").stdout.contains("portfolio"))
        #expect(box.looseObjectFiles().isEmpty, "gc packed everything")
    }

    @Test("stderr a terminal: a capture and gc of a small building are over too soon to draw anything")
    func shortWorkIsNotDrawn() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        let capture = try arxos(box, ["state", "capture", "-m", "survey"], stderr: .terminal)
        expectSuccess(capture)
        #expect(capture.stderr.isEmpty, "\(capture)")
        let gc = try arxos(box, ["gc", "--prune=now"], stderr: .terminal)
        expectSuccess(gc)
        #expect(gc.stderr.isEmpty, "\(gc)")
    }
}

/// Bytes a reader thread collected; read only after it signalled that it finished.
private final class Received: @unchecked Sendable {
    var data = Data()
}

/// A pseudo-terminal pair: a child given `terminal` as a stream sees a terminal (`isatty`), and what it writes there
/// is read from `controller`. Both descriptors are created closed-on-exec.
private struct PseudoTerminal {
    let controller: Int32
    let terminal: Int32

    init() throws {
        guard let openpt = LibC.posixOpenpt, let grant = LibC.grantpt, let unlock = LibC.unlockpt, let nameOf = LibC.ptsnameR else {
            throw SandboxError("this C library lacks posix_openpt, grantpt, unlockpt or ptsname_r")
        }
        let controller = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0 else { throw SandboxError("posix_openpt failed: \(String(cString: strerror(errno)))") }
        var buffer = [CChar](repeating: 0, count: 128)
        guard grant(controller) == 0, unlock(controller) == 0, nameOf(controller, &buffer, buffer.count) == 0 else {
            close(controller)
            throw SandboxError("cannot set up a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let terminal = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else {
            close(controller)
            throw SandboxError("cannot open \(name): \(String(cString: strerror(errno)))")
        }
        self.controller = controller
        self.terminal = terminal
    }
}

/// The C library functions these tests need that Swift's Glibc module does not export, looked up by name.
private enum LibC {
    static func function<F>(_ name: String, as type: F.Type) -> F? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }

    static let pipe2 = function("pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    static let posixOpenpt = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grantpt = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsnameR = function("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)
}
