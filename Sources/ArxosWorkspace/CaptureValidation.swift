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
/// need is kept compactly, so that a first capture of a large portfolio stays small: each id becomes a number, each
/// object keeps its location as a number and a few flags, the changed objects' references are triples of numbers,
/// and only circuits, panels and objects with a `connectedLoad` are kept (slimmed). After the snapshot, the ids named
/// but not read are looked up in the object lists the snapshot has for every file (the stat cache's, for unchanged
/// files), and only the few unchanged files holding objects on a location chain, a circuit's panel or what a touched
/// panel feeds are read.
final class CaptureValidator: SnapshotVisitor, @unchecked Sendable {
    let validator: Validator
    private let lock = NSLock()
    private var local = [Violation]()

    /// Node number → id, location node (-1: none) and flags.
    private var ids = [String]()
    private var locations = [Int32]()
    private var flags = [UInt8]()
    private static let loaded: UInt8 = 1, exists: UInt8 = 2, changed: UInt8 = 4
    private var numbers = [String: Int32]()
    /// The changed objects' references: (object node, field, target node).
    private var references = [(Int32, UInt8, Int32)]()
    private static let referenceKeys = ["location", "feeds", "fedBy", "partOf", "points"]
    /// Circuits, panels and loads, slimmed to what the electrical rules read.
    private var electrical = [String: ArxObject]()

    init(validator: Validator) { self.validator = validator }

    private func number(_ id: String) -> Int32 {
        if let n = numbers[id] { return n }
        let n = Int32(ids.count)
        ids.append(id)
        locations.append(-1)
        flags.append(0)
        numbers[id] = n
        return n
    }

    private func has(_ n: Int32, _ flag: UInt8) -> Bool { flags[Int(n)] & flag != 0 }
    private func isLoaded(_ id: String) -> Bool { numbers[id].map { has($0, CaptureValidator.loaded) } ?? false }

    /// An id's length and last seven bytes as one integer: equal ids have equal keys.
    static func quickKey(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { bytes in
            var tail: UInt64 = 0
            for byte in bytes.suffix(7) { tail = tail << 8 | UInt64(byte) }
            return UInt64(truncatingIfNeeded: bytes.count) << 56 | tail
        }
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
        if CaptureValidator.isElectrical(object) { electrical[object.id] = CaptureValidator.slim(object) }
    }

    /// The fields the electrical rules read: the panel relations, a panel's `feeds`, and the electrical properties.
    static func slim(_ object: ArxObject) -> ArxObject {
        var copy = object
        let kept: Set<String> = ["breakerRating", "rating", "voltage", "phases", "connectedLoad"]
        copy.fields = object.fields.compactMap { field in
            if field.key == "partOf" || field.key == "fedBy" || (field.key == "feeds" && object.type == "elec_panel") { return field }
            if field.key == "properties", let properties = field.value.fields {
                return ModelValue.Field(key: "properties", value: .map(properties.filter { kept.contains($0.key) }))
            }
            return nil
        }
        return copy
    }

    /// Runs the checks across objects and returns every violation, located at its field where the file shows it.
    /// When the rules file changed (`rulesChanged`), the threshold rules also run on the unchanged objects they
    /// select: only the files holding objects of the selected types are read (all object files for a rule without
    /// `select.type`).
    func finish(entries: [IndexEntry], tree: WorkingTree, rulesChanged: Bool = false) -> [Violation] {
        lock.lock()
        defer { lock.unlock() }
        let isChanged = { (id: String) -> Bool in self.numbers[id].map { self.has($0, CaptureValidator.changed) } ?? false }
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
        var loadsOf = [String: Set<String>]()
        var panels = Set<String>()
        for object in electrical.values where isChanged(object.id) {
            if object.type == "elec_panel" { panels.insert(object.id) }
            for panel in Validator.panelsReferenced(by: object) {
                loadsOf[panel, default: []].insert(object.id)
                panels.insert(panel)
            }
        }

        // Look up the ids named but not read (one pass over the object lists of every file), and read the unchanged
        // files the checks need: the holders on location chains (a pass per step), the panels of changed loads and
        // what touched panels feed.
        let changedNodes = (0..<Int32(ids.count)).filter { has($0, CaptureValidator.changed) }
        var toRead = Set<String>()
        for n in changedNodes where locations[Int(n)] >= 0 && !has(locations[Int(n)], CaptureValidator.loaded) {
            toRead.insert(ids[Int(locations[Int(n)])])
        }
        for panel in panels where electrical[panel] == nil { toRead.insert(panel) }
        for panel in panels { for fed in electrical[panel]?["feeds"]?.idList ?? [] where !isLoaded(fed) { toRead.insert(fed) } }
        var unknown = Set((0..<Int32(ids.count)).lazy.filter { !self.has($0, CaptureValidator.exists) }.map { self.ids[Int($0)] })
        var passes = 0
        while (!unknown.isEmpty || !toRead.isEmpty) && passes < 64 {
            passes += 1
            var paths = Set<String>()
            // Most ids of the state are none of these: an integer key of each id rules them out without hashing the
            // string.
            let keys = Set(unknown.union(toRead).map(CaptureValidator.quickKey))
            for entry in entries {
                for summary in entry.objects where keys.contains(CaptureValidator.quickKey(summary.id)) {
                    if unknown.contains(summary.id), let n = numbers[summary.id] { flags[Int(n)] |= CaptureValidator.exists }
                    if toRead.contains(summary.id) { paths.insert(entry.path) }
                }
            }
            unknown = []
            var next = Set<String>()
            for path in paths.sorted() {
                guard let bytes = try? tree.read(path), let objects = try? ArxObject.objects(path: path, bytes: bytes) else { continue }
                for object in objects where !isLoaded(object.id) {
                    record(object, Validator.references(of: object), changed: false)
                    if let n = numbers[object.id], locations[Int(n)] >= 0, !has(locations[Int(n)], CaptureValidator.loaded) {
                        next.insert(ids[Int(locations[Int(n)])])
                    }
                    if object.type == "elec_panel", panels.contains(object.id) {
                        for fed in object["feeds"]?.idList ?? [] where !isLoaded(fed) { next.insert(fed) }
                    }
                }
            }
            toRead = next
        }

        // The checks, on stand-ins carrying the id and location; file and line are filled in below.
        func standIn(_ n: Int32) -> ArxObject {
            let location = locations[Int(n)]
            return ArxObject(id: ids[Int(n)], type: "", path: "", line: 0,
                             fields: location >= 0 ? [ModelValue.Field(key: "location", value: .scalar(ids[Int(location)], plain: false))] : [])
        }
        var links = [Violation]()
        for (source, key, target) in references where !has(target, CaptureValidator.exists) {
            if let v = validator.relationTarget(standIn(source), key: CaptureValidator.referenceKeys[Int(key)], target: ids[Int(target)]) {
                links.append(v)
            }
        }
        for n in changedNodes where locations[Int(n)] >= 0 {
            links += validator.checkLocationCycle(standIn(n)) { id in
                guard let m = self.numbers[id], self.locations[Int(m)] >= 0 else { return nil }
                return self.ids[Int(self.locations[Int(m)])]
            }
        }
        var electricalLookup = ObjectDictionary([])
        electricalLookup.byID = electrical
        for object in electrical.values where isChanged(object.id) {
            links += validator.checkBreakerRating(object, in: electricalLookup)
        }
        for id in panels.sorted() {
            guard let panel = electrical[id], panel.type == "elec_panel" else { continue }
            let loads = loadsOf[id, default: []].union(panel["feeds"]?.idList ?? [])
            links += validator.checkPanelLoad(panel, loads: loads.sorted().compactMap { electrical[$0] })
        }
        guard !links.isEmpty else { return Validator.sorted(local) }
        // Where the objects with violations are: their files and lines from the snapshot's object lists.
        let wanted = Set(links.map(\.object))
        var places = [String: (String, Int)]()
        for entry in entries {
            for summary in entry.objects where wanted.contains(summary.id) { places[summary.id] = (entry.path, summary.line) }
        }
        links = links.map { violation in
            var placed = violation
            if let (path, line) = places[violation.object] { placed.path = path; placed.line = line }
            return placed
        }
        let located = RepositoryValidation.locate(links) { path in try? tree.read(path) }
        return Validator.sorted(local + located)
    }
}
