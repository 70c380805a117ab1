import ArxosSigning
import ArxosStore
import Foundation
import Yams

/// One edge node of the inventory.
public struct NodeEntry: Sendable, Equatable, Codable {
    public var name: String
    public var building: String
    public var address: String
    /// The node's public key (`ed25519 <base64>`), pinned for tcp:// addresses.
    public var key: String?
    public var tags: [String: String]
    /// The building's directory in the repository, when it is not found by its building.yaml.
    public var path: String?

    public init(name: String, building: String, address: String, key: String?, tags: [String: String], path: String?) {
        self.name = name; self.building = building; self.address = address; self.key = key; self.tags = tags; self.path = path
    }

    /// The pinned public key, if any.
    public func publicKey() throws -> Ed25519PublicKey? {
        guard let key else { return nil }
        let words = key.split(separator: " ")
        let text = words.count >= 2 && words[0] == "ed25519" ? String(words[1]) : key
        return try Ed25519PublicKey(parsing: text)
    }
}

/// `.arxos-nodes.yaml` at the top of the repository (docs/deploy.md, "Choosing nodes").
public struct Inventory: Sendable, Equatable {
    public static let fileName = ".arxos-nodes.yaml"
    public var nodes: [NodeEntry]
    /// Maintenance windows (allow and deny), in file order.
    public var windows: [MaintenanceWindow] = []
    /// Protected branches: deploying a commit on one needs this many approvals by keys other than the author's.
    public var protected: [String: Int] = [:]

    public init(nodes: [NodeEntry] = []) { self.nodes = nodes }

    /// Reads the inventory from its text; `path` names it in messages.
    public init(text: String, path: String) throws {
        func fail(_ reason: String) -> DeployError { .badInventory(path: path, reason: reason) }
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch { throw fail("not valid YAML: \(error)") }
        guard let loaded else { self.init(); return }
        guard let map = loaded as? [String: Any], let list = (map["nodes"] ?? []) as? [Any] else {
            throw fail("expected 'nodes:' with a list of nodes")
        }
        var nodes = [NodeEntry]()
        for (index, item) in list.enumerated() {
            guard let item = item as? [String: Any] else { throw fail("nodes[\(index)] is not a mapping") }
            func string(_ key: String, required: Bool = true) throws -> String? {
                guard let value = item[key] else {
                    if required { throw fail("nodes[\(index)] has no '\(key)'") }
                    return nil
                }
                return "\(value)"
            }
            let name = try string("name") ?? ""
            if nodes.contains(where: { $0.name == name }) { throw fail("the node name '\(name)' appears twice") }
            var tags = [String: String]()
            if let raw = item["tags"] {
                guard let map = raw as? [String: Any] else { throw fail("nodes[\(index)].tags must be a mapping such as {region: west}") }
                for (key, value) in map { tags[key] = "\(value)" }
            }
            nodes.append(NodeEntry(name: name, building: try string("building") ?? "", address: try string("address") ?? "",
                                   key: try string("key", required: false), tags: tags, path: try string("path", required: false)))
        }
        self.init(nodes: nodes)
        if let raw = map["windows"] {
            guard let list = raw as? [Any] else { throw fail("'windows:' must be a list") }
            for (index, item) in list.enumerated() {
                guard let item = item as? [String: Any] else { throw fail("windows[\(index)] is not a mapping") }
                windows.append(try MaintenanceWindow(item, index: index, path: path))
            }
        }
        if let raw = map["protected"] {
            guard let list = raw as? [Any] else { throw fail("'protected:' must be a list of {branch, approvals}") }
            for (index, item) in list.enumerated() {
                guard let item = item as? [String: Any], let branch = item["branch"].map({ "\($0)" }),
                      let approvals = item["approvals"] as? Int, approvals >= 1 else {
                    throw fail("protected[\(index)] needs 'branch:' and 'approvals:' (at least 1)")
                }
                protected[branch] = approvals
            }
        }
    }

    /// Reads `<top>/.arxos-nodes.yaml`; a missing file is an empty inventory.
    public static func load(top: String) throws -> Inventory {
        let path = top + "/" + fileName
        guard let bytes = try FileSystem.read(path) else { return Inventory() }
        return try Inventory(text: String(decoding: bytes, as: UTF8.self), path: fileName)
    }

    /// Writes `<top>/.arxos-nodes.yaml` atomically.
    public func save(top: String) throws {
        try FileSystem.writeAtomically(top + "/" + Inventory.fileName, Array(text.utf8))
    }

    /// The YAML text, in a stable layout.
    public var text: String {
        var out = "# arxos edge nodes (docs/deploy.md, \"Choosing nodes\"); edit with 'arxos node add|remove'.\nnodes:\n"
        if nodes.isEmpty { out = out.replacingOccurrences(of: "nodes:\n", with: "nodes: []\n") }
        func quote(_ text: String) -> String {
            let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./:@".unicodeScalars.contains($0) }
                && !["true", "false", "null", "yes", "no", "on", "off"].contains(text.lowercased()) && Double(text) == nil
            return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        for node in nodes {
            out += "  - name: \(quote(node.name))\n    building: \(quote(node.building))\n    address: \(quote(node.address))\n"
            if let key = node.key { out += "    key: \(quote(key))\n" }
            if !node.tags.isEmpty {
                out += "    tags: {" + node.tags.sorted { $0.key < $1.key }.map { "\(quote($0.key)): \(quote($0.value))" }.joined(separator: ", ") + "}\n"
            }
            if let path = node.path { out += "    path: \(quote(path))\n" }
        }
        if !windows.isEmpty { out += "windows:\n" + windows.map(\.text).joined() }
        if !protected.isEmpty {
            out += "protected:\n" + protected.sorted { $0.key < $1.key }.map { "  - {branch: \(quote($0.key)), approvals: \($0.value)}\n" }.joined()
        }
        return out
    }

    /// The nodes `selectors` pick, in inventory order: names, globs on names, `k=v[,k=v…]` tag matches (all must
    /// match), and `all`; several selectors add up.
    public func select(_ selectors: [String]) throws -> [NodeEntry] {
        guard !selectors.isEmpty else { throw DeployError.badSelector("give --target with node names, tags (region=west) or 'all'") }
        var chosen = Set<String>()
        for selector in selectors {
            let before = chosen.count
            if selector == "all" {
                chosen.formUnion(nodes.map(\.name))
            } else if selector.contains("=") {
                var wanted = [(String, String)]()
                for pair in selector.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, !parts[0].isEmpty else { throw DeployError.badSelector("'\(pair)' is not key=value") }
                    wanted.append((parts[0], parts[1]))
                }
                for node in nodes where wanted.allSatisfy({ key, value in
                    key == "building" ? node.building == value : node.tags[key].map { Inventory.glob(value, $0) } ?? false
                }) {
                    chosen.insert(node.name)
                }
            } else {
                for node in nodes where Inventory.glob(selector, node.name) { chosen.insert(node.name) }
            }
            if chosen.count == before, !nodes.contains(where: { chosen.contains($0.name) && Inventory.glob(selector, $0.name) }) {
                throw DeployError.emptySelection(selector)
            }
        }
        return nodes.filter { chosen.contains($0.name) }
    }

    /// Shell-style matching with `*` and `?`.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars), t = Array(text.unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
