import ArxosModel
import Foundation
import Testing

/// The package's top directory (this file is `Tests/ArxosModelTests/FixtureFileTests.swift`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Runs a command and returns its standard output; records an issue on a non-zero exit.
func run(_ arguments: [String], stdin: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(arguments.joined(separator: " ")): \(errorText)")
    return String(decoding: data, as: UTF8.self)
}

/// Every `.yaml`/`.yml` file under `directory`, as paths relative to it, sorted.
private func yamlFiles(under directory: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: directory)
    var out = [String]()
    while let path = enumerator?.nextObject() as? String {
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { out.append(path) }
    }
    return out.sorted()
}

/// PyYAML's view of the same files: `[[id, type, line], …]` per file, from its composer (which, like libyaml, records
/// where each mapping starts).
private let pyyamlSummaries = #"""
import json, sys, yaml
out = {}
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    objects = []
    for root in yaml.compose_all(text):
        items = root.value if isinstance(root, yaml.SequenceNode) else [root]
        for node in items:
            fields = {k.value: v.value for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            objects.append([fields["id"], fields["type"], node.start_mark.line + 1])
    out[path] = objects
print(json.dumps(out))
"""#

@Suite("Real building files parse")
struct FixtureFileTests {
    /// Parses every YAML file under `directory`, checks ids are unique across them, and compares with PyYAML.
    private func checkTree(_ directory: String, minimumFiles: Int, minimumObjects: Int) throws {
        let files = yamlFiles(under: directory)
        #expect(files.count >= minimumFiles, "\(directory) holds \(files.count) YAML files")
        var mine = [String: [[String]]]()
        var seen = [String: String]()
        var total = 0
        for file in files {
            let path = directory + "/" + file
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let found: [ObjectSummary]
            do {
                found = try ObjectFile.summaries(path: file, bytes: bytes)
            } catch {
                Issue.record("\(error.localizedDescription)")
                continue
            }
            #expect(!found.isEmpty, "\(file) holds no objects")
            for object in found {
                if let other = seen[object.id] { Issue.record("id \(object.id) is in both \(other) and \(file)") }
                seen[object.id] = file
                #expect(ObjectFile.isValidType(object.type))
            }
            total += found.count
            mine[path] = found.map { [$0.id, $0.type, String($0.line)] }
        }
        #expect(total >= minimumObjects)

        let json = try run(["python3", "-c", pyyamlSummaries], stdin: files.map { directory + "/" + $0 }.joined(separator: "\n"))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [[Any]]]
        let theirs = try #require(decoded).mapValues { objects in objects.map { $0.map { "\($0)" } } }
        #expect(theirs.count == files.count)
        for (path, objects) in theirs.sorted(by: { $0.key < $1.key }) {
            #expect(mine[path] == objects, "\(path): arxos and PyYAML disagree")
        }
    }

    @Test func smallBuildingFixture() throws {
        try checkTree(packageRoot + "/Fixtures/small-building", minimumFiles: 10, minimumObjects: 20)
    }

    @Test func generatedFromHaystack() throws {
        let output = NSTemporaryDirectory() + "/arxos-model-haystack-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try run(["python3", packageRoot + "/Fixtures/generate-from-haystack.py", output])
        try checkTree(output, minimumFiles: 3, minimumObjects: 20)
    }
}
