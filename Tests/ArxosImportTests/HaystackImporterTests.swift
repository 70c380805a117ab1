import ArxosImport
import ArxosModel
import Testing

/// The Haystack → arxos mapping of docs/import.md (types, ids, relations, values, warnings) and the export back.
@Suite struct HaystackImporterTests {
    func run(_ zinc: String, building: String? = nil) throws -> HaystackImport {
        try HaystackImporter(grid: try ZincReader.read(Array(zinc.utf8), file: "hq.zinc")).run(building: building, fileStem: "hq")
    }

    func object(_ result: HaystackImport, _ id: String) throws -> [ModelValue.Field] {
        try #require(result.objects.first { $0.id == id }, "no \(id) in \(result.objects.map(\.id))").fields
    }

    func value(_ fields: [ModelValue.Field], _ path: String) -> ModelValue? {
        var current: ModelValue? = .map(fields)
        for key in path.split(separator: ".") { current = current?.fields?.first { $0.key == String(key) }?.value }
        return current
    }

    static let site = """
        ver:"3.0"
        id,dis,navName,site,equip,point,space,floor,room,ahu,rooftop,vav,air,sensor,sp,cmd,temp,siteRef,floorRef,spaceRef,equipRef,ahuRef,curVal,unit,vendor,model,geoCoord,phone,occupiedStart,hisEnd,weatherRef
        @s "Riverside HQ","Riverside HQ",,M,,,,,,,,,,,,,,,,,,,,,,,C(37.8,-122.27),"510.555.0100",07:30:00,,@w "Oakland"
        @f1 "HQ Floor 1","HQ Floor 1",,,,,M,M,,,,,,,,,,@s,,,,,,,,,,,,,
        @r101 "HQ Room 101",,"Room 101",,,,M,,M,,,,,,,,,@s,@f1,,,,,,,,,,,,
        @ahu1 "HQ AHU-1","HQ AHU-1",,,M,,,,,M,,,M,,,,,@s,@f1,,,,,,"Trane","M-Series",,,,,
        @rtu1 "HQ RTU-1","HQ RTU-1",,,M,,,,,M,M,,,,,,,@s,,,,,,,,,,,,,
        @vav1 "HQ VAV-101","HQ VAV-101",,,M,,,,,,,M,M,,,,,@s,@f1,@r101,,@ahu1,,,,,,,,,
        @p1,,"ZoneTemp",,,M,,,,,,,,M,,,M,@s,,,@vav1,,72.5°F,"°F",,,,,,2019-03-12T23:45:00-04:00 New_York,
        @p2 "HQ VAV-101 Damper",,,,,M,,,,,,,,,,M,,@s,,,@vav1,,45%,"%",,,,,,,
        @p3 "HQ VAV-101 ZoneTempSp",,"ZoneTempSp",,,M,,,,,,,,,M,,M,@s,,,@vav1,,21.5°C,,,,,,,,
        """

    @Test("types from markers through the type table, Haystack 3 aliases, and the generic types reported")
    func types() throws {
        let result = try run(Self.site + "\n@m \"HQ Misc\",\"HQ Misc\",,,M,,,,,,,,,,,,,@s,,,,,,,,,,,,,")
        let types = Dictionary(uniqueKeysWithValues: result.objects.map { ($0.ref, $0.type) })
        #expect(types == ["s": "building", "f1": "floor", "r101": "room", "ahu1": "ahu", "rtu1": "rtu", "vav1": "vav",
                          "p1": "sensor", "p2": "command", "p3": "setpoint", "m": "equipment"])
        #expect(result.warnings.contains("1 equip record matches no more specific type in the type table; imported as 'equipment': HQ Misc (equip)"), "\(result.warnings)")
        let pairs: [(Set<String>, String)] = [
            (["equip", "damper", "fire"], "fire_damper"), (["equip", "damper"], "damper"), (["equip", "elecPanel"], "elec_panel"),
            (["equip", "elec", "meter"], "meter"), (["equip", "lightsGroup"], "lighting"), (["space", "zone", "hvac"], "zone"),
            (["floor"], "floor"), (["point"], "point"), (["equip", "ahu", "air"], "ahu"), (["site", "campus"], "building"),
        ]
        for (markers, type) in pairs { #expect(HaystackTypes.type(markers)?.type == type, "\(markers)") }
        #expect(HaystackTypes.type(["device", "bacnet"]) == nil)
    }

    @Test("ids as Fixtures/generate-from-haystack.py makes them, the layout of the Brick import, names from dis or the ref")
    func idsAndLayout() throws {
        let result = try run(Self.site)
        #expect(result.buildings == ["riverside-hq"])
        #expect(Set(result.objects.map(\.id)) == ["riverside-hq/building", "riverside-hq/hq-floor-1", "riverside-hq/room-101",
                                                   "riverside-hq/hq-ahu-1", "riverside-hq/hq-rtu-1", "riverside-hq/hq-vav-101",
                                                   "riverside-hq/hq-vav-101/zone-temp", "riverside-hq/hq-vav-101/damper",
                                                   "riverside-hq/hq-vav-101/zone-temp-sp"])
        #expect(result.files.map(\.path) == ["buildings/riverside-hq/equipment/ahu.yaml", "buildings/riverside-hq/equipment/rtu.yaml",
                                             "buildings/riverside-hq/equipment/vav.yaml", "buildings/riverside-hq/points.yaml",
                                             "buildings/riverside-hq/spaces.yaml"])
        #expect(result.files.last?.objects.map(\.id) == ["riverside-hq/building", "riverside-hq/hq-floor-1", "riverside-hq/room-101"],
                "the site leads its file, then the spaces by id")
        let point = try object(result, "riverside-hq/hq-vav-101/zone-temp")
        #expect(value(point, "name") == nil, "no dis and no display name after the ref: no name is invented")
        #expect(result.warnings.contains("1 record has no dis (and no display name after the id); 'name' not set: @p1"))
        #expect(value(try object(result, "riverside-hq/room-101"), "name")?.text == "HQ Room 101", "the display name after the ref")
        let named = try run(Self.site, building: "hq")
        #expect(named.objects.contains { $0.id == "hq/building" } && named.objects.allSatisfy { $0.id.hasPrefix("hq/") })
        #expect(HaystackImporter.slug("ElecMeter-Main") == "elec-meter-main" && HaystackImporter.slug("ZoneTempSp") == "zone-temp-sp")
        #expect(HaystackImporter.slug("kWh") == "kwh" && HaystackImporter.slug("Zoné 3 (east)") == "zon-3-east" && HaystackImporter.slug("!!") == "x")
    }

    @Test("refs become location, partOf, points and fedBy; refs to records not in the file stay text, reported once")
    func relations() throws {
        let result = try run(Self.site)
        let vav = try object(result, "riverside-hq/hq-vav-101")
        #expect(value(vav, "location")?.text == "riverside-hq/room-101", "spaceRef is the most specific place")
        #expect(value(vav, "fedBy")?.idList == ["riverside-hq/hq-ahu-1"])
        #expect(value(vav, "points")?.idList == ["riverside-hq/hq-vav-101/damper", "riverside-hq/hq-vav-101/zone-temp",
                                                 "riverside-hq/hq-vav-101/zone-temp-sp"])
        #expect(value(vav, "properties.floorRef") == nil && value(vav, "properties.siteRef") == nil, "refs that agree with the location are not kept")
        let point = try object(result, "riverside-hq/hq-vav-101/damper")
        #expect(value(point, "partOf")?.idList == ["riverside-hq/hq-vav-101"])
        #expect(value(point, "location")?.text == "riverside-hq/building")
        let site = try object(result, "riverside-hq/building")
        #expect(value(site, "properties.weatherRef") == .scalar("@w", plain: false))
        #expect(result.warnings.contains("@w \"Oakland\" is not a record of the file; 1 ref to it (weatherRef) kept as text"))
        #expect(value(site, "refs.haystack")?.text == "@s")
    }

    @Test("values: quantities in arxos units, strings quoted when they would read as something else, times, coordinates, lifecycle fields")
    func values() throws {
        let result = try run(Self.site)
        let site = try object(result, "riverside-hq/building")
        #expect(value(site, "properties.geoCoord") == .map([.init(key: "lat", value: .scalar("37.8", plain: true)),
                                                            .init(key: "lng", value: .scalar("-122.27", plain: true))]))
        #expect(value(site, "properties.phone") == .scalar("510.555.0100", plain: false))
        #expect(value(site, "properties.occupiedStart") == .scalar("07:30:00", plain: false))
        #expect(value(site, "properties.markers") == nil, "the markers are exactly the type's own ([site])")
        let sensor = try object(result, "riverside-hq/hq-vav-101/zone-temp")
        #expect(value(sensor, "properties.curVal") == .scalar("72.5 °F", plain: true))
        #expect(value(sensor, "properties.unit") == .scalar("°F", plain: true))
        #expect(value(sensor, "properties.hisEnd") == .scalar("2019-03-12T23:45:00-04:00 New_York", plain: false))
        #expect(value(try object(result, "riverside-hq/hq-vav-101/damper"), "properties.curVal")?.text == "45 %")
        #expect(value(try object(result, "riverside-hq/hq-floor-1"), "properties.level")?.text == "1", "a floor's level from its name")
        let floors = try run("ver:\"3.0\"\nid,dis,space,floor,floorNum\n@b \"Basement\",\"Basement\",M,M,\n@m \"Mezzanine\",\"Mezzanine\",M,M,\n@p \"Penthouse\",\"Penthouse\",M,M,12\n")
        #expect(value(try object(floors, "hq/basement"), "properties.level")?.text == "-1")
        #expect(value(try object(floors, "hq/penthouse"), "properties.level")?.text == "12", "floorNum wins and is not kept twice")
        #expect(value(try object(floors, "hq/penthouse"), "properties.floorNum") == nil)
        #expect(value(try object(floors, "hq/mezzanine"), "properties.level") == nil)
        #expect(floors.warnings.contains("floor @m \"Mezzanine\": no floorNum and no level number in its name; 'level' not set"))
        let ahu = try object(result, "riverside-hq/hq-ahu-1")
        #expect(value(ahu, "manufacturer")?.text == "Trane" && value(ahu, "model")?.text == "M-Series")
        #expect(value(ahu, "properties.vendor") == nil)
        #expect(value(ahu, "properties.markers") == nil, "markers equal to the type's own are not repeated")
        #expect(value(try object(result, "riverside-hq/hq-rtu-1"), "properties.markers")?.idList == ["ahu", "equip", "rooftop"])
    }

    @Test("warts: rows without id, duplicate ids, NA, unknown and ambiguous units, records of no kind, each reported once")
    func warts() throws {
        let result = try run("""
            ver:"3.0"
            id,dis,equip,point,sensor,device,equipRef,cost,mass,curVal
            @e "E","E",M,,,,,1.5$,,
            @e "E again","E again",M,,,,,,,
            ,"no id",M,,,,,,,
            @d "Controller","Controller",,,,M,,,,
            @p1 "E T1",,,M,M,,@e,2$,3ton,NA
            @p2 "E T2",,,M,M,,@gone,,,NA
            """)
        #expect(result.objects.map(\.id).sorted() == ["hq/e", "hq/e-t2", "hq/e/t1"])
        #expect(result.warnings.contains("1 row has no 'id' ref (line 5); not imported"))
        #expect(result.warnings.contains("@e is the id of 2 rows (lines 3, 4); the first is imported, the others are not"))
        #expect(result.warnings.contains("1 record is not a site, space, equip or point; not imported: @d \"Controller\""))
        #expect(result.warnings.contains("unit '$' is not a unit arxos knows; 2 values (cost) kept as written"))
        #expect(result.warnings.contains("unit 'ton' is a metric ton (mass) in Haystack but a ton of refrigeration in arxos; 1 value (mass) kept as written"))
        #expect(result.warnings.contains("2 values are NA (not available) and not kept: curVal (2)"))
        #expect(result.warnings.contains("@gone is not a record of the file; 1 ref to it (equipRef) kept as text"))
        let orphan = try object(result, "hq/e-t2")
        #expect(value(orphan, "partOf") == nil && value(orphan, "properties.equipRef") == .scalar("@gone", plain: false))
        #expect(Set(result.warnings).count == result.warnings.count)
    }

    @Test("a location ref that disagrees with the chosen place stays a property; a location cycle is not written")
    func locationConflicts() throws {
        let result = try run("""
            ver:"3.0"
            id,dis,site,space,floor,room,siteRef,floorRef,spaceRef
            @s "S","S",M,,,,,,
            @f1 "F1","F1",,M,M,,@s,,
            @f2 "F2","F2",,M,M,,@s,,
            @r "R","R",,M,,M,@s,@f2,@a
            @a "A","A",,M,,,@s,@f1,@b
            @b "B","B",,M,,,@s,@f1,@a
            """)
        let room = try object(result, "s/r")
        #expect(value(room, "location")?.text == "s/a")
        #expect(value(room, "properties.floorRef")?.text == "s/f2")
        #expect(result.warnings.contains("@r \"R\": floorRef @f2 \"F2\" is not where its location @a \"A\" is; kept as property 'floorRef'"), "\(result.warnings)")
        #expect(value(try object(result, "s/a"), "location") == nil)
        #expect(value(try object(result, "s/a"), "properties.spaceRef")?.text == "s/b")
        #expect(value(try object(result, "s/b"), "location")?.text == "s/a")
        #expect(result.warnings.contains { $0.hasPrefix("@a \"A\": its location @b \"B\" leads back to it") })
    }

    @Test("--building is refused for a file with several sites, which each become a building")
    func severalSites() throws {
        let zinc = """
            ver:"3.0"
            id,dis,site,equip,siteRef
            @s1 "Carytown","Carytown",M,,
            @s2 "Short Pump","Short Pump",M,,
            @e1 "Carytown AHU","Carytown AHU",,M,@s1
            @e2 "Short Pump AHU","Short Pump AHU",,M,@s2
            """
        #expect(throws: HaystackImportError.buildingForSeveralSites(["Carytown", "Short Pump"])) { try run(zinc, building: "x") }
        let result = try run(zinc)
        #expect(result.buildings == ["carytown", "short-pump"])
        #expect(Set(result.objects.map(\.id)) == ["carytown/building", "carytown/ahu", "short-pump/building", "short-pump/ahu"])
    }

    /// Objects written by hand, with what the Haystack import alone would not produce.
    static let handWritten = """
        - id: hq/building
          type: building
          name: Riverside HQ
          properties: {yearBuilt: 2008, occupiedStart: "07:00", region: west, note: "72 °F"}
          refs: {haystack: "@p:hq:r:building", brick: "urn:example:hq#building"}
        - id: hq/campus
          type: site
        - id: hq/floor-1
          type: floor
          location: hq/building
          properties: {level: 1, area: 1200 m²}
        - id: hq/floor-1/room-101
          type: room
          location: hq/floor-1
        - id: hq/ahu-1
          type: ahu
          location: hq/floor-1
          feeds: [hq/vav-101]
          points: [hq/ahu-1/sat]
          installDate: 2019-06-01
          manufacturer: Trane
          serialNumber: "0042"
          brickClass: https://brickschema.org/schema/Brick#AHU
          properties: {designAirflow: 12000 cfm, economizer: true, schedule: {occupied: "07:00:00", days: [mon, tue]}, mode: ^auto}
        - id: hq/vav-101
          type: vav
          location: hq/floor-1/room-101
          fedBy: [hq/ahu-1, hq/panel-1]
          properties: {maxAirflow: 850cfm, minAirflow: 150 cfm, odd: 1e3 W, serves: hq/floor-1/room-101, retention: 30 d, markers: [equip, vav, air, pressureDependent]}
        - id: hq/panel-1
          type: elec_panel
          properties: {rating: 225 A}
        - id: hq/ahu-1/sat
          type: sensor
          partOf: [hq/ahu-1]
        - id: hq/lift-1
          type: lift
          name: Lift 1
          location: hq/building
        """

    @Test("export then import gives the same objects, for objects written by hand too", arguments: ["zinc", "hayson", "json-v3"])
    func exportImportRoundTrip(format: String) throws {
        let objects = try ArxObject.objects(path: "hq.yaml", bytes: Array(Self.handWritten.utf8))
        let (grid, warnings) = HaystackExporter().export(objects)
        #expect(warnings.isEmpty, "\(warnings)")
        let text: String
        let back: HaystackGrid
        switch format {
        case "zinc":
            text = ZincWriter.write(grid)
            back = try ZincReader.read(Array(text.utf8), file: "x.zinc")
        default:
            let encoding: HaystackJSONEncoding = format == "hayson" ? .hayson : .v3
            text = HaystackJSONWriter.write(grid, encoding: encoding)
            back = try HaystackJSONReader.read(Array(text.utf8), file: "x.json").grid
        }
        let result = try HaystackImporter(grid: back).run(building: nil, fileStem: "x")
        #expect(result.objects.count == objects.count)
        for original in objects {
            let imported = try #require(result.objects.first { $0.id == original.id }, "\(original.id) lost\n\(text)")
            #expect(imported.type == original.type)
            #expect(Self.normalized(imported.fields) == Self.normalized(original.fields), "\(original.id)\n\(text)")
        }
    }

    /// Fields compared as arxos compares objects: key order and quoting aside, quantities by amount and unit,
    /// relations (and markers, which the import sorts) as sets.
    static func normalized(_ fields: [ModelValue.Field]) -> [String: String] {
        var out = [String: String]()
        func flatten(_ value: ModelValue, _ path: String) {
            switch value {
            case let .scalar(text, _):
                // A quantity as arxos compares it: the amount and the unit, however it was spelled.
                out[path] = Quantity.parse(text).map { "\($0.value) \($0.unit.symbol) \($0.decimals)" } ?? text
            case let .list(items):
                let texts = items.map { item -> String in
                    var inner = [String: String]()
                    swap(&out, &inner)
                    flatten(item, "")
                    swap(&out, &inner)
                    return inner.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
                }
                let isSet = ArxObject.relationKeys.contains(path) || path.hasSuffix("markers")
                out[path] = (isSet ? texts.sorted() : texts).joined(separator: ", ")
            case let .map(fields):
                for field in fields { flatten(field.value, path.isEmpty ? field.key : path + "." + field.key) }
            }
        }
        flatten(.map(fields), "")
        return out
    }

    @Test("export: refs by the place's type, flow refs by the source's type, points and feeds only when needed, arxosType only when markers differ")
    func exportTags() throws {
        let objects = try ArxObject.objects(path: "hq.yaml", bytes: Array(Self.handWritten.utf8))
        let (grid, _) = HaystackExporter().export(objects)
        func row(_ id: String) throws -> [String: HaystackValue] {
            let found = try #require(grid.rows.first { $0["arxosId"] == .string(id) })
            return Dictionary(uniqueKeysWithValues: found.tags.map { ($0.name, $0.value) })
        }
        let vav = try row("hq/vav-101")
        #expect(vav["id"] == .ref("hq:vav-101", dis: nil))
        #expect(vav["spaceRef"] == .ref("hq:floor-1:room-101", dis: nil))
        #expect(vav["floorRef"] == .ref("hq:floor-1", dis: nil))
        #expect(vav["siteRef"] == .ref("p:hq:r:building", dis: "Riverside HQ"))
        #expect(vav["ahuRef"] == .ref("hq:ahu-1", dis: nil) && vav["elecRef"] == .ref("hq:panel-1", dis: nil))
        #expect(vav["maxAirflow"] == .number(HaystackNumber("850", unit: "cfm")))
        #expect(vav["odd"] == .string("1e3 W"), "arxos reads a number with an exponent as text")
        #expect(vav["retention"] == .number(HaystackNumber("30", unit: "d")))
        #expect(vav["serves"] == .ref("hq:floor-1:room-101", dis: nil))
        #expect(vav["pressureDependent"] == .marker && vav["arxosType"] == nil)
        let ahu = try row("hq/ahu-1")
        #expect(ahu["feeds"] == .ref("hq:vav-101", dis: nil))
        #expect(ahu["points"] == nil, "the sensor's equipRef gives the AHU its points back")
        #expect(ahu["vendor"] == .string("Trane") && ahu["serialNumber"] == .string("0042") && ahu["installDate"] == .date("2019-06-01"))
        #expect(ahu["mode"] == .symbol("auto") && ahu["economizer"] == .bool(true))
        #expect(ahu["schedule"] == .dict([HaystackTag("occupied", .time("07:00:00")), HaystackTag("days", .list([.string("mon"), .string("tue")]))]))
        #expect(try row("hq/campus")["arxosType"] == .string("site"), "[site] reads back as a building")
        #expect(try row("hq/lift-1")["arxosType"] == .string("lift"))
        #expect(try row("hq/floor-1")["floorNum"] == .number(HaystackNumber("1")), "a floor's level is Haystack 4's floorNum")
        let building = try row("hq/building")
        #expect(building["occupiedStart"] == .string("07:00"), "hh:mm is not a Haystack time")
        #expect(building["note"] == .string("72 °F"), "a quoted string stays a string")
        #expect(building["refs"] == .dict([HaystackTag("brick", .string("urn:example:hq#building"))]))
        #expect(grid.columns.prefix(4) == ["id", "dis", "arxosId", "arxosType"])
    }

    @Test("export reports what it cannot write: fields without a tag, property names that are not tag names, dangling relations")
    func exportWarnings() throws {
        let objects = try ArxObject.objects(path: "x.yaml", bytes: Array("""
            - id: x/a
              type: vav
              fedBy: [x/missing]
              custom: 1
              properties: {"Bad Name": 1, dis: "x"}
            """.utf8))
        let (grid, warnings) = HaystackExporter().export(objects)
        #expect(warnings == [
            "x/a: fedBy names 'x/missing', which is not in the state; not exported",
            "x/a: property 'Bad Name' is not a Haystack tag name (a lowercase letter, then letters, digits, '_'); not exported",
            "x/a: property 'dis' has the name of a tag the export writes itself; not exported",
            "field 'custom' (1 object) has no Haystack tag; not exported",
        ])
        #expect(grid.rows.count == 1)
    }
}
