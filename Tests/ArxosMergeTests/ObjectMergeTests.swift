import ArxosMerge
import ArxosModel
import Testing

/// The three-way merge of single objects, without any store: the rules of docs/model.md, "Merging".
@Suite struct ObjectMergeTests {
    func object(_ yaml: String) throws -> ArxObject {
        let text = yaml.hasPrefix("id:") ? yaml : "id: v\ntype: vav\n" + yaml
        return try #require(try ArxObject.objects(path: "v.yaml", bytes: Array(text.utf8)).first)
    }

    func merge(_ base: String?, _ ours: String?, _ theirs: String?, favor: ObjectMerge.Favor? = nil,
               strict: Set<String> = []) throws -> ObjectMerge.Result {
        ObjectMerge.merge(base: try base.map(object), ours: try ours.map(object), theirs: try theirs.map(object),
                          path: "v.yaml", favor: favor, isStrict: { _, field in strict.contains(field) })
    }

    func value(_ result: ObjectMerge.Result, _ path: String) -> String? {
        var fields = result.fields ?? []
        let parts = path.split(separator: ".").map(String.init)
        for part in parts.dropLast() { fields = fields.first { $0.key == part }?.value.fields ?? [] }
        return fields.first { $0.key == parts.last }.map { ObjectWriter.inline($0.value) }
    }

    @Test func differentPropertiesMerge() throws {
        let result = try merge("properties: {a: 1 cfm, b: 2 cfm}", "properties: {a: 5 cfm, b: 2 cfm}", "properties: {a: 1 cfm, b: 7 cfm}")
        #expect(result.conflicts.isEmpty)
        #expect(value(result, "properties.a") == "5 cfm" && value(result, "properties.b") == "7 cfm")
    }

    @Test func sameFieldTwoWaysIsAConflictHoldingOurs() throws {
        let result = try merge("name: A", "name: B", "name: C")
        #expect(result.conflicts.map(\.field) == ["name"])
        #expect(result.conflicts.first.map { [$0.base, $0.ours, $0.theirs] } == ["A", "B", "C"])
        #expect(value(result, "name") == "B")
        let marker = try #require(result.markedFields?.last)
        #expect(marker.key == "$conflicts")
        #expect(ObjectWriter.inline(marker.value) == "{name: {base: A, ours: B, theirs: C}}")
    }

    @Test func relationsMergeAsSets() throws {
        let result = try merge("points: [a, b, c]", "points: [b, c, d]", "points: [a, b, e]")
        #expect(result.conflicts.isEmpty)
        // a removed by ours, c removed by theirs, d and e added.
        #expect(value(result, "points") == "[b, d, e]")
    }

    @Test func unitChangeYieldsToValueChange() throws {
        let both = try merge("properties: {t: 21.5 °C}", "properties: {t: 70.7 °F}", "properties: {t: 23 °C}")
        #expect(both.conflicts.isEmpty && value(both, "properties.t") == "23 °C")
        let reversed = try merge("properties: {t: 21.5 °C}", "properties: {t: 23 °C}", "properties: {t: 70.7 °F}")
        #expect(reversed.conflicts.isEmpty && value(reversed, "properties.t") == "23 °C")
    }

    @Test func strictFieldsConflictEvenWhenEqual() throws {
        let same = try merge("properties: {schedule: x}", "properties: {schedule: y}", "properties: {schedule: y}", strict: ["schedule"])
        #expect(same.conflicts.map(\.kind) == [.strict])
        let oneSide = try merge("properties: {schedule: x}", "properties: {schedule: y}", "properties: {schedule: x}", strict: ["schedule"])
        #expect(oneSide.conflicts.isEmpty && value(oneSide, "properties.schedule") == "y")
    }

    @Test func deleteAgainstModifyIsAnObjectConflict() throws {
        let result = try merge("name: A", nil, "name: B")
        #expect(result.conflicts.map(\.kind) == [.deleteModify])
        #expect(result.conflicts.first?.field == "(object)")
        #expect(value(result, "name") == "B", "the modified side is kept in the file")
        let deleted = try merge("name: A", nil, "name: A")
        #expect(deleted.fields == nil && deleted.conflicts.isEmpty)
    }

    @Test func addAddDiffersIsAConflictPerField() throws {
        let result = try merge(nil, "name: A\nlocation: r1", "name: A\nlocation: r2")
        #expect(result.conflicts.map { "\($0.field) \($0.kind.rawValue)" } == ["location add/add"])
        let same = try merge(nil, "name: A", "name: \"A\"")
        #expect(same.conflicts.isEmpty)
    }

    @Test func favorSettlesConflicts() throws {
        let ours = try merge("name: A", "name: B", "name: C", favor: .ours)
        #expect(ours.conflicts.isEmpty && value(ours, "name") == "B")
        let theirs = try merge("name: A", nil, "name: C", favor: .theirs)
        #expect(theirs.conflicts.isEmpty && value(theirs, "name") == "C")
    }

    @Test func removedOnOneSideChangedOnTheOtherConflicts() throws {
        let result = try merge("properties: {a: 1, b: 2}", "properties: {b: 2}", "properties: {a: 3, b: 2}")
        #expect(result.conflicts.map(\.field) == ["properties.a"])
        #expect(result.conflicts.first?.ours == nil && result.conflicts.first?.theirs == "3")
    }
}
