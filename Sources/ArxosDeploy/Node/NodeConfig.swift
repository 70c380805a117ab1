import Foundation
import Yams

/// A command the node runs: the apply hook or a health check.
public struct NodeCommand: Sendable, Equatable, Codable {
    public var name: String
    public var command: String
    public var timeout: Double
    public init(name: String, command: String, timeout: Double) { self.name = name; self.command = command; self.timeout = timeout }
}

/// `node.yaml` (docs/deploy.md, "The edge node").
public struct NodeConfig: Sendable, Equatable {
    public var building: String
    public var listen: String?
    public var apply: NodeCommand?
    public var required: [NodeCommand] = []
    public var wanted: [NodeCommand] = []
    public var keep: Int = 3

    public init(building: String, listen: String?) { self.building = building; self.listen = listen }

    /// Reads `node.yaml`; every problem names the file and the key.
    public init(path: String, text: String) throws {
        func fail(_ reason: String) -> DeployError { .badNodeConfig(path: path, reason: reason) }
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch { throw fail("not valid YAML: \(error)") }
        guard let map = loaded as? [String: Any] else { throw fail("expected a mapping with at least 'building:'") }
        guard let building = map["building"] as? String, !building.isEmpty else { throw fail("'building:' is missing") }
        self.init(building: building, listen: map["listen"] as? String)
        func duration(_ value: Any?, _ key: String, default fallback: Double) throws -> Double {
            guard let value else { return fallback }
            guard let seconds = Durations.parse("\(value)") else { throw fail("'\(key)' is not a duration such as 30s or 2m") }
            return seconds
        }
        if let apply = map["apply"] {
            guard let command = apply as? String, !command.isEmpty else { throw fail("'apply:' must be a command line") }
            self.apply = NodeCommand(name: "apply", command: command, timeout: try duration(map["applyTimeout"], "applyTimeout", default: 60))
        }
        if let health = map["health"] {
            guard let health = health as? [String: Any] else { throw fail("'health:' must hold 'required:' and 'wanted:' lists") }
            for key in health.keys where key != "required" && key != "wanted" { throw fail("unknown key 'health.\(key)'; use required or wanted") }
            for (key, list) in health {
                guard let items = list as? [Any] else { throw fail("'health.\(key)' must be a list") }
                var commands = [NodeCommand]()
                for (index, item) in items.enumerated() {
                    guard let item = item as? [String: Any], let command = item["command"] as? String, !command.isEmpty else {
                        throw fail("health.\(key)[\(index)] needs 'command:'")
                    }
                    let name = (item["name"] as? String) ?? "\(key)-\(index + 1)"
                    commands.append(NodeCommand(name: name, command: command,
                                                timeout: try duration(item["timeout"], "health.\(key)[\(index)].timeout", default: 30)))
                }
                if key == "required" { required = commands } else { wanted = commands }
            }
        }
        if let keep = map["keep"] {
            guard let n = keep as? Int, n >= 1 else { throw fail("'keep:' must be a whole number of at least 1") }
            self.keep = n
        }
    }

    /// The text of a new node's `node.yaml`.
    public var initialText: String {
        """
        # arxos edge node (docs/deploy.md, "The edge node").
        building: \(building)
        \(listen.map { "listen: \($0)" } ?? "# listen: 127.0.0.1:7420")
        # apply: ./apply.sh            # run with the new state's directory as $1
        # applyTimeout: 60s
        # health:
        #   required:
        #     - name: bms-reachable
        #       command: ./check-bms.sh
        #       timeout: 10s
        #   wanted: []
        keep: \(keep)

        """
    }
}
