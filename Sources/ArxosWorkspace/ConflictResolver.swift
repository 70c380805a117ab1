import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore

/// `arxos resolve`: settles open conflicts of a stopped merge by rewriting the object in its file.
public struct ConflictResolver {
    /// The value a conflicted field takes.
    public enum Choice: Sendable {
        case ours, theirs
        case value(ModelValue)
    }

    let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// Resolves the conflicts of object `id` (only `field`, when given) and returns the fields resolved.
    public func resolve(id: String, field: String?, choice: Choice) throws -> [String] {
        let lock = try repository.lock()
        defer { withExtendedLifetime(lock) {} }
        guard let state = try MergeState.load(from: repository) else { throw MergeError.noMergeInProgress }
        let tree = try WorkingTree(top: repository.top)
        for path in state.paths where WorkingTree.holdsObjects(path) {
            guard let bytes = try FileSystem.read(repository.top + "/" + path) else { continue }
            var objects = try ArxObject.objects(path: path, bytes: bytes)
            guard let position = objects.firstIndex(where: { $0.id == id }) else { continue }
            var fields = objects[position].fields
            guard let markerIndex = fields.firstIndex(where: { $0.key == ObjectMerge.conflictsKey }),
                  var entries = fields[markerIndex].value.fields, !entries.isEmpty else {
                throw MergeError.noConflict(id: id, field: field)
            }
            let chosen = field.map { name in entries.filter { $0.key == name } } ?? entries
            if chosen.isEmpty { throw MergeError.noConflict(id: id, field: field) }
            var deleteObject = false
            for entry in chosen {
                let sides = entry.value.fields ?? []
                func side(_ name: String) -> ModelValue? { sides.first { $0.key == name }?.value }
                if entry.key == MergeConflict.objectField {
                    let picked: ModelValue?
                    switch choice {
                    case .ours: picked = side("ours")
                    case .theirs: picked = side("theirs")
                    case .value: throw MergeError.valueForObjectConflict(id)
                    }
                    deleteObject = picked?.text == "deleted"
                } else {
                    let value: ModelValue?
                    switch choice {
                    case .ours: value = side("ours")
                    case .theirs: value = side("theirs")
                    case let .value(given): value = given
                    }
                    fields = ConflictResolver.setting(entry.key, to: value, in: fields)
                }
                entries.removeAll { $0.key == entry.key }
            }
            if let index = fields.firstIndex(where: { $0.key == ObjectMerge.conflictsKey }) {
                if entries.isEmpty { fields.remove(at: index) } else { fields[index].value = .map(entries) }
            }
            if deleteObject { objects.remove(at: position) } else { objects[position].fields = fields }
            if objects.isEmpty {
                try tree.remove(path)
            } else {
                let text = ObjectWriter.file(objects.map(\.fields), layout: FileLayout.of(bytes),
                                             header: FileLayout.header(of: bytes))
                _ = try tree.write(path, Array(text.utf8))
            }
            return chosen.map(\.key)
        }
        throw MergeError.objectNotFound(id)
    }

    /// `fields` with the value at a dotted path (`properties.minAirflow`) set, or removed when `value` is nil. A key
    /// that itself contains a dot is matched whole before the path is split.
    static func setting(_ path: String, to value: ModelValue?, in fields: [ModelValue.Field]) -> [ModelValue.Field] {
        var fields = fields
        if let index = fields.firstIndex(where: { $0.key == path }) {
            if let value { fields[index].value = value } else { fields.remove(at: index) }
            return fields
        }
        for (index, field) in fields.enumerated() where path.hasPrefix(field.key + ".") {
            guard let inner = field.value.fields else { continue }
            fields[index].value = .map(setting(String(path.dropFirst(field.key.count + 1)), to: value, in: inner))
            return fields
        }
        guard let value else { return fields }
        // The path does not exist yet (the field was absent on ours): create it.
        guard let dot = path.firstIndex(of: ".") else { return fields + [ModelValue.Field(key: path, value: value)] }
        let head = String(path[..<dot]), rest = String(path[path.index(after: dot)...])
        return fields + [ModelValue.Field(key: head, value: .map(setting(rest, to: value, in: [])))]
    }
}
