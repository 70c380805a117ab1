import ArxosCore
import ArxosMerge
import ArxosModel
import ArxosStore
import Foundation

/// A merge that stopped (conflicts, rule violations or `--no-commit`), kept in `.arxos/merge.json` until it is
/// concluded or aborted (docs/format.md, "Merge state").
public struct MergeState: Codable, Sendable {
    public var version = 1
    /// The commit HEAD was on when the merge started.
    public var ours: ObjectID
    /// The commit being merged in.
    public var theirs: ObjectID
    /// REV as the user wrote it.
    public var name: String
    /// The message the merge commit will have.
    public var message: String
    /// Every file the merge wrote or removed: what `--abort` puts back.
    public var paths: [String]
    /// The conflicts found when the merge stopped (the working tree says which are still open).
    public var conflicts: [MergeConflict]
    /// The rule violations found when the merge stopped.
    public var violations: [Violation]
    /// Whether violations are allowed for this merge (`--allow-violations`).
    public var allowViolations: Bool

    static func path(in repository: Repository) -> String { repository.root + "/merge.json" }

    /// The merge in progress, or nil.
    public static func load(from repository: Repository) throws -> MergeState? {
        let file = path(in: repository)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            return try JSONDecoder().decode(MergeState.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw MergeError.badState(file)
        }
    }

    /// Writes the state atomically (write, fsync, rename).
    func save(in repository: Repository) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try FileSystem.writeAtomically(MergeState.path(in: repository), Array(data) + [0x0A])
    }

    static func remove(in repository: Repository) throws {
        let file = path(in: repository)
        if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
    }
}

extension ObjectID: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an object id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
