import ArxosImport
import ArxosModel
import Testing

/// The Brick → arxos mapping of docs/import.md: types, ids, relations, floors, warnings; and export back.
@Suite struct BrickImporterTests {
    static let header = """
        @prefix brick: <https://brickschema.org/schema/Brick#> .
        @prefix old: <https://brickschema.org/schema/1.0.2/Brick#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix unit: <http://qudt.org/vocab/unit/> .
        @prefix ex: <http://example.org/hq#> .

        """

    func run(_ body: String, building: String? = nil) throws -> BrickImport {
        var parser = TurtleParser(bytes: Array((Self.header + body).utf8), file: "hq.ttl")
        let triples = try parser.parse()
        return BrickImporter(triples: triples, prefixes: parser.declaredPrefixes).run(building: building, fileStem: "hq")
    }

    func object(_ result: BrickImport, _ id: String) throws -> [ModelValue.Field] {
        try #require(result.objects.first { $0.id == id }, "no \(id) in \(result.objects.map(\.id))").fields
    }

    func value(_ fields: [ModelValue.Field], _ key: String) -> ModelValue? { fields.first { $0.key == key }?.value }

    @Test("classes map to types by the table, declared subclasses, suffixes, then by name; classes are kept")
    func types() throws {
        let result = try run("""
            ex:a1 a brick:AHU .
            ex:p1 a brick:Chilled_Water_Pump .
            ex:d1 a brick:Fire_Damper .
            ex:s1 a brick:Zone_Air_Temperature_Sensor .
            ex:apt a brick:Apartment .
            brick:Apartment rdfs:subClassOf brick:Space .
            ex:u1 a old:Unknown .
            ex:t1 a brick:Chilled_Return_Water, brick:Temperature .
            ex:l1 a brick:Luminaire .
            ex:c1 a brick:Chilled_Water_System .
            ex:v1 a old:VAV .
            """)
        let types = Dictionary(uniqueKeysWithValues: result.objects.map { ($0.id, $0.type) })
        #expect(types == ["hq/a1": "ahu", "hq/p1": "pump", "hq/d1": "fire_damper", "hq/s1": "sensor", "hq/apt": "space",
                          "hq/u1": "point", "hq/t1": "point", "hq/l1": "equipment", "hq/c1": "equipment", "hq/v1": "vav"])
        #expect(value(try object(result, "hq/a1"), "brickClass") == nil, "the type says it all")
        #expect(value(try object(result, "hq/v1"), "brickClass")?.text == "https://brickschema.org/schema/1.0.2/Brick#VAV")
        #expect(value(try object(result, "hq/t1"), "brickClass")?.idList?.count == 2)
        #expect(result.warnings.filter { $0.contains("unknown Brick class brick:Luminaire (1 entity) imported as 'equipment'") }.count == 1)
    }

    @Test("relations land on the arxos side, deduplicated; dangling targets are reported once and not written")
    func relations() throws {
        let result = try run("""
            ex:ahu a brick:AHU ; brick:feeds ex:vav, ex:ghost ; brick:hasPoint ex:sat ; rdfs:label "AHU 1"@en .
            ex:vav a brick:VAV ; brick:isFedBy ex:ahu ; brick:hasLocation ex:room ; brick:isPartOf ex:ghost .
            ex:sat a brick:Supply_Air_Temperature_Sensor ; brick:isPointOf ex:ahu .
            ex:room a brick:Room ; brick:isLocationOf ex:vav .
            ex:floor a brick:Floor ; brick:hasPart ex:room .
            ex:untyped brick:feeds ex:vav .
            """)
        let ahu = try object(result, "hq/ahu")
        #expect(ahu.map(\.key) == ["id", "type", "name", "feeds", "points", "refs"])
        #expect(value(ahu, "name")?.text == "AHU 1")
        #expect(value(ahu, "feeds")?.idList == ["hq/vav"])
        #expect(value(ahu, "points")?.idList == ["hq/sat"], "hasPoint and isPointOf give one entry")
        let vav = try object(result, "hq/vav")
        #expect(value(vav, "fedBy")?.idList == ["hq/ahu"])
        #expect(value(vav, "location")?.text == "hq/room")
        #expect(value(vav, "partOf") == nil)
        #expect(value(try object(result, "hq/room"), "partOf")?.idList == ["hq/floor"])
        #expect(result.warnings.filter { $0.hasPrefix("ex:ghost is not an imported entity") && $0.contains("2 relations") }.count == 1,
                "\(result.warnings)")
        #expect(result.warnings.contains { $0.hasPrefix("ex:untyped has no class") })
        #expect(value(try object(result, "hq/floor"), "properties") == nil && result.warnings.contains { $0.contains("floor ex:floor") })
    }

    @Test("Brick namespaces: every version, http or https, Brick and BrickFrame; not ref, BrickTag or others", arguments: [
        ("https://brickschema.org/schema/Brick#VAV", "VAV"), ("https://brickschema.org/schema/1.0.2/Brick#Unknown", "Unknown"),
        ("http://brickschema.org/schema/1.1/Brick#AHU", "AHU"), ("https://brickschema.org/schema/1.0.2/BrickFrame#feeds", "feeds"),
        ("https://brickschema.org/schema/Brick/ref#hasExternalReference", nil), ("https://brickschema.org/schema/BrickTag#Air", nil),
        ("https://brickschema.org/schema/1.0.2/BrickTag#Air", nil), ("https://example.org/Brick#VAV", nil),
        ("https://brickschema.org/schema/Brick#", nil),
    ] as [(String, String?)])
    func namespaces(iri: String, local: String?) {
        #expect(BrickVocabulary.localName(iri) == local)
    }

    @Test("floor levels from names and labels", arguments: [
        ("Floor_0", 0), ("floor1", 1), ("Level 3", 3), ("L12", 12), ("2nd_Floor", 2), ("21st floor", 21),
        ("Basement", -1), ("B2", -2), ("Ground Floor", 0), ("GF", 0),
    ])
    func floorLevels(name: String, level: Int) {
        #expect(BrickImporter.floorLevel(name) == level)
    }

    @Test("a name without a level number gives none")
    func noLevel() {
        #expect(BrickImporter.floorLevel("Penthouse") == nil)
        #expect(BrickImporter.floorLevel("roof") == nil)
    }

    @Test("ids: building from the only brick:Building, collisions get -2, properties from literals and quantities")
    func idsAndProperties() throws {
        let result = try run("""
            ex:HQ_Main a brick:Building .
            ex:f2 a brick:Floor ; rdfs:label "Level 2" ; brick:isPartOf ex:HQ_Main .
            <http://other.org/x#f2> a brick:Room .
            ex:lum a brick:Luminaire ; brick:ratedPowerInput [ brick:hasUnit unit:W ; brick:value "32" ] ;
                brick:expectedLifetime "PT50000H" ; brick:hasUnit unit:DEG_C ; brick:aggregate [ brick:aggregationFunction "max" ] .
            """)
        #expect(result.building == "hq_main")
        #expect(result.objects.map(\.id) == ["hq_main", "hq_main/f2", "hq_main/f2-2", "hq_main/lum"])
        #expect(result.warnings.contains { $0.contains("'hq_main/f2-2'") })
        let floor = try object(result, "hq_main/f2")
        #expect(value(floor, "properties") == .map([.init(key: "level", value: .scalar("2", plain: true))]))
        let properties = try #require(value(try object(result, "hq_main/lum"), "properties")?.fields)
        #expect(properties.map(\.key) == ["ratedPowerInput", "expectedLifetime", "hasUnit", "aggregate"])
        #expect(properties[0].value.text == "32 W")
        #expect(properties[2].value.text == "DEG_C")
        #expect(properties[3].value.fields?.first?.value.text == "max")
        #expect(result.files.map(\.path) == ["buildings/hq_main/equipment/equipment.yaml", "buildings/hq_main/spaces.yaml"])
        #expect(try run("ex:x a brick:VAV .", building: "soda").objects.map(\.id) == ["soda/x"])
    }

    @Test("export writes the kept triples, which read back as the imported graph")
    func export() throws {
        let source = """
            ex:ahu a brick:AHU ; brick:feeds ex:vav ; rdfs:label "AHU \\"1\\"" .
            ex:vav a old:VAV ; brick:isFedBy ex:ahu ; brick:hasLocation ex:room .
            ex:room a brick:Room ; brick:isPartOf ex:floor .
            ex:floor a brick:Floor .
            ex:s a brick:Temperature_Sensor ; brick:isPointOf ex:vav .
            """
        let imported = try run(source)
        let objects = imported.objects.map { ArxObject(id: $0.id, type: $0.type, path: $0.path, line: 1, fields: $0.fields) }
        let (turtle, skipped) = BrickExporter().export(objects)
        #expect(skipped.isEmpty)
        let before = Set(try TurtleParser.parse(Array((Self.header + source).utf8), file: "a.ttl").map(canonical))
        let after = Set(try TurtleParser.parse(Array(turtle.utf8), file: "b.ttl").map(canonical))
        #expect(before == after, "\(turtle)")
    }

    /// A triple in the direction arxos keeps.
    func canonical(_ triple: Triple) -> Triple {
        let brick = "https://brickschema.org/schema/Brick#"
        let inverses = [brick + "isPointOf": brick + "hasPoint", brick + "hasPart": brick + "isPartOf", brick + "isLocationOf": brick + "hasLocation"]
        if let turned = inverses[triple.predicate] { return Triple(triple.object, turned, triple.subject) }
        return triple
    }
}
