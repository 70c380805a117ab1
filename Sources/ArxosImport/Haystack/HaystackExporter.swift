import ArxosModel

/// Writes arxos objects as Haystack records, one row per object (docs/import.md, "Export"), such that importing the
/// grid again gives the same objects.
public struct HaystackExporter {
    let table: TypeTable

    public init(table: TypeTable = .standard) { self.table = table }

    /// The top-level fields the export knows; any other field is reported and not exported.
    static let knownFields: Set<String> = ["id", "type", "name", "location", "feeds", "fedBy", "points", "partOf", "properties",
                                           "refs", "brickClass", "installDate", "expectedLifeYears", "manufacturer", "model",
                                           "serialNumber"]
    /// Lifecycle fields and the tags they are written as.
    static let lifecycleTags: [(field: String, tag: String)] = [
        ("brickClass", "brickClass"), ("installDate", "installDate"), ("expectedLifeYears", "expectedLifeYears"),
        ("manufacturer", "vendor"), ("model", "model"), ("serialNumber", "serialNumber"),
    ]
    /// Tags the export writes itself; a property of that name is not exported.
    static let reservedTags: Set<String> = ["id", "dis", "arxosId", "arxosType", "refs"]

    /// The tag naming what feeds an object, by the type of the source: an AHU's air, a meter's or panel's electricity,
    /// a chiller's chilled water, a boiler's hot water, a cooling tower's condenser water; `airRef` otherwise.
    public static func fedByTag(sourceType: String) -> String {
        switch sourceType {
        case "ahu", "rtu": "ahuRef"
        case "meter": "elecMeterRef"
        case "elec_panel", "circuit", "transformer", "generator", "ups": "elecRef"
        case "chiller": "chilledWaterRef"
        case "boiler": "hotWaterRef"
        case "cooling_tower": "condenserWaterRef"
        default: "airRef"
        }
    }

    /// The grid for `objects` (rows in id order) and what could not be exported, once each.
    public func export(_ objects: [ArxObject]) -> (grid: HaystackGrid, warnings: [String]) {
        var warnings = [String]()
        var warned = Set<String>()
        func warn(_ text: String) { if warned.insert(text).inserted { warnings.append(text) } }
        let sorted = objects.sorted { $0.id < $1.id }
        var byID = [String: ArxObject]()
        for object in sorted where byID[object.id] == nil { byID[object.id] = object }

        // Haystack ids: `refs.haystack`, else made from the arxos id.
        var refOf = [String: String]()
        var usedRefs = Set<String>()
        for object in sorted where refOf[object.id] == nil {
            let kept = object["refs"]?.fields?.first { $0.key == "haystack" }?.value.text
            var candidate = HaystackExporter.derivedRef(object.id)
            if let kept, kept.hasPrefix("@"), HaystackSyntax.isRefID(String(kept.dropFirst())) {
                candidate = String(kept.dropFirst())
                if usedRefs.contains(candidate) { warn("\(object.id): refs.haystack \(kept) is the Haystack id of another object; exported with another id") }
            }
            var unique = candidate, n = 2
            while usedRefs.contains(unique) { unique = "\(candidate)~\(n)"; n += 1 }
            usedRefs.insert(unique)
            refOf[object.id] = unique
        }
        func ref(_ id: String) -> HaystackValue? {
            refOf[id].map { .ref($0, dis: byID[id]?["name"]?.text) }
        }

        // Markers and the kind each record will be read as.
        var markers = [String: [String]]()
        for object in sorted {
            var list = table.entry(object.type)?.haystackMarkers ?? []
            if let written = object["properties"]?.fields?.first(where: { $0.key == "markers" })?.value.idList {
                let bad = written.filter { !HaystackSyntax.isTagName($0) }
                if !bad.isEmpty { warn("\(object.id): markers \(bad.joined(separator: ", ")) are not Haystack tag names; not exported") }
                list = written.filter(HaystackSyntax.isTagName)
            }
            markers[object.id] = list
        }
        var derivedPoints = [String: Set<String>]()
        for object in sorted where HaystackTypes.kind(Set(markers[object.id] ?? [])) == .point {
            for parent in object["partOf"]?.idList ?? [] { derivedPoints[parent, default: []].insert(object.id) }
        }

        var rows = [HaystackRow]()
        var unknownFields = [String: Int]()
        for object in sorted {
            var tags = [HaystackTag]()
            var relations = [(tag: String, refs: [HaystackValue])]()
            func relate(_ tag: String, _ value: HaystackValue) {
                if let index = relations.firstIndex(where: { $0.tag == tag }) { relations[index].refs.append(value) } else { relations.append((tag, [value])) }
            }
            func relate(_ tag: String, id: String, field: String) {
                if let value = ref(id) { relate(tag, value) } else { warn("\(object.id): \(field) names '\(id)', which is not in the state; not exported") }
            }
            guard let id = refOf[object.id] else { continue }
            let name = object["name"]?.text
            tags.append(HaystackTag("id", .ref(id, dis: name)))
            if let name, !name.isEmpty { tags.append(HaystackTag("dis", .string(name))) }
            tags.append(HaystackTag("arxosId", .string(object.id)))
            let markerList = markers[object.id] ?? []
            if HaystackTypes.type(Set(markerList), table: table)?.type != object.type {
                tags.append(HaystackTag("arxosType", .string(object.type)))
            }
            for marker in markerList { tags.append(HaystackTag(marker, .marker)) }

            // Location: the tag by the place's type, then the floor and the site above it.
            if let location = object.location, !location.isEmpty {
                if let target = byID[location] {
                    let first = HaystackExporter.locationTag(target.type)
                    relate(first, id: location, field: "location")
                    var assigned: Set<String> = [first]
                    var seen: Set<String> = [object.id, location]
                    var current = target.location
                    while let step = current, let above = byID[step], seen.insert(step).inserted {
                        let tag = HaystackExporter.locationTag(above.type)
                        if tag != "spaceRef", assigned.insert(tag).inserted { relate(tag, id: step, field: "location") }
                        current = above.location
                    }
                } else {
                    warn("\(object.id): location names '\(location)', which is not in the state; not exported")
                }
            }
            for target in object["partOf"]?.idList ?? [] { relate("equipRef", id: target, field: "partOf") }
            for source in object["fedBy"]?.idList ?? [] {
                relate(HaystackExporter.fedByTag(sourceType: byID[source]?.type ?? ""), id: source, field: "fedBy")
            }
            for target in object["feeds"]?.idList ?? [] { relate("feeds", id: target, field: "feeds") }
            // `points` is written when re-reading the grid would not find the same points from the points' equipRef.
            let points = object["points"]?.idList ?? []
            let keptPoints = object["properties"]?.fields?.contains { $0.key == "points" } ?? false
            if Set(points) != derivedPoints[object.id] ?? [] || keptPoints {
                for target in points { relate("points", id: target, field: "points") }
                if points.isEmpty { relations.append(("points", [])) }
            }

            // Lifecycle fields.
            var written = Set<String>()
            var skipped = [String]()
            for (field, tag) in HaystackExporter.lifecycleTags {
                guard let value = object[field] else { continue }
                let text = ["manufacturer", "model", "serialNumber"].contains(field) ? value.text.map(HaystackValue.string) : nil
                guard let converted = text ?? convert(value, refOf: ref, skipped: &skipped) else { continue }
                tags.append(HaystackTag(tag, converted))
                written.insert(tag)
            }
            // Properties; a floor's integer level is Haystack 4's floorNum.
            for var field in object["properties"]?.fields ?? [] where field.key != "markers" {
                if object.type == "floor", field.key == "level", let text = field.value.text, Int(text) != nil {
                    field = ModelValue.Field(key: "floorNum", value: .scalar(text, plain: true))
                }
                guard HaystackSyntax.isTagName(field.key), !HaystackExporter.reservedTags.contains(field.key), !written.contains(field.key) else {
                    warn("\(object.id): property '\(field.key)' \(HaystackSyntax.isTagName(field.key) ? "has the name of a tag the export writes itself" : "is not a Haystack tag name (a lowercase letter, then letters, digits, '_')"); not exported")
                    continue
                }
                guard let converted = convert(field.value, refOf: ref, skipped: &skipped) else { continue }
                let isRelationTag = HaystackImporter.locationTags.contains(field.key) || HaystackImporter.fedByTags.contains(field.key)
                    || ["equipRef", "feeds", "points"].contains(field.key)
                if isRelationTag {
                    switch converted {
                    case .ref: relate(field.key, converted); continue
                    case let .list(items) where items.allSatisfy({ if case .ref = $0 { return true }; return false }):
                        for item in items { relate(field.key, item) }
                        continue
                    default:
                        if relations.contains(where: { $0.tag == field.key }) {
                            warn("\(object.id): property '\(field.key)' is not a ref but the export writes '\(field.key)' for a relation; not exported")
                            continue
                        }
                    }
                }
                tags.append(HaystackTag(field.key, converted))
            }
            if !skipped.isEmpty {
                warn("\(object.id): keys \(skipped.joined(separator: ", ")) inside a map are not Haystack tag names; not exported")
            }
            for (tag, refs) in relations {
                tags.append(HaystackTag(tag, refs.count == 1 && tag != "points" ? refs[0] : .list(refs)))
            }
            // Foreign ids other than Haystack's.
            let otherRefs = (object["refs"]?.fields ?? []).filter { $0.key != "haystack" }
            let refTags = otherRefs.compactMap { field -> HaystackTag? in field.value.text.map { HaystackTag(field.key, .string($0)) } }
            if !refTags.isEmpty { tags.append(HaystackTag("refs", .dict(refTags))) }
            for field in object.fields where !HaystackExporter.knownFields.contains(field.key) { unknownFields[field.key, default: 0] += 1 }

            let first = ["id", "dis", "arxosId", "arxosType"]
            tags.sort { a, b in
                let (x, y) = (first.firstIndex(of: a.name) ?? first.count, first.firstIndex(of: b.name) ?? first.count)
                return x != y ? x < y : a.name < b.name
            }
            rows.append(HaystackRow(tags: tags))
        }
        for (field, count) in unknownFields.sorted(by: { $0.key < $1.key }) {
            warn("field '\(field)' (\(count) object\(count == 1 ? "" : "s")) has no Haystack tag; not exported")
        }

        let leading = ["id", "dis", "arxosId", "arxosType"]
        var names = Set<String>()
        for row in rows { for tag in row.tags { names.insert(tag.name) } }
        let columns = leading.filter(names.contains) + names.subtracting(leading).sorted()
        return (HaystackGrid(columns: columns, rows: rows), warnings)
    }

    /// The tag a place is named by: `floorRef` for a floor, `siteRef` for a building or site, `spaceRef` otherwise.
    static func locationTag(_ type: String) -> String {
        switch type {
        case "floor": "floorRef"
        case "building", "site": "siteRef"
        default: "spaceRef"
        }
    }

    /// A Haystack id made from an arxos id: `/` becomes `:`, other characters a ref cannot hold become `_`.
    static func derivedRef(_ id: String) -> String {
        var out = ""
        for scalar in id.unicodeScalars {
            if scalar == "/" { out += ":" } else if scalar.isASCII, HaystackSyntax.isRefByte(UInt8(scalar.value)) { out.unicodeScalars.append(scalar) } else { out += "_" }
        }
        return out.isEmpty ? "_" : out
    }

    /// A property value as a Haystack value (docs/import.md, "Values"); ids of exported objects become refs.
    func convert(_ value: ModelValue, refOf: (String) -> HaystackValue?, skipped: inout [String]) -> HaystackValue? {
        switch value {
        case let .scalar(text, plain):
            guard let converted = HaystackScalars.value(text, plain: plain) else { return nil }
            if case let .string(text) = converted, let target = refOf(text) { return target }
            return converted
        case let .list(items):
            var out = [HaystackValue]()
            for item in items { if let converted = convert(item, refOf: refOf, skipped: &skipped) { out.append(converted) } }
            return .list(out)
        case let .map(fields):
            let keys = Set(fields.map(\.key))
            if keys == ["lat", "lng"], fields.count == 2,
               let lat = fields.first(where: { $0.key == "lat" })?.value.text, let lng = fields.first(where: { $0.key == "lng" })?.value.text,
               HaystackSyntax.isNumber(lat), HaystackSyntax.isNumber(lng), let a = Double(lat), let b = Double(lng), abs(a) <= 90, abs(b) <= 180 {
                return .coord(latitude: lat, longitude: lng)
            }
            var tags = [HaystackTag]()
            for field in fields {
                guard HaystackSyntax.isTagName(field.key) else { skipped.append(field.key); continue }
                if field.key == "markers", let names = field.value.idList, names.allSatisfy(HaystackSyntax.isTagName) {
                    tags += names.map { HaystackTag($0, .marker) }
                } else if let converted = convert(field.value, refOf: refOf, skipped: &skipped) {
                    tags.append(HaystackTag(field.key, converted))
                }
            }
            return .dict(tags)
        }
    }
}
