import ArxosModel

/// One field that a merge could not settle: the object, the field's path and the value on each side.
public struct MergeConflict: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The field changed to different values on both sides (or was removed on one and changed on the other).
        case value
        /// A strict field (docs/model.md, the type table) changed on both sides.
        case strict
        /// The object was added on both sides with different content.
        case addAdd = "add/add"
        /// Ours deleted the object, theirs changed it.
        case deleteModify = "delete/modify"
        /// Ours changed the object, theirs deleted it.
        case modifyDelete = "modify/delete"
    }

    /// The field path of an object-level conflict.
    public static let objectField = "(object)"

    public var id: String
    public var type: String
    /// The file holding the object in the merged working tree.
    public var path: String
    /// `properties.minAirflow`, `name`, `refs.brick`, or `(object)`.
    public var field: String
    public var kind: Kind
    /// Each side's value written inline as YAML; nil where that side has no value. For `(object)`: `modified`/`deleted`.
    public var base: String?
    public var ours: String?
    public var theirs: String?

    public init(id: String, type: String, path: String, field: String, kind: Kind, base: String?, ours: String?, theirs: String?) {
        self.id = id; self.type = type; self.path = path; self.field = field; self.kind = kind
        self.base = base; self.ours = ours; self.theirs = theirs
    }
}

/// The three-way merge of one building object, field by field (docs/model.md, "Merging").
public enum ObjectMerge {
    /// Which side settles conflicts without stopping (`--strategy-option`).
    public enum Favor: String, Sendable { case ours, theirs }

    /// The field holding an object's unresolved conflicts in the working tree.
    public static let conflictsKey = "$conflicts"

    /// What the merge of one object gives: the merged fields (nil when the object is deleted) and its conflicts.
    public struct Result: Sendable {
        public var fields: [ModelValue.Field]?
        public var conflicts: [MergeConflict]
        /// The fields with a `$conflicts` entry appended when there are conflicts: what goes into the file.
        public var markedFields: [ModelValue.Field]?
    }

    /// Merges the three versions of one object (matched by id; any may be nil). `isStrict(type, field)` tells whether
    /// a field (a property name or a top-level key) must never merge silently. `path` is where the result will live.
    public static func merge(base: ArxObject?, ours: ArxObject?, theirs: ArxObject?, path: String,
                             favor: Favor? = nil, isStrict: @escaping (String, String) -> Bool = { _, _ in false }) -> Result {
        let id = ours?.id ?? theirs?.id ?? base?.id ?? ""
        let type = ours?.type ?? theirs?.type ?? base?.type ?? ""
        func same(_ a: ArxObject?, _ b: ArxObject?) -> Bool {
            if a == nil && b == nil { return true }
            guard let a, let b else { return false }
            return ObjectDiff.compare(a, b) == nil
        }
        // Both sides made the same change: fine, unless it touched a strict field (checked field by field below).
        if same(ours, theirs) && (base == nil || ours == nil || same(base, ours)) {
            return Result(fields: ours?.fields, conflicts: [], markedFields: ours?.fields)
        }
        if same(base, ours) { return Result(fields: theirs?.fields, conflicts: [], markedFields: theirs?.fields) }
        if same(base, theirs) { return Result(fields: ours?.fields, conflicts: [], markedFields: ours?.fields) }

        guard let ours, let theirs else {
            // Deleted on one side, changed on the other.
            let kept = ours?.fields ?? theirs?.fields
            if let favor {
                let fields = favor == .ours ? ours?.fields : theirs?.fields
                return Result(fields: fields, conflicts: [], markedFields: fields)
            }
            let conflict = MergeConflict(
                id: id, type: type, path: path, field: MergeConflict.objectField,
                kind: ours == nil ? .deleteModify : .modifyDelete, base: base == nil ? nil : "present",
                ours: ours == nil ? "deleted" : "modified", theirs: theirs == nil ? "deleted" : "modified")
            return Result(fields: kept, conflicts: [conflict], markedFields: (kept ?? []) + [marker([conflict], values: [:])])
        }

        var merger = FieldMerger(id: id, type: type, types: [ours.type, theirs.type], path: path, favor: favor,
                                 addAdd: base == nil, isStrict: isStrict)
        let fields = merger.mergeMaps(base?.fields ?? [], ours.fields, theirs.fields, prefix: "", depth: 0, strictRoot: nil)
        let conflicts = merger.conflicts
        if conflicts.isEmpty { return Result(fields: fields, conflicts: [], markedFields: fields) }
        return Result(fields: fields, conflicts: conflicts, markedFields: fields + [marker(conflicts, values: merger.values)])
    }

    /// The `$conflicts` field for `conflicts`: field path → `{base, ours, theirs}` (sides without a value left out).
    static func marker(_ conflicts: [MergeConflict], values: [String: Sides]) -> ModelValue.Field {
        var entries = [ModelValue.Field]()
        for conflict in conflicts {
            var sides = [ModelValue.Field]()
            if conflict.field == MergeConflict.objectField {
                if let base = conflict.base { sides.append(.init(key: "base", value: .scalar(base, plain: true))) }
                sides.append(.init(key: "ours", value: .scalar(conflict.ours ?? "deleted", plain: true)))
                sides.append(.init(key: "theirs", value: .scalar(conflict.theirs ?? "deleted", plain: true)))
            } else if let value = values[conflict.field] {
                if let base = value.base { sides.append(.init(key: "base", value: base)) }
                if let ours = value.ours { sides.append(.init(key: "ours", value: ours)) }
                if let theirs = value.theirs { sides.append(.init(key: "theirs", value: theirs)) }
            }
            entries.append(.init(key: conflict.field, value: .map(sides)))
        }
        return .init(key: conflictsKey, value: .map(entries))
    }

    /// The three values of one conflicted field.
    struct Sides: Sendable {
        var base: ModelValue?
        var ours: ModelValue?
        var theirs: ModelValue?
    }

    /// How two values of a field differ: not at all, only in unit (the same amount), or in value.
    enum Difference { case none, unit, value }

    static func difference(_ a: ModelValue?, _ b: ModelValue?) -> Difference {
        var changes = [PropertyChange]()
        ObjectDiff.compare(a, b, path: "v", topLevel: [], into: &changes)
        if changes.isEmpty { return .none }
        return changes.allSatisfy { $0.kind == .unit } ? .unit : .value
    }

    /// The field-by-field walk of one object, collecting conflicts.
    struct FieldMerger {
        let id: String
        let type: String
        let types: [String]
        let path: String
        let favor: Favor?
        let addAdd: Bool
        let isStrict: (String, String) -> Bool
        var conflicts = [MergeConflict]()
        var values = [String: Sides]()

        func strict(_ name: String) -> Bool { types.contains { isStrict($0, name) } }

        mutating func mergeMaps(_ base: [ModelValue.Field], _ ours: [ModelValue.Field], _ theirs: [ModelValue.Field],
                                prefix: String, depth: Int, strictRoot: Bool?) -> [ModelValue.Field] {
            var out = [ModelValue.Field]()
            for key in ObjectDiff.orderedKeys(ours, theirs) {
                if depth == 0 && key == ObjectMerge.conflictsKey { continue }
                let b = base.first { $0.key == key }?.value
                let o = ours.first { $0.key == key }?.value
                let t = theirs.first { $0.key == key }?.value
                let fieldPath = prefix.isEmpty ? key : prefix + "." + key
                // A top-level field is strict by its own name; a property by its name under `properties`.
                let isStrictHere: Bool
                if let strictRoot { isStrictHere = strictRoot }
                else if depth == 0 && key != "properties" { isStrictHere = strict(key) }
                else if depth == 1 && prefix == "properties" { isStrictHere = strict(key) }
                else { isStrictHere = false }
                let descend = (depth == 0 && key != "properties") || (depth == 1 && prefix == "properties") ? isStrictHere : strictRoot
                if let value = mergeValue(b, o, t, path: fieldPath, depth: depth, strict: isStrictHere, descendStrict: descend,
                                          relation: depth == 0 && ArxObject.relationKeys.contains(key)) {
                    out.append(ModelValue.Field(key: key, value: value))
                }
            }
            return out
        }

        mutating func mergeValue(_ b: ModelValue?, _ o: ModelValue?, _ t: ModelValue?, path fieldPath: String, depth: Int,
                                 strict: Bool, descendStrict: Bool?, relation: Bool) -> ModelValue? {
            func difference(_ x: ModelValue?, _ y: ModelValue?) -> Difference {
                // Relations are sets: order is not a change.
                if relation, let a = x.map({ $0.idList }) ?? [], let c = y.map({ $0.idList }) ?? [] {
                    return Set(a) == Set(c) ? .none : .value
                }
                return ObjectMerge.difference(x, y)
            }
            let oursChanged = difference(b, o), theirsChanged = difference(b, t)
            if !addAdd {
                if strict && oursChanged != .none && theirsChanged != .none {
                    return conflict(fieldPath, .strict, b, o, t)
                }
                if oursChanged == .none { return t }
                if theirsChanged == .none { return o }
            }
            // Both changed. Maps merge key by key (even when equal: a strict field inside may need a decision).
            if !addAdd, !strict, let bm = b?.fields ?? (b == nil ? [] : nil), let om = o?.fields, let tm = t?.fields {
                return .map(mergeMaps(bm, om, tm, prefix: fieldPath, depth: depth + 1, strictRoot: descendStrict))
            }
            switch difference(o, t) {
            case .none: return o
            case .unit where !addAdd && !strict: return o
            default: break
            }
            if addAdd { return conflict(fieldPath, .addAdd, nil, o, t) }
            // Both changed, differently: relations merge as sets; a unit change yields to a value change.
            if relation, let merged = mergeRelation(b, o, t) { return merged }
            if oursChanged == .unit && theirsChanged == .value { return t }
            if theirsChanged == .unit && oursChanged == .value { return o }
            return conflict(fieldPath, strict ? .strict : .value, b, o, t)
        }

        /// Both sides' additions and removals applied to the base's ids: ours' order, then theirs' additions.
        func mergeRelation(_ b: ModelValue?, _ o: ModelValue?, _ t: ModelValue?) -> ModelValue? {
            guard let base = b.map({ $0.idList }) ?? [], let ours = o.map({ $0.idList }) ?? [],
                  let theirs = t.map({ $0.idList }) ?? [] else { return nil }
            let baseSet = Set(base), oursSet = Set(ours), theirsSet = Set(theirs)
            var ids = ours.filter { !(baseSet.contains($0) && !theirsSet.contains($0)) }
            var seen = Set(ids)
            for id in theirs where !oursSet.contains(id) && !baseSet.contains(id) && seen.insert(id).inserted { ids.append(id) }
            return .list(ids.map { .scalar($0, plain: true) })
        }

        mutating func conflict(_ field: String, _ kind: MergeConflict.Kind, _ b: ModelValue?, _ o: ModelValue?,
                               _ t: ModelValue?) -> ModelValue? {
            if let favor { return favor == .ours ? o : t }
            conflicts.append(MergeConflict(id: id, type: type, path: path, field: field, kind: kind,
                                           base: b.map(ObjectWriter.inline), ours: o.map(ObjectWriter.inline),
                                           theirs: t.map(ObjectWriter.inline)))
            values[field] = Sides(base: b, ours: o, theirs: t)
            return o
        }
    }
}
