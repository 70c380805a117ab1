import Foundation

/// A maintenance window (docs/deploy.md, "Windows, schedules and approvals"): on some days of the week, from a local
/// start time, for a duration, in a time zone; it allows deploys, or denies them (deny wins).
public struct MaintenanceWindow: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case allow, deny }
    public var kind: Kind
    /// The nodes it applies to: a selector of `--target`'s syntax (`all`, names, globs, `k=v` tags).
    public var match: String
    /// Weekdays, 1 = Sunday … 7 = Saturday (Foundation's numbering).
    public var days: [Int]
    /// Minutes after local midnight.
    public var start: Int
    public var duration: Double
    public var timeZone: String

    static let dayNames = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// Reads one entry of `windows:`.
    init(_ map: [String: Any], index: Int, path: String) throws {
        func fail(_ reason: String) -> DeployError { .badInventory(path: path, reason: "windows[\(index)]: \(reason)") }
        let kind: Kind, spec: [String: Any]
        if let allow = map["allow"] as? [String: Any] { kind = .allow; spec = allow } else if let deny = map["deny"] as? [String: Any] {
            kind = .deny; spec = deny
        } else { throw fail("needs 'allow:' or 'deny:' with days, start, duration and timezone") }
        self.kind = kind
        match = (map["match"]).map { "\($0)" } ?? "all"
        var days = [Int]()
        let rawDays: [String] = (spec["days"] as? [Any])?.map { "\($0)" } ?? (spec["days"] as? String).map { [$0] } ?? ["mon-sun"]
        for word in rawDays {
            let lower = word.lowercased().trimmingCharacters(in: .whitespaces)
            if lower.contains("-") {
                let ends = lower.split(separator: "-").map(String.init)
                guard ends.count == 2, let a = Self.dayNames[String(ends[0].prefix(3))], let b = Self.dayNames[String(ends[1].prefix(3))] else {
                    throw fail("'\(word)' is not a day range such as mon-fri")
                }
                var d = a
                while true { days.append(d); if d == b { break }; d = d % 7 + 1 }
            } else {
                guard let d = Self.dayNames[String(lower.prefix(3))] else { throw fail("'\(word)' is not a day (mon, tue, … or mon-fri)") }
                days.append(d)
            }
        }
        self.days = days
        let startText = (spec["start"]).map { "\($0)" } ?? "00:00"
        let parts = startText.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else { throw fail("start '\(startText)' is not HH:MM") }
        start = parts[0] * 60 + parts[1]
        guard let duration = Durations.parse((spec["duration"]).map { "\($0)" } ?? "24h"), duration > 0, duration <= 7 * 86400 else {
            throw fail("duration must be a duration such as 4h, at most 7 days")
        }
        self.duration = duration
        timeZone = (spec["timezone"]).map { "\($0)" } ?? "UTC"
        guard TimeZone(identifier: timeZone) != nil else { throw fail("'\(timeZone)' is not a time zone such as Europe/Berlin or UTC") }
    }

    /// Whether `date` falls inside the window (a window that starts late in the evening runs past midnight).
    public func contains(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let today = calendar.startOfDay(for: date)
        for back in 0...7 {
            guard let day = calendar.date(byAdding: .day, value: -back, to: today) else { continue }
            guard days.contains(calendar.component(.weekday, from: day)),
                  let opens = calendar.date(byAdding: .minute, value: start, to: day) else { continue }
            if opens <= date && date < opens.addingTimeInterval(duration) { return true }
        }
        return false
    }

    var text: String {
        let names = Self.dayNames.sorted { $0.value < $1.value }.map(\.key)
        let dayList = days.map { names[$0 - 1] }.joined(separator: ", ")
        return "  - match: '\(match.replacingOccurrences(of: "'", with: "''"))'\n    \(kind.rawValue): {days: [\(dayList)], "
            + String(format: "start: '%02d:%02d'", start / 60, start % 60) + ", duration: \(Durations.format(duration)), timezone: \(timeZone)}\n"
    }
}

/// Whether a node may be deployed at a moment, and why not.
public struct WindowVerdict: Sendable, Equatable {
    public var open: Bool
    public var reason: String
}

extension Inventory {
    /// The verdict of the maintenance windows for `node` at `date`: allowed when no allow window applies to it or one
    /// of them is open, and no deny window that applies to it is open (deny wins).
    public func window(for node: NodeEntry, at date: Date) -> WindowVerdict {
        let applying = windows.filter { window in (try? Inventory(nodes: [node]).select([window.match]))?.isEmpty == false }
        if let deny = applying.first(where: { $0.kind == .deny && $0.contains(date) }) {
            return WindowVerdict(open: false, reason: "a deny window (\(deny.match)) is open")
        }
        let allows = applying.filter { $0.kind == .allow }
        if !allows.isEmpty, !allows.contains(where: { $0.contains(date) }) {
            return WindowVerdict(open: false, reason: "outside its maintenance window")
        }
        return WindowVerdict(open: true, reason: "")
    }

    /// When `node`'s windows next open (within 8 days), nil when they never do.
    public func nextOpening(for node: NodeEntry, after date: Date) -> Date? {
        var t = date
        for _ in 0..<(8 * 24 * 60) {
            if window(for: node, at: t).open { return t }
            t = t.addingTimeInterval(60)
        }
        return nil
    }
}
