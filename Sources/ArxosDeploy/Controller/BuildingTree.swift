import ArxosCore
import ArxosModel
import ArxosStore
import ArxosWorkspace
import Foundation

/// Finds a building's tree in a portfolio state (docs/deploy.md, "The deploy commit").
public struct BuildingTree {
    let objects: ObjectDatabase

    public init(objects: ObjectDatabase) { self.objects = objects }

    /// The tree of the directory holding `building`'s object: `path` when the inventory names one, else the shallowest
    /// `building.yaml`/`building.yml` (depth 0 to 3) whose objects include a building with that id.
    public func find(_ building: String, path: String?, in root: ObjectID, revision: String) throws -> ObjectID {
        if let path {
            let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if trimmed.isEmpty { return root }
            guard let entry = try TreeBuilder.entry(at: trimmed, in: root, objects: objects), entry.kind == .directory else {
                throw DeployError.badInventory(path: Inventory.fileName, reason: "'path: \(path)' is not a directory in \(revision)")
            }
            return entry.id
        }
        var level: [ObjectID] = [root]
        for _ in 0...3 {
            var next = [ObjectID]()
            for tree in level {
                let entries = try objects.readTree(tree).entries
                for entry in entries where entry.kind == .file && (entry.name == "building.yaml" || entry.name == "building.yml") {
                    let bytes = try objects.readBlob(entry.id)
                    let summaries = (try? ObjectFile.summaries(path: entry.name, bytes: bytes)) ?? []
                    if summaries.contains(where: { $0.id == building && $0.type == "building" }) { return tree }
                }
                next += entries.filter { $0.kind == .directory }.map(\.id)
            }
            level = next
        }
        throw DeployError.buildingNotFound(building: building, revision: revision)
    }
}
