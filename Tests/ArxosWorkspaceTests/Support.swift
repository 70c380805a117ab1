import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
import Testing

/// A fresh directory for one test, deleted when the value goes away.
final class Sandbox {
    let path: String

    init(_ label: String = "workspace") throws {
        let raw = NSTemporaryDirectory() + "/arxos-unit-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        path = URL(fileURLWithPath: raw).standardizedFileURL.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ relative: String) -> String { path + "/" + relative }

    func write(_ relative: String, _ text: String) throws {
        let full = file(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: file(relative)))).map { String(decoding: $0, as: UTF8.self) }
    }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: file(relative)) }
}

let author = Person(name: "Test Author", email: "author@example.com", seconds: 1_700_000_000, offsetMinutes: 0)

/// One YAML object, as a file's content.
func object(_ id: String, _ type: String = "vav", _ extra: String = "") -> String {
    "id: \(id)\ntype: \(type)\n" + (extra.isEmpty ? "" : extra + "\n")
}

/// Captures the working tree of `repository` with a fixed author; returns the commit id.
@discardableResult
func capture(_ repository: Repository, _ message: String) throws -> ObjectID {
    var capture = Capture(message: message)
    capture.author = author
    return try capture.run(in: repository).commit
}

/// A seeded generator, so a failing shuffle reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
}
