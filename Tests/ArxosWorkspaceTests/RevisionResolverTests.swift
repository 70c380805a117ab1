import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
import Testing

/// A repository with three commits on main, a branch, a lightweight and an annotated tag:
///
///     c1  building.yaml, hvac/ahu-1.yaml                     ← v1 (lightweight)
///     c2  hvac/ahu-1.yaml changed                            ← feature, v2 (annotated)
///     c3  floors/floor-1.yaml added                          ← main, HEAD
final class History {
    let sandbox: Sandbox
    let repository: Repository
    let c1: ObjectID, c2: ObjectID, c3: ObjectID
    let annotatedTag: ObjectID
    var resolver: RevisionResolver { RevisionResolver(repository: repository) }

    static let ahuV1 = object("hq/ahu-1", "ahu", "name: AHU 1")
    static let ahuV2 = object("hq/ahu-1", "ahu", "name: AHU 1 (rebuilt)")

    init() throws {
        sandbox = try Sandbox("revisions")
        try Repository.initialize(at: sandbox.path)
        repository = try Repository.discover(from: sandbox.path)
        try sandbox.write("building.yaml", object("hq/building", "building"))
        try sandbox.write("hvac/ahu-1.yaml", History.ahuV1)
        c1 = try capture(repository, "first")
        try sandbox.write("hvac/ahu-1.yaml", History.ahuV2)
        c2 = try capture(repository, "second")
        try sandbox.write("floors/floor-1.yaml", object("hq/floor-1", "floor"))
        c3 = try capture(repository, "third")

        let refs = repository.refs
        try refs.update("refs/heads/feature", to: c2, expecting: .absent, who: author, message: "branch")
        try refs.update("refs/tags/v1", to: c1, expecting: .absent, who: author, message: "tag")
        let tag = ArxosCore.Tag(object: c2, type: .commit, name: "v2", tagger: author, message: "Release 2\n")
        annotatedTag = try repository.objects.write(.tag, tag.encoded())
        try refs.update("refs/tags/v2", to: annotatedTag, expecting: .absent, who: author, message: "tag")
    }

    func tree(_ commit: ObjectID) throws -> ObjectID { try repository.objects.readCommit(commit).tree }
}

/// The error `body` throws as a WorkspaceError; records an issue otherwise.
private func workspaceError(_ body: () throws -> ObjectID) -> WorkspaceError? {
    do {
        let id = try body()
        Issue.record("expected an error, resolved to \(id)")
    } catch let error as WorkspaceError {
        return error
    } catch {
        Issue.record("expected a WorkspaceError, got \(error)")
    }
    return nil
}

@Suite("RevisionResolver")
struct RevisionResolverTests {
    let history: History
    init() throws { history = try History() }

    @Test("the history is what the test expects")
    func historyShape() throws {
        let objects = history.repository.objects
        #expect(try objects.readCommit(history.c3).parents == [history.c2])
        #expect(try objects.readCommit(history.c2).parents == [history.c1])
        #expect(try objects.readCommit(history.c1).parents == [])
        #expect(try objects.readCommit(history.c1).author == author)
    }

    @Test("names, refs and suffixes")
    func names() throws {
        let r = history.resolver
        let (c1, c2, c3) = (history.c1, history.c2, history.c3)
        let expected: [(String, ObjectID)] = [
            ("HEAD", c3), ("@", c3), ("main", c3), ("refs/heads/main", c3), ("heads/main", c3), ("feature", c2),
            ("HEAD~1", c2), ("HEAD^", c2), ("HEAD^1", c2), ("HEAD~", c2), ("HEAD~2", c1), ("HEAD^^", c1), ("HEAD~1^", c1),
            ("main~0", c3), ("HEAD^0", c3), ("feature~1", c1), ("@~2", c1),
            ("v1", c1), ("tags/v1", c1), ("refs/tags/v1", c1), ("v2~1", c1), ("v2^0", c2),
            (c2.hex, c2), (c2.hex.uppercased(), c2), (String(c2.hex.prefix(10)), c2), (String(c3.hex.prefix(7)), c3),
        ]
        for (text, id) in expected {
            #expect(try r.resolve(text) == id, "\(text)")
        }
    }

    @Test("an annotated tag names the tag object; resolveCommit peels it")
    func annotatedTag() throws {
        let r = history.resolver
        #expect(try r.resolve("v2") == history.annotatedTag)
        #expect(try r.resolveCommit("v2") == history.c2)
        #expect(try r.resolveCommit("refs/tags/v2") == history.c2)
        #expect(try r.resolveCommit("main") == history.c3)
    }

    @Test("a tag wins over a branch of the same name")
    func tagBeforeBranch() throws {
        try history.repository.refs.update("refs/heads/v1", to: history.c3, expecting: .absent, who: author, message: "clash")
        #expect(try history.resolver.resolve("v1") == history.c1)
        #expect(try history.resolver.resolve("heads/v1") == history.c3)
    }

    @Test("four hex digits are enough when they are unique")
    func shortestPrefix() throws {
        let prefix = String(history.c2.hex.prefix(4))
        let sharing = try history.repository.objects.ids(withPrefix: prefix)
        if sharing.count == 1 {
            #expect(try history.resolver.resolve(prefix) == history.c2)
        } else {
            guard case .ambiguousRevision? = workspaceError({ try history.resolver.resolve(prefix) }) else {
                Issue.record("a shared prefix was not reported as ambiguous")
                return
            }
        }
    }

    @Test("fewer than four hex digits are refused", arguments: [1, 2, 3])
    func tooShort(length: Int) {
        let prefix = String(history.c2.hex.prefix(length))
        guard case let .badRevision(text, reason)? = workspaceError({ try history.resolver.resolve(prefix) }) else { return }
        #expect(text == prefix)
        #expect(reason.contains("at least 4"))
    }

    @Test("a prefix shared by two objects is ambiguous and lists them")
    func ambiguous() throws {
        var seen = [String: Int]()
        var pair: (Int, Int)?
        for i in 0..<100_000 {
            let prefix = String(ObjectEncoding.id(.blob, Array("ambiguous \(i)".utf8)).hex.prefix(4))
            if let j = seen[prefix] { pair = (j, i); break }
            seen[prefix] = i
        }
        let (i, j) = try #require(pair)
        let a = try history.repository.objects.write(.blob, Array("ambiguous \(i)".utf8))
        let b = try history.repository.objects.write(.blob, Array("ambiguous \(j)".utf8))
        let prefix = String(a.hex.prefix(4))
        guard case let .ambiguousRevision(text, candidates)? = workspaceError({ try history.resolver.resolve(prefix) }) else {
            Issue.record("not reported as ambiguous")
            return
        }
        #expect(text == prefix)
        #expect(candidates.contains(a.abbreviated()))
        #expect(candidates.contains(b.abbreviated()))
        // One more digit may settle it.
        let longer = try #require((5...64).map { String(a.hex.prefix($0)) }.first { !b.hex.hasPrefix($0) })
        #expect(try history.resolver.resolve(longer) == a)
    }

    @Test("REV:PATH names the blob or tree at that path")
    func revisionPath() throws {
        let r = history.resolver
        #expect(try r.resolve("HEAD:hvac/ahu-1.yaml") == ObjectEncoding.id(.blob, Array(History.ahuV2.utf8)))
        #expect(try r.resolve("HEAD~2:hvac/ahu-1.yaml") == ObjectEncoding.id(.blob, Array(History.ahuV1.utf8)))
        #expect(try r.resolve("v1:hvac/ahu-1.yaml") == ObjectEncoding.id(.blob, Array(History.ahuV1.utf8)))
        #expect(try r.resolve("v2:hvac/ahu-1.yaml") == ObjectEncoding.id(.blob, Array(History.ahuV2.utf8)))
        #expect(try r.resolve(":hvac/ahu-1.yaml") == ObjectEncoding.id(.blob, Array(History.ahuV2.utf8)))
        #expect(try r.resolve("\(history.c1.hex.prefix(8)):building.yaml") == ObjectEncoding.id(.blob, Array(object("hq/building", "building").utf8)))
        #expect(try r.resolve("HEAD:") == (try history.tree(history.c3)))
        let hvac = try #require(try TreeBuilder.entry(at: "hvac", in: try history.tree(history.c3), objects: history.repository.objects))
        #expect(try r.resolve("HEAD:hvac") == hvac.id)
        #expect(try r.resolve("HEAD:hvac/") == hvac.id)
    }

    @Test("REV:PATH for a path that is not there", arguments: ["HEAD:missing.yaml", "HEAD~1:floors/floor-1.yaml", "HEAD:hvac/ahu-1.yaml/x"])
    func missingPath(text: String) {
        guard case let .badRevision(reported, reason)? = workspaceError({ try history.resolver.resolve(text) }) else { return }
        #expect(reported == text)
        #expect(reason.contains("does not exist"))
    }

    @Test("revisions that name nothing", arguments: ["nope", "HEAD~3", "HEAD^2", "main~10", "feature^^^", "HEAD~x", "~1", "",
                                                      String(repeating: "0", count: 64), "v3", "refs/heads/nope"])
    func unknown(text: String) {
        guard case .badRevision? = workspaceError({ try history.resolver.resolve(text) }) else { return }
    }

    @Test("a revision that names a blob is not a commit")
    func blobIsNotACommit() {
        guard case let .badRevision(_, reason)? = workspaceError({ try history.resolver.resolveCommit("HEAD:building.yaml") }) else { return }
        #expect(reason.contains("blob"))
    }

    @Test("HEAD of an empty repository")
    func unbornHead() throws {
        let sandbox = try Sandbox("unborn")
        try Repository.initialize(at: sandbox.path)
        let resolver = RevisionResolver(repository: try Repository.discover(from: sandbox.path))
        guard case let .badRevision(_, reason)? = workspaceError({ try resolver.resolve("HEAD") }) else { return }
        #expect(reason.contains("no commits"))
    }
}
