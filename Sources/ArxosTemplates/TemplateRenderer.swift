import ArxosCore
import ArxosIndex
import ArxosMerge
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation

/// What rendering a template would change: the property-level diff, the new text of each file it touches, and the
/// objects it had to leave alone.
public struct Rendering: Sendable {
    /// One changed object per entry, in id order (`ObjectDiff`'s comparison of the working-tree object before and after).
    public var changes: [ObjectChange]
    /// The new text of every file holding a changed object, by path relative to the top of the working tree.
    public var files: [String: String]
    /// One line per thing the template could not do (an object without the property an expression reads, an object
    /// no longer in its file).
    public var warnings: [String]
    /// How many objects the rules selected (each counted once).
    public var selected: Int
    /// The parameter values used.
    public var values: [String: TemplateValue]
}

/// Runs a checked template against a repository: each rule's selector (ANDed with a target query) picks objects in
/// the last captured state through the query index, and the properties are computed on the working tree's version of
/// those objects. `render` only computes; `write` puts the files in place.
public struct TemplateRenderer {
    public let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// Computes what `template` would change with parameter `values`, selecting only objects `target` selects too.
    public func render(_ template: ResolvedTemplate, values: [String: TemplateValue], target: String? = nil) throws -> Rendering {
        if let target { _ = try QueryParser.parse(target) }
        let engine = try QueryEngine(repository: repository)
        let tree: ObjectID
        do {
            tree = try engine.tree(of: "HEAD")
        } catch {
            if (try? repository.refs.headCommit()) ?? nil == nil { throw TemplateError.nothingCaptured }
            throw error
        }
        var files = [String: (bytes: [UInt8], objects: [ArxObject], layout: FileLayout)]()
        var original = [String: ArxObject]()
        var current = [String: ArxObject]()
        var location = [String: (path: String, index: Int)]()
        var warnings = [String]()
        var selectedIDs = Set<String>()

        let ruleIndex = Dictionary(grouping: template.rules.indices, by: { template.rules[$0].template })
        for (position, rule) in template.rules.enumerated() {
            // rules[N] counts within the rule's own template, as in its file.
            let number = (ruleIndex[rule.template]?.firstIndex(of: position) ?? 0) + 1
            let selected = try select(rule, number: number, target: target, engine: engine, tree: tree)
            var skipped = [String: [String]]()
            for object in selected {
                if location[object.id] == nil {
                    if files[object.file] == nil {
                        guard let bytes = try FileSystem.read(repository.top + "/" + object.file) else {
                            warnings.append("\(object.id): its file \(object.file) is not in the working tree; capture or restore it first")
                            continue
                        }
                        let read = try ArxObject.read(path: object.file, bytes: bytes)
                        files[object.file] = (bytes, read.objects, read.layout)
                    }
                    guard let index = files[object.file]?.objects.firstIndex(where: { $0.id == object.id }),
                          let found = files[object.file]?.objects[index] else {
                        warnings.append("\(object.id) is no longer in \(object.file) in the working tree; capture first so templates see where it is")
                        continue
                    }
                    location[object.id] = (object.file, index)
                    original[object.id] = found
                    current[object.id] = found
                }
                guard var object = current[object.id] else { continue }
                selectedIDs.insert(object.id)
                for assignment in rule.assignments {
                    let existing = TemplateRenderer.property(assignment.property, of: object)
                    let value: ModelValue
                    switch assignment.computation {
                    case let .literal(literal):
                        value = TemplateRenderer.fitted(literal, to: existing)
                    case let .text(text):
                        let result = Expression.interpolate(text, values: values)
                        value = .scalar(result, plain: !TemplateRenderer.readsAsOtherKind(result))
                    case let .expression(expression):
                        let reader = { (name: String) -> TemplateValue? in
                            TemplateRenderer.numeric(TemplateRenderer.property(name, of: object))
                        }
                        switch expression.evaluate(parameters: values, property: reader) {
                        case let .success(result):
                            value = TemplateRenderer.fitted(.scalar(result.description, plain: true), to: existing)
                        case let .failure(problem):
                            if let missing = problem.missingProperty {
                                skipped["\(assignment.property)\u{0}\(missing)", default: []].append(object.id)
                                continue
                            }
                            throw TemplateError.evaluation(file: rule.file, line: assignment.line, object: object.id,
                                                           property: assignment.property,
                                                           message: "column \(problem.column): \(problem.message)")
                        }
                    }
                    object.fields = TemplateRenderer.setting(["properties"] + assignment.property.split(separator: ".").map(String.init),
                                                             to: value, in: object.fields)
                }
                current[object.id] = object
            }
            for (key, ids) in skipped.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: "\u{0}").map(String.init)
                let count = ids.count == 1 ? "1 object has" : "\(ids.count) objects have"
                warnings.append("\(rule.template) rules[\(number)]: \(count) no numeric '\(parts.last ?? "")' (\(ids.prefix(3).joined(separator: ", "))\(ids.count > 3 ? ", …" : "")); '\(parts.first ?? "")' is left as it is there")
            }
        }

        var changes = [ObjectChange]()
        var changedFiles = Set<String>()
        for (id, after) in current {
            guard let before = original[id], let change = ObjectDiff.compare(before, after) else { continue }
            changes.append(change)
            if let place = location[id] {
                files[place.path]?.objects[place.index] = after
                changedFiles.insert(place.path)
            }
        }
        var texts = [String: String]()
        for path in changedFiles {
            guard let file = files[path] else { continue }
            texts[path] = ObjectWriter.file(file.objects.map(\.fields), layout: file.layout, header: FileLayout.header(of: file.bytes))
        }
        return Rendering(changes: changes.sorted { $0.id < $1.id }, files: texts, warnings: warnings,
                         selected: selectedIDs.count, values: values)
    }

    /// Writes the files of a rendering into the working tree.
    public func write(_ rendering: Rendering) throws {
        let tree = try WorkingTree(top: repository.top)
        for (path, text) in rendering.files.sorted(by: { $0.key < $1.key }) {
            _ = try tree.write(path, Array(text.utf8))
        }
    }

    /// The objects one rule selects (ANDed with the target); a query the state refuses names the rule's file.
    func select(_ rule: ResolvedTemplate.CompiledRule, number: Int, target: String?, engine: QueryEngine,
                tree: ObjectID) throws -> [IndexedObject] {
        let query = target.map { "(\(rule.select)) and (\($0))" } ?? rule.select
        do {
            return try engine.select(query, at: tree)
        } catch let error as QueryError {
            let selectLength = rule.select.count
            if target != nil, error.position.line == 1 || !rule.select.contains("\n"), error.position.column > selectLength + 2 {
                throw QueryError(error.message, at: QueryPosition(line: 1, column: error.position.column - selectLength - 8))
            }
            let column = target == nil ? error.position.column : max(1, error.position.column - 1)
            throw TemplateError.invalid(file: rule.file, line: rule.line, key: "rules[\(number)].select",
                                        message: "column \(column) of the query: \(error.message)")
        }
    }

    /// The value at a property path (`setpoints.occupied`) of an object's `properties`.
    static func property(_ path: String, of object: ArxObject) -> ModelValue? {
        var value = object["properties"]
        for part in path.split(separator: ".") {
            value = value?.fields?.first { $0.key == part }?.value
        }
        return value
    }

    /// A property value as a number or quantity, for expressions; nil when it is neither.
    static func numeric(_ value: ModelValue?) -> TemplateValue? {
        guard let text = value?.text else { return nil }
        if let quantity = Quantity.parse(text) { return .quantity(quantity) }
        if let (number, decimals) = TemplateValue.number(text) { return .number(number, decimals: decimals) }
        return nil
    }

    /// A new quantity written in the unit the object already uses for that property (a building kept in °C stays in
    /// °C), with the decimals the object already writes, at least one when the conversion needs any (`75 °F` into
    /// `22.0 °C` is `23.9 °C`); anything else as it is.
    static func fitted(_ value: ModelValue, to existing: ModelValue?) -> ModelValue {
        guard let text = value.text, let quantity = Quantity.parse(text), let old = existing?.text,
              let oldQuantity = Quantity.parse(old), oldQuantity.unit != quantity.unit,
              let natural = quantity.converted(to: oldQuantity.unit),
              let converted = quantity.converted(to: oldQuantity.unit,
                                                 decimals: min(natural.decimals, max(oldQuantity.decimals, 1)))
        else { return value }
        return .scalar(converted.description, plain: true)
    }

    /// Whether plain text would read back as something else (a boolean, a number, null), so it must be quoted.
    static func readsAsOtherKind(_ text: String) -> Bool {
        ["true", "false", "yes", "no", "on", "off", "null", "~", ""].contains(text.lowercased()) || TemplateValue.number(text) != nil
    }

    /// `fields` with the value at `path` set, creating the maps on the way.
    static func setting(_ path: [String], to value: ModelValue, in fields: [ModelValue.Field]) -> [ModelValue.Field] {
        guard let head = path.first else { return fields }
        var fields = fields
        let rest = Array(path.dropFirst())
        if let index = fields.firstIndex(where: { $0.key == head }) {
            if rest.isEmpty {
                fields[index].value = value
            } else {
                fields[index].value = .map(setting(rest, to: value, in: fields[index].value.fields ?? []))
            }
        } else {
            fields.append(ModelValue.Field(key: head, value: rest.isEmpty ? value : .map(setting(rest, to: value, in: []))))
        }
        return fields
    }
}
