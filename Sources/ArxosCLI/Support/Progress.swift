import ArxosWorkspace
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Progress of long work drawn on stderr for someone watching a terminal: one line per phase, such as
/// `Reading files:  42% (840/2000), 410.2 KiB | 1.3 MiB/s, ETA 0:02`, rewritten at most ten times a second and ended
/// with `, done.` and a newline. Phases that are over quickly are never drawn.
///
/// Reports may come from several threads at once. Get one with `ProgressMeter.standardError(_:)`, which gives nil when
/// stderr is not a terminal or `--quiet` is set, so that the work being measured does not even count.
final class ProgressMeter: Sendable {
    /// One report: what is being done and how far it has got.
    struct Report: Sendable {
        var label: String
        /// Items done so far.
        var done: Int
        /// Items in all, when known.
        var total: Int?
        /// Bytes so far (0: not counted).
        var bytes: Int = 0
        /// Bytes in all, when known; the percentage then follows bytes rather than items.
        var totalBytes: Int? = nil
        /// The phase's last report.
        var finished = false
    }

    private struct Phase {
        var label: String
        var started: UInt64
        var lastDrawn: UInt64 = 0
        /// The phase's line is on the terminal, without its final newline.
        var visible = false
        /// Columns the last drawing took, so that a shorter one can blank the rest.
        var width = 0
        /// The last drawing, to draw again below an interjected line.
        var lastText: String?
    }

    /// A phase is drawn from the start when it has at least this many items, else once it has run `delay` seconds.
    let minimumItems: Int
    let delay: Double
    /// The shortest time between two drawings of a phase's line.
    let interval: Double
    private let colour: Colour
    private let plainColour = Colour(.never)
    private let columns: Int
    private let phase = Mutex<Phase?>(nil)
    private let write: @Sendable (String) -> Void

    init(colour: Colour, columns: Int, minimumItems: Int = 500, delay: Double = 0.5, interval: Double = 0.1,
         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.colour = colour
        self.columns = columns
        self.minimumItems = minimumItems
        self.delay = delay
        self.interval = interval
        self.write = write
    }

    /// The meter for this process's stderr, or nil when no progress may be drawn: `--quiet`, or stderr not a terminal.
    /// Colour follows `--color` and `NO_COLOR` as for stdout, judged on stderr.
    static func standardError(_ options: GlobalOptions) -> ProgressMeter? {
        guard !options.quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        var size = winsize()
        let asked = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        let columns = asked == 0 ? Int(size.ws_col) : 0
        return ProgressMeter(colour: Colour(options.color, isTerminal: true), columns: columns)
    }

    /// A handler for the reports of domain work (capture, gc).
    var handler: ProgressHandler {
        { [self] progress in
            update(Report(label: progress.phase.rawValue, done: progress.done, total: progress.total,
                          bytes: progress.bytes, finished: progress.finished))
        }
    }

    /// Takes one report, drawing it if it is due.
    func update(_ report: Report) {
        phase.withLock { current in
            // Read under the lock: a report from another thread may have started the phase a moment ago.
            let now = DispatchTime.now().uptimeNanoseconds
            if current?.label != report.label {
                // A new phase: the previous one's line, if drawn and not finished, stays as it was last drawn.
                if current?.visible == true { write("\n") }
                current = Phase(label: report.label, started: now)
            }
            guard var state = current else { return }
            let elapsed = Double(now - state.started) / 1e9
            if !state.visible {
                let big = (report.total ?? 0) >= minimumItems || report.done >= minimumItems
                guard big || elapsed >= delay else {
                    if report.finished { current = nil }
                    return
                }
            } else if !report.finished && Double(now - state.lastDrawn) / 1e9 < interval {
                return
            }
            // Escapes take no columns: the width is that of the plain text, which is drawn alone when it must be cut
            // to fit the terminal (a line that wraps cannot be rewritten with a carriage return).
            let plain = render(report, elapsed: elapsed, colour: plainColour)
            var line = colour.enabled ? render(report, elapsed: elapsed, colour: colour) : plain
            var width = plain.count
            if columns > 1, width >= columns {
                line = String(plain.prefix(columns - 1))
                width = columns - 1
            }
            let padding = String(repeating: " ", count: max(0, state.width - width))
            write("\r" + line + padding + (report.finished ? "\n" : ""))
            state.visible = !report.finished
            state.width = width
            state.lastText = line
            state.lastDrawn = now
            current = report.finished ? nil : state
        }
    }

    /// Writes a whole line of other output (a log line of the work) above the phase's line, which is drawn again below
    /// it, so that the bar stays at the bottom.
    func interject(_ line: String) {
        phase.withLock { current in
            guard let state = current, state.visible, let last = state.lastText else {
                write(line + "\n")
                return
            }
            let padding = String(repeating: " ", count: max(0, state.width - line.count))
            write("\r" + line + padding + "\n" + last)
        }
    }

    /// Clears an unfinished line (the work stopped early, say on an error), so that what follows starts on a clean line.
    func end() {
        phase.withLock { current in
            if let state = current, state.visible {
                write("\r" + String(repeating: " ", count: state.width) + "\r")
            }
            current = nil
        }
    }

    /// The text of one drawing, without the carriage return.
    func render(_ report: Report, elapsed: Double, colour: Colour) -> String {
        var text = colour.paint(report.label + ":", .bold) + " "
        let fraction: Double?
        if let totalBytes = report.totalBytes {
            fraction = totalBytes > 0 ? Double(report.bytes) / Double(totalBytes) : 1
        } else if let total = report.total {
            fraction = total > 0 ? Double(report.done) / Double(total) : 1
        } else {
            fraction = nil
        }
        if let fraction {
            let percent = Int(min(max(fraction, 0), 1) * 100)
            text += String(repeating: " ", count: 3 - String(percent).count) + "\(percent)% "
            text += report.total.map { "(\(report.done)/\($0))" } ?? "(\(report.done))"
        } else {
            text += "\(report.done)"
        }
        if report.bytes > 0 || report.totalBytes != nil {
            text += ", " + ProgressMeter.size(Double(report.bytes))
            if let totalBytes = report.totalBytes { text += " of " + ProgressMeter.size(Double(totalBytes)) }
        }
        if elapsed >= 0.2 {
            text += report.bytes > 0
                ? " | " + ProgressMeter.size(Double(report.bytes) / elapsed) + "/s"
                : " | " + ProgressMeter.rate(Double(report.done) / elapsed) + "/s"
        }
        if report.finished {
            text += ", " + colour.paint("done", .green) + "."
        } else if let fraction, fraction > 0, fraction < 1, elapsed >= 1 {
            text += ", ETA " + ProgressMeter.duration(elapsed * (1 - fraction) / fraction)
        }
        return text
    }

    /// Items a second: `0.7`, `4.2`, `38`, `1250` (tenths below ten, so that a slow rate does not read 0).
    static func rate(_ perSecond: Double) -> String {
        perSecond < 10 ? String(format: "%.1f", perSecond) : "\(Int(perSecond))"
    }

    /// `512 B`, `3.4 KiB`, `12.0 MiB`, `1.5 GiB`.
    static func size(_ bytes: Double) -> String {
        if bytes >= 1_073_741_824 { return String(format: "%.1f GiB", bytes / 1_073_741_824) }
        if bytes >= 1_048_576 { return String(format: "%.1f MiB", bytes / 1_048_576) }
        if bytes >= 1024 { return String(format: "%.1f KiB", bytes / 1024) }
        return "\(Int(bytes)) B"
    }

    /// `0:07`, `12:30`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
