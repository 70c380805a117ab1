import Foundation

/// What can go wrong reading, checking or rendering a template (docs/templates.md). Every message is one line that
/// names the template file (and the line or key where there is one) and what to do.
public enum TemplateError: Error, LocalizedError, Sendable, Equatable {
    /// A problem in a template file: `file:line: key: message`.
    case invalid(file: String, line: Int?, key: String?, message: String)
    /// No template of that name in the registry.
    case notFound(name: String, suggestion: String?)
    /// Templates that include each other.
    case includeCycle(file: String, line: Int?, chain: [String])
    /// A `--set NAME=VALUE` argument that cannot be used.
    case badSetting(setting: String, message: String)
    /// A rule whose expression cannot be evaluated on an object.
    case evaluation(file: String, line: Int?, object: String, property: String, message: String)
    /// Templates select from captured states only.
    case nothingCaptured

    public var errorDescription: String? {
        switch self {
        case let .invalid(file, line, key, message):
            return Self.location(file, line) + (key.map { "\($0): " } ?? "") + message
        case let .notFound(name, suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "no template named '\(name)'; \(hint)'arxos template list' shows the templates there are"
        case let .includeCycle(file, line, chain):
            return Self.location(file, line) + "includes: templates include each other (\(chain.joined(separator: " → "))); remove one of these includes"
        case let .badSetting(setting, message):
            return "--set \(setting): \(message)"
        case let .evaluation(file, line, object, property, message):
            return Self.location(file, line) + "set.\(property) on \(object): \(message)"
        case .nothingCaptured:
            return "templates select objects in the last captured state, and there is none yet; run 'arxos state capture' first"
        }
    }

    static func location(_ file: String, _ line: Int?) -> String {
        line.map { "\(file):\($0): " } ?? "\(file): "
    }
}
