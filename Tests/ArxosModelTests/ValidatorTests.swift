import ArxosModel
import Foundation
import Testing

private func objects(_ yaml: String) throws -> [ArxObject] {
    try ArxObject.objects(path: "state.yaml", bytes: Array(yaml.utf8))
}

@Suite("Validator: the domain rules")
struct ValidatorTests {
    private let today = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("setpoints: heating above cooling is an error, an implausible zone setpoint a warning, units converted")
    func setpoints() throws {
        let state = try objects("""
            - {id: hq/room-1, type: room}
            - id: hq/vav-1
              type: vav
              location: hq/room-1
              properties: {heatingSetpoint: 75 °F, coolingSetpoint: 22 °C, zoneTempSetpoint: 45 °C}
            - id: hq/vav-2
              type: vav
              location: hq/room-1
              properties: {heatingSetpoint: 20 °C, coolingSetpoint: 75.2 °F, zoneTempSetpoint: 72 °F}
            """)
        let violations = Validator(today: today).validate(state)
        #expect(violations.map(\.rule) == ["heating-below-cooling", "zone-setpoint-range"], "\(violations)")
        #expect(violations.allSatisfy { $0.object == "hq/vav-1" && $0.line == 2 })
        #expect(violations.map(\.severity) == [.error, .warning])
    }

    @Test("a location chain that loops is reported once per object on the loop; a dangling partOf is an error")
    func locationsAndRelations() throws {
        let state = try objects("""
            - {id: a, type: room, location: b}
            - {id: b, type: floor, location: a}
            - {id: c, type: sensor, location: a, partOf: [missing]}
            """)
        let violations = Validator(today: today).validate(state)
        #expect(violations.filter { $0.rule == "location-cycle" }.map(\.object) == ["a", "b"])
        #expect(violations.filter { $0.rule == "relation-target" }.map(\.object) == ["c"])
    }

    @Test("overrides change severities and turn rules off; unknown values keep the default")
    func overrides() throws {
        let state = try objects("- {id: x, type: gizmo, installDate: 2999-01-01}\n")
        let defaults = Validator(today: today).validate(state)
        #expect(Set(defaults.map(\.rule)) == ["install-date-future", "unknown-type"])
        let tuned = Validator(today: today, overrides: ["install-date-future": "warning", "unknown-type": "off", "nonsense": "off",
                                                        "relation-target": "loud"]).validate(state)
        #expect(tuned.map(\.rule) == ["install-date-future"])
        #expect(tuned.first?.severity == .warning)
    }
}
