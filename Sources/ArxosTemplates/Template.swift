import ArxosModel
import Foundation
import Yams

/// A configuration template as written in its YAML file (docs/templates.md): parameters, includes and rules that
/// select objects by query and set their properties.
public struct Template: Sendable, Hashable {
    /// The registry name (`hvac/standard`): the file's path under its templates directory, without `.yaml`.
    public var name: String
    public var description: String
    public var parameters: [Parameter]
    public var includes: [Include]
    public var rules: [Rule]
    /// Where the template was read from, for messages (`templates/hvac/standard.yaml`, `(shipped) hvac/standard.yaml`).
    public var file: String

    /// One entry of `includes:`.
    public struct Include: Sendable, Hashable {
        public var name: String
        public var line: Int?
    }

    /// One entry of `rules:`: a selector and the properties it sets.
    public struct Rule: Sendable, Hashable {
        /// An optional label, shown in messages.
        public var label: String?
        public var select: String
        public var selectLine: Int?
        public var assignments: [Assignment]
        public var line: Int?
    }

    /// One `property: value` of a rule's `set:`.
    public struct Assignment: Sendable, Hashable {
        /// The property name; nested maps joined with `.` (`setpoints.occupied`).
        public var property: String
        /// The value as written.
        public var value: ModelValue
        public var line: Int?

        /// The text of a scalar holding `${…}`: an expression or a text with parameters in it.
        public var computedText: String? {
            guard let text = value.text, text.contains("${") else { return nil }
            return text
        }
    }

    public init(name: String, description: String, parameters: [Parameter], includes: [Include], rules: [Rule], file: String) {
        self.name = name; self.description = description; self.parameters = parameters; self.includes = includes
        self.rules = rules; self.file = file
    }
}

/// Reads a template file into a `Template`, checking its shape (keys, kinds, parameter declarations); the checks that
/// need other templates (includes, the names in expressions) are `TemplateRegistry.resolve`'s.
public enum TemplateReader {
    static let topKeys = ["name", "description", "parameters", "includes", "rules"]
    static let parameterKeys = ["type", "unit", "default", "min", "max", "values", "description"]
    static let ruleKeys = ["name", "select", "set"]

    /// Parses `text`; `name` is the registry name the file has (nil for a file given by path: its `name:` is used).
    public static func read(_ text: String, file: String, name expected: String? = nil) throws(TemplateError) -> Template {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            let line = ("\(error)".split(separator: "\n").first).map(String.init) ?? "unreadable"
            throw .invalid(file: file, line: nil, key: nil, message: "not valid YAML (\(line)); fix the YAML syntax")
        }
        guard let root, let mapping = root.mapping else {
            throw .invalid(file: file, line: root?.mark?.line, key: nil, message: "a template is a YAML mapping with name, description, parameters, includes and rules")
        }
        func fail(_ node: Node?, _ key: String?, _ message: String) -> TemplateError {
            .invalid(file: file, line: node?.mark?.line, key: key, message: message)
        }
        var entries = [String: (key: Node, value: Node)]()
        for (key, value) in mapping {
            guard let name = key.string else { throw fail(key, nil, "keys are plain names") }
            guard topKeys.contains(name) else {
                throw fail(key, name, "unknown key; a template has \(topKeys.joined(separator: ", "))")
            }
            entries[name] = (key, value)
        }
        guard let nameNode = entries["name"]?.value, let name = nameNode.scalar?.string, !name.isEmpty else {
            throw fail(root, "name", "missing; give the template's name, as in name: \(expected ?? "hvac/standard")")
        }
        if let expected, name != expected {
            throw fail(nameNode, "name", "'\(name)' does not match the file's registry name '\(expected)'; write name: \(expected)")
        }
        let description = entries["description"]?.value.scalar?.string ?? ""

        var parameters = [Parameter]()
        if let node = entries["parameters"]?.value, node.scalar?.string != "" {
            guard let parameterMap = node.mapping else { throw fail(node, "parameters", "a mapping of parameter names to their declarations") }
            for (key, value) in parameterMap {
                guard let parameterName = key.string, isName(parameterName) else {
                    throw fail(key, "parameters", "'\(key.string ?? "?")' is not a parameter name (letters, digits and _, starting with a letter)")
                }
                parameters.append(try parameter(parameterName, value, file: file, template: name))
            }
        }

        var includes = [Template.Include]()
        if let node = entries["includes"]?.value, node.scalar?.string != "" {
            guard let list = node.sequence else { throw fail(node, "includes", "a list of template names, as in [hvac/standard]") }
            for item in list {
                guard let included = item.scalar?.string, !included.isEmpty else { throw fail(item, "includes", "each include is a template name") }
                includes.append(Template.Include(name: included, line: item.mark?.line))
            }
        }

        var rules = [Template.Rule]()
        if let node = entries["rules"]?.value, node.scalar?.string != "" {
            guard let list = node.sequence else { throw fail(node, "rules", "a list of rules, each with select: and set:") }
            for (index, item) in list.enumerated() {
                let key = "rules[\(index + 1)]"
                guard let ruleMap = item.mapping else { throw fail(item, key, "a rule is a mapping with select: and set:") }
                var label: String?, select: String?, selectLine: Int?, assignments = [Template.Assignment]()
                var sawSet = false
                for (ruleKey, value) in ruleMap {
                    switch ruleKey.string {
                    case "name": label = value.scalar?.string
                    case "select":
                        guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                            throw fail(value, key + ".select", "a query of docs/query.md, as in select: \"type = 'vav'\"")
                        }
                        select = text; selectLine = value.mark?.line
                    case "set":
                        sawSet = true
                        guard let setMap = value.mapping, setMap.count > 0 else {
                            throw fail(value, key + ".set", "a mapping of property names to values or expressions")
                        }
                        assignments = try flatten(setMap, prefix: "", file: file, key: key + ".set")
                    default:
                        throw fail(ruleKey, key, "unknown key '\(ruleKey.string ?? "?")'; a rule has \(ruleKeys.joined(separator: ", "))")
                    }
                }
                guard let select else { throw fail(item, key, "missing select:; give a query, as in select: \"type = 'vav'\"") }
                guard sawSet else { throw fail(item, key, "missing set:; give the properties the rule sets") }
                rules.append(Template.Rule(label: label, select: select, selectLine: selectLine, assignments: assignments,
                                           line: item.mark?.line))
            }
        }
        if rules.isEmpty && includes.isEmpty {
            throw fail(root, "rules", "the template has no rules and no includes, so it would change nothing")
        }
        return Template(name: name, description: description, parameters: parameters, includes: includes, rules: rules, file: file)
    }

    /// A parameter name: a letter, then letters, digits or `_`.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
    }

    /// A parameter's declaration.
    static func parameter(_ name: String, _ node: Node, file: String, template: String) throws(TemplateError) -> Parameter {
        let key = "parameters.\(name)"
        func fail(_ at: Node?, _ field: String?, _ message: String) -> TemplateError {
            .invalid(file: file, line: (at ?? node).mark?.line, key: key + (field.map { "." + $0 } ?? ""), message: message)
        }
        guard let map = node.mapping else { throw fail(node, nil, "a mapping with type and default, as in {type: number, default: 0.3}") }
        var fields = [String: Node]()
        for (fieldKey, value) in map {
            guard let field = fieldKey.string, parameterKeys.contains(field) else {
                throw fail(fieldKey, nil, "unknown key '\(fieldKey.string ?? "?")'; a parameter has \(parameterKeys.joined(separator: ", "))")
            }
            fields[field] = value
        }
        guard let typeText = fields["type"]?.scalar?.string else {
            throw fail(node, "type", "missing; give one of \(ParameterType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let type = ParameterType(rawValue: typeText) else {
            throw fail(fields["type"], "type", "'\(typeText)' is not a parameter type; use one of \(ParameterType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var parameter = Parameter(name: name, type: type, unit: nil, defaultValue: nil, min: nil, max: nil, allowed: nil,
                                  description: fields["description"]?.scalar?.string, template: template, file: file,
                                  line: node.mark?.line)
        if let unitNode = fields["unit"] {
            guard type == .quantity else { throw fail(unitNode, "unit", "only quantity parameters have a unit") }
            guard let symbol = unitNode.scalar?.string, let unit = UnitTable.unit(symbol) else {
                let symbol = unitNode.scalar?.string ?? "?"
                let hint = UnitTable.suggestion(for: symbol).map { "did you mean '\($0)'?" } ?? "see the unit table in docs/model.md"
                throw fail(unitNode, "unit", "'\(symbol)' is not a known unit; \(hint)")
            }
            parameter.unit = unit
        } else if type == .quantity {
            throw fail(node, "unit", "missing; a quantity parameter declares its unit, as in unit: °C")
        }
        if let valuesNode = fields["values"] {
            guard type == .string, let list = valuesNode.sequence else {
                throw fail(valuesNode, "values", "only string parameters list their allowed values, as a list")
            }
            parameter.allowed = list.compactMap { $0.scalar?.string }
        }
        for bound in ["min", "max"] {
            guard let boundNode = fields[bound] else { continue }
            guard [.number, .quantity, .time].contains(type) else {
                throw fail(boundNode, bound, "only number, quantity and time parameters have a range")
            }
            switch parameter.read(boundNode.scalar?.string ?? "") {
            case let .success(value): if bound == "min" { parameter.min = value } else { parameter.max = value }
            case let .failure(problem): throw fail(boundNode, bound, problem.message)
            }
        }
        if let min = parameter.min, let max = parameter.max, let order = Parameter.compare(min, max), order > 0 {
            throw fail(fields["min"], "min", "the minimum \(min) is above the maximum \(max); swap them")
        }
        if let defaultNode = fields["default"] {
            switch parameter.read(defaultNode.scalar?.string ?? "") {
            case let .success(value):
                if let problem = parameter.rangeProblem(value) { throw fail(defaultNode, "default", problem.message) }
                parameter.defaultValue = value
            case let .failure(problem): throw fail(defaultNode, "default", problem.message)
            }
        }
        return parameter
    }

    /// The assignments of a `set:` mapping. A nested mapping whose values hold `${…}` names nested properties
    /// (`setpoints: {occupied: ${x}}` sets `setpoints.occupied`); any other value is set as written.
    static func flatten(_ map: Node.Mapping, prefix: String, file: String, key: String) throws(TemplateError) -> [Template.Assignment] {
        var out = [Template.Assignment]()
        for (nameNode, value) in map {
            guard let name = nameNode.string, !name.isEmpty else {
                throw .invalid(file: file, line: nameNode.mark?.line, key: key, message: "property names are plain text")
            }
            if let nested = value.mapping, nested.count > 0 {
                out += try flatten(nested, prefix: prefix + name + ".", file: file, key: key)
            } else {
                out.append(Template.Assignment(property: prefix + name, value: modelValue(value), line: value.mark?.line))
            }
        }
        return out
    }

    /// A YAML node as the model's value, keeping whether scalars were plain.
    static func modelValue(_ node: Node) -> ModelValue {
        switch node {
        case let .scalar(scalar): return .scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any)
        case let .sequence(sequence): return .list(sequence.map(modelValue))
        case let .mapping(mapping):
            return .map(mapping.map { ModelValue.Field(key: $0.key.string ?? "", value: modelValue($0.value)) })
        case let .alias(alias): return .scalar(alias.anchor.rawValue, plain: true)
        }
    }
}
