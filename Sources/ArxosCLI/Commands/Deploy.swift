import ArgumentParser
import ArxosCore
import ArxosDeploy
import ArxosIndex
import ArxosModel
import ArxosSigning
import ArxosStore
import ArxosTransport
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Deploy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deploy states to the edge nodes of buildings: plan, apply, status, rollback (docs/deploy.md).",
            discussion: """
                Exit codes of apply, resume and rollback: 0 every node runs the state; 1 error before anything changed; \
                6 the state breaks a validation rule; 10 completed with offline or locked nodes pending; 11 completed \
                with failed nodes within the thresholds; 12 aborted by a threshold, switched nodes rolled back; 13 \
                aborted by a threshold, halted; 14 recorded but not started: it waits for approvals (a protected \
                branch, or deploy.requireApproval). plan: 0 nothing to do, 2 changes, 1 error.
                """,
            subcommands: [DeployPlan.self, DeployValidate.self, DeployApply.self, DeployStatus.self, DeployList.self, DeployRollback.self,
                          DeployResume.self, DeployApprove.self, DeployRunDue.self, DeployUnlock.self])
    }

    struct DeployTargets: ParsableArguments {
        @Option(name: .customLong("target"), help: ArgumentHelp("Node names, globs, tag matches (region=west,type=office), 'all', or query:EXPR (the nodes of the buildings whose objects match); repeatable.", valueName: "selector"))
        var targets: [String] = []
    }

    struct RolloutFlags: ParsableArguments {
        @Option(help: ArgumentHelp("immediate, canary, rolling or blue-green.", valueName: "strategy")) var strategy: String = "immediate"
        @Option(help: ArgumentHelp("Canary: the first N or N% of the nodes.", valueName: "n|n%")) var canary: String?
        @Option(help: ArgumentHelp("Rolling: cumulative targets such as 1,5,10 or 10%,50%,100%.", valueName: "list")) var batches: String?
        @Option(help: ArgumentHelp("Nodes deployed at once within a batch.", valueName: "n")) var parallel: Int = 10
        @Option(name: .customLong("max-failures"), help: ArgumentHelp("Per batch: more failures than this abort (reaching it does not).", valueName: "n|n%"))
        var maxFailures: String?
        @Option(name: .customLong("max-total-failures"), help: ArgumentHelp("Across the rollout: more failures than this abort.", valueName: "n|n%"))
        var maxTotalFailures: String?
        @Option(name: .customLong("confirm-timeout"), help: ArgumentHelp("How long a node waits for confirmation before switching back.", valueName: "duration"))
        var confirmTimeout: String = "60s"
        @Option(name: .customLong("health-timeout"), help: ArgumentHelp("The most the apply hook and health checks may take.", valueName: "duration"))
        var healthTimeout: String = "120s"
        @Option(name: .customLong("pause-between"), help: ArgumentHelp("Wait between batches.", valueName: "duration")) var pauseBetween: String = "0"
        @Option(name: .customLong("on-failure"), help: ArgumentHelp("After an abort: rollback or halt.", valueName: "action")) var onFailure: String = "rollback"
        @Option(help: ArgumentHelp("How long a node's lease lasts (default: the timeouts plus 10 minutes).", valueName: "duration")) var lease: String?
        @Flag(name: .customLong("override-window"), help: "Deploy nodes outside their maintenance window (recorded).") var overrideWindow = false
        @Flag(name: .customLong("wait-for-window"), help: "Wait for a node's maintenance window to open.") var waitForWindow = false

        func options() throws -> RolloutOptions {
            var options = RolloutOptions()
            guard let strategy = Strategy(rawValue: strategy) else {
                throw CommandFailure(message: "--strategy must be immediate, canary, rolling or blue-green, not '\(strategy)'", code: ExitCodes.usage)
            }
            options.strategy = strategy
            if let canary { options.canary = try Amount(parsing: canary) }
            if let batches { options.batches = try batches.split(separator: ",").map { try Amount(parsing: String($0)) } }
            guard parallel >= 1 else { throw CommandFailure(message: "--parallel must be at least 1", code: ExitCodes.usage) }
            options.parallel = parallel
            options.maxFailures = try Amount(parsing: maxFailures ?? "0")
            options.maxTotalFailures = try maxTotalFailures.map { try Amount(parsing: $0) }
            func duration(_ text: String, _ name: String) throws -> Double {
                guard let seconds = Durations.parse(text) else {
                    throw CommandFailure(message: "--\(name) '\(text)' is not a duration such as 30s, 5m or 1h", code: ExitCodes.usage)
                }
                return seconds
            }
            options.confirmTimeout = try duration(confirmTimeout, "confirm-timeout")
            options.healthTimeout = try duration(healthTimeout, "health-timeout")
            options.pauseBetween = try duration(pauseBetween, "pause-between")
            options.lease = try lease.map { try duration($0, "lease") }
            options.overrideWindow = overrideWindow
            options.waitForWindow = waitForWindow
            switch onFailure {
            case "rollback": options.rollbackOnFailure = true
            case "halt": options.rollbackOnFailure = false
            default: throw CommandFailure(message: "--on-failure must be rollback or halt, not '\(onFailure)'", code: ExitCodes.usage)
            }
            return options
        }
    }

    struct DeployPlan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan", abstract: "Show, per node, what deploying REV would change and whether it can apply (exit 0 none, 2 changes).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: DeployTargets
        @Argument(help: "The state to deploy (default HEAD).") var revision: String = "HEAD"
        @Option(help: ArgumentHelp("Save the plan to this file, for 'deploy apply --plan'.", valueName: "file")) var out: String?
        @Flag(help: "Print JSON (docs/json.md).") var json = false

        func run() throws {
            let context = CommandContext(global)
            var code: Int32 = 0
            try context.run {
                let repository = try context.openRepository()
                let policy = try DeployPolicy(repository.settings)
                let plan = try DeployCLI.plan(repository, revision: revision, selectors: selection.targets)
                if let out {
                    let path = out.hasPrefix("/") ? out : context.directory + "/" + out
                    try FileSystem.writeAtomically(path, Array(try DeployCLI.encoder.encode(plan.saved)))
                }
                if json {
                    try printJSON(plan.saved)
                } else {
                    for node in plan.nodes {
                        let head = "node \(node.name) (building \(node.building)): "
                        if let problem = node.problem { output(head + "cannot apply: \(problem)"); continue }
                        if node.changes == 0 { output(head + "up to date"); continue }
                        output(head + "\(node.changes) object\(node.changes == 1 ? "" : "s") change, "
                            + "from \(node.current.map { String($0.prefix(12)) } ?? "no state")")
                        if let diff = node.diff { printChanges(diff) }
                    }
                    if plan.validationErrors > 0 { output("\(plan.validationErrors) validation error\(plan.validationErrors == 1 ? "" : "s") in \(revision): run 'arxos validate \(revision)'") }
                    if policy.requireApproval != nil, let commit = ObjectID(hex: plan.saved.commit) {
                        // Only when the configuration asks for approvals, so that plans without it read as before.
                        let needed = try DeployCLI.approvalsNeeded(repository, commit: commit, inventory: try Inventory.load(top: repository.top),
                                                                   policy: policy)
                        output("deploying \(revision) needs \(needed.count) approval\(needed.count == 1 ? "" : "s") (\(needed.reason)): "
                            + "'arxos deploy apply' records it, then 'arxos deploy approve ID' by keys other than the author's")
                    }
                }
                if plan.nodes.contains(where: { $0.problem != nil }) || plan.validationErrors > 0 {
                    code = ExitCodes.failure
                } else if plan.nodes.contains(where: { $0.changes > 0 }) {
                    code = 2
                }
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct DeployApply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply", abstract: "Deploy REV (or a saved plan) to the selected nodes with a strategy, thresholds and rollback.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: DeployTargets
        @OptionGroup var rollout: RolloutFlags
        @Argument(help: "The state to deploy (default HEAD).") var revision: String?
        @Option(help: ArgumentHelp("Apply a plan saved by 'deploy plan --out'.", valueName: "file")) var plan: String?
        @Option(help: ArgumentHelp("Schedule instead of deploying now: an ISO 8601 time (2026-12-01T02:00:00Z) or +DURATION; 'deploy run-due' starts it.", valueName: "time"))
        var at: String?
        @Flag(help: "Print the final per-node report as JSON (docs/json.md).") var json = false

        func run() throws {
            let context = CommandContext(global)
            var code: Int32 = 0
            try context.run {
                let repository = try context.openRepository()
                let policy = try DeployPolicy(repository.settings)
                var options = try rollout.options()
                var revisionText = revision ?? "HEAD"
                var expected: [String: String]?
                var selectors = selection.targets
                if let plan {
                    let path = plan.hasPrefix("/") ? plan : context.directory + "/" + plan
                    let saved = try DeployCLI.loadPlan(path)
                    revisionText = saved.commit
                    expected = Dictionary(uniqueKeysWithValues: saved.nodes.map { ($0.name, $0.current ?? "") })
                    if selectors.isEmpty { selectors = saved.nodes.map(\.name) }
                }
                let commit = try RevisionResolver(repository: repository).resolveCommit(revisionText)
                let errors = try DeployCLI.validationErrors(repository, commit: commit)
                if errors > 0 {
                    throw CommandFailure(message: "\(revisionText) breaks \(errors) validation rule\(errors == 1 ? "" : "s") of severity error; nothing was deployed\nhint: run 'arxos validate \(revisionText)'",
                                         code: ExitCodes.validation)
                }
                let inventory = try Inventory.load(top: repository.top)
                let nodes = try DeployCLI.select(inventory, selectors, repository: repository, commit: commit)
                if let threshold = policy.rollbackThreshold {
                    options.applyRollbackThreshold(threshold.ratio, setting: threshold.setting, nodes: nodes.count,
                                                   batchLimitGiven: rollout.maxFailures != nil, totalLimitGiven: rollout.maxTotalFailures != nil)
                }
                let deployer = try DeployCLI.deployer(repository, global: global)
                let needed = try DeployCLI.approvalsNeeded(repository, commit: commit, inventory: inventory, policy: policy)
                let when = try at.map(DeployCLI.time)
                if needed.count > 0 || when != nil {
                    // The limits are recorded with the deployment: 'deploy run-due' applies them whatever its environment.
                    if !global.quiet { for line in options.limitLines(nodes: nodes.count) { printError("arxos deploy: " + line) } }
                    let id = try deployer.register(commit: commit, revision: revisionText, nodes: nodes, options: options,
                                                   status: needed.count > 0 ? "awaiting-approval" : "scheduled",
                                                   scheduledAt: when?.timeIntervalSince1970, selectors: selectors, approvalsNeeded: needed.count)
                    code = needed.count > 0 ? 14 : 0
                    if json {
                        // Recorded, not started: a report without nodes, its status saying what it waits for.
                        DeployCLI.print(RolloutReport(deployment: id, revision: revisionText, commit: commit.hex, strategy: options.strategy.rawValue,
                                                      status: needed.count > 0 ? "awaiting-approval" : "scheduled", exitCode: code), json: true)
                        return
                    }
                    if let when { output("deployment \(id) scheduled for \(ISO8601DateFormatter().string(from: when)); 'arxos deploy run-due' starts it then") }
                    if needed.count > 0 {
                        output("deployment \(id) waits for \(needed.count) approval\(needed.count == 1 ? "" : "s") (\(needed.reason)): "
                            + "'arxos deploy approve \(id)' by keys other than the author's, then 'arxos deploy run-due'")
                    }
                    return
                }
                let report = try deployer.deploy(commit: commit, revision: revisionText, nodes: nodes, options: options, expected: expected)
                DeployCLI.print(report, json: json)
                code = report.exitCode
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct DeployResume: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume", abstract: "Deploy the pending (offline or locked) nodes of a deployment, with its options.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The deployment id.") var id: String
        @Flag(help: "Print the final per-node report as JSON.") var json = false

        func run() throws {
            let context = CommandContext(global)
            var code: Int32 = 0
            try context.run {
                let repository = try context.openRepository()
                let records = try DeployCLI.records(repository)
                guard let deployment = try records.deployment(id) else { throw DeployError.unknownDeployment(id) }
                guard deployment.kind == "deploy", let commit = ObjectID(hex: deployment.commit) else {
                    throw CommandFailure(message: "deployment \(id) is a \(deployment.kind); only deploys resume")
                }
                let options = try JSONDecoder().decode(RolloutOptions.self, from: Data(deployment.options.utf8))
                if deployment.status == "awaiting-approval" {
                    let have = try DeployCLI.validApprovals(repository, deployment: deployment, records: records)
                    guard have >= deployment.approvalsNeeded else {
                        throw CommandFailure(message: "deployment \(id) has \(have) of \(deployment.approvalsNeeded) approvals\nhint: 'arxos deploy approve \(id)'", code: 14)
                    }
                }
                let pending = try records.targets(id).filter { ["offline", "locked", "pending", "outside-window"].contains($0.status) }
                guard !pending.isEmpty else {
                    if json {
                        DeployCLI.print(RolloutReport(deployment: id, revision: deployment.revision, commit: deployment.commit,
                                                      strategy: options.strategy.rawValue, status: deployment.status,
                                                      exitCode: 0), json: true)
                    } else {
                        output("deployment \(id) has no pending nodes")
                    }
                    return
                }
                let inventory = try Inventory.load(top: repository.top)
                let nodes = inventory.nodes.filter { node in pending.contains { $0.node == node.name } }
                var resumed = options
                resumed.strategy = .immediate
                let report = try DeployCLI.deployer(repository, global: global)
                    .deploy(commit: commit, revision: deployment.revision, nodes: nodes, options: resumed, deployment: id)
                // The whole deployment's outcome: nodes done before keep their status.
                let all = try records.targets(id)
                let stillPending = all.contains { ["offline", "locked", "outside-window"].contains($0.status) }
                let failed = all.contains { $0.status == "failed" }
                code = failed ? 11 : (stillPending ? 10 : report.exitCode)
                try records.finish(id, status: code == 0 ? "succeeded" : report.status, exitCode: code)
                var merged = report
                merged.exitCode = code
                DeployCLI.print(merged, json: json)
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct DeployRollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollback", abstract: "Send every node a deployment switched a signed rollback to its earlier state.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The deployment id.") var id: String
        @Option(name: .customLong("confirm-timeout"), help: ArgumentHelp("How long a node waits for confirmation.", valueName: "duration"))
        var confirmTimeout: String = "60s"
        @Flag(help: "Print the final per-node report as JSON.") var json = false

        func run() throws {
            let context = CommandContext(global)
            var code: Int32 = 0
            try context.run {
                let repository = try context.openRepository()
                var options = RolloutOptions()
                options.confirmTimeout = Durations.parse(confirmTimeout) ?? 60
                let report = try DeployCLI.deployer(repository, global: global)
                    .rollback(id, options: options, inventory: try Inventory.load(top: repository.top))
                DeployCLI.print(report, json: json)
                code = report.exitCode
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct DeployApprove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Record your signed approval of a deployment waiting for approvals (a protected branch, or deploy.requireApproval).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The deployment id.") var id: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let records = try DeployCLI.records(repository)
                guard let deployment = try records.deployment(id) else { throw DeployError.unknownDeployment(id) }
                guard deployment.status == "awaiting-approval" || deployment.status == "scheduled" else {
                    throw CommandFailure(message: "deployment \(id) is \(deployment.status); only a waiting deployment can be approved")
                }
                guard let key = try KeyStore(home: URL(fileURLWithPath: Repository.home)).load() else { throw DeployError.noKey }
                guard let commit = ObjectID(hex: deployment.commit) else { throw DeployError.unknownDeployment(id) }
                let authors = try DeployCLI.signers(repository, commit: commit)
                guard !authors.contains(key.keyID) else {
                    throw CommandFailure(message: "your key \(key.keyID) signed \(deployment.commit.prefix(12)); approvals must come from keys other than the author's")
                }
                guard case .trusted = try repository.trustStore.load().status(of: key.keyID) else {
                    throw CommandFailure(message: "your key \(key.keyID) is not trusted by this repository, so its approval would not count\nhint: 'arxos key trust' it (in .arxos/trust) first")
                }
                let signature = try key.sign(DeployCLI.approvalPayload(id: id, commit: deployment.commit))
                let added = try records.approve(id, keyID: key.keyID,
                                                signature: "\(key.publicKey.base64) \(Data(signature).base64EncodedString())")
                let have = try DeployCLI.validApprovals(repository, deployment: deployment, records: records)
                if !global.quiet {
                    output((added ? "Approved" : "You approved already:") + " deployment \(id) (\(have) of \(deployment.approvalsNeeded))"
                        + (have >= deployment.approvalsNeeded ? "; 'arxos deploy run-due' starts it" : ""))
                }
            }
        }
    }

    struct DeployRunDue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-due", abstract: "Start the deployments whose time has come and that have their approvals (for a timer or cron).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the reports of the deployments started as one JSON array (empty when none was due).") var json = false

        func run() throws {
            let context = CommandContext(global)
            var code: Int32 = 0
            try context.run {
                let repository = try context.openRepository()
                let records = try DeployCLI.records(repository)
                let inventory = try Inventory.load(top: repository.top)
                var reports = [RolloutReport]()
                for deployment in try records.waiting() {
                    if let at = deployment.scheduledAt, at > Date().timeIntervalSince1970 { continue }
                    if try DeployCLI.validApprovals(repository, deployment: deployment, records: records) < deployment.approvalsNeeded { continue }
                    guard let commit = ObjectID(hex: deployment.commit) else { continue }
                    let options = try JSONDecoder().decode(RolloutOptions.self, from: Data(deployment.options.utf8))
                    let names = Set(try records.targets(deployment.id).map(\.node))
                    let nodes = inventory.nodes.filter { names.contains($0.name) }
                    let deployer = try DeployCLI.deployer(repository, global: global)
                    deployer.windows = inventory
                    let report = try deployer.deploy(commit: commit, revision: deployment.revision, nodes: nodes, options: options,
                                                     deployment: deployment.id)
                    if !json { DeployCLI.print(report, json: false) }
                    code = max(code, report.exitCode)
                    reports.append(report)
                }
                if json {
                    if let data = try? DeployCLI.encoder.encode(reports) { output(String(decoding: data, as: UTF8.self)) }
                } else if reports.isEmpty, !global.quiet {
                    output("no deployment is due")
                }
            }
            if code != 0 { throw ExitCode(code) }
        }
    }

    struct DeployValidate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: "Pre-flight only: can REV be deployed to the selected nodes now? (exit 0 yes, 1 no)")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: DeployTargets
        @Argument(help: "The state to deploy (default HEAD).") var revision: String = "HEAD"
        @Flag(help: "Print JSON.") var json = false

        struct Check: Encodable { var node: String; var ok: Bool; var problems: [String] }

        func run() throws {
            let context = CommandContext(global)
            var failed = false
            try context.run {
                let repository = try context.openRepository()
                let policy = try DeployPolicy(repository.settings)
                let plan = try DeployCLI.plan(repository, revision: revision, selectors: selection.targets)
                let inventory = try Inventory.load(top: repository.top)
                let commit = try RevisionResolver(repository: repository).resolveCommit(revision)
                let needed = try DeployCLI.approvalsNeeded(repository, commit: commit, inventory: inventory, policy: policy)
                var checks = [Check]()
                for node in plan.nodes {
                    var problems = node.problem.map { [$0] } ?? []
                    if let entry = inventory.nodes.first(where: { $0.name == node.name }) {
                        let verdict = inventory.window(for: entry, at: Date())
                        if !verdict.open { problems.append(verdict.reason) }
                    }
                    if plan.validationErrors > 0 { problems.append("\(revision) breaks \(plan.validationErrors) validation rule(s)") }
                    if needed.count > 0 { problems.append("needs \(needed.count) approval(s): \(needed.reason)") }
                    checks.append(Check(node: node.name, ok: problems.isEmpty, problems: problems))
                }
                failed = checks.contains { !$0.ok }
                if json { try printJSON(checks); return }
                for check in checks { output("\(check.node)\t" + (check.ok ? "ok" : check.problems.joined(separator: "; "))) }
            }
            if failed { throw ExitCode(ExitCodes.failure) }
        }
    }

    struct DeployStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show a deployment (the newest by default): per-node status and every transition.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The deployment id.") var id: String?
        @Flag(help: "Print JSON (docs/json.md).") var json = false
        @Flag(help: "Repeat every second until the deployment finishes.") var watch = false

        struct Report: Encodable {
            var deployment: DeployRecords.Deployment
            var targets: [DeployRecords.Target]
            var transitions: [Transition]
            struct Transition: Encodable { var node: String; var from: String; var to: String; var reason: String; var at: Double }
        }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let records = try DeployCLI.records(repository)
                guard let deployment = try id.map({ try records.deployment($0) }) ?? records.latest() else {
                    throw id.map { DeployError.unknownDeployment($0) } ?? CommandFailure(message: "no deployment has been recorded yet")
                }
                while true {
                    let current = try records.deployment(deployment.id) ?? deployment
                    let targets = try records.targets(deployment.id)
                    if json {
                        try printJSON(Report(deployment: current, targets: targets, transitions: try records.transitions(deployment.id).map {
                            Report.Transition(node: $0.node, from: $0.from, to: $0.to, reason: $0.reason, at: $0.at)
                        }))
                    } else {
                        output("deployment \(current.id): \(current.kind) \(current.revision) (\(current.commit.prefix(12))), \(current.strategy), \(current.status)"
                            + (current.exitCode.map { ", exit \($0)" } ?? ""))
                        for target in targets {
                            output("  \(target.node)\tbatch \(target.batch)\t\(target.status)\(target.reason.isEmpty ? "" : "\t\(target.reason)")")
                        }
                    }
                    if !watch || current.finishedAt != nil { break }
                    Thread.sleep(forTimeInterval: 1)
                }
            }
        }
    }

    struct DeployList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded deployments, newest first.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON (docs/json.md).") var json = false

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let records = try DeployCLI.records(try context.openRepository())
                let list = try records.list()
                if json { try printJSON(list); return }
                for deployment in list {
                    let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: deployment.createdAt))
                    output("\(deployment.id)\t\(date)\t\(deployment.kind)\t\(deployment.revision)\t\(deployment.strategy)\t\(deployment.status)")
                }
            }
        }
    }

    struct DeployUnlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock", abstract: "Break a node's lease early; the lease id must be named.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The node's name.") var node: String
        @Option(help: ArgumentHelp("The lease id (shown by 'arxos node status' and in the refusal).", valueName: "id")) var lease: String

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                guard let entry = try Inventory.load(top: repository.top).nodes.first(where: { $0.name == node }) else {
                    throw DeployError.unknownNode(node)
                }
                let client = try DeployCLI.connector(repository).connect(entry)
                defer { client.close() }
                _ = try client.request("node-unlock", [.init("lease", lease)])
                if !global.quiet { output("Broke lease \(lease) on node \(node)") }
            }
        }
    }
}

/// What the deploy commands share.
enum DeployCLI {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func connector(_ repository: Repository) -> NodeConnector {
        NodeConnector(options: Remotes.options(repository, remote: nil, arxosPath: repository.setting("deploy.arxosPath")),
                      directory: repository.top)
    }

    static func records(_ repository: Repository) throws -> DeployRecords { try DeployRecords(path: repository.root + "/deploy.db") }

    /// A deployer whose log lines go to stderr (none with `--quiet`); on a terminal a bar counting the nodes that have
    /// an outcome stays below them.
    static func deployer(_ repository: Repository, global: GlobalOptions) throws -> Deployer {
        guard let key = try KeyStore(home: URL(fileURLWithPath: Repository.home)).load() else { throw DeployError.noKey }
        let quiet = global.quiet
        let meter = ProgressMeter.standardError(global)
        let deployer = Deployer(repository: repository, key: key, who: repository.identity(), connector: connector(repository),
                                records: try records(repository)) { line in
            if let meter {
                meter.interject("arxos deploy: " + line)
            } else if !quiet {
                FileHandle.standardError.write(Data("arxos deploy: \(line)\n".utf8))
            }
        }
        if let meter {
            deployer.onProgress = { done, total in
                meter.update(ProgressMeter.Report(label: "Deploying to nodes", done: done, total: total, finished: done == total))
            }
        }
        deployer.windows = try Inventory.load(top: repository.top)
        return deployer
    }

    /// The number of validation errors in a commit's state.
    static func validationErrors(_ repository: Repository, commit: ObjectID) throws -> Int {
        let tree = try repository.objects.readCommit(commit).tree
        let objects = try StateObjects.load(tree: tree, in: repository)
        let validator = try RepositoryValidation.validator(for: repository, rulesText: try RepositoryValidation.rules(inTree: tree, of: repository))
        return validator.validate(objects).filter { $0.severity == .error }.count
    }

    /// The nodes `selectors` pick: the inventory's names, globs and tags, and `query:EXPR` — the nodes of the buildings
    /// whose objects match the query (docs/query.md) in the state being deployed.
    static func select(_ inventory: Inventory, _ selectors: [String], repository: Repository, commit: ObjectID) throws -> [NodeEntry] {
        let queries = selectors.filter { $0.hasPrefix("query:") }
        var chosen = Set<String>()
        if !queries.isEmpty {
            let engine = try QueryEngine(repository: repository)
            let tree = try repository.objects.readCommit(commit).tree
            for selector in queries {
                let buildings = Set(try engine.buildings(matching: String(selector.dropFirst("query:".count)), at: tree).map(\.id))
                let nodes = inventory.nodes.filter { buildings.contains($0.building) }
                if nodes.isEmpty { throw DeployError.emptySelection(selector) }
                chosen.formUnion(nodes.map(\.name))
            }
        }
        let others = selectors.filter { !$0.hasPrefix("query:") }
        if !others.isEmpty { chosen.formUnion(try inventory.select(others).map(\.name)) }
        if selectors.isEmpty { _ = try inventory.select([]) }
        return inventory.nodes.filter { chosen.contains($0.name) }
    }

    /// The approvals deploying `commit` needs, and why: the most any protected branch containing it asks for, and at
    /// least one when the configuration sets `deploy.requireApproval` (docs/deploy.md "Environments").
    static func approvalsNeeded(_ repository: Repository, commit: ObjectID, inventory: Inventory,
                                policy: DeployPolicy) throws -> (count: Int, reason: String) {
        var best = (count: 0, branch: "")
        let history = HistoryWalker(objects: repository.objects)
        for (branch, count) in inventory.protected where count > best.count {
            guard let tip = try repository.refs.read("refs/heads/" + branch) else { continue }
            if try tip == commit || history.isAncestor(commit, of: tip) { best = (count, branch) }
        }
        var reasons = best.count > 0 ? ["branch \(best.branch) is protected"] : []
        if let required = policy.requireApproval { reasons.append(required) }
        return (count: policy.requireApproval != nil ? max(best.count, 1) : best.count, reason: reasons.joined(separator: "; "))
    }

    /// The key ids that signed a commit.
    static func signers(_ repository: Repository, commit: ObjectID) throws -> Set<String> {
        Set(try repository.objects.readCommit(commit).signatures.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
    }

    static func approvalPayload(id: String, commit: String) -> [UInt8] {
        Array("arxos-approval 1\ndeployment \(id)\ncommit \(commit)\n".utf8)
    }

    /// Approvals that count: a good signature by a key the repository trusts (not revoked) that did not sign the commit.
    static func validApprovals(_ repository: Repository, deployment: DeployRecords.Deployment, records: DeployRecords) throws -> Int {
        guard let commit = ObjectID(hex: deployment.commit) else { return 0 }
        let authors = try signers(repository, commit: commit)
        let trust = try repository.trustStore.load()
        var counted = Set<String>()
        for approval in try records.approvals(deployment.id) {
            let parts = approval.signature.split(separator: " ").map(String.init)
            guard parts.count == 2, let key = try? Ed25519PublicKey(parsing: parts[0]), key.keyID == approval.keyID,
                  let signature = Data(base64Encoded: parts[1]), !authors.contains(key.keyID),
                  case .trusted = trust.status(of: key.keyID),
                  key.verify(signature: Array(signature), payload: approvalPayload(id: deployment.id, commit: deployment.commit)) else { continue }
            counted.insert(key.keyID)
        }
        return counted.count
    }

    /// `--at`: an ISO 8601 time, or `+DURATION` from now.
    static func time(_ text: String) throws -> Date {
        if text.hasPrefix("+"), let seconds = Durations.parse(String(text.dropFirst())) { return Date().addingTimeInterval(seconds) }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        throw CommandFailure(message: "--at '\(text)' is not a time: use ISO 8601 (2026-12-01T02:00:00Z) or +DURATION (+2h)", code: ExitCodes.usage)
    }

    static func print(_ report: RolloutReport, json: Bool) {
        if json {
            if let data = try? encoder.encode(report) { output(String(decoding: data, as: UTF8.self)) }
            return
        }
        for node in report.nodes {
            output("\(node.node)\t\(node.status.rawValue)\(node.reason.isEmpty ? "" : "\t\(node.reason)")")
        }
        let counts = Dictionary(grouping: report.nodes, by: \.status).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
        output("deployment \(report.deployment): \(report.status) (\(counts.joined(separator: ", ")))" + (report.aborted.map { "; aborted: \($0)" } ?? ""))
        if report.nodes.contains(where: \.isPending) { output("hint: 'arxos deploy resume \(report.deployment)' brings the pending nodes up to date") }
    }

    // MARK: Plans

    struct SavedPlan: Codable {
        var version = 1
        var revision: String
        var commit: String
        var nodes: [SavedNode]
        struct SavedNode: Codable {
            var name: String
            var building: String
            var current: String?
            var target: String?
            var changes: Int
            var problem: String?
        }
    }

    struct NodePlan {
        var name: String
        var building: String
        var current: String?
        var target: ObjectID?
        var changes: Int
        var problem: String?
        var diff: StateDiff?
    }

    struct Plan {
        var saved: SavedPlan
        var nodes: [NodePlan]
        var validationErrors: Int
    }

    static func plan(_ repository: Repository, revision: String, selectors: [String]) throws -> Plan {
        let commit = try RevisionResolver(repository: repository).resolveCommit(revision)
        let tree = try repository.objects.readCommit(commit).tree
        let nodes = try select(try Inventory.load(top: repository.top), selectors, repository: repository, commit: commit)
        let finder = BuildingTree(objects: repository.objects)
        let connector = connector(repository)
        let ours = try KeyStore(home: URL(fileURLWithPath: Repository.home)).load()?.keyID
        var plans = [NodePlan]()
        for node in nodes {
            var plan = NodePlan(name: node.name, building: node.building, current: nil, target: nil, changes: 0)
            do {
                let target = try finder.find(node.building, path: node.path, in: tree, revision: revision)
                plan.target = target
                let client = try connector.connect(node, timeout: 15)
                defer { client.close() }
                let status = try client.status()
                plan.current = status.current?.hex
                if status.building != node.building {
                    plan.problem = "the node runs building '\(status.building)', the inventory says '\(node.building)'"
                } else if let ours, !status.trusts.contains(ours) {
                    plan.problem = "the node does not trust your key \(ours) (on the node: arxos edge trust)"
                } else if ours == nil {
                    plan.problem = DeployError.noKey.errorDescription?.split(separator: "\n").first.map(String.init)
                }
                if status.currentTree != target {
                    if let currentTree = status.currentTree, try !repository.objects.contains(currentTree) {
                        plan.changes = 1
                        plan.problem = plan.problem ?? nil
                    } else {
                        let diff = try StateDiff.between(status.currentTree, target, in: repository)
                        plan.diff = diff
                        plan.changes = max(diff.objects.count, 1)
                    }
                }
            } catch {
                plan.problem = NodeClient.describe(error)
            }
            plans.append(plan)
        }
        let errors = try validationErrors(repository, commit: commit)
        let saved = SavedPlan(revision: revision, commit: commit.hex, nodes: plans.map {
            SavedPlan.SavedNode(name: $0.name, building: $0.building, current: $0.current, target: $0.target?.hex, changes: $0.changes,
                                problem: $0.problem)
        })
        return Plan(saved: saved, nodes: plans, validationErrors: errors)
    }

    static func loadPlan(_ path: String) throws -> SavedPlan {
        guard let bytes = try FileSystem.read(path) else { throw DeployError.badPlan(path: path, reason: "the file does not exist") }
        do {
            return try JSONDecoder().decode(SavedPlan.self, from: Data(bytes))
        } catch {
            throw DeployError.badPlan(path: path, reason: "it is not a plan written by 'arxos deploy plan --out' (\(error.localizedDescription))")
        }
    }
}

/// What the configuration asks of deploys (docs/config.md "Environments", docs/deploy.md "Environments"):
/// `deploy.requireApproval` and `deploy.rollbackThreshold`, from the selected environment's overlay (`--env`,
/// `ARXOS_ENV`) or set directly, each with where it was set. Read before anything is deployed; a value that does not
/// parse is an error naming the setting, where it was set and what it may be.
struct DeployPolicy {
    /// Why every deploy needs an approval ("deploy.requireApproval is true in environment production (built-in
    /// default)"); nil when it does not.
    var requireApproval: String?
    /// The share of nodes (0 to 1) that must end healthy, and the setting with where it was set.
    var rollbackThreshold: (ratio: Double, setting: String)?

    init(_ settings: Settings) throws {
        if let environment = settings.environmentName, !settings.knownEnvironments.contains(environment) {
            throw CommandFailure(message: "no environment named '\(environment)' (selected by --env or ARXOS_ENV)\nhint: known: "
                + "\(settings.knownEnvironments.joined(separator: ", ")); define one with 'arxos config set env.\(environment).<key> <value>'")
        }
        if let setting = settings.lookup("deploy.requireApproval") {
            switch setting.value.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true": requireApproval = "deploy.requireApproval is true " + DeployPolicy.origin(setting, settings)
            case "false": requireApproval = nil
            default: throw DeployPolicy.invalid(setting, settings, allowed: "true or false", example: "true")
            }
        }
        if let setting = settings.lookup("deploy.rollbackThreshold") {
            let text = setting.value.trimmingCharacters(in: .whitespaces)
            guard let ratio = Double(text), ratio.isFinite, (0...1).contains(ratio) else {
                throw DeployPolicy.invalid(setting, settings, allowed: "the share of nodes that end healthy, from 0 to 1 (such as 0.95)",
                                           example: "0.95")
            }
            rollbackThreshold = (ratio, "deploy.rollbackThreshold \(text) " + DeployPolicy.origin(setting, settings))
        }
    }

    /// Where a setting was set, as a phrase: "in environment production (built-in default)", "in .arxos/config".
    static func origin(_ setting: Setting, _ settings: Settings) -> String {
        let environment = settings.environmentName ?? ""
        switch setting.origin {
        case .environmentVariable: return "in the ARXOS_CONFIG_* variables"
        case .repositoryEnvironment: return "in environment \(environment) (env.\(environment).\(setting.name) in .arxos/config)"
        case .userEnvironment: return "in environment \(environment) (env.\(environment).\(setting.name) in the user config)"
        case .builtinEnvironment: return "in environment \(environment) (built-in default)"
        case .repository: return "in .arxos/config"
        case .user: return "in the user config"
        }
    }

    /// The one-line error for a setting whose value does not parse, with the command that fixes it.
    static func invalid(_ setting: Setting, _ settings: Settings, allowed: String, example: String) -> CommandFailure {
        let environment = settings.environmentName ?? ""
        let fix: String
        switch setting.origin {
        case .environmentVariable: fix = "change the ARXOS_CONFIG_VALUE_<n> paired with ARXOS_CONFIG_KEY_<n>=\(setting.name)"
        case .repositoryEnvironment: fix = "arxos config set env.\(environment).\(setting.name) \(example)"
        case .userEnvironment: fix = "arxos config set --global env.\(environment).\(setting.name) \(example)"
        case .builtinEnvironment, .repository: fix = "arxos config set \(setting.name) \(example)"
        case .user: fix = "arxos config set --global \(setting.name) \(example)"
        }
        return CommandFailure(message: "\(setting.name) is '\(setting.value)' \(origin(setting, settings)); it must be \(allowed)\nhint: \(fix)")
    }
}
