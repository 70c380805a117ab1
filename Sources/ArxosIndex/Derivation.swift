/// Where an object's containment comes from while deriving: objects kept in memory during a full build, or the
/// rows of the index during an incremental update.
protocol ContainmentSource {
    /// The containment facts of the object `id`; nil when the state has no such object.
    mutating func node(_ id: String) throws -> Containment?
    /// The objects whose `points` name `id`, sorted by id.
    mutating func owners(of id: String) throws -> [String]
}

/// An object's derived fields: the building it belongs to and the level number of its floor.
struct Derived: Sendable, Equatable {
    var building: String?
    var floor: Int?
}

/// The rule of docs/query.md ("Derived fields"): walk up from the object — itself first, then its `location`, its
/// `partOf` ids (sorted), and the objects whose `points` name it, breadth first — and take the nearest object of type
/// `building` and the nearest of type `floor` (its `level`). Without a building on the way, an object whose id starts
/// with `B/` belongs to the building whose id is `B`, if there is one.
enum Derivation {
    /// How many objects a walk visits at most (containment is shallow; this bounds a cyclic or damaged state).
    static let limit = 256

    static func derive(_ id: String, from source: inout some ContainmentSource) throws -> Derived {
        var result = Derived()
        var floorFound = false
        var queue = [id]
        var seen: Set<String> = [id]
        var head = 0
        while head < queue.count, head < limit, result.building == nil || !floorFound {
            let current = queue[head]
            head += 1
            guard let node = try source.node(current) else { continue }
            if result.building == nil, node.type == "building" { result.building = current }
            if !floorFound, node.type == "floor" {
                floorFound = true
                result.floor = node.level
            }
            for parent in node.parents + (try source.owners(of: current)) where seen.insert(parent).inserted {
                queue.append(parent)
            }
        }
        if result.building == nil, let slash = id.firstIndex(of: "/") {
            let prefix = String(id[..<slash])
            if try source.node(prefix)?.type == "building" { result.building = prefix }
        }
        return result
    }
}

/// Containment of every object of a state, held in memory while a full build runs.
struct MemoryContainment: ContainmentSource {
    var nodes: [String: Containment] = [:]
    var ownersByPoint: [String: [String]] = [:]

    mutating func add(_ id: String, _ containment: Containment) {
        nodes[id] = containment
        for point in containment.points { ownersByPoint[point, default: []].append(id) }
    }

    /// Sorts the owner lists; call once every object is added.
    mutating func finish() {
        for key in ownersByPoint.keys { ownersByPoint[key]?.sort() }
    }

    func node(_ id: String) -> Containment? { nodes[id] }
    func owners(of id: String) -> [String] { ownersByPoint[id] ?? [] }
}
