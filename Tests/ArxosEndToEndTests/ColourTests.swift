import Foundation
import Testing

/// Colour only where asked for: `--color always`, or a terminal without `NO_COLOR`. Pipes (every test run) get none.
@Suite(.tags(.endToEnd))
struct ColourTests {
    static let escape = "\u{1B}["

    func changedBox() throws -> Sandbox {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 220 cfm", in: "hvac/vavs.yaml")
        return box
    }

    @Test("a pipe gets no colour; --color always colours diff, status and log; --color never and NO_COLOR do not")
    func colourChoices() throws {
        let box = try changedBox()
        for command in [["diff"], ["status"], ["log"]] {
            #expect(!(try box.arxos(command).stdout.contains(ColourTests.escape)), "\(command) on a pipe")
            let coloured = try box.arxos(command + ["--color", "always"])
            expectSuccess(coloured)
            #expect(coloured.stdout.contains(ColourTests.escape), "\(command) --color always")
            #expect(!(try box.arxos(command + ["--color", "never"]).stdout.contains(ColourTests.escape)))
        }
        // The text without escapes is the same text.
        let plain = try box.arxos("diff").stdout
        let coloured = try box.arxos("diff", "--color", "always").stdout
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) == plain)
        // On a terminal (script(1) gives one), colour is on unless NO_COLOR is set.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let arxos = ArxosBinary.path
        let onTerminal = try box.sh("env -u NO_COLOR TERM=xterm script -qec '\(arxos) diff' /dev/null", in: box.work)
        #expect(onTerminal.stdout.contains(ColourTests.escape), "a terminal gets colour: \(onTerminal)")
        let noColor = try box.sh("NO_COLOR=1 script -qec '\(arxos) diff' /dev/null", in: box.work)
        #expect(!noColor.stdout.contains(ColourTests.escape), "NO_COLOR turns it off")
        #expect(noColor.stdout.contains("minAirflow"))
    }
}
