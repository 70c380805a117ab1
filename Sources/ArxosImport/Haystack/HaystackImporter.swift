import ArxosModel
import Foundation

/// One object a Haystack import would write.
public struct HaystackObject: Sendable {
    public var id: String
    public var type: String
    /// The Haystack id of the record it came from, without `@`.
    public var ref: String
    /// The working-tree path of the file it goes to.
    public var path: String
    public var fields: [ModelValue.Field]
}

/// The outcome of mapping a Haystack grid to arxos objects: what would be written and every oddity, once each.
public struct HaystackImport: Sendable {
    /// The building ids, one per site (or the one given), in the order of the files.
    public var buildings: [String]
    /// The rows of the grid.
    public var records: Int
    public var objects: [HaystackObject]
    public var warnings: [String]

    /// The files to write, in path order, each with its objects in file order.
    public var files: [(path: String, objects: [HaystackObject])] {
        var byPath = [String: [HaystackObject]]()
        for object in objects { byPath[object.path, default: []].append(object) }
        return byPath.keys.sorted().map { ($0, byPath[$0] ?? []) }
    }

    /// The number of objects per type, by type name.
    public var countsByType: [String: Int] {
        objects.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }
}

/// Why a Haystack grid cannot be imported as asked.
public enum HaystackImportError: Error, LocalizedError, Equatable {
    /// `--building` was given for a file with several sites.
    case buildingForSeveralSites([String])

    public var errorDescription: String? {
        switch self {
        case let .buildingForSeveralSites(names):
            "the file has \(names.count) sites (\(names.joined(separator: ", "))) and --building names one building; import without --building and each site becomes a building named after it"
        }
    }
}

/// Maps the records of a Haystack grid to arxos objects, following docs/import.md ("How Haystack maps to arxos objects").
public struct HaystackImporter {
    let grid: HaystackGrid
    let table: TypeTable

    public init(grid: HaystackGrid, table: TypeTable = .standard) {
        self.grid = grid
        self.table = table
    }

    /// Tags that place a record, most specific first; the first that names an imported record is `location`.
    public static let locationTags = ["spaceRef", "floorRef", "siteRef"]
    /// Tags naming what feeds a record (air, water, electricity): `fedBy`.
    public static let fedByTags = ["ahuRef", "airRef", "elecRef", "elecMeterRef", "chilledWaterRef", "hotWaterRef",
                                   "condenserWaterRef", "steamRef", "chilledWaterPlantRef", "hotWaterPlantRef", "steamPlantRef"]
    /// Tags that are not kept: the id and display name have their own fields; the display macro and the modification
    /// stamp are not configuration; `arxosId` and `arxosType` are read, not kept.
    static let droppedTags: Set<String> = ["id", "dis", "disMacro", "mod", "arxosId", "arxosType"]

    /// One record of the grid that can become an object.
    struct Record {
        var ref: String
        /// The display name: `dis`, else the text after the ref in the record's own `id`.
        var name: String?
        var line: Int
        var tags: [HaystackTag]
        var markers: [String]
        var kind: HaystackTypes.Kind
        var type: String
        var display: String
        var building = ""
        var id = ""

        subscript(name: String) -> HaystackValue? { tags.first { $0.name == name }?.value }

        /// A string tag's text.
        func text(_ name: String) -> String? {
            if case let .string(text)? = self[name], !text.isEmpty { return text }
            return nil
        }

        /// How the record reads in a message: `@id "dis"`.
        var label: String { "@\(ref)" + (display != ref ? " \"\(display)\"" : "") }
    }

    /// Oddities gathered while mapping, reported once each at the end.
    struct Notes {
        var dangling = [String: (dis: String?, count: Int, tags: Set<String>)]()
        var danglingOrder = [String]()
        var unknownUnits = [String: (count: Int, tags: Set<String>, reason: String?)]()
        var unitOrder = [String]()
        var notAvailable = [String: Int]()
        var dropped = [String: Int]()

        mutating func dangle(_ id: String, dis: String?, tag: String) {
            if dangling[id] == nil { danglingOrder.append(id) }
            var entry = dangling[id] ?? (dis, 0, [])
            entry.count += 1
            entry.tags.insert(tag)
            if entry.dis == nil { entry.dis = dis }
            dangling[id] = entry
        }

        mutating func unit(_ unit: String, tag: String, reason: String?) {
            if unknownUnits[unit] == nil { unitOrder.append(unit) }
            var entry = unknownUnits[unit] ?? (0, [], reason)
            entry.count += 1
            entry.tags.insert(tag)
            unknownUnits[unit] = entry
        }
    }

    /// Maps the grid; `building` names the building (only for files with at most one site), `fileStem` is the default.
    public func run(building requested: String?, fileStem: String) throws(HaystackImportError) -> HaystackImport {
        var warnings = [String]()
        var warned = Set<String>()
        func warn(_ text: String) { if warned.insert(text).inserted { warnings.append(text) } }
        func list(_ items: [String], limit: Int = 5) -> String {
            items.prefix(limit).joined(separator: ", ") + (items.count > limit ? ", … (\(items.count) in all)" : "")
        }
        var notes = Notes()

        // Records: rows with an id ref, the first of each id.
        var records = [Record]()
        var index = [String: Int]()
        var withoutID = [Int]()
        var duplicates = [String: [Int]]()
        var duplicateOrder = [String]()
        var otherKind = [String]()
        for row in grid.rows {
            guard case let .ref(ref, refDis)? = row["id"] else { withoutID.append(row.line); continue }
            if let first = index[ref] {
                if duplicates[ref] == nil { duplicateOrder.append(ref); duplicates[ref] = [records[first].line] }
                duplicates[ref, default: []].append(row.line)
                continue
            }
            var markers = [String]()
            var tags = [HaystackTag]()
            for tag in row.tags {
                switch tag.value {
                case .marker: markers.append(tag.name)
                case .null, .remove: continue
                case .na: notes.notAvailable[tag.name, default: 0] += 1
                default: tags.append(tag)
                }
            }
            let dis: String? = {
                if case let .string(text)? = row["dis"], !text.isEmpty { return text }
                if let refDis, !refDis.isEmpty { return refDis }
                return nil
            }()
            let markerSet = Set(markers)
            var record = Record(ref: ref, name: dis, line: row.line, tags: tags, markers: markers.sorted(),
                                kind: HaystackTypes.kind(markerSet), type: "", display: dis ?? ref)
            if case let .string(type)? = row["arxosType"], ObjectFile.isValidType(type) {
                record.type = type
            } else if let (type, _) = HaystackTypes.type(markerSet, table: table) {
                record.type = type
            } else {
                otherKind.append(record.label)
                continue
            }
            index[ref] = records.count
            records.append(record)
        }
        if !withoutID.isEmpty {
            warn("\(withoutID.count) row\(withoutID.count == 1 ? " has" : "s have") no 'id' ref (line\(withoutID.count == 1 ? "" : "s") \(list(withoutID.map(String.init)))); not imported")
        }
        for ref in duplicateOrder {
            let lines = duplicates[ref] ?? []
            warn("@\(ref) is the id of \(lines.count) rows (lines \(list(lines.map(String.init)))); the first is imported, the others are not")
        }
        if !otherKind.isEmpty {
            warn("\(otherKind.count) record\(otherKind.count == 1 ? " is" : "s are") not a site, space, equip or point; not imported: \(list(otherKind))")
        }
        var generic = [String: [String]]()
        for record in records where record.kind == .equip || record.kind == .point {
            if let (type, specific) = HaystackTypes.type(Set(record.markers), table: table), !specific, record.type == type {
                generic[type, default: []].append("\(record.display) (\(record.markers.joined(separator: " ")))")
            }
        }
        for type in generic.keys.sorted() {
            let names = generic[type] ?? []
            warn("\(names.count) \(type == "point" ? "point" : "equip") record\(names.count == 1 ? "" : "s") match\(names.count == 1 ? "es" : "") no more specific type in the type table; imported as '\(type)': \(list(names))")
        }
        let missingNames = records.filter { $0.name == nil }.map { "@" + $0.ref }
        if !missingNames.isEmpty {
            warn("\(missingNames.count) record\(missingNames.count == 1 ? " has" : "s have") no dis (and no display name after the id); 'name' not set: \(list(missingNames))")
        }

        func resolve(_ value: HaystackValue?) -> [(ref: String, dis: String?)]? {
            switch value {
            case let .ref(ref, dis)?: return [(ref, dis)]
            case let .list(items)?:
                var refs = [(ref: String, dis: String?)]()
                for item in items {
                    guard case let .ref(ref, dis) = item else { return nil }
                    refs.append((ref, dis))
                }
                return refs.isEmpty ? nil : refs
            default: return nil
            }
        }

        // Buildings: one per site, by its name, or the one given.
        let sites = records.indices.filter { records[$0].kind == .site }
        if requested != nil && sites.count > 1 {
            throw .buildingForSeveralSites(sites.map { records[$0].display })
        }
        var usedBuildings = Set<String>()
        func claimBuilding(_ candidate: String) -> String {
            var unique = candidate, n = 2
            while usedBuildings.contains(unique) { unique = "\(candidate)-\(n)"; n += 1 }
            usedBuildings.insert(unique)
            return unique
        }
        var siteBuilding = [Int: String]()
        for site in sites { siteBuilding[site] = requested ?? claimBuilding(HaystackImporter.slug(records[site].display)) }
        let defaultBuilding = sites.count == 1 ? (siteBuilding[sites[0]] ?? "") : (requested ?? claimBuilding(HaystackImporter.slug(fileStem)))
        func siteOf(_ record: Record) -> Int? {
            guard let first = resolve(record["siteRef"])?.first, let target = index[first.ref], records[target].kind == .site else { return nil }
            return target
        }
        for position in records.indices {
            let record = records[position]
            records[position].building = record.kind == .site ? (siteBuilding[position] ?? defaultBuilding)
                                                              : siteOf(record).flatMap { siteBuilding[$0] } ?? defaultBuilding
        }

        // Ids: `arxosId` when the file has it (an arxos export), else made from names as docs/import.md says.
        var taken = Set<String>()
        func claim(_ candidate: String, for record: Record) -> String {
            var unique = candidate, n = 2
            while taken.contains(unique) { unique = "\(candidate)-\(n)"; n += 1 }
            if unique != candidate { warn("\(record.label) would have the id '\(candidate)' of another record; its id is '\(unique)'") }
            taken.insert(unique)
            return unique
        }
        for position in records.indices {
            guard case let .string(id)? = records[position]["arxosId"] else { continue }
            guard !id.isEmpty, !id.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
                warn("\(records[position].label): arxosId \"\(id)\" is not an object id (empty, or with spaces or control characters); an id is made from its name")
                continue
            }
            records[position].id = claim(id, for: records[position])
            records[position].building = String(id.split(separator: "/").first ?? Substring(records[position].building))
        }
        let order = records.indices.filter { records[$0].id.isEmpty }.sorted { a, b in
            let (x, y) = (records[a], records[b])
            if x.kind != y.kind { return x.kind < y.kind }
            if x.display != y.display { return x.display.unicodeScalars.lexicographicallyPrecedes(y.display.unicodeScalars) }
            return x.ref.unicodeScalars.lexicographicallyPrecedes(y.ref.unicodeScalars)
        }
        for position in order {
            let record = records[position]
            if record.kind == .site {
                records[position].id = claim(record.building + "/building", for: record)
                continue
            }
            if record.kind == .point, let equip = resolve(record["equipRef"])?.first, let target = index[equip.ref], !records[target].id.isEmpty {
                let name = HaystackImporter.shortName(record, parent: records[target].display)
                records[position].id = claim(records[target].id + "/" + HaystackImporter.slug(name), for: record)
                continue
            }
            let name = HaystackImporter.shortName(record, parent: siteOf(record).map { records[$0].display })
            records[position].id = claim(record.building + "/" + HaystackImporter.slug(name), for: record)
        }
        func arxosID(_ ref: String) -> String? { index[ref].map { records[$0].id } }

        // Relations. A relation tag's refs to imported records become the relation; the rest stay a property.
        var location = [Int?](repeating: nil, count: records.count)
        var locationTag = [String](repeating: "", count: records.count)
        var leftovers = [[String: [(ref: String, dis: String?)]]](repeating: [:], count: records.count)
        var partOf = [[Int]](repeating: [], count: records.count)
        var fedBy = [[Int]](repeating: [], count: records.count)
        var feeds = [[Int]](repeating: [], count: records.count)
        var explicitPoints = [[Int]?](repeating: nil, count: records.count)
        var consumed = [Set<String>](repeating: [], count: records.count)
        func link(_ position: Int, _ tag: String, into targets: inout [Int]) {
            guard let refs = resolve(records[position][tag]) else { return }
            consumed[position].insert(tag)
            for ref in refs {
                if let target = index[ref.ref], target != position {
                    if !targets.contains(target) { targets.append(target) }
                } else {
                    leftovers[position][tag, default: []].append(ref)
                }
            }
        }
        for position in records.indices {
            for tag in HaystackImporter.locationTags {
                guard let refs = resolve(records[position][tag]) else { continue }
                consumed[position].insert(tag)
                for ref in refs {
                    if location[position] == nil, let target = index[ref.ref], target != position {
                        location[position] = target
                        locationTag[position] = tag
                    } else {
                        leftovers[position][tag, default: []].append(ref)
                    }
                }
            }
            link(position, "equipRef", into: &partOf[position])
            for tag in HaystackImporter.fedByTags { link(position, tag, into: &fedBy[position]) }
            link(position, "feeds", into: &feeds[position])
            if resolve(records[position]["points"]) != nil || records[position]["points"] == .list([]) {
                var targets = [Int]()
                link(position, "points", into: &targets)
                consumed[position].insert("points")
                explicitPoints[position] = targets
            }
        }
        // A location that leads back to its record is not kept (capture would refuse the cycle).
        for position in records.indices {
            var seen = Set<Int>()
            var current = location[position]
            while let step = current, seen.insert(step).inserted {
                if step == position, let target = location[position] {
                    leftovers[position][locationTag[position], default: []].insert((records[target].ref, nil), at: 0)
                    warn("\(records[position].label): its location \(records[target].label) leads back to it; 'location' not set, the ref is kept as property '\(locationTag[position])'")
                    location[position] = nil
                    break
                }
                current = location[step]
            }
        }
        // Location refs that disagree with the chosen location (not above it) stay properties.
        func isAbove(_ candidate: Int, _ start: Int?) -> Bool {
            var seen = Set<Int>()
            var current = start
            while let step = current, seen.insert(step).inserted {
                if step == candidate { return true }
                current = location[step]
            }
            return false
        }
        for position in records.indices {
            for tag in HaystackImporter.locationTags {
                var kept = [(ref: String, dis: String?)]()
                for ref in leftovers[position][tag] ?? [] {
                    guard let target = index[ref.ref], target != position else { kept.append(ref); continue }
                    if isAbove(target, location[position]) { continue }
                    kept.append(ref)
                    warn("\(records[position].label): \(tag) \(records[target].label) is not where its location \(location[position].map { records[$0].label } ?? "") is; kept as property '\(tag)'")
                }
                leftovers[position][tag] = kept.isEmpty ? nil : kept
            }
        }
        // An equip's points: the points that name it in equipRef, unless an arxos export listed them.
        var points = [[Int]](repeating: [], count: records.count)
        for position in records.indices where records[position].kind == .point {
            for equip in partOf[position] { points[equip].append(position) }
        }

        // Objects.
        var objects = [(kind: HaystackTypes.Kind, object: HaystackObject)]()
        let validator = Validator(table: table)
        for position in records.indices {
            let record = records[position]
            var fields = [ModelValue.Field]()
            func add(_ key: String, _ value: ModelValue) { fields.append(.init(key: key, value: value)) }
            func ids(_ targets: [Int]) -> ModelValue { .list(targets.map { records[$0].id }.sorted().map { .scalar($0, plain: true) }) }
            add("id", .scalar(record.id, plain: true))
            add("type", .scalar(record.type, plain: true))
            if let name = record.name { add("name", HaystackScalars.string(name)) }
            if let target = location[position] { add("location", .scalar(records[target].id, plain: true)) }
            if !feeds[position].isEmpty { add("feeds", ids(feeds[position])) }
            if !fedBy[position].isEmpty { add("fedBy", ids(fedBy[position])) }
            let pointList = explicitPoints[position] ?? points[position]
            if !pointList.isEmpty { add("points", ids(pointList)) }
            if !partOf[position].isEmpty { add("partOf", ids(partOf[position])) }

            // Lifecycle fields from their tags (Haystack `vendor` is the manufacturer).
            var lifecycle = Set<String>()
            func lift(_ field: String, from tags: [String], accept: (HaystackValue) -> ModelValue?) {
                for tag in tags where !lifecycle.contains(tag) {
                    guard let value = record[tag], let converted = accept(value) else { continue }
                    add(field, converted)
                    lifecycle.insert(tag)
                    return
                }
            }
            let asText: (HaystackValue) -> ModelValue? = { if case let .string(text) = $0, !text.isEmpty { return HaystackScalars.string(text) }; return nil }
            lift("brickClass", from: ["brickClass"]) { value in
                if case let .string(text) = value { return HaystackScalars.string(text) }
                if case let .list(items) = value {
                    let texts = items.compactMap { item -> String? in if case let .string(text) = item { return text }; return nil }
                    return texts.count == items.count && !texts.isEmpty ? .list(texts.map(HaystackScalars.string)) : nil
                }
                return nil
            }
            lift("installDate", from: ["installDate"]) { value in
                switch value {
                case let .date(text): return .scalar(text, plain: true)
                case let .string(text) where HaystackSyntax.isDate(text): return .scalar(text, plain: true)
                default: return nil
                }
            }
            lift("expectedLifeYears", from: ["expectedLifeYears"]) {
                if case let .number(number) = $0, number.unit == nil { return .scalar(number.plainText, plain: true) }
                return nil
            }
            lift("manufacturer", from: ["vendor", "manufacturer"], accept: asText)
            lift("model", from: ["model"], accept: asText)
            lift("serialNumber", from: ["serialNumber"], accept: asText)

            // Properties: every other tag, by name; markers as a sorted list unless they are exactly the type's.
            var properties = [ModelValue.Field]()
            var refsExtra = [ModelValue.Field]()
            // A floor's level: Haystack 4's floorNum, else a number in its name (the rule of the Brick import).
            var level: Int?
            if record.type == "floor" {
                if case let .number(number)? = record["floorNum"], number.unit == nil, let value = Int(number.plainText) {
                    level = value
                    lifecycle.insert("floorNum")
                } else {
                    level = [record.name, record.text("navName")].compactMap { $0 }.lazy.compactMap(BrickImporter.floorLevel).first
                    if level == nil { warn("floor \(record.label): no floorNum and no level number in its name; 'level' not set") }
                }
            }
            for tag in record.tags.sorted(by: { $0.name < $1.name }) {
                if HaystackImporter.droppedTags.contains(tag.name) || lifecycle.contains(tag.name) { continue }
                if tag.name == "refs", case let .dict(entries) = tag.value,
                   entries.allSatisfy({ if case .string = $0.value { return true }; return false }) {
                    for entry in entries where entry.name != "haystack" {
                        if case let .string(text) = entry.value { refsExtra.append(.init(key: entry.name, value: .scalar(text, plain: false))) }
                    }
                    continue
                }
                var value = tag.value
                if consumed[position].contains(tag.name) {
                    guard let rest = leftovers[position][tag.name], !rest.isEmpty else { continue }
                    value = rest.count == 1 ? .ref(rest[0].ref, dis: rest[0].dis) : .list(rest.map { .ref($0.ref, dis: $0.dis) })
                }
                if let converted = convert(value, tag: tag.name, ids: arxosID, notes: &notes) {
                    properties.append(.init(key: tag.name, value: converted))
                }
            }
            if let level, !properties.contains(where: { $0.key == "level" }) {
                let field = ModelValue.Field(key: "level", value: .scalar(String(level), plain: true))
                properties.insert(field, at: properties.firstIndex { $0.key > "level" } ?? properties.endIndex)
            }
            if !record.markers.isEmpty && Set(record.markers) != Set(table.entry(record.type)?.haystackMarkers ?? []) {
                let markers = ModelValue.Field(key: "markers", value: .list(record.markers.map { .scalar($0, plain: true) }))
                properties.insert(markers, at: properties.firstIndex { $0.key > "markers" } ?? properties.endIndex)
            }
            if !properties.isEmpty { add("properties", .map(properties)) }
            // The Haystack id is kept, unless it is the one `arxos export haystack` made from the arxos id.
            var refs = refsExtra
            if !HaystackImporter.isDerived(record.ref, from: record.text("arxosId")) {
                refs.insert(.init(key: "haystack", value: .scalar("@" + record.ref, plain: false)), at: 0)
            }
            if !refs.isEmpty { add("refs", .map(refs)) }

            let path = BrickImporter.path(type: record.type, building: record.building, table: table)
            let object = HaystackObject(id: record.id, type: record.type, ref: record.ref, path: path, fields: fields)
            objects.append((record.kind, object))
            for violation in validator.checkObject(ArxObject(id: record.id, type: record.type, path: path, line: 1, fields: fields))
            where violation.severity == .error {
                warn("\(record.id): \(violation.message) [\(violation.rule)]; capture will refuse this until it is fixed")
            }
        }

        for ref in notes.danglingOrder {
            guard let entry = notes.dangling[ref] else { continue }
            warn("@\(ref)\(entry.dis.map { " \"\($0)\"" } ?? "") is not a record of the file; \(entry.count) ref\(entry.count == 1 ? "" : "s") to it (\(entry.tags.sorted().joined(separator: ", "))) kept as text")
        }
        for unit in notes.unitOrder {
            guard let entry = notes.unknownUnits[unit] else { continue }
            let what = entry.reason.map { "is \($0)" } ?? "is not a unit arxos knows"
            warn("unit '\(unit)' \(what); \(entry.count) value\(entry.count == 1 ? "" : "s") (\(entry.tags.sorted().joined(separator: ", "))) kept as written")
        }
        if !notes.notAvailable.isEmpty {
            let total = notes.notAvailable.values.reduce(0, +)
            warn("\(total) value\(total == 1 ? " is" : "s are") NA (not available) and not kept: \(notes.notAvailable.keys.sorted().map { "\($0) (\(notes.notAvailable[$0] ?? 0))" }.joined(separator: ", "))")
        }
        for (what, count) in notes.dropped.sorted(by: { $0.key < $1.key }) {
            warn("\(count) \(what) not kept (arxos has no place for \(count == 1 ? "it" : "them"))")
        }

        let sorted = objects.sorted { a, b in
            if a.object.path != b.object.path { return a.object.path < b.object.path }
            if a.kind != b.kind { return a.kind < b.kind }
            return a.object.id < b.object.id
        }.map(\.object)
        var buildings = [String]()
        for object in sorted {
            let building = object.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            if !buildings.contains(building) { buildings.append(building) }
        }
        if buildings.isEmpty { buildings = [defaultBuilding] }
        return HaystackImport(buildings: buildings, records: grid.rows.count, objects: sorted, warnings: warnings)
    }

    /// A tag value as an arxos value (docs/import.md, "Values"); nil when it is not kept.
    func convert(_ value: HaystackValue, tag: String, ids: (String) -> String?, notes: inout Notes) -> ModelValue? {
        switch value {
        case .null, .remove, .marker: return nil
        case .na:
            notes.notAvailable[tag, default: 0] += 1
            return nil
        case let .bool(flag): return .scalar(flag ? "true" : "false", plain: true)
        case let .number(number):
            let digits = number.plainText
            guard let unit = number.unit else { return .scalar(digits, plain: true) }
            switch HaystackUnits.reading(unit) {
            case let .known(symbol): return .scalar(digits + " " + symbol, plain: true)
            case .unknown: notes.unit(unit, tag: tag, reason: nil)
            case let .ambiguous(reason): notes.unit(unit, tag: tag, reason: reason)
            }
            return .scalar(digits + " " + unit, plain: true)
        case let .string(text), let .uri(text): return HaystackScalars.string(text)
        case let .ref(ref, dis):
            if let id = ids(ref) { return .scalar(id, plain: true) }
            notes.dangle(ref, dis: dis, tag: tag)
            return .scalar("@" + ref, plain: false)
        case let .symbol(name): return .scalar("^" + name, plain: true)
        case let .date(text): return .scalar(text, plain: true)
        case let .time(text): return .scalar(text, plain: false)
        case let .dateTime(text, zone): return .scalar(text + (zone.map { " " + $0 } ?? ""), plain: false)
        case let .coord(latitude, longitude):
            return .map([.init(key: "lat", value: .scalar(latitude, plain: true)), .init(key: "lng", value: .scalar(longitude, plain: true))])
        case let .xstr(type, inner):
            let text = "\(type)(\"\(inner)\")"
            return HaystackSyntax.xstr(text) != nil ? .scalar(text, plain: true) : HaystackScalars.string(text)
        case let .list(items):
            var out = [ModelValue]()
            for item in items {
                if item == .marker { notes.dropped["markers inside lists", default: 0] += 1; continue }
                if let converted = convert(item, tag: tag, ids: ids, notes: &notes) { out.append(converted) }
            }
            return .list(out)
        case let .dict(tags):
            var fields = [ModelValue.Field]()
            var markers = [String]()
            for inner in tags {
                if inner.value == .marker { markers.append(inner.name); continue }
                if let converted = convert(inner.value, tag: tag, ids: ids, notes: &notes) { fields.append(.init(key: inner.name, value: converted)) }
            }
            if !markers.isEmpty { fields.append(.init(key: "markers", value: .list(markers.sorted().map { .scalar($0, plain: true) }))) }
            return .map(fields)
        case .grid:
            notes.dropped["nested grids", default: 0] += 1
            return nil
        }
    }

    /// Whether `ref` is the Haystack id `HaystackExporter` makes from `arxosID` (with a `~N` suffix if it had to).
    static func isDerived(_ ref: String, from arxosID: String?) -> Bool {
        guard let arxosID else { return false }
        let derived = HaystackExporter.derivedRef(arxosID)
        if ref == derived { return true }
        guard ref.hasPrefix(derived + "~") else { return false }
        let suffix = ref.dropFirst(derived.count + 1)
        return !suffix.isEmpty && suffix.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: Names

    /// An id part from a name, as `Fixtures/generate-from-haystack.py` makes it: camel case split where a word of two
    /// lowercase letters meets a capitalised word (`ZoneTempSp` → `zone-temp-sp`, `ElecMeter-Main` →
    /// `elec-meter-main`, `kWh` → `kwh`), lowercased, runs of other characters made one `-`; `x` when nothing is left.
    public static func slug(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func isLower(_ i: Int) -> Bool { i >= 0 && i < scalars.count && ("a"..."z").contains(scalars[i]) }
        func isUpper(_ i: Int) -> Bool { i >= 0 && i < scalars.count && ("A"..."Z").contains(scalars[i]) }
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && ("0"..."9").contains(scalars[i]) }
        var out = ""
        var pendingDash = false
        for i in scalars.indices {
            if (isLower(i - 2) || isDigit(i - 2)) && isLower(i - 1) && isUpper(i) && isLower(i + 1) { pendingDash = true }
            if isLower(i) || isUpper(i) || isDigit(i) {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(isUpper(i) ? Unicode.Scalar(scalars[i].value + 32) ?? scalars[i] : scalars[i])
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? "x" : out
    }

    /// A record's own short name: `navName`, else its display name without its parent's name in front.
    static func shortName(_ record: Record, parent: String?) -> String {
        if let nav = record.text("navName") { return nav }
        if let parent, record.display.hasPrefix(parent + " ") { return String(record.display.dropFirst(parent.count + 1)) }
        return record.display
    }
}
