import Foundation

/// ANSI colours for results on a terminal. On only when `--color always`, or `--color auto` (the default) with stdout a
/// terminal, `NO_COLOR` unset or empty, and `TERM` not `dumb` (https://no-color.org).
struct Colour: Sendable {
    enum Tint: String, Sendable {
        case red = "31", green = "32", yellow = "33", cyan = "36", bold = "1"
    }

    let enabled: Bool

    init(_ choice: ColorChoice, environment: [String: String] = ProcessInfo.processInfo.environment,
         isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        switch choice {
        case .always: enabled = true
        case .never: enabled = false
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            enabled = isTerminal && !noColor && environment["TERM"] != "dumb"
        }
    }

    /// `text` in `tint`, or unchanged when colour is off.
    func paint(_ text: String, _ tint: Tint) -> String {
        enabled ? "\u{1B}[\(tint.rawValue)m\(text)\u{1B}[0m" : text
    }
}

extension GlobalOptions {
    /// The colours this run may use.
    var colour: Colour { Colour(color) }
}
