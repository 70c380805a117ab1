import ArxosCore
import ArxosSigning
import Foundation

/// A deploy commit (docs/deploy.md): a state bound to one building, with a sequence, signed by a controller.
public struct DeployCommit: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case deploy, rollback }

    public var building: String
    public var sequence: UInt64
    public var kind: Kind
    /// The portfolio commit the tree was taken from, and its committer time.
    public var source: ObjectID
    public var sourceTime: Int64
    public var deployment: String
    /// The deploy commit the node ran when this one was made.
    public var previous: ObjectID?

    public init(building: String, sequence: UInt64, kind: Kind, source: ObjectID, sourceTime: Int64, deployment: String,
                previous: ObjectID?) {
        self.building = building; self.sequence = sequence; self.kind = kind; self.source = source
        self.sourceTime = sourceTime; self.deployment = deployment; self.previous = previous
    }

    /// The extra headers, in the order of docs/deploy.md.
    var headers: [HeaderField] {
        var fields = [
            HeaderField(key: "building", value: building), HeaderField(key: "sequence", value: String(sequence)),
            HeaderField(key: "kind", value: kind.rawValue), HeaderField(key: "source", value: source.hex),
            HeaderField(key: "source-time", value: String(sourceTime)), HeaderField(key: "deployment", value: deployment),
        ]
        if let previous { fields.append(HeaderField(key: "previous", value: previous.hex)) }
        return fields
    }

    /// Reads the deploy headers of `commit`.
    public init(_ commit: Commit) throws(DeployError) {
        var values = [String: String]()
        for field in commit.extraHeaders { values[field.key] = field.value }
        guard let building = values["building"], !building.isEmpty else { throw .notADeployCommit("it has no 'building' header") }
        guard let sequenceText = values["sequence"], let sequence = UInt64(sequenceText), sequence > 0 else {
            throw .notADeployCommit("its 'sequence' header is missing or not a positive number")
        }
        guard let kind = values["kind"].flatMap(Kind.init(rawValue:)) else { throw .notADeployCommit("its 'kind' is not deploy or rollback") }
        guard let source = values["source"].flatMap(ObjectID.init(hex:)) else { throw .notADeployCommit("its 'source' is not a commit id") }
        guard let time = values["source-time"].flatMap(Int64.init) else { throw .notADeployCommit("its 'source-time' is not a number") }
        guard let deployment = values["deployment"], !deployment.isEmpty else { throw .notADeployCommit("it has no 'deployment' header") }
        var previous: ObjectID?
        if let text = values["previous"] {
            guard let id = ObjectID(hex: text) else { throw .notADeployCommit("its 'previous' is not a commit id") }
            previous = id
        }
        self.init(building: building, sequence: sequence, kind: kind, source: source, sourceTime: time, deployment: deployment,
                  previous: previous)
    }

    /// The signed commit content of this deploy commit over `tree`, made by `who` with `key`.
    public func commit(tree: ObjectID, who: Person, key: Ed25519SecretKey, message: String) throws -> Commit {
        var commit = Commit(tree: tree, parents: [], author: who, committer: who, extraHeaders: headers, message: message)
        let signature = try key.sign(commit.signedPayload())
        commit.signatures = ["ed25519 \(key.keyID) \(Data(signature).base64EncodedString())"]
        return commit
    }
}
