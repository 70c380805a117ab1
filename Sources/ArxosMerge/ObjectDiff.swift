import ArxosModel

/// How one field of an object changed.
public struct PropertyChange: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The value changed.
        case value
        /// The same amount written in another unit (`21.5 °C` → `70.7 °F`).
        case unit
        case added
        case removed
    }

    /// The field's path inside the object: a property's own name (`minAirflow`), or a top-level field (`name`,
    /// `refs.brick`); nested maps are joined with `.`.
    public var name: String
    public var old: String?
    public var new: String?
    /// The unit of the new value (or the old one, when removed), when it is a quantity.
    public var unit: String?
    public var kind: Kind

    public init(name: String, old: String?, new: String?, unit: String?, kind: Kind) {
        self.name = name; self.old = old; self.new = new; self.unit = unit; self.kind = kind
    }
}

/// Ids added to and removed from one relation (`feeds`, `fedBy`, `points`, `partOf`).
public struct RelationChange: Hashable, Sendable, Codable {
    public var relation: String
    public var added: [String]
    public var removed: [String]

    public init(relation: String, added: [String], removed: [String]) {
        self.relation = relation; self.added = added; self.removed = removed
    }
}

/// What happened to one object between two states.
public struct ObjectChange: Hashable, Sendable, Codable {
    public enum Change: String, Sendable, Codable {
        case added, removed, modified
        /// The object's location changed (it may have other changes too).
        case moved
    }

    public var id: String
    public var type: String
    public var change: Change
    /// The file holding the object (the new one; the old one when removed).
    public var path: String
    /// The file that held it before, when it moved to another file.
    public var oldPath: String?
    public var properties: [PropertyChange]
    public var relations: [RelationChange]
}

/// Compares two versions of a building object field by field: quantities by amount, relations as sets of ids.
public enum ObjectDiff {
    /// The change from `old` to `new` (either may be nil), or nil when they mean the same thing.
    public static func compare(_ old: ArxObject?, _ new: ArxObject?) -> ObjectChange? {
        switch (old, new) {
        case (nil, nil): return nil
        case let (nil, new?):
            return ObjectChange(id: new.id, type: new.type, change: .added, path: new.path, oldPath: nil,
                                properties: [], relations: [])
        case let (old?, nil):
            return ObjectChange(id: old.id, type: old.type, change: .removed, path: old.path, oldPath: nil,
                                properties: [], relations: [])
        case let (old?, new?):
            var properties = [PropertyChange]()
            var relations = [RelationChange]()
            let topLevel = Set(old.fields.map(\.key)).union(new.fields.map(\.key))
            for key in orderedKeys(old.fields, new.fields, skippingIdentity: true) {
                let a = old[key], b = new[key]
                if ArxObject.relationKeys.contains(key), let change = relationChange(key, a, b) {
                    relations.append(change)
                } else if ArxObject.relationKeys.contains(key), (a?.idList != nil || a == nil), (b?.idList != nil || b == nil) {
                    continue
                } else if key == "properties" {
                    compare(a, b, path: "", topLevel: topLevel, into: &properties)
                } else {
                    compare(a, b, path: key, topLevel: [], into: &properties)
                }
            }
            if properties.isEmpty && relations.isEmpty && old.type == new.type { return nil }
            if old.type != new.type {
                properties.insert(PropertyChange(name: "type", old: old.type, new: new.type, unit: nil, kind: .value), at: 0)
            }
            let moved = old.location != new.location
            return ObjectChange(id: new.id, type: new.type, change: moved ? .moved : .modified, path: new.path,
                                oldPath: old.path == new.path ? nil : old.path, properties: properties, relations: relations)
        }
    }

    /// Keys of both maps: the old order first, then keys only the new one has.
    static func orderedKeys(_ a: [ModelValue.Field], _ b: [ModelValue.Field], skippingIdentity: Bool = false) -> [String] {
        var seen = Set<String>()
        var out = [String]()
        for key in a.map(\.key) + b.map(\.key) where seen.insert(key).inserted {
            if skippingIdentity && (key == "id" || key == "type") { continue }
            out.append(key)
        }
        return out
    }

    static func relationChange(_ relation: String, _ a: ModelValue?, _ b: ModelValue?) -> RelationChange? {
        guard let old = a.map({ $0.idList }) ?? [], let new = b.map({ $0.idList }) ?? [] else { return nil }
        let oldSet = Set(old), newSet = Set(new)
        let added = new.filter { !oldSet.contains($0) }, removed = old.filter { !newSet.contains($0) }
        if added.isEmpty && removed.isEmpty { return nil }
        return RelationChange(relation: relation, added: added, removed: removed)
    }

    /// Compares two values at `path`, descending into maps; `topLevel` names fields a bare property name would shadow.
    static func compare(_ a: ModelValue?, _ b: ModelValue?, path: String, topLevel: Set<String>,
                        into changes: inout [PropertyChange]) {
        if let fa = a?.fields ?? (a == nil ? [] : nil), let fb = b?.fields ?? (b == nil ? [] : nil), a != nil || b != nil,
           (a?.fields != nil || b?.fields != nil) {
            for key in orderedKeys(fa, fb) {
                let child = path.isEmpty ? (topLevel.contains(key) ? "properties." + key : key) : path + "." + key
                compare(fa.first { $0.key == key }?.value, fb.first { $0.key == key }?.value, path: child, topLevel: [],
                        into: &changes)
            }
            return
        }
        switch (a, b) {
        case (nil, nil): return
        case let (nil, b?):
            changes.append(PropertyChange(name: path, old: nil, new: b.display, unit: Quantity.parse(b.display)?.unit.symbol, kind: .added))
        case let (a?, nil):
            changes.append(PropertyChange(name: path, old: a.display, new: nil, unit: Quantity.parse(a.display)?.unit.symbol, kind: .removed))
        case let (a?, b?):
            // Quoting is formatting: `"VAV 101"` and `VAV 101` are the same text.
            if a == b || (a.text != nil && a.text == b.text) { return }
            if let qa = a.text.flatMap(Quantity.parse), let qb = b.text.flatMap(Quantity.parse), qa.unit.dimension == qb.unit.dimension {
                if qa.sameAmount(as: qb) {
                    if qa.unit != qb.unit {
                        changes.append(PropertyChange(name: path, old: a.display, new: b.display, unit: qb.unit.symbol, kind: .unit))
                    }
                    return
                }
                changes.append(PropertyChange(name: path, old: a.display, new: b.display, unit: qb.unit.symbol, kind: .value))
                return
            }
            if let ta = a.text, let tb = b.text, sameScalar(ta, tb) { return }
            changes.append(PropertyChange(name: path, old: a.display, new: b.display, unit: nil, kind: .value))
        }
    }

    /// Scalars that differ only in how they were written: `1.0` and `1`, `yes`-style booleans are not equated.
    static func sameScalar(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x == y }
        return false
    }
}
