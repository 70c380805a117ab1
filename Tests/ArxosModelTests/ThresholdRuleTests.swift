import ArxosModel
import Foundation
import Testing

private func objects(_ yaml: String) throws -> [ArxObject] {
    try ArxObject.objects(path: "state.yaml", bytes: Array(yaml.utf8))
}

private func parse(_ text: String) throws(ThresholdRuleError) -> [ThresholdRule] {
    try ThresholdRules.parse(path: ".arxos-rules.yaml", text: text)
}

@Suite("Threshold rules: the repository's own rules in .arxos-rules.yaml")
struct ThresholdRuleTests {
    private let today = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("a max in cfm fires on a VAV above it, compared by amount across units; others and other types pass")
    func maxAcrossUnits() throws {
        let rules = try parse("""
            rules:
              - id: max-vav-airflow
                select: {type: vav}
                property: maxAirflow
                max: 2000 cfm
                severity: error
                message: ask the mechanical engineer
            """)
        #expect(rules.count == 1)
        #expect(rules.first?.line == 2)
        let state = try objects("""
            - {id: a, type: vav, properties: {maxAirflow: 2100 cfm}}
            - {id: b, type: vav, properties: {maxAirflow: 944 L/s}}
            - {id: c, type: vav, properties: {maxAirflow: 1000 L/s}}
            - {id: d, type: ahu, properties: {maxAirflow: 9000 cfm}}
            - {id: e, type: vav, properties: {minAirflow: 100 cfm}}
            """)
        let violations = Validator(today: today, thresholds: rules).validate(state).filter { $0.rule == "max-vav-airflow" }
        #expect(violations.map(\.object) == ["a", "c"], "\(violations)")
        #expect(violations.allSatisfy { $0.severity == .error && $0.message.hasPrefix("ask the mechanical engineer: maxAirflow") })
        #expect(violations.first?.message.contains("above the maximum 2000 cfm") == true)
    }

    @Test("min and max together, plain numbers, id prefixes, default severity warning, config overrides")
    func minMaxNumbersAndSeverity() throws {
        let rules = try parse("""
            rules:
              - {id: setpoint-band, select: {type: [vav, zone]}, property: zoneTempSetpoint, min: 19 °C, max: 75 °F}
              - {id: few-people, select: {idPrefix: hq/}, property: occupancy, max: 50}
            """)
        let state = try objects("""
            - {id: hq/v1, type: vav, properties: {zoneTempSetpoint: 18 °C}}
            - {id: hq/v2, type: vav, properties: {zoneTempSetpoint: 24.5 °C}}
            - {id: hq/v3, type: zone, properties: {zoneTempSetpoint: 71 °F}}
            - {id: hq/r1, type: room, properties: {occupancy: 80}}
            - {id: other/r2, type: room, properties: {occupancy: 80}}
            - {id: hq/r3, type: room, properties: {occupancy: lots}}
            """)
        let found = Validator(today: today, thresholds: rules).validate(state).filter { !Validator.rules.map(\.id).contains($0.rule) }
        #expect(found.map(\.object) == ["hq/v1", "hq/v2", "hq/r1", "hq/r3"], "\(found)")
        #expect(found.allSatisfy { $0.severity == .warning })
        #expect(found.first?.message.contains("below the minimum 19 °C") == true)
        let tuned = Validator(today: today, overrides: ["setpoint-band": "off", "few-people": "error"], thresholds: rules).validate(state)
        #expect(!tuned.contains { $0.rule == "setpoint-band" })
        #expect(tuned.filter { $0.rule == "few-people" }.allSatisfy { $0.severity == .error })
    }

    @Test("a bad rules file is one clear error at its line", arguments: [
        ("rules:\n  - id: x\n    property: a\n    max: 21.5 °Q\n", 4, "unknown unit"),
        ("rules:\n  - id: x\n    property: a\n", 2, "neither 'min' nor 'max'"),
        ("rules:\n  - property: a\n    max: 3\n", 2, "has no 'id'"),
        ("rules:\n  - id: Bad_Id\n    property: a\n    max: 3\n", 2, "lowercase letters"),
        ("rules:\n  - id: relation-target\n    property: a\n    max: 3\n", 2, "built-in rule"),
        ("rules:\n  - {id: x, property: a, max: 3}\n  - {id: x, property: b, max: 3}\n", 3, "already used at line 2"),
        ("rules:\n  - id: x\n    property: a\n    min: 5 cfm\n    max: 3 cfm\n", 4, "min 5 cfm is above max 3 cfm"),
        ("rules:\n  - id: x\n    property: a\n    min: 5 cfm\n    max: 3 °C\n", 5, "measure different things"),
        ("rules:\n  - id: x\n    property: a\n    max: 3\n    severity: fatal\n", 5, "must be 'error' or 'warning'"),
        ("rules:\n  - id: x\n    property: a\n    max: 3\n    selct: {type: vav}\n", 5, "unknown key 'selct'"),
        ("rules:\n  - id: x\n    property: a\n    max: 3\n    select: {kind: vav}\n", 5, "unknown selector 'kind'"),
        ("rulez: []\n", 1, "unknown key 'rulez'"),
        ("rules: [{id: x\n", 2, "YAML syntax error"),
        ("rules: 3\n", 1, "must be a list"),
    ])
    func badFile(text: String, line: Int, fragment: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let error = error as? ThresholdRuleError else { return false }
            let description = error.localizedDescription
            return error.line == line && description.hasPrefix(".arxos-rules.yaml:\(line): ") && description.contains(fragment)
                && !description.contains("\n")
        }
    }

    @Test("an empty file or an empty list has no rules")
    func empty() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("rules: []\n").isEmpty)
        #expect(try parse("# nothing yet\nrules:\n").isEmpty)
    }
}
