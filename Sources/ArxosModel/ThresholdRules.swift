import Foundation
import Yams

/// A bad repository rules file, located by line; the capture or validation that read it stops.
public struct ThresholdRuleError: Error, LocalizedError, Sendable, Equatable {
    public var path: String
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path; self.line = line; self.message = message
    }

    public var errorDescription: String? { "\(path):\(line): \(message)" }
}

/// A bound of a threshold rule: a quantity (`2000 cfm`, compared by amount in any unit of its dimension) or a plain
/// number (compared with plain-number values).
public enum ThresholdBound: Sendable, Hashable, CustomStringConvertible {
    case quantity(Quantity)
    case number(Double, text: String)

    public var description: String {
        switch self {
        case let .quantity(q): q.description
        case let .number(_, text): text
        }
    }
}

/// A repository's own rule from `.arxos-rules.yaml`: a property of the selected objects stays within bounds.
public struct ThresholdRule: Sendable, Hashable {
    public var id: String
    /// The types it applies to; empty for every type.
    public var types: [String]
    /// Only objects whose id starts with this (a building, `hq/`).
    public var idPrefix: String?
    /// The property (inside `properties`) it bounds.
    public var property: String
    public var min: ThresholdBound?
    public var max: ThresholdBound?
    public var severity: Severity
    /// What the repository wants said, before the numbers.
    public var message: String?
    /// Where the rule is written in the rules file.
    public var line: Int

    /// Whether an object falls under the rule.
    public func selects(_ object: ArxObject) -> Bool {
        (types.isEmpty || types.contains(object.type)) && (idPrefix.map { object.id.hasPrefix($0) } ?? true)
    }

    /// The violation message for an object out of bounds, nil when it is within them or has no such property.
    public func check(_ object: ArxObject) -> String? {
        guard let value = object["properties"]?.fields?.first(where: { $0.key == property })?.value else { return nil }
        let prefix = message.map { $0 + ": " } ?? ""
        guard let text = value.text else { return "\(prefix)\(property) is not a single value to compare with \((max ?? min).map(\.description) ?? "")" }
        for (bound, isMax) in [(min, false), (max, true)] {
            guard let bound else { continue }
            switch bound {
            case let .quantity(limit):
                guard let q = Quantity.parse(text), q.unit.dimension.converts(to: limit.unit.dimension) else {
                    return "\(prefix)\(property) '\(text)' cannot be compared with \(limit): write it in a unit of \(limit.unit.dimension.rawValue)"
                }
                let outside = isMax ? q.base > limit.base + q.tolerance : q.base < limit.base - q.tolerance
                if outside { return "\(prefix)\(property) \(q) is \(isMax ? "above the maximum" : "below the minimum") \(limit)" }
            case let .number(limit, written):
                guard let number = Double(text), Validator.isNumber(text, integer: false) else {
                    return "\(prefix)\(property) '\(text)' is not a plain number to compare with \(written)"
                }
                if isMax ? number > limit : number < limit {
                    return "\(prefix)\(property) \(text) is \(isMax ? "above the maximum" : "below the minimum") \(written)"
                }
            }
        }
        return nil
    }
}

/// The repository rules file: `.arxos-rules.yaml` at the top of the working tree, versioned with the building
/// (format in docs/model.md, "Repository rules").
public enum ThresholdRules {
    /// The file's name at the top of the working tree.
    public static let fileName = ".arxos-rules.yaml"

    /// Reads a rules file; any problem is a `ThresholdRuleError` naming the line and the fix.
    public static func parse(path: String, text: String) throws(ThresholdRuleError) -> [ThresholdRule] {
        func fail(_ line: Int?, _ message: String) -> ThresholdRuleError {
            ThresholdRuleError(path: path, line: line ?? 1, message: message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                throw fail(mark.line, "YAML syntax error: \(problem) (column \(mark.column))")
            default:
                throw fail(1, "the rules file is not readable YAML: \(error)")
            }
        } catch {
            throw fail(1, "the rules file is not readable YAML: \(error)")
        }
        guard let root else { return [] }
        guard let top = root.mapping else { throw fail(root.mark?.line, "expected a mapping with a 'rules' list, as in 'rules: [{id: …, property: …, max: …}]'") }
        for (key, _) in top where key.string != "rules" {
            throw fail(key.mark?.line, "unknown key '\(key.string ?? "?")'; the file holds only 'rules'")
        }
        guard let list = top["rules"] else { return [] }
        if case let .scalar(scalar) = list, ["", "~", "null"].contains(scalar.string) { return [] }
        guard let items = list.sequence else { throw fail(list.mark?.line, "'rules' must be a list of rules") }
        let builtIn = Set(Validator.rules.map(\.id))
        var seen = [String: Int]()
        var out = [ThresholdRule]()
        for item in items {
            let line = item.mark?.line ?? 1
            guard let rule = item.mapping else { throw fail(line, "a rule must be a mapping with 'id', 'property' and 'min' or 'max'") }
            let allowed: Set<String> = ["id", "select", "property", "min", "max", "severity", "message"]
            for (key, _) in rule where !allowed.contains(key.string ?? "") {
                throw fail(key.mark?.line, "unknown key '\(key.string ?? "?")' in a rule; the keys are \(allowed.sorted().joined(separator: ", "))")
            }
            func scalar(_ key: String) throws(ThresholdRuleError) -> String? {
                guard let node = rule[key] else { return nil }
                guard let text = node.scalar?.string else { throw fail(node.mark?.line, "'\(key)' must be a single value") }
                return text
            }
            guard let id = try scalar("id") else { throw fail(line, "the rule has no 'id' (a short name such as max-vav-airflow)") }
            guard !id.isEmpty, id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                throw fail(rule["id"]?.mark?.line ?? line, "rule id '\(id)' must be lowercase letters, digits and '-'")
            }
            if builtIn.contains(id) { throw fail(rule["id"]?.mark?.line ?? line, "rule id '\(id)' is a built-in rule; choose another id") }
            if let first = seen[id] { throw fail(rule["id"]?.mark?.line ?? line, "rule id '\(id)' is already used at line \(first)") }
            seen[id] = line
            guard let property = try scalar("property"), !property.isEmpty else {
                throw fail(line, "rule '\(id)' has no 'property' (the name inside 'properties' it bounds)")
            }
            func bound(_ key: String) throws(ThresholdRuleError) -> ThresholdBound? {
                guard let text = try scalar(key) else { return nil }
                if Validator.isNumber(text, integer: false), let number = Double(text) { return .number(number, text: text) }
                do {
                    return .quantity(try Quantity.parseStrict(text))
                } catch let error {
                    if case let .unknownUnit(symbol, suggestion) = error {
                        throw fail(rule[key]?.mark?.line, "rule '\(id)': \(key) \(Validator.unknownUnitMessage(text, symbol, suggestion, []))")
                    }
                    throw fail(rule[key]?.mark?.line, "rule '\(id)': \(key) '\(text)' is not a number or a quantity: \(error.localizedDescription)")
                }
            }
            let min = try bound("min"), max = try bound("max")
            guard min != nil || max != nil else { throw fail(line, "rule '\(id)' has neither 'min' nor 'max'") }
            if case let .quantity(low)? = min, case let .quantity(high)? = max {
                guard low.unit.dimension.converts(to: high.unit.dimension) else {
                    throw fail(rule["max"]?.mark?.line, "rule '\(id)': min \(low) and max \(high) measure different things")
                }
                if low.base > high.base { throw fail(rule["min"]?.mark?.line, "rule '\(id)': min \(low) is above max \(high)") }
            } else if min != nil, max != nil {
                guard case let .number(low, _)? = min, case let .number(high, _)? = max else {
                    throw fail(line, "rule '\(id)': min and max must both be quantities or both plain numbers")
                }
                if low > high { throw fail(rule["min"]?.mark?.line, "rule '\(id)': min is above max") }
            }
            var severity = Severity.warning
            if let text = try scalar("severity") {
                guard let parsed = Severity(rawValue: text) else {
                    throw fail(rule["severity"]?.mark?.line, "rule '\(id)': severity '\(text)' must be 'error' or 'warning'")
                }
                severity = parsed
            }
            var types = [String]()
            var idPrefix: String? = nil
            if let select = rule["select"] {
                guard let selectMap = select.mapping else { throw fail(select.mark?.line, "rule '\(id)': 'select' must be a mapping such as {type: vav}") }
                for (key, value) in selectMap {
                    switch key.string {
                    case "type":
                        if let text = value.scalar?.string { types = [text] }
                        else if let list = value.sequence, list.allSatisfy({ $0.scalar != nil }) { types = list.compactMap { $0.scalar?.string } }
                        else { throw fail(value.mark?.line, "rule '\(id)': select.type must be a type or a list of types") }
                        for type in types where !ObjectFile.isValidType(type) {
                            throw fail(value.mark?.line, "rule '\(id)': '\(type)' is not a type name such as vav")
                        }
                    case "idPrefix":
                        guard let text = value.scalar?.string else { throw fail(value.mark?.line, "rule '\(id)': select.idPrefix must be a single value") }
                        idPrefix = text
                    default:
                        throw fail(key.mark?.line, "rule '\(id)': unknown selector '\(key.string ?? "?")'; use 'type' or 'idPrefix'")
                    }
                }
            }
            out.append(ThresholdRule(id: id, types: types, idPrefix: idPrefix, property: property, min: min, max: max,
                                     severity: severity, message: try scalar("message"), line: line))
        }
        return out
    }
}
