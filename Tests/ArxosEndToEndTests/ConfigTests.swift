import Foundation
import Testing

/// `arxos config` and the layers a setting comes from: CI variables, environments, repository, user.
@Suite(.tags(.endToEnd))
struct ConfigTests {
    @Test("set, get, unset and list, with origins; the strongest layer wins")
    func layers() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("config", "set", "--global", "user.email", "ada@example.com"))
        expectSuccess(try box.arxos("config", "set", "user.name", "Ada"))
        #expect(try box.arxos("config", "get", "user.name").trimmed == "Ada")
        #expect(try box.arxos("config", "get", "--show-origin", "user.email").trimmed == "user\tada@example.com")
        // The repository beats the user; CI variables beat both.
        expectSuccess(try box.arxos("config", "set", "user.email", "repo@example.com"))
        #expect(try box.arxos("config", "get", "user.email").trimmed == "repo@example.com")
        let ci = try box.arxos(["config", "get", "--show-origin", "user.email"], environment: [
            "ARXOS_CONFIG_COUNT": "1", "ARXOS_CONFIG_KEY_0": "user.email", "ARXOS_CONFIG_VALUE_0": "ci@example.com"])
        #expect(ci.trimmed == "env-var\tci@example.com")
        // And the commit uses the effective identity.
        expectSuccess(try box.arxos(["state", "capture", "-m", "survey"], environment: ["ARXOS_AUTHOR_NAME": "", "ARXOS_AUTHOR_EMAIL": ""]))
        expectSuccess(try box.arxos("config", "unset", "user.email"))
        #expect(try box.arxos("config", "get", "user.email").trimmed == "ada@example.com")
        expectCleanFailure(try box.arxos("config", "unset", "user.email"), mentioning: ["user.email", "not set"], exitCode: 1)
        #expect(try box.arxos("config", "get", "no.such.setting").status == 1)
        expectCleanFailure(try box.arxos("config", "set", "format.version", "2"), mentioning: ["format.version"], exitCode: 1)
        expectCleanFailure(try box.arxos("config", "set", "bad name", "x"), mentioning: ["bad name"], exitCode: 1)
        #expect(try box.readText(".arxos/config").contains("format.version = 1"))
    }

    @Test("environments: built-in overlays, repository overlays, --env and ARXOS_ENV, unknown names refused")
    func environments() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        #expect(try box.arxos("config", "get", "deploy.requireApproval").status == 1, "no environment, no overlay")
        #expect(try box.arxos("--env", "production", "config", "get", "deploy.requireApproval").trimmed == "true")
        #expect(try box.arxos(["config", "get", "state.retentionDays"], environment: ["ARXOS_ENV": "development"]).trimmed == "7")
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.rollbackThreshold", "0.99"))
        let list = try box.arxos("config", "list", "--json", "--env", "production")
        expectSuccess(list)
        let document = try #require(try list.json() as? [String: Any])
        #expect(document["environment"] as? String == "production")
        let settings = try #require(document["settings"] as? [[String: String]])
        #expect(settings.contains { $0["name"] == "deploy.rollbackThreshold" && $0["value"] == "0.99" && $0["origin"] == "repository-env" })
        #expect(settings.contains { $0["name"] == "state.retentionDays" && $0["value"] == "90" && $0["origin"] == "builtin-env" })
        expectCleanFailure(try box.arxos("--env", "staging", "config", "list"), mentioning: ["staging"], exitCode: 1)
        expectSuccess(try box.arxos("config", "set", "env.staging.state.retentionDays", "30"))
        #expect(try box.arxos("--env", "staging", "config", "get", "state.retentionDays").trimmed == "30")
    }

    @Test("gc keeps unreachable objects for the environment's retention days")
    func gcUsesRetention() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        // An unreachable object, written now.
        let blob = try box.arxos("hash-object", "-w", "building.yaml")
        expectSuccess(blob)
        try box.write("note.yaml", "id: extra\ntype: room\n")
        let orphan = try box.arxos("hash-object", "-w", "note.yaml")
        expectSuccess(orphan)
        try FileManager.default.removeItem(at: box.url("note.yaml"))
        // With retention 0 days the orphan goes; production's 90 days would keep it.
        expectSuccess(try box.arxos("config", "set", "env.test.state.retentionDays", "0"))
        expectSuccess(try box.arxos("--env", "production", "gc"))
        #expect(try box.arxos("cat-object", "-t", orphan.trimmed).status == 0, "production keeps it for 90 days")
        expectSuccess(try box.arxos("--env", "test", "gc"))
        #expect(try box.arxos("cat-object", "-t", orphan.trimmed).status != 0, "retention 0 prunes it")
    }
}
