import ArxosCore
import ArxosModel
import ArxosStore

/// Every building object of a state, read in full (for whole-state checks such as `arxos validate`).
public enum StateObjects {
    /// The objects of a tree in the store.
    public static func load(tree: ObjectID, in repository: Repository) throws -> [ArxObject] {
        var out = [ArxObject]()
        try TreeBuilder.walk(tree, in: repository.objects) { path, blob in
            guard WorkingTree.holdsObjects(path) else { return }
            out += try ArxObject.objects(path: path, bytes: try repository.objects.readBlob(blob))
        }
        return out
    }

    /// The objects of the working tree; the first file that does not parse stops it with `file:line`.
    public static func loadWorkingTree(of repository: Repository) throws -> [ArxObject] {
        let tree = try WorkingTree(top: repository.top)
        var out = [ArxObject]()
        for file in tree.scan() where WorkingTree.holdsObjects(file.path) {
            out += try ArxObject.objects(path: file.path, bytes: try tree.read(file.path))
        }
        return out
    }
}
