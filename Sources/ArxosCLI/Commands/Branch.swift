import ArgumentParser
import ArxosCore
import ArxosStore
import ArxosWorkspace

extension Arxos {
    struct Branch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, create or delete branches.",
            discussion: "Without a name, lists branches ('*' marks the current one). With NAME, creates it at REV (default HEAD).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .shortAndLong, help: "Delete the branch and its reflog (commits it alone reached stay in the store, reachable from HEAD's reflog).") var delete = false
        @Flag(help: "Print a JSON array (schema in docs/json.md).") var json = false
        @Argument(help: "The branch to create or delete.", completion: .custom(completeBranches)) var name: String?
        @Argument(help: "Where the new branch starts (default HEAD).", completion: .custom(completeRevisions)) var revision: String?

        struct JSONBranch: Encodable { var name: String; var commit: String; var current: Bool }

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let repository = try context.openRepository()
                let head = try repository.refs.head()
                guard let name else {
                    let branches = try repository.refs.list("refs/heads/").map { ref -> JSONBranch in
                        let short = String(ref.name.dropFirst("refs/heads/".count))
                        return JSONBranch(name: short, commit: ref.id.hex, current: head == .branch(short))
                    }
                    if json { try printJSON(branches); return }
                    for branch in branches { output("\(branch.current ? "*" : " ") \(branch.name)") }
                    return
                }
                let lock = try repository.lock()
                defer { withExtendedLifetime(lock) {} }
                try RefStore.validateShort(name)
                let ref = "refs/heads/" + name
                let who = repository.identity()
                if delete {
                    guard let current = try repository.refs.read(ref) else { throw WorkspaceError.noSuchBranch(name) }
                    if head == .branch(name) { throw WorkspaceError.deletingCurrentBranch(name) }
                    try repository.refs.update(ref, to: nil, expecting: .value(current), who: who, message: "branch: deleted")
                    if !global.quiet { output("Deleted branch \(name) (was \(current.abbreviated()))") }
                    return
                }
                if try repository.refs.read(ref) != nil { throw WorkspaceError.branchExists(name) }
                let start = try RevisionResolver(repository: repository).resolveCommit(revision ?? "HEAD")
                try repository.refs.update(ref, to: start, expecting: .absent, who: who, message: "branch: created from \(revision ?? "HEAD")")
                if !global.quiet { output("Created branch \(name) at \(start.abbreviated())") }
            }
        }
    }

    struct Switch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch the working tree to another branch.",
            discussion: """
                Refuses, naming the files, when a file that differs between the two states has uncaptured changes. \
                Other uncaptured changes are carried over.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customShort("c"), help: "Create the branch first (at START, default HEAD).") var create = false
        @Flag(help: "Detach HEAD at the revision instead of switching to a branch.") var detach = false
        @Argument(help: "The branch (or, with --detach, the revision).", completion: .custom(completeSwitchTarget)) var name: String
        @Argument(help: "With -c, where the new branch starts.", completion: .custom(completeRevisions)) var start: String?

        func run() throws {
            try CommandContext(global).runLocked { repository in
                // A stopped merge belongs to this branch: finish or abort it first.
                if let merging = try MergeState.load(from: repository) { throw MergeError.inProgress(merging.name) }
                let who = repository.identity()
                let resolver = RevisionResolver(repository: repository)
                let current = try repository.refs.headCommit()
                let currentTree = try current.map { try repository.objects.readCommit($0).tree }
                if detach {
                    let target = try resolver.resolveCommit(name)
                    _ = try Checkout(repository: repository).switchTree(from: currentTree, to: try repository.objects.readCommit(target).tree, action: "switching")
                    try repository.refs.setHead(detached: target, who: who, message: "switch: detached at \(name)")
                    if !global.quiet { output("HEAD is now at \(target.abbreviated())") }
                    return
                }
                try RefStore.validateShort(name)
                let ref = "refs/heads/" + name
                var target = try repository.refs.read(ref)
                if create {
                    if target != nil { throw WorkspaceError.branchExists(name) }
                    if let start { target = try resolver.resolveCommit(start) } else { target = current }
                } else if target == nil {
                    throw WorkspaceError.noSuchBranch(name)
                }
                if let target {
                    let tree = try repository.objects.readCommit(target).tree
                    _ = try Checkout(repository: repository).switchTree(from: currentTree, to: tree, action: "switching to '\(name)'")
                    if create { try repository.refs.update(ref, to: target, expecting: .absent, who: who, message: "branch: created") }
                }
                try repository.refs.setHead(branch: name)
                try repository.refs.logHeadMove(from: current, to: target, who: who, message: "switch: to \(name)")
                if !global.quiet { output(create ? "Switched to a new branch '\(name)'" : "Switched to branch '\(name)'") }
            }
        }
    }
}
