import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
import Testing

@Suite("Repository: initialize and discover")
struct RepositoryTests {
    let sandbox: Sandbox

    init() throws { sandbox = try Sandbox("repository") }

    @Test("init writes the files of docs/format.md")
    func initialize() throws {
        #expect(try Repository.initialize(at: sandbox.path) == true)
        #expect(sandbox.read(".arxos/config") == "format.version = 1\nformat.hash = sha256\n")
        #expect(sandbox.read(".arxos/HEAD") == "ref: refs/heads/main\n")
        for directory in ["objects", "objects/pack", "refs/heads", "refs/tags", "logs"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: sandbox.file(".arxos/" + directory), isDirectory: &isDirectory) && isDirectory.boolValue,
                    "\(directory)")
        }
        let repository = try Repository.discover(from: sandbox.path)
        #expect(repository.top == sandbox.path)
        #expect(repository.root == sandbox.path + "/.arxos")
        #expect(try repository.refs.head() == .branch("main"))
        #expect(try repository.refs.headCommit() == nil)
    }

    @Test func initializeWithAnotherBranch() throws {
        try Repository.initialize(at: sandbox.file("site"), branch: "trunk")
        #expect(sandbox.read("site/.arxos/HEAD") == "ref: refs/heads/trunk\n")
        #expect(throws: StoreError.self) { try Repository.initialize(at: sandbox.file("other"), branch: "bad..name") }
        #expect(!FileManager.default.fileExists(atPath: sandbox.file("other/.arxos/config")))
    }

    @Test("init twice leaves the first repository untouched")
    func initializeTwice() throws {
        try Repository.initialize(at: sandbox.path)
        try sandbox.write(".arxos/config", "format.version = 1\nformat.hash = sha256\nuser.name = Kept\n")
        try sandbox.write(".arxos/HEAD", "ref: refs/heads/develop\n")
        #expect(try Repository.initialize(at: sandbox.path) == false)
        #expect(sandbox.read(".arxos/config") == "format.version = 1\nformat.hash = sha256\nuser.name = Kept\n")
        #expect(sandbox.read(".arxos/HEAD") == "ref: refs/heads/develop\n")
        #expect(try Repository.discover(from: sandbox.path).config["user.name"] == "Kept")
    }

    @Test("discover searches upwards from a subdirectory")
    func discoverFromSubdirectory() throws {
        try Repository.initialize(at: sandbox.path)
        try FileManager.default.createDirectory(atPath: sandbox.file("hvac/vav/deep"), withIntermediateDirectories: true)
        #expect(try Repository.discover(from: sandbox.file("hvac/vav/deep")).top == sandbox.path)
        #expect(try Repository.discover(from: sandbox.file("hvac/vav/deep/../..")).top == sandbox.path)
        // A nested repository wins over the outer one.
        try Repository.initialize(at: sandbox.file("hvac"))
        #expect(try Repository.discover(from: sandbox.file("hvac/vav")).top == sandbox.file("hvac"))
    }

    @Test("outside any repository, discover says so")
    func notARepository() throws {
        try FileManager.default.createDirectory(atPath: sandbox.file("plain"), withIntermediateDirectories: true)
        // Only meaningful if no directory above the sandbox is itself a repository.
        var ancestor = sandbox.path
        while ancestor != "/" {
            ancestor = (ancestor as NSString).deletingLastPathComponent
            if FileManager.default.fileExists(atPath: ancestor + "/.arxos") { return }
        }
        do {
            _ = try Repository.discover(from: sandbox.file("plain"))
            Issue.record("found a repository")
        } catch let error as StoreError {
            guard case .notARepository = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test("an unknown format is refused", arguments: [
        "format.version = 2\nformat.hash = sha256\n",
        "format.version = 1\nformat.hash = sha1\n",
        "format.hash = sha256\n",
        "format.version = 1\n",
        "format.version = 1\nformat.hash = sha256\nformat.version = 2\n",
    ])
    func unsupportedFormat(config: String) throws {
        try Repository.initialize(at: sandbox.path)
        try sandbox.write(".arxos/config", config)
        let attempts: [() throws -> Void] = [{ _ = try Repository.discover(from: sandbox.path) },
                                             { _ = try Repository.initialize(at: sandbox.path) }]
        for attempt in attempts {
            do {
                try attempt()
                Issue.record("opened a repository with config \(config.debugDescription)")
            } catch let error as StoreError {
                guard case let .unsupportedFormat(path, _) = error else { Issue.record("got \(error)"); continue }
                #expect(path == sandbox.path + "/.arxos/config")
            }
        }
        #expect(sandbox.read(".arxos/config") == config, "init must not rewrite it")
    }

    @Test("a malformed config stops discovery with its line")
    func malformedConfig() throws {
        try Repository.initialize(at: sandbox.path)
        try sandbox.write(".arxos/config", "format.version = 1\nformat.hash = sha256\noops\n")
        do {
            _ = try Repository.discover(from: sandbox.path)
            Issue.record("opened a repository with a malformed config")
        } catch let error as StoreError {
            guard case let .badConfig(_, line, _) = error else { Issue.record("got \(error)"); return }
            #expect(line == 3)
        }
    }
}
