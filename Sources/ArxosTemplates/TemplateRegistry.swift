import ArxosIndex
import ArxosModel
import Foundation

/// Where templates come from: the ones shipped inside the binary (`ShippedTemplates`, generated from the source
/// tree's `templates/`) and the repository's own `templates/` folder at the top of its working tree, which wins for
/// a name both have.
public struct TemplateRegistry: Sendable {
    /// One template file the registry knows.
    public struct Entry: Sendable, Hashable {
        public enum Source: String, Sendable, Codable { case shipped, repository }
        public var name: String
        public var source: Source
        /// The file for messages: `templates/hvac/standard.yaml` (repository) or `(shipped) templates/hvac/standard.yaml`.
        public var file: String
        public var text: String
    }

    /// The folder, at the top of a working tree, holding a repository's templates.
    public static let directoryName = "templates"

    /// Every template by name.
    public let entries: [String: Entry]

    /// The shipped templates, overridden by those in `<repositoryTop>/templates` when a repository is given.
    public init(repositoryTop: String?, shipped: [String: String] = ShippedTemplates.files) {
        var entries = [String: Entry]()
        for (name, text) in shipped {
            entries[name] = Entry(name: name, source: .shipped, file: "(shipped) templates/\(name).yaml", text: text)
        }
        if let repositoryTop {
            let root = repositoryTop + "/" + TemplateRegistry.directoryName
            for relative in TemplateRegistry.yamlFiles(under: root) {
                guard let data = FileManager.default.contents(atPath: root + "/" + relative) else { continue }
                let name = String(relative.dropLast(relative.hasSuffix(".yaml") ? 5 : 4))
                entries[name] = Entry(name: name, source: .repository, file: "\(TemplateRegistry.directoryName)/\(relative)",
                                      text: String(decoding: data, as: UTF8.self))
            }
        }
        self.entries = entries
    }

    /// The names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The relative paths of `*.yaml` and `*.yml` files under `root`, sorted, skipping dot entries.
    static func yamlFiles(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var out = [String]()
        while let path = enumerator.nextObject() as? String {
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { out.append(path) }
        }
        return out.sorted()
    }

    /// The entry called `name`, or an error suggesting the nearest name.
    public func entry(_ name: String) throws(TemplateError) -> Entry {
        let key = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
        if let entry = entries[key] { return entry }
        throw .notFound(name: name, suggestion: TemplateRegistry.nearest(key, in: names))
    }

    /// Reads the template called `name`.
    public func template(_ name: String) throws(TemplateError) -> Template {
        let entry = try entry(name)
        return try TemplateReader.read(entry.text, file: entry.file, name: entry.name)
    }

    /// Reads `name` and everything it includes, and checks the whole: includes, parameters, selectors, expressions.
    public func resolve(_ name: String) throws(TemplateError) -> ResolvedTemplate {
        try resolve(template(name))
    }

    /// Checks `root` (read from a registry or a file) with everything it includes.
    public func resolve(_ root: Template) throws(TemplateError) -> ResolvedTemplate {
        var order = [Template]()
        var done = Set<String>()
        try collect(root, stack: [root.name], order: &order, done: &done)
        return try ResolvedTemplate(root: root, templates: order)
    }

    /// Depth first: the included templates before the one that includes them, each once.
    func collect(_ template: Template, stack: [String], order: inout [Template], done: inout Set<String>) throws(TemplateError) {
        for include in template.includes {
            if let start = stack.firstIndex(of: include.name) {
                throw .includeCycle(file: template.file, line: include.line, chain: Array(stack[start...]) + [include.name])
            }
            guard entries[include.name] != nil else {
                let hint = TemplateRegistry.nearest(include.name, in: names).map { "did you mean '\($0)'?" } ?? "'arxos template list' shows the templates there are"
                throw .invalid(file: template.file, line: include.line, key: "includes",
                               message: "no template named '\(include.name)'; \(hint)")
            }
            if done.contains(include.name) { continue }
            let included = try self.template(include.name)
            try collect(included, stack: stack + [include.name], order: &order, done: &done)
        }
        if !done.contains(template.name) || stack.count == 1 {
            done.insert(template.name)
            order.append(template)
        }
    }

    /// The name closest to `name` (at most a third of its length in edits), for "did you mean".
    static func nearest(_ name: String, in names: [String]) -> String? {
        var best: (Int, String)?
        for candidate in names {
            let distance = editDistance(Array(name.lowercased()), Array(candidate.lowercased()))
            if distance <= max(1, name.count / 3), best.map({ distance < $0.0 }) ?? true { best = (distance, candidate) }
        }
        return best?.1
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A template with everything it includes, checked: one namespace of parameters, the rules in the order they run
/// (included templates' first, depth first, then the template's own), and each `set:` value compiled.
public struct ResolvedTemplate: Sendable {
    /// The value a compiled assignment sets.
    public enum Computation: Sendable, Hashable {
        /// Written as given in the template.
        case literal(ModelValue)
        /// Arithmetic over parameters, numbers, quantities and the object's properties.
        case expression(Expression)
        /// Text with `${name}` replaced by parameter values.
        case text(String)
    }

    /// One property a rule sets.
    public struct CompiledAssignment: Sendable, Hashable {
        public var property: String
        public var computation: Computation
        /// The value as the template wrote it, on one line.
        public var source: String
        public var line: Int?
    }

    /// A rule ready to run, with the template it comes from.
    public struct CompiledRule: Sendable, Hashable {
        public var template: String
        public var file: String
        public var label: String?
        public var select: String
        public var line: Int?
        public var assignments: [CompiledAssignment]
    }

    public var root: Template
    /// The root and every template it includes, included ones first.
    public var templates: [Template]
    /// The parameters by name (a composite's own declaration wins over an included one).
    public var parameters: [String: Parameter]
    public var rules: [CompiledRule]

    init(root: Template, templates: [Template]) throws(TemplateError) {
        self.root = root
        self.templates = templates
        var parameters = [String: Parameter]()
        for template in templates {
            for parameter in template.parameters {
                if let earlier = parameters[parameter.name] {
                    let sameUnit = earlier.unit.map { a in parameter.unit.map { a.dimension.converts(to: $0.dimension) } ?? false } ?? (parameter.unit == nil)
                    guard earlier.type == parameter.type, sameUnit else {
                        throw .invalid(file: parameter.file, line: parameter.line, key: "parameters.\(parameter.name)",
                                       message: "declared as \(ResolvedTemplate.kind(parameter)) here but as \(ResolvedTemplate.kind(earlier)) in \(earlier.template); give both the same type and unit, or rename one")
                    }
                }
                parameters[parameter.name] = parameter
            }
        }
        self.parameters = parameters
        var rules = [CompiledRule]()
        for template in templates {
            for (index, rule) in template.rules.enumerated() {
                let key = "rules[\(index + 1)]"
                do {
                    _ = try QueryParser.parse(rule.select)
                } catch {
                    throw .invalid(file: template.file, line: rule.selectLine, key: key + ".select",
                                   message: "column \(error.position.column) of the query: \(error.message)")
                }
                var assignments = [CompiledAssignment]()
                for assignment in rule.assignments {
                    let computation = try ResolvedTemplate.compile(assignment, parameters: parameters, template: template, key: key)
                    assignments.append(CompiledAssignment(property: assignment.property, computation: computation,
                                                          source: assignment.value.text ?? ObjectWriter.inline(assignment.value), line: assignment.line))
                }
                rules.append(CompiledRule(template: template.name, file: template.file, label: rule.label, select: rule.select,
                                          line: rule.line, assignments: assignments))
            }
        }
        self.rules = rules
    }

    /// `a quantity in °C`, `a time`.
    static func kind(_ parameter: Parameter) -> String {
        parameter.unit.map { "a quantity in \($0.symbol)" } ?? "a \(parameter.type.rawValue)"
    }

    /// Compiles one `set:` value: literal, text with parameters, or an expression checked with the defaults.
    static func compile(_ assignment: Template.Assignment, parameters: [String: Parameter], template: Template,
                        key: String) throws(TemplateError) -> Computation {
        let fullKey = key + ".set." + assignment.property
        guard let text = assignment.computedText else { return .literal(assignment.value) }
        let references = Expression.references(in: text)
        for reference in references where parameters[reference.name] == nil {
            let hint = TemplateRegistry.nearest(reference.name, in: parameters.keys.sorted()).map { "did you mean '\($0)'? " } ?? ""
            throw .invalid(file: template.file, line: assignment.line, key: fullKey,
                           message: "unknown parameter '\(reference.name)'; \(hint)declare it under parameters:")
        }
        let textual = references.contains { [.string, .time, .bool].contains(parameters[$0.name]?.type) }
        if textual { return .text(text) }
        let expression: Expression
        switch Expression.parse(text) {
        case let .success(parsed): expression = parsed
        case let .failure(problem):
            throw .invalid(file: template.file, line: assignment.line, key: fullKey, message: "column \(problem.column): \(problem.message)")
        }
        // With the defaults, an expression over parameters alone shows a unit mismatch before anything runs; one that
        // reads properties is checked with a property of each dimension the parameters could meet.
        var defaults = [String: TemplateValue]()
        for (name, parameter) in parameters {
            defaults[name] = parameter.defaultValue ?? parameter.unit.map { .quantity(Quantity(value: 1, unit: $0)) } ?? .number(1, decimals: 0)
        }
        if expression.properties.isEmpty, case let .failure(problem) = expression.evaluate(parameters: defaults, property: { _ in nil }) {
            throw .invalid(file: template.file, line: assignment.line, key: fullKey, message: "column \(problem.column): \(problem.message)")
        }
        return .expression(expression)
    }

    /// The parameter values: defaults, replaced by `settings` (name → text, as given to `--set`); checks names, types,
    /// units and ranges, and that every parameter without a default was given.
    public func bind(_ settings: [(name: String, value: String)]) throws(TemplateError) -> [String: TemplateValue] {
        var values = [String: TemplateValue]()
        for (name, parameter) in parameters { if let value = parameter.defaultValue { values[name] = value } }
        for setting in settings {
            let text = setting.name + "=" + setting.value
            guard let parameter = parameters[setting.name] else {
                let hint = TemplateRegistry.nearest(setting.name, in: parameters.keys.sorted()).map { "did you mean '\($0)'? " } ?? ""
                throw .badSetting(setting: text, message: "'\(root.name)' has no parameter '\(setting.name)'; \(hint)'arxos template show \(root.name)' lists them")
            }
            let value: TemplateValue
            switch parameter.read(setting.value) {
            case let .success(read): value = read
            case let .failure(problem): throw .badSetting(setting: text, message: problem.message)
            }
            if let problem = parameter.rangeProblem(value) { throw .badSetting(setting: text, message: problem.message) }
            values[setting.name] = value
        }
        for name in parameters.keys.sorted() where values[name] == nil {
            throw .badSetting(setting: name, message: "'\(name)' has no default; give it with --set \(name)=VALUE")
        }
        return values
    }

    /// Splits `NAME=VALUE` arguments.
    public static func settings(_ arguments: [String]) throws(TemplateError) -> [(name: String, value: String)] {
        var out = [(name: String, value: String)]()
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw .badSetting(setting: argument, message: "write NAME=VALUE, as in occupiedCooling=24 °C")
            }
            out.append((String(argument[..<equals]).trimmingCharacters(in: .whitespaces),
                        String(argument[argument.index(after: equals)...])))
        }
        return out
    }
}
