import Foundation
import Testing

/// `-C DIR` as scripts use it: before the subcommand (like git) or among its options.
@Suite(.tags(.endToEnd))
struct WorkingDirectoryTests {
    @Test("arxos -C DIR COMMAND and COMMAND -C DIR work from anywhere; a missing DIR is a one-line error")
    func dashC() throws {
        let box = try Sandbox(.smallBuilding)
        let elsewhere = box.work.deletingLastPathComponent()
        expectSuccess(try box.arxos(["-C", box.work.path, "init"], in: elsewhere))
        expectSuccess(try box.arxos(["-C", box.work.path, "state", "capture", "-m", "from outside"], in: elsewhere))
        let before = try box.arxos(["-C", box.work.path, "log", "--oneline"], in: elsewhere)
        expectSuccess(before)
        #expect(before.stdout.contains("from outside"))
        let after = try box.arxos(["log", "--oneline", "-C", box.work.path], in: elsewhere)
        #expect(after.stdout == before.stdout)
        // Repeated -C options compose, as in git: the second is relative to the first.
        let nested = try box.arxos(["-C", box.work.path, "-C", "hvac", "status"], in: elsewhere)
        expectSuccess(nested)
        let missing = try box.arxos(["-C", box.work.appendingPathComponent("no-such-dir").path, "status"], in: elsewhere)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("arxos: error: cannot change to directory"))
    }
}
