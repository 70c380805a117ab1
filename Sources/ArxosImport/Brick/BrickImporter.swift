import ArxosModel

/// One object the import would write.
public struct ImportedObject: Sendable {
    public var id: String
    public var type: String
    /// The entity IRI it came from.
    public var iri: String
    /// The working-tree path of the file it goes to.
    public var path: String
    public var fields: [ModelValue.Field]
}

/// The outcome of mapping a Brick graph to arxos objects: what would be written and every oddity, once each.
public struct BrickImport: Sendable {
    public var building: String
    public var tripleCount: Int
    public var objects: [ImportedObject]
    public var warnings: [String]

    /// The files to write, in path order, each with its objects in file order.
    public var files: [(path: String, objects: [ImportedObject])] {
        var order = [String]()
        var byPath = [String: [ImportedObject]]()
        for object in objects {
            if byPath[object.path] == nil { order.append(object.path) }
            byPath[object.path, default: []].append(object)
        }
        return order.sorted().map { ($0, byPath[$0] ?? []) }
    }

    /// The number of objects per type, by type name.
    public var countsByType: [String: Int] {
        objects.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }
}

/// Maps the triples of a Brick model to arxos objects, following docs/import.md.
public struct BrickImporter {
    let triples: [Triple]
    let prefixes: [String: String]
    let table: TypeTable

    /// An importer for `triples`; `prefixes` (name → namespace) only make warnings shorter.
    public init(triples: [Triple], prefixes: [String: String] = [:], table: TypeTable = .standard) {
        self.triples = triples
        self.prefixes = prefixes
        self.table = table
    }

    /// An IRI as a prefixed name when a declared prefix fits, else in angle brackets.
    func short(_ iri: String) -> String {
        var best: (String, String)?
        for (name, namespace) in prefixes where !namespace.isEmpty && iri.hasPrefix(namespace) && iri.count > namespace.count {
            if namespace.count > (best?.1.count ?? 0) { best = (name, namespace) }
        }
        if let (name, namespace) = best { return name + ":" + iri.dropFirst(namespace.count) }
        return "<\(iri)>"
    }

    /// Maps the graph; `building` overrides the building id, `fileStem` is the default one.
    public func run(building requested: String?, fileStem: String) -> BrickImport {
        var warnings = [String]()
        var warned = Set<String>()
        func warn(_ text: String) { if warned.insert(text).inserted { warnings.append(text) } }

        // Index the graph by subject, keeping file order.
        var subjectOrder = [RDFTerm]()
        var bySubject = [RDFTerm: [Triple]]()
        var superclass = [String: String]()
        for triple in triples {
            if bySubject[triple.subject] == nil { subjectOrder.append(triple.subject) }
            bySubject[triple.subject, default: []].append(triple)
            if triple.predicate == Vocabulary.subClassOf, case let .iri(sub) = triple.subject, let sup = triple.object.iri,
               superclass[sub] == nil {
                superclass[sub] = sup
            }
        }

        // Entities: IRI subjects with a Brick class.
        var mapper = ClassMapper(table: table, superclass: superclass)
        struct Entity { var iri: String; var classes: [String]; var type: String }
        var entities = [Entity]()
        var entityIndex = [String: Int]()
        var unknownClasses = [String: (count: Int, type: String)]()
        var unknownOrder = [String]()
        var foreignClasses = [String: Int]()
        var foreignOrder = [String]()
        for subject in subjectOrder {
            let statements = bySubject[subject] ?? []
            let classes = statements.filter { $0.predicate == Vocabulary.type }.compactMap(\.object.iri)
            let brickClasses = classes.filter { BrickVocabulary.localName($0) != nil }
            guard case let .iri(iri) = subject else {
                if let first = brickClasses.first {
                    warn("a blank node of class \(short(first)) (line \(statements.first?.line ?? 0)) has no IRI to make an id from; not imported")
                }
                continue
            }
            guard !brickClasses.isEmpty else {
                let brickTriples = statements.filter { BrickVocabulary.localName($0.predicate).flatMap(BrickVocabulary.relation) != nil }
                if !brickTriples.isEmpty && classes.isEmpty {
                    warn("\(short(iri)) has no class (no 'a brick:…'); not imported (\(brickTriples.count) relation triple\(brickTriples.count == 1 ? "" : "s") dropped)")
                }
                continue
            }
            var best: (type: String, rule: ClassMapper.Rule)?
            for cls in brickClasses {
                let mapped = mapper.map(cls)
                if best == nil || mapped.rule < (best?.rule ?? .unknown) { best = mapped }
                if mapped.rule == .unknown {
                    if unknownClasses[cls] == nil { unknownOrder.append(cls) }
                    unknownClasses[cls, default: (0, mapped.type)].count += 1
                }
            }
            for cls in classes where BrickVocabulary.localName(cls) == nil && cls != "http://www.w3.org/2002/07/owl#NamedIndividual" {
                if foreignClasses[cls] == nil { foreignOrder.append(cls) }
                foreignClasses[cls, default: 0] += 1
            }
            entityIndex[iri] = entities.count
            entities.append(Entity(iri: iri, classes: brickClasses, type: best?.type ?? "equipment"))
        }
        for cls in unknownOrder {
            guard let (count, type) = unknownClasses[cls] else { continue }
            warn("unknown Brick class \(short(cls)) (\(count) entit\(count == 1 ? "y" : "ies")) imported as '\(type)'; the class is kept in 'brickClass'")
        }
        for cls in foreignOrder {
            let count = foreignClasses[cls] ?? 0
            warn("class \(short(cls)) of \(count) Brick entit\(count == 1 ? "y" : "ies") is not a Brick class; not kept")
        }

        // The building id.
        let buildingEntities = entities.filter { $0.type == "building" }
        let building = requested ?? (buildingEntities.count == 1 ? BrickImporter.buildingID(localPart(buildingEntities[0].iri))
                                                                 : BrickImporter.buildingID(fileStem))
        // Ids from local names, unique.
        var ids = [String]()
        var used = Set<String>()
        var nextSuffix = [String: Int]()
        for entity in entities {
            let base: String
            if buildingEntities.count == 1 && entity.iri == buildingEntities[0].iri {
                base = building
            } else {
                base = building + "/" + BrickImporter.sanitize(localPart(entity.iri))
            }
            var id = base
            var suffix = nextSuffix[base] ?? 2
            while used.contains(id) { id = base + "-\(suffix)"; suffix += 1 }
            nextSuffix[base] = suffix
            if id != base { warn("\(short(entity.iri)) has the same local name as another entity; its id is '\(id)'") }
            used.insert(id)
            ids.append(id)
        }

        // Relations, collected on the object that holds them.
        var relations = Array(repeating: [BrickVocabulary.Relation: [String]](), count: entities.count)
        var dangling = [String: Int]()
        var danglingOrder = [String]()
        var consumed = Set<Int>()  // triple indexes used as relations or names
        for (offset, triple) in triples.enumerated() {
            guard let local = BrickVocabulary.localName(triple.predicate), let (relation, inverse) = BrickVocabulary.relation(local) else { continue }
            let holderTerm = inverse ? triple.object : triple.subject
            let targetTerm = inverse ? triple.subject : triple.object
            guard let holderIRI = holderTerm.iri, let holder = entityIndex[holderIRI] else { continue }
            consumed.insert(offset)
            guard let targetIRI = targetTerm.iri, let target = entityIndex[targetIRI] else {
                let name = targetTerm.iri.map(short) ?? targetTerm.description
                if dangling[name] == nil { danglingOrder.append(name) }
                dangling[name, default: 0] += 1
                continue
            }
            if !(relations[holder][relation]?.contains(ids[target]) ?? false) {
                relations[holder][relation, default: []].append(ids[target])
            }
        }
        for name in danglingOrder {
            let count = dangling[name] ?? 0
            warn("\(name) is not an imported entity (no Brick class or not in the file); \(count) relation\(count == 1 ? "" : "s") to it not written")
        }

        // Objects.
        var objects = [ImportedObject]()
        for (index, entity) in entities.enumerated() {
            let statements = bySubject[.iri(entity.iri)] ?? []
            var fields = [ModelValue.Field]()
            func add(_ key: String, _ value: ModelValue) { fields.append(.init(key: key, value: value)) }
            add("id", .scalar(ids[index], plain: true))
            add("type", .scalar(entity.type, plain: true))
            // Name.
            let labels = statements.filter { BrickVocabulary.labelPredicates.contains($0.predicate) }.compactMap { triple -> RDFTerm.Literal? in
                if case let .literal(literal) = triple.object { return literal }
                return nil
            }
            let preferred = labels.first { $0.language == nil } ?? labels.first { $0.language?.lowercased().hasPrefix("en") == true } ?? labels.first
            if let preferred {
                add("name", BrickImporter.text(preferred.lexical))
                if labels.count > 1 {
                    warn("\(short(entity.iri)) has \(labels.count) labels; 'name' is \"\(preferred.lexical)\", the others are not kept")
                }
            }
            if let locations = relations[index][.location], let first = locations.first {
                add("location", .scalar(first, plain: true))
                if locations.count > 1 {
                    warn("\(short(entity.iri)) has \(locations.count) locations; 'location' is \(first), not kept: \(locations.dropFirst().joined(separator: ", "))")
                }
            }
            for relation in [BrickVocabulary.Relation.feeds, .fedBy, .points, .partOf] {
                if let targets = relations[index][relation], !targets.isEmpty {
                    add(relation.field, .list(targets.map { .scalar($0, plain: true) }))
                }
            }
            let defaultClass = table.entry(entity.type)?.brickClass.split(separator: ":").last.map { BrickVocabulary.namespace + $0 }
            if !(entity.classes.count == 1 && entity.classes[0] == defaultClass) {
                add("brickClass", entity.classes.count == 1 ? .scalar(entity.classes[0], plain: true)
                                                          : .list(entity.classes.map { .scalar($0, plain: true) }))
            }
            // Properties.
            var properties = [(key: String, values: [ModelValue])]()
            if entity.type == "floor" {
                let source = preferred?.lexical ?? localPart(entity.iri)
                if let level = BrickImporter.floorLevel(source) ?? (preferred != nil ? BrickImporter.floorLevel(localPart(entity.iri)) : nil) {
                    properties.append(("level", [.scalar(String(level), plain: true)]))
                } else {
                    warn("floor \(short(entity.iri)): no level number in its name or label; 'level' not set")
                }
            }
            for triple in statements {
                if triple.predicate == Vocabulary.type || BrickVocabulary.labelPredicates.contains(triple.predicate) { continue }
                if let local = BrickVocabulary.localName(triple.predicate), BrickVocabulary.relation(local) != nil { continue }
                let key = BrickImporter.sanitize(localPart(triple.predicate))
                var visiting = Set<Int>()
                let value = propertyValue(triple.object, bySubject: bySubject, entityIndex: entityIndex, ids: ids, visiting: &visiting)
                if let position = properties.firstIndex(where: { $0.key == key }) {
                    properties[position].values.append(value)
                } else {
                    properties.append((key, [value]))
                }
            }
            if !properties.isEmpty {
                add("properties", .map(properties.map { .init(key: $0.key, value: $0.values.count == 1 ? $0.values[0] : .list($0.values)) }))
            }
            add("refs", .map([.init(key: "brick", value: .scalar(entity.iri, plain: false))]))
            objects.append(ImportedObject(id: ids[index], type: entity.type, iri: entity.iri,
                                          path: BrickImporter.path(type: entity.type, building: building, table: table), fields: fields))
        }
        return BrickImport(building: building, tripleCount: triples.count, objects: objects, warnings: warnings)
    }

    /// The value of a property's object: text for literals, an id or IRI for IRIs, a quantity or map for blank nodes.
    func propertyValue(_ term: RDFTerm, bySubject: [RDFTerm: [Triple]], entityIndex: [String: Int], ids: [String],
                       visiting: inout Set<Int>) -> ModelValue {
        switch term {
        case let .literal(literal):
            let numeric = literal.datatype.map { $0.hasPrefix(Vocabulary.xsd) && ["integer", "decimal", "double", "boolean"].contains(localPart($0)) } ?? false
            return numeric ? .scalar(literal.lexical, plain: true) : BrickImporter.text(literal.lexical)
        case let .iri(iri):
            if let index = entityIndex[iri] { return .scalar(ids[index], plain: true) }
            if iri.hasPrefix("http://qudt.org/vocab/unit/") { return BrickImporter.text(localPart(iri)) }
            return .scalar(iri, plain: false)
        case let .blank(number):
            guard visiting.insert(number).inserted else { return .scalar("", plain: true) }
            defer { visiting.remove(number) }
            let statements = bySubject[term] ?? []
            // A quantity: `[ brick:value V ; brick:hasUnit U ]`.
            let value = statements.first { BrickVocabulary.localName($0.predicate) == "value" }
            let unit = statements.first { BrickVocabulary.localName($0.predicate) == "hasUnit" }
            if statements.count == 2, let value, let unit, case let .literal(number) = value.object, let unitIRI = unit.object.iri {
                let local = localPart(unitIRI)
                return .scalar(number.lexical + " " + (BrickVocabulary.qudtUnits[local] ?? local), plain: true)
            }
            // A list.
            if statements.contains(where: { $0.predicate == Vocabulary.first }) {
                var items = [ModelValue]()
                var current = term
                var steps = 0
                while case .blank = current, steps < 10_000 {
                    let cell = bySubject[current] ?? []
                    guard let first = cell.first(where: { $0.predicate == Vocabulary.first }) else { break }
                    items.append(propertyValue(first.object, bySubject: bySubject, entityIndex: entityIndex, ids: ids, visiting: &visiting))
                    current = cell.first(where: { $0.predicate == Vocabulary.rest })?.object ?? .iri(Vocabulary.nilList)
                    steps += 1
                }
                return .list(items)
            }
            var fields = [(key: String, values: [ModelValue])]()
            for statement in statements {
                let key = statement.predicate == Vocabulary.type ? "type" : BrickImporter.sanitize(localPart(statement.predicate))
                let inner: ModelValue
                if statement.predicate == Vocabulary.type, let cls = statement.object.iri {
                    inner = BrickImporter.text(localPart(cls))
                } else {
                    inner = propertyValue(statement.object, bySubject: bySubject, entityIndex: entityIndex, ids: ids, visiting: &visiting)
                }
                if let position = fields.firstIndex(where: { $0.key == key }) { fields[position].values.append(inner) }
                else { fields.append((key, [inner])) }
            }
            return .map(fields.map { .init(key: $0.key, value: $0.values.count == 1 ? $0.values[0] : .list($0.values)) })
        }
    }

    // MARK: Rules

    /// A string scalar, quoted when plain YAML would read it as something else (a number, a boolean, null).
    static func text(_ value: String) -> ModelValue {
        let lower = value.lowercased()
        let special: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", ""]
        let numeric = value.first.map { $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." } ?? false
        return .scalar(value, plain: !(special.contains(lower) || numeric))
    }

    /// A local name made fit for an id or key: spaces and control characters become `_`.
    static func sanitize(_ local: String) -> String {
        if !local.isEmpty && !local.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return local }
        let cleaned = String(String.UnicodeScalarView(local.unicodeScalars.map { $0.value <= 0x20 || $0.value == 0x7F ? "_" : $0 }))
        return cleaned.isEmpty ? "_" : cleaned
    }

    /// A building id: lowercase, characters other than letters, digits, `.`, `_` and `-` made `-`.
    public static func buildingID(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { scalar -> Character in
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "_" || scalar == "-"
            return ok ? Character(scalar) : "-"
        }
        let id = String(mapped).trimmingCharacters(in: "-")
        return id.isEmpty ? "building" : id
    }

    /// The file an object of `type` goes to (docs/import.md, "Layout in the working tree").
    static func path(type: String, building: String, table: TypeTable) -> String {
        let markers = table.entry(type)?.haystackMarkers ?? []
        if markers.contains("space") || type == "site" || type == "building" { return "buildings/\(building)/spaces.yaml" }
        if markers.contains("point") { return "buildings/\(building)/points.yaml" }
        return "buildings/\(building)/equipment/\(type).yaml"
    }

    /// A floor's level from its name or label: basement/B<n> → −1/−n, ground/G/GF → 0, an ordinal (`2nd`), or a
    /// number after `floor`, `level`, `L` or alone; nil when none is there.
    public static func floorLevel(_ name: String) -> Int? {
        // Words: runs of letters or digits, split where letters meet digits ("Floor_0" → floor, 0; "L3" → l, 3).
        var words = [String]()
        var current = ""
        var currentIsDigit = false
        for character in name.lowercased() {
            let isDigit = character.isASCII && character.isNumber
            let isLetter = character.isLetter
            if !(isDigit || isLetter) {
                if !current.isEmpty { words.append(current); current = "" }
                continue
            }
            if !current.isEmpty && isDigit != currentIsDigit {
                // Keep ordinals together: "2nd", "3rd".
                if currentIsDigit && ["s", "n", "r", "t"].contains(character) {
                    current.append(character); currentIsDigit = false; continue
                }
                words.append(current); current = ""
            }
            current.append(character)
            currentIsDigit = isDigit
        }
        if !current.isEmpty { words.append(current) }
        for (index, word) in words.enumerated() {
            if word == "basement" {
                if index + 1 < words.count, let n = Int(words[index + 1]) { return -n }
                return -1
            }
            if word == "b", index + 1 < words.count, let n = Int(words[index + 1]) { return -n }
            if word == "ground" || word == "g" || word == "gf" { return 0 }
            for suffix in ["st", "nd", "rd", "th"] where word.hasSuffix(suffix) {
                if let n = Int(word.dropLast(2)) { return n }
            }
            if let n = Int(word) {
                let previous = index > 0 ? words[index - 1] : ""
                if previous.isEmpty || ["floor", "level", "l", "fl", "lvl", "storey", "story"].contains(previous) || Int(previous) == nil {
                    return n
                }
            }
        }
        return nil
    }
}
