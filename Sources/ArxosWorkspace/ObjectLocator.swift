import ArxosCore
import ArxosModel
import ArxosStore

/// Finds which file of a state holds a building object.
public struct ObjectLocator {
    let repository: Repository

    public init(repository: Repository) { self.repository = repository }

    /// The path of the file holding object `id` in `tree`, or nil. Uses the stat cache when it describes `tree`.
    public func path(of id: String, in tree: ObjectID) throws -> String? {
        let index = StatIndex.load(from: repository.root + "/index")
        var found: String? = nil
        try TreeBuilder.walk(tree, in: repository.objects) { path, blob in
            guard found == nil, WorkingTree.holdsObjects(path) else { return }
            if let entry = index[path], entry.blob == blob {
                if entry.objects.contains(where: { $0.id == id }) { found = path }
                return
            }
            let bytes = try repository.objects.readBlob(blob)
            if let summaries = try? ObjectFile.summaries(path: path, bytes: bytes), summaries.contains(where: { $0.id == id }) {
                found = path
            }
        }
        return found
    }
}
