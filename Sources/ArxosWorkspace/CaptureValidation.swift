import ArxosCore
import ArxosModel
import ArxosStore
import Foundation

/// A capture refused because the state breaks rules of severity error. Nothing was written.
public struct ValidationFailure: Error, LocalizedError {
    /// Every violation found (errors and warnings), in file and line order.
    public var violations: [Violation]

    public var errors: [Violation] { violations.filter { $0.severity == .error } }

    public var errorDescription: String? {
        let errors = self.errors
        let shown = errors.prefix(20).map(\.description)
        let more = errors.count > 20 ? ["… and \(errors.count - 20) more errors ('arxos validate' lists them all)"] : []
        return (shown + more + [
            "the state breaks \(errors.count) rule\(errors.count == 1 ? "" : "s"); nothing was captured",
            "hint: fix the objects listed, or in an emergency capture with --no-validate (recorded in the commit)",
        ]).joined(separator: "\n")
    }
}

/// How a repository validates: its config overrides (`validate.rule.<id>`) and its rules file (`.arxos-rules.yaml`).
public enum RepositoryValidation {
    /// The validator of a repository, with the rules file text as found in the state being checked (nil: none).
    public static func validator(for repository: Repository, rulesText: String?) throws(ThresholdRuleError) -> Validator {
        let thresholds = try rulesText.map { text throws(ThresholdRuleError) in
            try ThresholdRules.parse(path: WorkingTree.rulesFileName, text: text)
        } ?? []
        var overrides = Validator.overrides(fromConfig: repository.config.entries)
        // The user config may set severities too, under the repository's.
        if let user = try? ConfigFile(path: Repository.home + "/config") {
            for (key, value) in Validator.overrides(fromConfig: user.entries) where overrides[key] == nil { overrides[key] = value }
        }
        return Validator(overrides: overrides, thresholds: thresholds)
    }

    /// The rules file of the working tree, nil if there is none.
    public static func workingTreeRules(_ repository: Repository) throws -> String? {
        try FileSystem.read(repository.top + "/" + WorkingTree.rulesFileName).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The rules file of a committed state, nil if it has none.
    public static func rules(inTree tree: ObjectID, of repository: Repository) throws -> String? {
        guard let entry = try TreeBuilder.entry(at: WorkingTree.rulesFileName, in: tree, objects: repository.objects),
              entry.kind == .file else { return nil }
        return String(decoding: try repository.objects.readBlob(entry.id), as: UTF8.self)
    }

    /// Violations moved to the line of the field they are about, reading each file that has one.
    public static func locate(_ violations: [Violation], read: (String) -> [UInt8]?) -> [Violation] {
        var byPath = [String: [Violation]]()
        for violation in violations { byPath[violation.path, default: []].append(violation) }
        var out = [Violation]()
        for (path, group) in byPath {
            if group.contains(where: { $0.field != nil }), let bytes = read(path) {
                out += FieldLines.locate(group, bytes: bytes)
            } else {
                out += group
            }
        }
        return Validator.sorted(out)
    }
}

/// Validates a capture incrementally (docs/model.md, "Validation at capture").
///
/// As the snapshot reads each new or changed file, its objects get the one-object checks (schema, units, VAV
/// airflow, setpoints, install date, type, threshold rules) on the reading threads. What the checks across objects
/// need is kept compactly, so that a first capture of a large portfolio stays small: an id is kept as its 64-bit hash
/// (a node number), each object as its location's node and a few flags, the changed objects' references as triples of
/// numbers, and circuits, panels and loads as their panel links and electrical property texts. After the snapshot,
/// the ids named but not read are looked up in the object lists the snapshot has for every file (the stat cache's,
/// for unchanged files), and only the few unchanged files holding objects on a location chain, a circuit's panel or
/// what a touched panel feeds are read. Ids, files and lines are found again from those object lists for the few
/// objects with violations. (Two ids with the same 64-bit hash, about one chance in 10¹⁰ for 100,000 ids, could
/// hide a missing relation target from capture; `arxos validate` compares ids in full.)
final class CaptureValidator: SnapshotVisitor, @unchecked Sendable {
    let validator: Validator
    private let lock = NSLock()
    private var local = [Violation]()

    /// Node number → location node (-1: none) and flags.
    private var locations = [Int32]()
    private var flags = [UInt8]()
    private static let loaded: UInt8 = 1, exists: UInt8 = 2, changed: UInt8 = 4
    private var numbers = [UInt64: Int32]()
    /// The changed objects' references: (object node, field, target node).
    private var references = [(Int32, UInt8, Int32)]()
    private static let referenceKeys = ["location", "feeds", "fedBy", "partOf", "points"]

    /// What the electrical rules need of a circuit, a panel or a load.
    private struct Electrical {
        var type: String
        /// The nodes it names in partOf or fedBy.
        var panels: [Int32]
        /// A panel's feeds.
        var feeds: [Int32]
        /// breakerRating, rating, voltage, phases, connectedLoad as written.
        var properties: [(String, String)]
    }
    private var electrical = [Int32: Electrical]()

    /// The working tree, for the unchanged files the checks across objects read.
    let tree: WorkingTree
    /// Whether the rules file differs from the one in HEAD (its threshold rules then run on unchanged objects too).
    let rulesChanged: () -> Bool

    init(validator: Validator, tree: WorkingTree, rulesChanged: @escaping @Sendable () -> Bool) {
        self.validator = validator
        self.tree = tree
        self.rulesChanged = rulesChanged
    }

    /// Runs the checks across objects as soon as the files are read, before the trees are built, then lets the
    /// graph go, so that it is never in memory at the same time as the trees. A state with errors stops here.
    func finishedReading(entries: [IndexEntry]) throws {
        let violations = finish(entries: entries, tree: tree, rulesChanged: rulesChanged())
        lock.withLock {
            numbers = [:]; locations = []; flags = []; references = []; electrical = [:]; local = []
        }
        if violations.contains(where: { $0.severity == .error }) { throw ValidationFailure(violations: violations) }
        lock.withLock { warnings = violations }
    }

    /// The warnings found (after `finishedReading`).
    private(set) var warnings = [Violation]()

    static func hash(_ id: String) -> UInt64 { UInt64(bitPattern: Int64(id.hashValue)) }

    private func number(_ id: String) -> Int32 {
        let key = CaptureValidator.hash(id)
        if let n = numbers[key] { return n }
        let n = Int32(locations.count)
        locations.append(-1)
        flags.append(0)
        numbers[key] = n
        return n
    }

    private func node(_ id: String) -> Int32? { numbers[CaptureValidator.hash(id)] }
    private func has(_ n: Int32, _ flag: UInt8) -> Bool { flags[Int(n)] & flag != 0 }

    /// `text` with each stand-in name `#N` replaced by what `name` gives for N (kept when it gives nil).
    static func replacingNodes(in text: String, _ name: (Int32) -> String?) -> String {
        var out = ""
        var scalars = text.unicodeScalars[...]
        while let first = scalars.first {
            scalars = scalars.dropFirst()
            guard first == "#" else { out.unicodeScalars.append(first); continue }
            let digits = scalars.prefix { ("0"..."9").contains($0) }
            scalars = scalars.dropFirst(digits.count)
            if let n = Int32(String(String.UnicodeScalarView(digits))), let replacement = name(n) {
                out += replacement
            } else {
                out += "#" + String(String.UnicodeScalarView(digits))
            }
        }
        return out
    }

    static func isElectrical(_ object: ArxObject) -> Bool {
        object.type == "circuit" || object.type == "elec_panel"
            || object["properties"]?.fields?.contains(where: { $0.key == "connectedLoad" }) == true
    }

    func visit(path: String, bytes: [UInt8], objects: [ObjectSummary]) {
        let parsed = ArxObject.objects(path: path, bytes: bytes, summaries: objects)
        var found = [Violation]()
        for object in parsed { found += validator.checkObject(object) }
        if !found.isEmpty { found = FieldLines.locate(found, bytes: bytes) }
        let links = parsed.map { ($0, Validator.references(of: $0)) }
        lock.withLock {
            local += found
            for (object, targets) in links { record(object, targets, changed: true) }
        }
    }

    /// Adds a read object to the graph (under the lock).
    private func record(_ object: ArxObject, _ targets: [(key: String, target: String)], changed: Bool) {
        let n = number(object.id)
        flags[Int(n)] |= CaptureValidator.loaded | CaptureValidator.exists | (changed ? CaptureValidator.changed : 0)
        if let location = targets.first(where: { $0.key == "location" })?.target, object["location"]?.text != nil {
            locations[Int(n)] = number(location)
        }
        if changed {
            for (key, target) in targets {
                references.append((n, UInt8(CaptureValidator.referenceKeys.firstIndex(of: key) ?? 0), number(target)))
            }
        }
        if CaptureValidator.isElectrical(object) {
            let kept: Set<String> = ["breakerRating", "rating", "voltage", "phases", "connectedLoad"]
            electrical[n] = Electrical(
                type: object.type,
                panels: Validator.panelsReferenced(by: object).map(number),
                feeds: object.type == "elec_panel" ? (object["feeds"]?.idList ?? []).map(number) : [],
                properties: (object["properties"]?.fields ?? []).compactMap { field in
                    kept.contains(field.key) ? field.value.text.map { (field.key, $0) } : nil
                })
        }
    }

    /// Runs the checks across objects and returns every violation, located at its field where the file shows it.
    /// When the rules file changed (`rulesChanged`), the threshold rules also run on the unchanged objects they
    /// select: only the files holding objects of the selected types are read (all object files for a rule without
    /// `select.type`).
    func finish(entries: [IndexEntry], tree: WorkingTree, rulesChanged: Bool = false) -> [Violation] {
        lock.lock()
        defer { lock.unlock() }
        let isChanged = { (id: String) -> Bool in self.node(id).map { self.has($0, CaptureValidator.changed) } ?? false }
        if rulesChanged && !validator.thresholds.isEmpty {
            let everyType = validator.thresholds.contains { $0.types.isEmpty }
            let types = Set(validator.thresholds.flatMap(\.types))
            for entry in entries where entry.objects.contains(where: { !isChanged($0.id) && (everyType || types.contains($0.type)) }) {
                guard let bytes = try? tree.read(entry.path), let objects = try? ArxObject.objects(path: entry.path, bytes: bytes) else { continue }
                var found = [Violation]()
                for object in objects where !isChanged(object.id) { found += validator.checkThresholds(object) }
                local += found.isEmpty ? [] : FieldLines.locate(found, bytes: bytes)
            }
        }

        // Which panels this capture touches: changed panels, and the panels changed loads name.
        var loadsOf = [Int32: Set<Int32>]()
        var panels = Set<Int32>()
        for (n, item) in electrical where has(n, CaptureValidator.changed) {
            if item.type == "elec_panel" { panels.insert(n) }
            for panel in item.panels {
                loadsOf[panel, default: []].insert(n)
                panels.insert(panel)
            }
        }

        // Look up the nodes named but not read (a pass over the object lists of every file, each id hashed once), and
        // read the unchanged files the checks need: the holders on location chains (a pass per step), the panels of
        // changed loads and what touched panels feed.
        var hashes = [UInt64]()
        func hashEntries() {
            guard hashes.isEmpty else { return }
            for entry in entries { for summary in entry.objects { hashes.append(CaptureValidator.hash(summary.id)) } }
        }
        var toRead = Set<Int32>()
        for n in 0..<Int32(locations.count) where has(n, CaptureValidator.changed) {
            if locations[Int(n)] >= 0 && !has(locations[Int(n)], CaptureValidator.loaded) { toRead.insert(locations[Int(n)]) }
        }
        for panel in panels {
            if electrical[panel] == nil { toRead.insert(panel) }
            for fed in electrical[panel]?.feeds ?? [] where !has(fed, CaptureValidator.loaded) { toRead.insert(fed) }
        }
        // Every node named is read already (a capture that names nothing outside itself): no pass at all.
        var first = flags.contains { $0 & CaptureValidator.exists == 0 }
        var passes = 0
        while (first || !toRead.isEmpty) && passes < 64 {
            passes += 1
            hashEntries()
            var paths = Set<String>()
            var i = 0
            for entry in entries {
                for _ in entry.objects {
                    if let n = numbers[hashes[i]] {
                        if first { flags[Int(n)] |= CaptureValidator.exists }
                        if toRead.contains(n) { paths.insert(entry.path) }
                    }
                    i += 1
                }
            }
            first = false
            var next = Set<Int32>()
            for path in paths.sorted() {
                guard let bytes = try? tree.read(path), let objects = try? ArxObject.objects(path: path, bytes: bytes) else { continue }
                for object in objects where !(node(object.id).map { has($0, CaptureValidator.loaded) } ?? false) {
                    record(object, Validator.references(of: object), changed: false)
                    guard let n = node(object.id) else { continue }
                    if locations[Int(n)] >= 0, !has(locations[Int(n)], CaptureValidator.loaded) { next.insert(locations[Int(n)]) }
                    if panels.contains(n) {
                        for fed in electrical[n]?.feeds ?? [] where !has(fed, CaptureValidator.loaded) { next.insert(fed) }
                    }
                }
            }
            toRead = next
        }

        // The checks, on stand-ins named by node ("#N"); names, files and lines are put back below.
        func name(_ n: Int32) -> String { "#\(n)" }
        func standIn(_ n: Int32) -> ArxObject {
            var fields = [ModelValue.Field]()
            if locations[Int(n)] >= 0 { fields.append(.init(key: "location", value: .scalar(name(locations[Int(n)]), plain: false))) }
            if let item = electrical[n] {
                fields.append(.init(key: "partOf", value: .list(item.panels.map { .scalar(name($0), plain: false) })))
                if !item.feeds.isEmpty { fields.append(.init(key: "feeds", value: .list(item.feeds.map { .scalar(name($0), plain: false) }))) }
                fields.append(.init(key: "properties", value: .map(item.properties.map { .init(key: $0.0, value: .scalar($0.1, plain: true)) })))
            }
            return ArxObject(id: name(n), type: electrical[n]?.type ?? "", path: "", line: 0, fields: fields)
        }
        var links = [Violation]()
        var missing = [(Int32, String)]()
        for (source, key, target) in references where !has(target, CaptureValidator.exists) {
            missing.append((source, CaptureValidator.referenceKeys[Int(key)]))
        }
        for n in 0..<Int32(locations.count) where has(n, CaptureValidator.changed) && locations[Int(n)] >= 0 {
            links += validator.checkLocationCycle(standIn(n)) { id in
                guard let m = Int32(id.dropFirst()), self.locations[Int(m)] >= 0 else { return nil }
                return name(self.locations[Int(m)])
            }
        }
        var electricalLookup = ObjectDictionary([])
        for n in electrical.keys { electricalLookup.byID[name(n)] = standIn(n) }
        for n in electrical.keys where has(n, CaptureValidator.changed) {
            links += validator.checkBreakerRating(standIn(n), in: electricalLookup)
        }
        for panel in panels.sorted() {
            guard electrical[panel]?.type == "elec_panel" else { continue }
            let loads = loadsOf[panel, default: []].union(electrical[panel]?.feeds ?? [])
            links += validator.checkPanelLoad(standIn(panel), loads: loads.sorted().compactMap { electricalLookup.byID[name($0)] })
        }
        guard !links.isEmpty || !missing.isEmpty else { return Validator.sorted(local) }

        // Names, files and lines of the objects concerned, from the snapshot's object lists.
        var wanted = Set(missing.map(\.0))
        for violation in links {
            if let n = Int32(violation.object.dropFirst()) { wanted.insert(n) }
            _ = CaptureValidator.replacingNodes(in: violation.message) { n in wanted.insert(n); return nil }
        }
        var places = [Int32: (id: String, path: String, line: Int)]()
        hashEntries()
        var i = 0
        for entry in entries {
            for summary in entry.objects {
                if let n = numbers[hashes[i]], wanted.contains(n) { places[n] = (summary.id, entry.path, summary.line) }
                i += 1
            }
        }
        func named(_ text: String) -> String { CaptureValidator.replacingNodes(in: text) { places[$0]?.id } }
        links = links.compactMap { violation in
            guard let n = Int32(violation.object.dropFirst()), let place = places[n] else { return nil }
            var placed = violation
            placed.object = place.id
            placed.path = place.path
            placed.line = place.line
            placed.message = named(violation.message)
            return placed
        }
        // Missing targets: their ids are read again from the files of the objects naming them.
        var bySource = [Int32: Set<String>]()
        for (source, key) in missing { bySource[source, default: []].insert(key) }
        for (source, keys) in bySource {
            guard let place = places[source], let bytes = try? tree.read(place.path),
                  let object = (try? ArxObject.objects(path: place.path, bytes: bytes))?.first(where: { $0.id == place.id }) else { continue }
            for (key, target) in Validator.references(of: object) where keys.contains(key) {
                guard !(node(target).map { has($0, CaptureValidator.exists) } ?? false),
                      let v = validator.relationTarget(object, key: key, target: target) else { continue }
                links.append(v)
            }
        }
        let located = RepositoryValidation.locate(links) { path in try? tree.read(path) }
        return Validator.sorted(local + located)
    }
}
