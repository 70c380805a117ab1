import ArxosModel
import Foundation
import Testing

private func objects(_ yaml: String) throws -> [ArxObject] {
    try ArxObject.objects(path: "electrical.yaml", bytes: Array(yaml.utf8))
}

@Suite("panel-load: the loads a panel feeds stay within its rating")
struct PanelLoadTests {
    private let today = Date(timeIntervalSince1970: 1_795_000_000)

    private func panelLoad(_ yaml: String) throws -> [Violation] {
        Validator(today: today).validate(try objects(yaml)).filter { $0.rule == "panel-load" }
    }

    @Test("amperes add up; over the rating is an error at the panel, at or under it passes")
    func amperes() throws {
        let over = try panelLoad("""
            - {id: p, type: elec_panel, properties: {rating: 100 A}}
            - {id: c1, type: circuit, partOf: [p], properties: {connectedLoad: 60 A}}
            - {id: c2, type: circuit, fedBy: p, properties: {connectedLoad: 45 A}}
            - {id: c3, type: circuit, partOf: [p], properties: {breakerRating: 20 A}}
            """)
        #expect(over.count == 1)
        #expect(over.first?.object == "p")
        #expect(over.first?.severity == .error)
        #expect(over.first?.message.contains("2 loads") == true && over.first?.message.contains("105.0 A") == true, "\(over)")
        let fits = try panelLoad("""
            - {id: p, type: elec_panel, properties: {rating: 100 A}}
            - {id: c1, type: circuit, partOf: [p], properties: {connectedLoad: 60 A}}
            - {id: c2, type: circuit, partOf: [p], properties: {connectedLoad: 40 A}}
            """)
        #expect(fits.isEmpty, "\(fits)")
    }

    @Test("loads in kW and kVA are turned into amperes with the panel's voltage, × √3 on three phases")
    func power() throws {
        // 3 × 25 kW at 208 V three-phase = 75000 / (208 × 1.732) = 208.2 A > 200 A.
        let three = try panelLoad("""
            - {id: p, type: elec_panel, feeds: [a, b, c], properties: {rating: 200 A, voltage: 208 V, phases: 3}}
            - {id: a, type: circuit, properties: {connectedLoad: 25 kW}}
            - {id: b, type: circuit, properties: {connectedLoad: 25 kVA}}
            - {id: c, type: circuit, properties: {connectedLoad: 25000 W}}
            """)
        #expect(three.count == 1, "\(three)")
        #expect(three.first?.message.contains("208.2 A") == true, "\(three)")
        // The same loads on a single-phase 480 V panel: 75000 / 480 = 156.3 A, within 200 A.
        let single = try panelLoad("""
            - {id: p, type: elec_panel, feeds: [a, b, c], properties: {rating: 200 A, voltage: 480 V, phases: 1}}
            - {id: a, type: circuit, properties: {connectedLoad: 25 kW}}
            - {id: b, type: circuit, properties: {connectedLoad: 25 kVA}}
            - {id: c, type: circuit, properties: {connectedLoad: 25000 W}}
            """)
        #expect(single.isEmpty, "\(single)")
        let noVoltage = try panelLoad("""
            - {id: p, type: elec_panel, feeds: [a], properties: {rating: 200 A}}
            - {id: a, type: circuit, properties: {connectedLoad: 5 kW}}
            """)
        #expect(noVoltage.first?.message.contains("need the panel's voltage") == true, "\(noVoltage)")
    }

    @Test("a load counted through several relations counts once; no loads given, no check; config turns it off")
    func countingAndConfig() throws {
        let yaml = """
            - {id: p, type: elec_panel, feeds: [c1], properties: {rating: 50 A}}
            - {id: c1, type: circuit, partOf: [p], fedBy: [p], properties: {connectedLoad: 30 A}}
            - {id: c2, type: circuit, partOf: [p], properties: {connectedLoad: 30 A}}
            """
        let found = try panelLoad(yaml)
        #expect(found.count == 1 && found.first?.message.contains("60.0 A") == true, "\(found)")
        #expect(try panelLoad("- {id: p, type: elec_panel, properties: {rating: 50 A}}\n- {id: c, type: circuit, partOf: [p]}\n").isEmpty)
        let off = Validator(today: today, overrides: ["panel-load": "off"]).validate(try objects(yaml))
        #expect(!off.contains { $0.rule == "panel-load" })
    }
}
