import ArxosDeploy
import Foundation
import Testing

/// Maintenance windows: days, local start, duration past midnight, time zones, deny wins.
@Suite struct WindowTests {
    func inventory(_ windows: String) throws -> Inventory {
        try Inventory(text: """
            nodes:
              - {name: soda, building: soda/building, address: tcp://127.0.0.1:1, tags: {region: west}}
              - {name: rice, building: rice/building, address: tcp://127.0.0.1:2, tags: {region: east}}
            windows:
            \(windows)
            """, path: ".arxos-nodes.yaml")
    }

    func date(_ text: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: text)) }

    @Test func anAllowWindowInItsTimeZoneRunsPastMidnight() throws {
        let inv = try inventory("  - {match: region=west, allow: {days: [mon-fri], start: '22:00', duration: 4h, timezone: America/Los_Angeles}}")
        let soda = inv.nodes[0], rice = inv.nodes[1]
        // Monday 2026-11-30 22:30 in Los Angeles is Tuesday 06:30 UTC.
        #expect(inv.window(for: soda, at: try date("2026-12-01T06:30:00Z")).open)
        // Tuesday 01:30 local (09:30 UTC) is still inside Monday's window; 02:30 local is not.
        #expect(inv.window(for: soda, at: try date("2026-12-01T09:30:00Z")).open)
        #expect(!inv.window(for: soda, at: try date("2026-12-01T10:30:00Z")).open)
        // Saturday night is not a weekday window.
        #expect(!inv.window(for: soda, at: try date("2026-11-29T06:30:00Z")).open)
        // A node no allow window applies to may be deployed at any time.
        #expect(inv.window(for: rice, at: try date("2026-12-01T10:30:00Z")).open)
        let next = try #require(inv.nextOpening(for: soda, after: try date("2026-12-01T10:30:00Z")))
        let opens = try date("2026-12-02T06:00:00Z"), later = try date("2026-12-02T06:01:00Z")
        #expect(next >= opens && next <= later)
    }

    @Test func denyWins() throws {
        let inv = try inventory("""
              - {match: all, allow: {days: [mon-sun], start: '00:00', duration: 24h, timezone: UTC}}
              - {match: soda, deny: {days: [sun], start: '00:00', duration: 24h, timezone: Europe/Berlin}}
            """)
        let sunday = try date("2026-11-29T12:00:00Z")
        #expect(!inv.window(for: inv.nodes[0], at: sunday).open)
        #expect(inv.window(for: inv.nodes[0], at: sunday).reason.contains("deny"))
        #expect(inv.window(for: inv.nodes[1], at: sunday).open)
    }

    @Test func badWindowsAreNamed() throws {
        #expect(throws: DeployError.badInventory(path: ".arxos-nodes.yaml", reason: "windows[0]: 'Mars/Olympus' is not a time zone such as Europe/Berlin or UTC")) {
            try inventory("  - {allow: {days: [mon], start: '01:00', duration: 1h, timezone: Mars/Olympus}}")
        }
        #expect(throws: DeployError.self) { try inventory("  - {allow: {days: [funday]}}") }
        #expect(throws: DeployError.self) { try inventory("  - {allow: {start: '25:00'}}") }
    }

    @Test func windowsAndProtectedBranchesSurviveARewrite() throws {
        var inv = try inventory("  - {match: region=west, deny: {days: [sat, sun], start: '00:00', duration: 24h, timezone: UTC}}")
        inv.protected["main"] = 2
        let again = try Inventory(text: inv.text, path: "x")
        #expect(again == inv)
    }

    @Test func selectors() throws {
        let inv = try inventory("  []")
        #expect(try inv.select(["region=west"]).map(\.name) == ["soda"])
        #expect(try inv.select(["r*"]).map(\.name) == ["rice"])
        #expect(try inv.select(["all"]).count == 2)
        #expect(throws: DeployError.emptySelection("mars")) { try inv.select(["mars"]) }
    }
}
