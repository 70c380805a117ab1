import Foundation
import Testing

/// `deploy.requireApproval` and `deploy.rollbackThreshold` from the selected environment (docs/deploy.md
/// "Environments"), against real edge daemons on loopback (`Fleet` in DeployTests.swift).
@Suite(.tags(.endToEnd), .serialized) struct DeployEnvironmentTests {
    /// A fleet whose node 4 fails its apply hook once `fail-next` exists in its directory (it switches back by itself).
    static func fleetWithAFailingNode() throws -> Fleet {
        try Fleet(count: 4) { k in k == 4 ? "apply: \"test -f fail-next && exit 3; echo ok\"\n" : "" }
    }

    @Test func productionNeedsAnApprovalEvenOffProtectedBranches() throws {
        let fleet = try Fleet(count: 2)
        let box = fleet.box
        // No environment: nothing to approve, as before.
        let plain = try box.arxos("deploy", "validate", "--target", "all")
        #expect(plain.status == 0 && !plain.stdout.contains("approval"), "\(plain)")

        // The built-in production overlay asks for an approval; plan and validate say so and why.
        let plan = try box.arxos("--env", "production", "deploy", "plan", "--target", "all")
        #expect(plan.status == 2, "\(plan)")
        #expect(plan.stdout.contains("needs 1 approval (deploy.requireApproval is true in environment production (built-in default))"), "\(plan)")
        let validate = try box.arxos("deploy", "validate", "--target", "all", "--env", "production")
        #expect(validate.status == 1, "\(validate)")
        #expect(validate.stdout.contains("n1\tneeds 1 approval(s): deploy.requireApproval is true in environment production"), "\(validate)")

        let waiting = try fleet.deploy("--target", "all", "--env", "production")
        #expect(waiting.status == 14, "\(waiting)")
        #expect(waiting.stdout.contains("waits for 1 approval (deploy.requireApproval is true in environment production"), "\(waiting)")
        #expect(waiting.stderr.contains("failure limit across the rollout: 0 of 2 nodes, from deploy.rollbackThreshold 0.95"), "\(waiting)")
        #expect(try fleet.current(1) == nil && fleet.current(2) == nil, "nothing may be deployed before the approval")
        let id = try #require(waiting.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let early = try box.arxos("deploy", "run-due")
        #expect(early.status == 0 && early.stdout.contains("no deployment is due"), "\(early)")
        #expect(try fleet.current(1) == nil)

        // The author's own key does not count; a second trusted key does.
        expectCleanFailure(try box.arxos("deploy", "approve", id), mentioning: ["other than the author's"])
        let reviewer = box.root.appendingPathComponent("reviewer")
        try FileManager.default.createDirectory(at: reviewer, withIntermediateDirectories: true)
        expectSuccess(try box.arxos(["key", "generate"], environment: ["ARXOS_HOME": reviewer.path]))
        expectSuccess(try box.arxos("key", "trust", try box.arxos(["key", "export"], environment: ["ARXOS_HOME": reviewer.path]).trimmed))
        let approved = try box.arxos(["deploy", "approve", id], environment: ["ARXOS_HOME": reviewer.path])
        #expect(approved.status == 0 && approved.stdout.contains("(1 of 1)"), "\(approved)")
        // run-due needs no environment: the deployment carries its approvals and its limits.
        let run = try box.arxos("deploy", "run-due", "--json")
        #expect(run.status == 0, "\(run)")
        #expect(try fleet.report(run) == ["n1": "succeeded", "n2": "succeeded"])
        #expect(try fleet.current(1) != nil && fleet.current(2) != nil)
        let recorded = try #require(try box.arxos("deploy", "status", id, "--json").json() as? [String: Any])
        let options = try #require((recorded["deployment"] as? [String: Any])?["options"] as? String)
        #expect(options.contains("deploy.rollbackThreshold 0.95 in environment production (built-in default)"), "\(options)")
        #expect(options.contains("\"maxTotalFailuresFromThreshold\":true"), "\(options)")

        // The setting set directly, without an environment, does the same and says where it was set.
        expectSuccess(try box.arxos("config", "set", "deploy.requireApproval", "true"))
        try fleet.edit("direct", value: "905")
        let direct = try fleet.deploy("--target", "n1")
        #expect(direct.status == 14 && direct.stdout.contains("(deploy.requireApproval is true in .arxos/config)"), "\(direct)")
        // A repository overlay turns it off for its environment.
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.requireApproval", "false"))
        let overlaid = try fleet.deploy("--target", "n1", "--env", "production")
        #expect(overlaid.status == 0, "\(overlaid)")
    }

    @Test func theRollbackThresholdSetsTheFailureLimits() throws {
        let fleet = try Self.fleetWithAFailingNode()
        let box = fleet.box
        expectSuccess(try fleet.deploy("--target", "all"))
        try Data().write(to: fleet.node(4).appendingPathComponent("fail-next"))
        let healthy = ["n1": "succeeded", "n2": "succeeded", "n3": "succeeded", "n4": "failed"]
        let rolledBack = ["n1": "rolled-back", "n2": "rolled-back", "n3": "rolled-back", "n4": "failed"]

        // development: 0.5 must end healthy, so 2 of 4 may fail; one failure continues (where the default 0 would abort).
        try fleet.edit("development", value: "910")
        let development = try box.arxos(["deploy", "apply", "--target", "all", "--json"], environment: ["ARXOS_ENV": "development"])
        #expect(development.status == 11, "\(development)")
        #expect(try fleet.report(development) == healthy)
        #expect(development.stderr.contains(
            "failure limit across the rollout: 2 of 4 nodes, from deploy.rollbackThreshold 0.5 in environment development (built-in default)"), "\(development)")
        #expect(development.stderr.contains("reached, within the 2 allowed by deploy.rollbackThreshold 0.5"), "\(development)")

        // An explicit --max-total-failures wins over the environment.
        try fleet.edit("development, strict", value: "915")
        let strict = try box.arxos(["deploy", "apply", "--target", "all", "--max-total-failures", "0", "--json"],
                                   environment: ["ARXOS_ENV": "development"])
        #expect(strict.status == 12, "\(strict)")
        #expect(try fleet.report(strict) == rolledBack)
        #expect(strict.stderr.contains("exceeded --max-total-failures 0 (0 allowed)"), "\(strict)")
        #expect(strict.stderr.contains("from --max-total-failures (over deploy.rollbackThreshold 0.5 in environment development"), "\(strict)")

        // A repository overlay for production: every node must end healthy, so none may fail.
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.rollbackThreshold", "1"))
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.requireApproval", "false"))
        try fleet.edit("production, overlay", value: "920")
        let overlay = try box.arxos(["deploy", "apply", "--target", "all", "--json"], environment: ["ARXOS_ENV": "production"])
        #expect(overlay.status == 12, "\(overlay)")
        #expect(try fleet.report(overlay) == rolledBack)
        #expect(overlay.stderr.contains(
            "exceeded the 0 allowed by deploy.rollbackThreshold 1 in environment production (env.production.deploy.rollbackThreshold in .arxos/config)"),
                "\(overlay)")

        // Both limits given on the command line: the environment has no say.
        try fleet.edit("production, explicit", value: "925")
        let explicit = try box.arxos(["deploy", "apply", "--target", "all", "--max-failures", "1", "--max-total-failures", "1", "--json"],
                                     environment: ["ARXOS_ENV": "production"])
        #expect(explicit.status == 11, "\(explicit)")
        #expect(try fleet.report(explicit) == healthy)

        // The built-in production threshold, 0.95: floor(0.05 × 4) = 0 failures allowed.
        expectSuccess(try box.arxos("config", "unset", "env.production.deploy.rollbackThreshold"))
        try fleet.edit("production, built in", value: "930")
        let builtin = try box.arxos(["deploy", "apply", "--target", "all", "--json"], environment: ["ARXOS_ENV": "production"])
        #expect(builtin.status == 12, "\(builtin)")
        #expect(try fleet.report(builtin) == rolledBack)
        #expect(builtin.stderr.contains("deploy.rollbackThreshold 0.95 in environment production (built-in default)"), "\(builtin)")
    }

    @Test func badValuesAreRefusedBeforeAnythingIsDeployed() throws {
        let fleet = try Fleet(count: 1)
        let box = fleet.box
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.rollbackThreshold", "1.7"))
        for command in [["deploy", "apply"], ["deploy", "plan"], ["deploy", "validate"]] {
            let refused = try box.arxos(["--env", "production"] + command + ["--target", "all"])
            expectCleanFailure(refused, mentioning: [
                "deploy.rollbackThreshold is '1.7' in environment production (env.production.deploy.rollbackThreshold in .arxos/config)",
                "from 0 to 1",
            ], exitCode: 1)
            #expect(refused.stderr.contains("hint: arxos config set env.production.deploy.rollbackThreshold 0.95"), "\(refused)")
        }
        #expect(try fleet.current(1) == nil)

        // From the CI variables, without an environment.
        let variables = ["ARXOS_CONFIG_COUNT": "1", "ARXOS_CONFIG_KEY_0": "deploy.requireApproval", "ARXOS_CONFIG_VALUE_0": "maybe"]
        let maybe = try box.arxos(["deploy", "apply", "--target", "all"], environment: variables)
        expectCleanFailure(maybe, mentioning: ["deploy.requireApproval is 'maybe' in the ARXOS_CONFIG_* variables", "true or false"], exitCode: 1)
        // In the repository's config.
        expectSuccess(try box.arxos("config", "set", "deploy.requireApproval", "maybe"))
        expectCleanFailure(try fleet.deploy("--target", "all"), mentioning: ["deploy.requireApproval is 'maybe' in .arxos/config"], exitCode: 1)
        expectSuccess(try box.arxos("config", "unset", "deploy.requireApproval"))

        // A misspelt environment would otherwise deploy without the approvals production asks for.
        expectCleanFailure(try fleet.deploy("--target", "all", "--env", "prodution"), mentioning: ["no environment named 'prodution'"], exitCode: 1)
        #expect(try fleet.current(1) == nil)

        // Fixed, the same deploy goes through.
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.rollbackThreshold", "0.9"))
        expectSuccess(try box.arxos("config", "set", "env.production.deploy.requireApproval", "false"))
        let fixed = try fleet.deploy("--target", "all", "--env", "production")
        #expect(fixed.status == 0, "\(fixed)")
        #expect(try fleet.current(1) != nil)
    }
}
