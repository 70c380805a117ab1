import ArgumentParser
import ArxosDeploy
import ArxosSigning
import ArxosWorkspace
import Foundation

extension Arxos {
    struct NodeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node", abstract: "Edit and probe the inventory of edge nodes (.arxos-nodes.yaml, versioned).",
            subcommands: [NodeAdd.self, NodeRemove.self, NodeList.self, NodeStatusCommand.self])
    }

    struct NodeAdd: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a node to .arxos-nodes.yaml.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The node's name.") var name: String
        @Option(help: ArgumentHelp("The building it runs.", valueName: "id")) var building: String
        @Option(help: ArgumentHelp("tcp://host:port, ssh://[user@]host[:port]/DIR, or a node directory.", valueName: "url")) var address: String
        @Option(help: ArgumentHelp("The node's public key ('ed25519 <base64>', printed by 'arxos edge init').", valueName: "key")) var key: String?
        @Option(name: .customLong("tag"), help: ArgumentHelp("A tag such as region=west (repeatable).", valueName: "k=v")) var tags: [String] = []
        @Option(help: ArgumentHelp("The building's directory in the repository, if not found by its building.yaml.", valueName: "dir")) var path: String?

        func run() throws {
            let context = CommandContext(global)
            try context.runLocked { repository in
                var inventory = try Inventory.load(top: repository.top)
                guard !inventory.nodes.contains(where: { $0.name == name }) else { throw DeployError.nodeExists(name) }
                guard !name.isEmpty, !name.hasPrefix("-"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                    throw CommandFailure(message: "'\(name)' is not a valid node name: use letters, digits, '-', '_' and '.'")
                }
                var tagMap = [String: String]()
                for tag in tags {
                    let parts = tag.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty else { throw CommandFailure(message: "--tag '\(tag)' is not key=value", code: ExitCodes.usage) }
                    tagMap[parts[0]] = parts[1]
                }
                let entry = NodeEntry(name: name, building: building, address: address, key: key, tags: tagMap, path: path)
                _ = try entry.publicKey()
                inventory.nodes.append(entry)
                try inventory.save(top: repository.top)
                if !global.quiet { output("Added node \(name) (building \(building)) to \(Inventory.fileName); capture it to version it") }
            }
        }
    }

    struct NodeRemove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a node from .arxos-nodes.yaml.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The node's name.") var name: String

        func run() throws {
            let context = CommandContext(global)
            try context.runLocked { repository in
                var inventory = try Inventory.load(top: repository.top)
                guard inventory.nodes.contains(where: { $0.name == name }) else { throw DeployError.unknownNode(name) }
                inventory.nodes.removeAll { $0.name == name }
                try inventory.save(top: repository.top)
                if !global.quiet { output("Removed node \(name)") }
            }
        }
    }

    struct NodeList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the nodes of .arxos-nodes.yaml.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON (docs/json.md).") var json = false

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let inventory = try Inventory.load(top: repository.top)
                if json { try printJSON(inventory.nodes); return }
                for node in inventory.nodes {
                    let tags = node.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    output("\(node.name)\t\(node.building)\t\(node.address)\(tags.isEmpty ? "" : "\t\(tags)")")
                }
            }
        }
    }

    struct NodeStatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Probe nodes: reachable, building, running state, whether they trust your key.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("target"), help: ArgumentHelp("Node names, globs, tag matches (region=west) or 'all'.", valueName: "selector"))
        var targets: [String] = ["all"]
        @Flag(help: "Print JSON (docs/json.md).") var json = false

        struct Probe: Encodable {
            var name: String
            var building: String
            var reachable: Bool
            var error: String?
            var current: String?
            var sequence: UInt64?
            var pending: String?
            var lease: String?
            var trustsUs: Bool?
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let nodes = try Inventory.load(top: repository.top).select(targets)
                let connector = DeployCLI.connector(repository)
                let ours = try KeyStore(home: URL(fileURLWithPath: Repository.home)).load()?.keyID
                var probes = [Probe]()
                for node in nodes {
                    do {
                        let client = try connector.connect(node, timeout: 10)
                        defer { client.close() }
                        let status = try client.status()
                        probes.append(Probe(name: node.name, building: status.building, reachable: true, current: status.current?.hex,
                                            sequence: status.sequence, pending: status.pending, lease: status.lease,
                                            trustsUs: ours.map { status.trusts.contains($0) }))
                    } catch {
                        probes.append(Probe(name: node.name, building: node.building, reachable: false,
                                            error: ((error as? LocalizedError)?.errorDescription ?? "\(error)").split(separator: "\n").first.map(String.init)))
                    }
                }
                if json { try printJSON(probes); return }
                for probe in probes {
                    if !probe.reachable { output("\(probe.name)\toffline\t\(probe.error ?? "")"); continue }
                    output("\(probe.name)\t\(probe.building)\t\(probe.current.map { String($0.prefix(12)) } ?? "no state")\tseq \(probe.sequence ?? 0)"
                        + (probe.trustsUs == false ? "\tdoes not trust your key" : "") + (probe.pending.map { "\tpending \($0.prefix(12))" } ?? ""))
                }
            }
        }
    }
}
