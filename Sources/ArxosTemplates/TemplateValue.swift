import ArxosModel
import Foundation

/// The kind of value a template parameter holds.
public enum ParameterType: String, Sendable, CaseIterable, Codable {
    case number, quantity, string, bool, time
}

/// A parameter's value: a plain number, a quantity with its unit, text, a boolean or a time of day.
public enum TemplateValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double, decimals: Int)
    case quantity(Quantity)
    case text(String)
    case bool(Bool)
    /// A time of day as minutes after midnight (`07:30` is 450).
    case time(minutes: Int)

    /// The value as a template writes it: `0.3`, `24 °C`, `weekdays`, `true`, `07:30`.
    public var description: String {
        switch self {
        case let .number(value, decimals): return TemplateValue.format(value, decimals: decimals)
        case let .quantity(quantity): return quantity.description
        case let .text(text): return text
        case let .bool(flag): return flag ? "true" : "false"
        case let .time(minutes): return String(format: "%02d:%02d", minutes / 60, minutes % 60)
        }
    }

    /// `value` with exactly `decimals` digits after the point (no `-0`).
    static func format(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(max(0, decimals))f", value)
        if text.hasPrefix("-"), Double(text) == 0 { return String(text.dropFirst()) }
        return text
    }

    /// Reads a plain number as arxos writes them (docs/model.md): sign, digits, optionally `.` and digits.
    static func number(_ text: String) -> (value: Double, decimals: Int)? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = 1.0
        if let first = body.first, first == "+" || first == "-" || first == "−" {
            if first != "+" { sign = -1 }
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        var decimals = 0
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigitCharacter) else { return nil }
            decimals = parts[1].count
        }
        guard let value = Double(body) else { return nil }
        return (sign * value, decimals)
    }

    /// Reads a time of day `H:MM` or `HH:MM` (00:00 to 24:00).
    static func time(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60, hours * 60 + minutes <= 24 * 60 else { return nil }
        return hours * 60 + minutes
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// One parameter of a template: its type, unit (quantities), default and allowed range or values.
public struct Parameter: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    /// The unit a quantity parameter is declared in; values in any unit of a dimension that converts are accepted.
    public var unit: QuantityUnit?
    public var defaultValue: TemplateValue?
    public var min: TemplateValue?
    public var max: TemplateValue?
    /// The values a string parameter may take (any, when nil).
    public var allowed: [String]?
    public var description: String?
    /// The template that declares it (the outermost one, when a composite declares it again).
    public var template: String
    public var file: String
    public var line: Int?

    /// Reads a value for this parameter from text (`--set`, a default, a bound), checking its type and unit but not
    /// its range; the error message is one sentence saying what to write instead.
    public func read(_ text: String) -> Result<TemplateValue, ParameterProblem> {
        let text = text.trimmingCharacters(in: .whitespaces)
        switch type {
        case .number:
            guard let (value, decimals) = TemplateValue.number(text) else {
                return .failure(ParameterProblem("'\(text)' is not a number; '\(name)' is a plain number, as in 0.3"))
            }
            return .success(.number(value, decimals: decimals))
        case .quantity:
            guard let unit else { return .failure(ParameterProblem("'\(name)' is a quantity without a unit")) }
            let quantity: Quantity
            do {
                quantity = try Quantity.parseStrict(text)
            } catch {
                if TemplateValue.number(text) != nil {
                    return .failure(ParameterProblem("'\(name)' is a quantity; give '\(text)' a unit, as in \(text) \(unit.symbol)"))
                }
                return .failure(ParameterProblem("'\(text)' is not a quantity (\(error.errorDescription ?? "unreadable")); write it as in 24 \(unit.symbol)"))
            }
            guard quantity.unit.dimension.converts(to: unit.dimension) else {
                return .failure(ParameterProblem("'\(text)' is \(Parameter.article(quantity.unit.dimension)), and '\(name)' is \(Parameter.article(unit.dimension)); use a unit such as \(unit.symbol)"))
            }
            return .success(.quantity(quantity))
        case .string:
            if let allowed, !allowed.contains(text) {
                return .failure(ParameterProblem("'\(text)' is not one of the values '\(name)' allows (\(allowed.joined(separator: ", ")))"))
            }
            return .success(.text(text))
        case .bool:
            switch text.lowercased() {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(ParameterProblem("'\(text)' is not true or false, which '\(name)' must be"))
            }
        case .time:
            guard let minutes = TemplateValue.time(text) else {
                return .failure(ParameterProblem("'\(text)' is not a time of day; write '\(name)' as HH:MM, as in 07:00"))
            }
            return .success(.time(minutes: minutes))
        }
    }

    /// A problem when the value lies outside `min`…`max`; nil when it is inside (or there is no bound).
    public func rangeProblem(_ value: TemplateValue) -> ParameterProblem? {
        let range = switch (min, max) {
        case let (low?, high?): "from \(low) to \(high)"
        case let (low?, nil): "of at least \(low)"
        case let (nil, high?): "of at most \(high)"
        case (nil, nil): ""
        }
        if let min, let order = Parameter.compare(value, min), order < 0 {
            return ParameterProblem("\(value) is below the minimum \(min) of '\(name)'; give a value \(range)")
        }
        if let max, let order = Parameter.compare(value, max), order > 0 {
            return ParameterProblem("\(value) is above the maximum \(max) of '\(name)'; give a value \(range)")
        }
        return nil
    }

    /// −1, 0 or 1 when the two values are of one kind that orders; quantities compare by amount (equal within their
    /// precision counts as equal).
    static func compare(_ a: TemplateValue, _ b: TemplateValue) -> Int? {
        switch (a, b) {
        case let (.number(x, _), .number(y, _)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.time(x), .time(y)): return x < y ? -1 : (x > y ? 1 : 0)
        case let (.quantity(x), .quantity(y)):
            guard x.unit.dimension.converts(to: y.unit.dimension) else { return nil }
            if x.sameAmount(as: y) { return 0 }
            return x.base < y.base ? -1 : 1
        default: return nil
        }
    }

    /// `a temperature`, `an airflow`.
    static func article(_ dimension: QuantityDimension) -> String {
        let name = Parameter.dimensionName(dimension)
        return (["a", "e", "i", "o", "u"].contains(name.first) ? "an " : "a ") + name
    }

    /// The dimension in words: `temperature difference` for `temperatureDifference`.
    static func dimensionName(_ dimension: QuantityDimension) -> String {
        var out = ""
        for character in dimension.rawValue {
            if character.isUppercase { out += " " + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}

/// Why a parameter value was refused, as one sentence.
public struct ParameterProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
