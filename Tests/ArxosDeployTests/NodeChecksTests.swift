import ArxosCore
import ArxosDeploy
import ArxosSigning
import ArxosStore
import Foundation
import Testing

/// The node's refusals (docs/deploy.md, "The deploy commit"): each pushed commit is checked before anything is stored.
@Suite struct NodeChecksTests {
    let directory: String
    let node: EdgeNode
    let service: NodeService
    let controller: Ed25519SecretKey
    let who = Person(name: "CI", email: "ci@example.com", seconds: 1_700_000_000, offsetMinutes: 0)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("arxos-node-\(UUID().uuidString)").path
        node = try EdgeNode.initialize(at: directory, building: "soda", listen: nil)
        service = try NodeService(node: node)
        controller = try Ed25519SecretKey.generate()
        _ = try node.trust(controller.publicKey, comment: "controller")
    }

    func deploy(building: String = "soda", sequence: UInt64 = 1, kind: DeployCommit.Kind = .deploy, time: Int64 = 100,
                key: Ed25519SecretKey? = nil, signed: Bool = true) throws -> [UInt8] {
        let made = DeployCommit(building: building, sequence: sequence, kind: kind, source: ObjectID(hex: String(repeating: "ab", count: 32))!,
                                sourceTime: time, deployment: "d1", previous: nil)
        let tree = ObjectID(hex: String(repeating: "cd", count: 32))!
        var commit = try made.commit(tree: tree, who: who, key: key ?? controller, message: "deploy\n")
        if !signed { commit.signatures = [] }
        return commit.encoded()
    }

    func refusal(_ content: [UInt8]) -> String? {
        do {
            try service.checkReceived(ObjectID(hex: String(repeating: "01", count: 32))!, .commit, content[...])
            return nil
        } catch {
            return (error as? LocalizedError)?.errorDescription ?? "\(error)"
        }
    }

    @Test func acceptsASignedDeployForItsBuilding() throws {
        #expect(refusal(try deploy()) == nil)
    }

    @Test func refusesAnUnsignedCommit() throws {
        #expect(refusal(try deploy(signed: false))?.contains("not signed") == true)
    }

    @Test func refusesAnUntrustedKey() throws {
        let stranger = try Ed25519SecretKey.generate()
        let reason = try #require(refusal(try deploy(key: stranger)))
        #expect(reason.contains("not signed by a trusted controller key"))
    }

    @Test func refusesARevokedKey() throws {
        _ = try node.revoke(keyID: controller.keyID)
        let reason = try #require(refusal(try deploy()))
        #expect(reason.contains("trusted controller key"))
        #expect(reason.lowercased().contains("revoked"))
    }

    @Test func refusesAnotherBuilding() throws {
        #expect(refusal(try deploy(building: "other")) == "the state is bound to building 'other', but this node runs building 'soda'")
    }

    @Test func refusesAReplayedSequence() throws {
        try "7\n".write(toFile: directory + "/sequence", atomically: true, encoding: .utf8)
        #expect(refusal(try deploy(sequence: 7))?.contains("sequence 7 is not newer than the running state's 7") == true)
        #expect(refusal(try deploy(sequence: 8)) == nil)
    }

    @Test func refusesTreesAndBlobs() throws {
        #expect(throws: DeployError.self) { try service.checkReceived(ObjectID(hex: String(repeating: "01", count: 32))!, .tree, [][...]) }
    }

    @Test func durationsAndAmounts() throws {
        #expect(Durations.parse("90") == 90)
        #expect(Durations.parse("5m") == 300)
        #expect(Durations.parse("250ms") == 0.25)
        #expect(Durations.parse("soon") == nil)
        var options = RolloutOptions()
        options.strategy = .rolling
        options.batches = [.count(1), .count(5), .count(10)]
        #expect(options.batchSizes(count: 12) == [1, 4, 5, 2])
        options.batches = [.percent(10), .percent(50), .percent(100)]
        #expect(options.batchSizes(count: 10) == [1, 4, 5])
        options.strategy = .canary
        options.canary = .percent(25)
        #expect(options.batchSizes(count: 10) == [3, 7])
    }
}
