import ArxosModel
import Foundation
import Testing
@testable import ArxosTemplates

/// The package root, three levels above this file.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A registry of the given templates only (nothing shipped, no repository).
private func registry(_ files: [String: String]) -> TemplateRegistry {
    TemplateRegistry(repositoryTop: nil, shipped: files)
}

/// The message of the error `body` throws.
private func message(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}

private let minimal = """
    name: t
    description: test
    parameters:
      cooling: {type: quantity, unit: °C, default: 24 °C, min: 22 °C, max: 27 °C}
      deadband: {type: quantity, unit: Δ°C, default: 3 Δ°C}
      fraction: {type: number, default: 0.3, min: 0.1, max: 0.6}
      start: {type: time, default: "07:00"}
      days: {type: string, default: weekdays, values: [weekdays, daily]}
    rules:
      - select: "type = 'vav'"
        set:
          coolingSetpoint: ${cooling}
          heatingSetpoint: ${cooling} - ${deadband}
          minAirflow: ${fraction} * maxAirflow
          schedule: ${days} ${start}-19:00
          occupied: true
    """

@Suite("Template files")
struct TemplateReaderTests {
    @Test("a template reads with its parameters, rules and assignments")
    func reads() throws {
        let template = try TemplateReader.read(minimal, file: "t.yaml")
        #expect(template.name == "t")
        #expect(template.parameters.map(\.name) == ["cooling", "deadband", "fraction", "start", "days"])
        let cooling = try #require(template.parameters.first)
        #expect(cooling.type == .quantity && cooling.unit?.symbol == "°C")
        #expect(cooling.defaultValue == .quantity(Quantity(value: 24, unit: try #require(UnitTable.unit("°C")))))
        #expect(template.rules.count == 1)
        #expect(template.rules[0].assignments.map(\.property) == ["coolingSetpoint", "heatingSetpoint", "minAirflow", "schedule", "occupied"])
        #expect(template.rules[0].assignments[4].value == .scalar("true", plain: true))
    }

    @Test("shape errors name the file, the line and the key", arguments: [
        ("name: t\nrules: []\n", "t.yaml:1: rules: the template has no rules and no includes"),
        ("name: t\nfoo: 1\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n", "t.yaml:2: foo: unknown key"),
        ("name: t\nparameters:\n  x: {type: colour}\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n",
         "t.yaml:3: parameters.x.type: 'colour' is not a parameter type"),
        ("name: t\nparameters:\n  x: {type: quantity, unit: degQ, default: 1 °C}\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n",
         "t.yaml:3: parameters.x.unit: 'degQ' is not a known unit; did you mean '°C'?"),
        ("name: t\nparameters:\n  x: {type: quantity, unit: °C, default: 800 cfm}\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n",
         "t.yaml:3: parameters.x.default: '800 cfm' is an airflow, and 'x' is a temperature; use a unit such as °C"),
        ("name: t\nparameters:\n  x: {type: quantity, unit: °C, default: 30 °C, max: 27 °C}\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n",
         "t.yaml:3: parameters.x.default: 30 °C is above the maximum 27 °C of 'x'"),
        ("name: t\nparameters:\n  x: {type: number, default: 2 cfm}\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n",
         "t.yaml:3: parameters.x.default: '2 cfm' is not a number"),
        ("name: t\nrules:\n  - set: {a: 1}\n", "t.yaml:3: rules[1]: missing select:"),
        ("name: t\nrules: [\n", "t.yaml: not valid YAML"),
        ("name: other\nrules: [{select: \"type = 'vav'\", set: {a: 1}}]\n", "t.yaml:1: name: 'other' does not match the file's registry name 't'"),
    ])
    func shapeErrors(text: String, expected: String) {
        let error = message { _ = try TemplateReader.read(text, file: "t.yaml", name: "t") }
        #expect(error?.hasPrefix(expected) == true, "\(error ?? "no error")")
        #expect(error?.contains("\n") == false)
    }
}

@Suite("Template checks")
struct TemplateCheckTests {
    @Test("a selector that does not parse is reported with the query's column")
    func badSelector() {
        let text = "name: t\nrules:\n  - select: \"type = 'vav' and maxAirflow >\"\n    set: {a: 1}\n"
        let error = message { _ = try registry(["t": text]).resolve("t") }
        #expect(error == "(shipped) templates/t.yaml:3: rules[1].select: column 30 of the query: expected a value after '>'")
    }

    @Test("an unknown parameter in an expression suggests the declared one")
    func unknownParameter() {
        let text = minimal.replacingOccurrences(of: "${cooling} - ${deadband}", with: "${cooling} - ${deadbnd}")
        let error = message { _ = try registry(["t": text]).resolve("t") }
        #expect(error?.contains("rules[1].set.heatingSetpoint: unknown parameter 'deadbnd'; did you mean 'deadband'?") == true, "\(error ?? "")")
    }

    @Test("an expression adding the wrong dimensions fails before anything runs")
    func wrongUnits() {
        let text = minimal.replacingOccurrences(of: "${cooling} - ${deadband}", with: "${cooling} + 150 cfm")
        let error = message { _ = try registry(["t": text]).resolve("t") }
        #expect(error?.contains("heatingSetpoint: column 12: cannot add an airflow (cfm) and a temperature (°C)") == true, "\(error ?? "")")
        let twoTemperatures = minimal.replacingOccurrences(of: "${cooling} - ${deadband}", with: "${cooling} + 2 °C")
        let second = message { _ = try registry(["t": twoTemperatures]).resolve("t") }
        #expect(second?.contains("cannot add two temperatures; write the second as a difference") == true, "\(second ?? "")")
    }

    @Test("includes: unknown names and cycles are errors naming the include line")
    func includes() {
        let a = "name: a\nincludes: [b]\nrules: []\n", b = "name: b\nincludes: [c]\nrules: []\n", c = "name: c\nincludes:\n  - a\nrules: []\n"
        let cycle = message { _ = try registry(["a": a, "b": b, "c": c]).resolve("a") }
        #expect(cycle == "(shipped) templates/c.yaml:3: includes: templates include each other (a → b → c → a); remove one of these includes")
        let missing = message { _ = try registry(["a": "name: a\nincludes: [hvac/standrd]\nrules: []\n", "hvac/standard": minimal.replacingOccurrences(of: "name: t", with: "name: hvac/standard")]).resolve("a") }
        #expect(missing == "(shipped) templates/a.yaml:2: includes: no template named 'hvac/standrd'; did you mean 'hvac/standard'?")
        let itself = message { _ = try registry(["a": "name: a\nincludes: [a]\nrules: []\n"]).resolve("a") }
        #expect(itself?.contains("(a → a)") == true)
    }

    @Test("a composite sees included parameters; its own declaration wins; rules run included first")
    func composite() throws {
        let base = minimal.replacingOccurrences(of: "name: t", with: "name: base")
        let top = """
            name: top
            includes: [base]
            parameters:
              cooling: {type: quantity, unit: °F, default: 76 °F}
            rules:
              - select: "type = 'zone'"
                set: {coolingSetpoint: "${cooling}"}
            """
        let resolved = try registry(["base": base, "top": top]).resolve("top")
        #expect(resolved.templates.map(\.name) == ["base", "top"])
        #expect(resolved.rules.map(\.template) == ["base", "top"])
        #expect(resolved.parameters["cooling"]?.defaultValue?.description == "76 °F")
        #expect(resolved.parameters["deadband"] != nil)
        let clash = top.replacingOccurrences(of: "{type: quantity, unit: °F, default: 76 °F}", with: "{type: time, default: \"07:00\"}")
        let error = message { _ = try registry(["base": base, "top": clash]).resolve("top") }
        #expect(error?.contains("parameters.cooling: declared as a time here but as a quantity in °C in base") == true, "\(error ?? "")")
    }

    @Test("--set values are checked for name, type, unit and range")
    func settings() throws {
        let resolved = try registry(["t": minimal]).resolve("t")
        let values = try resolved.bind(ResolvedTemplate.settings(["cooling=75 °F", "fraction=0.25", "start=06:30"]))
        #expect(values["cooling"]?.description == "75 °F")
        #expect(values["start"] == .time(minutes: 390))
        #expect(values["deadband"]?.description == "3 Δ°C")
        let cases: [(String, String)] = [
            ("coolng=24 °C", "--set coolng=24 °C: 't' has no parameter 'coolng'; did you mean 'cooling'? 'arxos template show t' lists them"),
            ("cooling=24", "--set cooling=24: 'cooling' is a quantity; give '24' a unit, as in 24 °C"),
            ("cooling=800 cfm", "--set cooling=800 cfm: '800 cfm' is an airflow, and 'cooling' is a temperature; use a unit such as °C"),
            ("cooling=90 °F", "--set cooling=90 °F: 90 °F is above the maximum 27 °C of 'cooling'; give a value from 22 °C to 27 °C"),
            ("fraction=0.05", "--set fraction=0.05: 0.05 is below the minimum 0.1 of 'fraction'; give a value from 0.1 to 0.6"),
            ("start=7am", "--set start=7am: '7am' is not a time of day; write 'start' as HH:MM, as in 07:00"),
            ("days=sundays", "--set days=sundays: 'sundays' is not one of the values 'days' allows (weekdays, daily)"),
            ("nonsense", "--set nonsense: write NAME=VALUE, as in occupiedCooling=24 °C"),
        ]
        for (argument, expected) in cases {
            let error = message { _ = try resolved.bind(ResolvedTemplate.settings([argument])) }
            #expect(error == expected)
        }
        let noDefault = minimal.replacingOccurrences(of: "{type: number, default: 0.3, min: 0.1, max: 0.6}", with: "{type: number}")
        let error = message { _ = try registry(["t": noDefault]).resolve("t").bind([]) }
        #expect(error == "--set fraction: 'fraction' has no default; give it with --set fraction=VALUE")
    }
}

@Suite("Expressions")
struct ExpressionTests {
    func evaluate(_ text: String, _ parameters: [String: TemplateValue] = [:], properties: [String: String] = [:]) -> String {
        switch Expression.parse(text) {
        case let .failure(problem): return "error \(problem.column): \(problem.message)"
        case let .success(expression):
            let reader = { (name: String) -> TemplateValue? in
                properties[name].flatMap { Quantity.parse($0).map(TemplateValue.quantity) }
            }
            switch expression.evaluate(parameters: parameters, property: reader) {
            case let .success(value): return value.description
            case let .failure(problem): return "error \(problem.column): \(problem.message)"
            }
        }
    }

    @Test("arithmetic is unit-aware", arguments: [
        ("24 °C - 3 Δ°C", "21 °C"),
        ("75 °F + 2 Δ°C", "78.6 °F"),
        ("24 °C - 3 Δ°C / 2", "22.5 °C"),
        ("0.3 * maxAirflow", "270 cfm"),
        ("maxAirflow * 30 %", "270 cfm"),
        ("(maxAirflow - 100 cfm) / 2", "400 cfm"),
        ("maxAirflow / 400 L/s", "1.06"),
        ("25 °C - 20 °C", "5 Δ°C"),
        ("2 * (1 + 0.5)", "3.0"),
        ("900 cfm + 10 L/s", "921.2 cfm"),
    ])
    func arithmetic(text: String, expected: String) {
        #expect(evaluate(text, properties: ["maxAirflow": "900 cfm"]) == expected)
    }

    @Test("errors point at the column", arguments: [
        ("24 °C + 2 °C", "error 7: cannot add two temperatures; write the second as a difference, as in 2 Δ°C"),
        ("2 * 24 °C", "error 3: cannot scale an absolute temperature; scale a temperature difference (Δ°C, Δ°F) instead"),
        ("maxAirflow + 3", "error 12: cannot add a plain number and an airflow (cfm); give the number a unit"),
        ("900 cfn", "error 5: 'cfn' is not a known unit; did you mean 'cfm'?"),
        ("(1 + 2", "error 1: this '(' is not closed; add ')'"),
        ("1 + ", "error 5: expected a value at the end"),
        ("minAirflow * 2", "error 1: the object has no numeric property 'minAirflow'"),
        ("maxAirflow * maxAirflow", "error 12: cannot multiply an airflow (cfm) by an airflow (cfm); one side must be a plain number or a %"),
        ("maxAirflow / 0", "error 12: division by zero"),
    ])
    func errors(text: String, expected: String) {
        #expect(evaluate(text, properties: ["maxAirflow": "900 cfm"]) == expected)
    }

    @Test("parameters are substituted, and text interpolation writes their values")
    func parameters() {
        let values: [String: TemplateValue] = ["a": .quantity(Quantity(value: 24, unit: UnitTable.unit("°C") ?? UnitTable.all[0])),
                                               "start": .time(minutes: 420), "days": .text("weekdays")]
        #expect(evaluate("${a} - 1.5 Δ°C", values) == "22.5 °C")
        #expect(Expression.interpolate("${days} ${start}-19:00", values: values) == "weekdays 07:00-19:00")
        #expect(Expression.references(in: "${a} + ${ b }").map(\.name) == ["a", "b"])
    }
}

@Suite("Shipped templates")
struct ShippedTemplateTests {
    static let directory = packageRoot.appendingPathComponent("templates")

    /// The text of `ShippedTemplates.swift` for the files under `templates/`.
    static func generated() throws -> String {
        var out = """
            // Generated from templates/ by TemplateTests (ARXOS_RECORD_TEMPLATES=1 swift test --filter ShippedTemplateTests); do not edit.

            /// The templates shipped inside the binary, by registry name (docs/templates.md, "The registry").
            public enum ShippedTemplates {
                public static let files: [String: String] = [

            """
        for relative in TemplateRegistry.yamlFiles(under: directory.path) {
            let text = try String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8)
            #expect(!text.contains("\"\"\"#"), "\(relative) cannot be embedded in a raw string")
            #expect(text.hasSuffix("\n") && !text.contains("\\#"), "\(relative) must end with a newline and hold no \\#")
            // A multi-line literal leaves out the line break before its closing delimiter: write one more.
            out += "        \"\(relative.dropLast(5))\": #\"\"\"\n" + text + "\n\"\"\"#,\n"
        }
        return out + "    ]\n}\n"
    }

    @Test("ShippedTemplates.swift embeds templates/ exactly (ARXOS_RECORD_TEMPLATES=1 rewrites it)")
    func embedded() throws {
        let expected = try Self.generated()
        let url = packageRoot.appendingPathComponent("Sources/ArxosTemplates/ShippedTemplates.swift")
        let actual = try String(contentsOf: url, encoding: .utf8)
        if actual != expected, ProcessInfo.processInfo.environment["ARXOS_RECORD_TEMPLATES"] == "1" {
            try expected.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == expected, "Sources/ArxosTemplates/ShippedTemplates.swift is stale; rerun with ARXOS_RECORD_TEMPLATES=1")
        for relative in TemplateRegistry.yamlFiles(under: Self.directory.path) {
            let text = try String(contentsOf: Self.directory.appendingPathComponent(relative), encoding: .utf8)
            #expect(ShippedTemplates.files[String(relative.dropLast(5))] == text)
        }
    }

    @Test("the nine shipped templates are there and pass every check with their defaults")
    func valid() throws {
        let shipped = TemplateRegistry(repositoryTop: nil)
        #expect(Set(shipped.names).isSuperset(of: ["hvac/standard", "hvac/efficient", "hvac/emergency", "electrical/standard",
                                                    "electrical/backup", "security/basic", "security/enhanced",
                                                    "composite/office-standard", "composite/retail-standard"]))
        for name in shipped.names {
            let resolved = try shipped.resolve(name)
            _ = try resolved.bind([])
            #expect(!resolved.rules.isEmpty, "\(name) has no rules")
        }
        let retail = try shipped.resolve("composite/retail-standard")
        #expect(retail.templates.map(\.name) == ["hvac/standard", "hvac/efficient", "electrical/standard", "electrical/backup",
                                                  "security/basic", "security/enhanced", "composite/retail-standard"])
        #expect(try retail.bind([])["occupiedCooling"]?.description == "24 °C")
    }

    @Test("a repository's templates folder overrides a shipped template of the same name")
    func repositoryWins() throws {
        let top = FileManager.default.temporaryDirectory.appendingPathComponent("arxos-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: top) }
        try FileManager.default.createDirectory(at: top.appendingPathComponent("templates/hvac"), withIntermediateDirectories: true)
        try minimal.replacingOccurrences(of: "name: t", with: "name: hvac/standard")
            .write(to: top.appendingPathComponent("templates/hvac/standard.yaml"), atomically: true, encoding: .utf8)
        let merged = TemplateRegistry(repositoryTop: top.path)
        let entry = try merged.entry("hvac/standard")
        #expect(entry.source == .repository && entry.file == "templates/hvac/standard.yaml")
        #expect(try merged.entry("security/basic").source == .shipped)
        #expect(message { _ = try merged.entry("hvac/standad") } == "no template named 'hvac/standad'; did you mean 'hvac/standard'? 'arxos template list' shows the templates there are")
    }
}

@Suite("Writing values into objects")
struct RendererHelperTests {
    @Test("a property path is set inside properties, creating nested maps, keeping other fields in order")
    func setting() {
        let fields = [ModelValue.Field(key: "id", value: .scalar("hq/vav-1", plain: true)),
                      ModelValue.Field(key: "properties", value: .map([ModelValue.Field(key: "maxAirflow", value: .scalar("900 cfm", plain: true))]))]
        let set = TemplateRenderer.setting(["properties", "setpoints", "occupied"], to: .scalar("22 °C", plain: true), in: fields)
        #expect(set[0] == fields[0])
        #expect(set[1].value.fields?.map(\.key) == ["maxAirflow", "setpoints"])
        #expect(set[1].value.fields?[1].value == .map([ModelValue.Field(key: "occupied", value: .scalar("22 °C", plain: true))]))
        let replaced = TemplateRenderer.setting(["properties", "maxAirflow"], to: .scalar("800 cfm", plain: true), in: fields)
        #expect(replaced[1].value.fields == [ModelValue.Field(key: "maxAirflow", value: .scalar("800 cfm", plain: true))])
        let added = TemplateRenderer.setting(["properties", "occupied"], to: .scalar("true", plain: true), in: [fields[0]])
        #expect(added.map(\.key) == ["id", "properties"])
    }

    @Test("a quantity is written in the unit the object already uses, with its decimals")
    func fitted() {
        func fit(_ new: String, _ old: String?) -> String? {
            TemplateRenderer.fitted(.scalar(new, plain: true), to: old.map { .scalar($0, plain: true) }).text
        }
        #expect(fit("72.3 °F", "22.0 °C") == "22.4 °C")
        #expect(fit("75 °F", "21 °C") == "23.9 °C")
        #expect(fit("270 cfm", "100 L/s") == "127.4 L/s")
        #expect(fit("24 °C", "21.5 °C") == "24 °C")
        #expect(fit("24 °C", nil) == "24 °C")
        #expect(fit("24 °C", "warm") == "24 °C")
        #expect(fit("30 s", "15 min") == "0.5 min")
    }

    @Test("text that would read as a boolean, number or null is quoted")
    func quoting() {
        #expect(TemplateRenderer.readsAsOtherKind("true") && TemplateRenderer.readsAsOtherKind("No")
                && TemplateRenderer.readsAsOtherKind("42") && TemplateRenderer.readsAsOtherKind(""))
        #expect(!TemplateRenderer.readsAsOtherKind("weekdays 07:00-19:00") && !TemplateRenderer.readsAsOtherKind("MERV 13"))
    }
}
