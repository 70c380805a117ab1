import ArgumentParser
import ArxosStore
import ArxosTransport
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Remote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the remote repositories this one fetches from and pushes to.",
            discussion: "Remotes are kept in .arxos/config as remote.<name>.url (and remote.<name>.arxosPath for SSH).",
            subcommands: [Add.self, RemoveRemote.self, Rename.self, List.self, SetURL.self],
            defaultSubcommand: List.self)

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a remote.")
            @OptionGroup var global: GlobalOptions
            @Option(help: ArgumentHelp("The arxos to run on an SSH remote.", valueName: "path")) var arxosPath: String?
            @Argument(help: "The remote's name, for example origin.") var name: String
            @Argument(help: "A path, file:///path, ssh://[user@]host[:port]/path or [user@]host:path.") var url: String

            func run() throws {
                let context = CommandContext(global)
                try context.runLocked { repository in
                    try Remotes.validate(name)
                    _ = try RemoteURL(parsing: url, relativeTo: context.directory)
                    var config = repository.config
                    if config["remote.\(name).url"] != nil { throw CommandFailure(message: "remote '\(name)' already exists\nhint: change its URL with 'arxos remote set-url \(name) URL'") }
                    config.set("remote.\(name).url", url)
                    if let arxosPath { config.set("remote.\(name).arxosPath", arxosPath) }
                    try config.save()
                }
            }
        }

        struct RemoveRemote: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a remote and its remote-tracking refs.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The remote to remove.", completion: .custom(completeRemotes)) var name: String

            func run() throws {
                try CommandContext(global).runLocked { repository in
                    _ = try Remotes.url(repository, name)
                    let who = repository.identity()
                    for ref in try repository.refs.list("refs/remotes/\(name)/") {
                        try repository.refs.update(ref.name, to: nil, expecting: .value(ref.id), who: who, message: "remote: removed \(name)")
                    }
                    var config = repository.config
                    for (key, _) in config.entries where key.hasPrefix("remote.\(name).") { config.unset(key) }
                    try config.save()
                }
            }
        }

        struct Rename: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Rename a remote and its remote-tracking refs.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The current name.", completion: .custom(completeRemotes)) var old: String
            @Argument(help: "The new name.") var new: String

            func run() throws {
                try CommandContext(global).runLocked { repository in
                    _ = try Remotes.url(repository, old)
                    try Remotes.validate(new)
                    var config = repository.config
                    if config["remote.\(new).url"] != nil { throw CommandFailure(message: "remote '\(new)' already exists") }
                    let who = repository.identity()
                    for ref in try repository.refs.list("refs/remotes/\(old)/") {
                        let renamed = "refs/remotes/\(new)/" + ref.name.dropFirst("refs/remotes/\(old)/".count)
                        try repository.refs.update(renamed, to: ref.id, expecting: .absent, who: who, message: "remote: renamed \(old) to \(new)")
                        try repository.refs.update(ref.name, to: nil, expecting: .value(ref.id), who: who, message: "remote: renamed \(old) to \(new)")
                    }
                    for (key, value) in config.entries where key.hasPrefix("remote.\(old).") {
                        config.unset(key)
                        config.set("remote.\(new)." + key.dropFirst("remote.\(old).".count), value)
                    }
                    try config.save()
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the remotes.")
            @OptionGroup var global: GlobalOptions
            @Flag(help: "Print a JSON array (schema in docs/json.md).") var json = false
            @Flag(name: .shortAndLong, help: "Show each remote's URL.") var verbose = false

            struct JSONRemote: Encodable { var name: String; var url: String; var arxosPath: String? }

            func run() throws {
                let context = CommandContext(global)
                try context.run {
                    let repository = try context.openRepository()
                    let remotes = try Remotes.names(repository.config).map { name in
                        JSONRemote(name: name, url: try Remotes.url(repository, name), arxosPath: repository.config["remote.\(name).arxosPath"])
                    }
                    if json { try printJSON(remotes); return }
                    for remote in remotes { output(verbose ? "\(remote.name)\t\(remote.url)" : remote.name) }
                }
            }
        }

        struct SetURL: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "set-url", abstract: "Change a remote's URL.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The remote.", completion: .custom(completeRemotes)) var name: String
            @Argument(help: "The new URL.") var url: String

            func run() throws {
                let context = CommandContext(global)
                try context.runLocked { repository in
                    _ = try Remotes.url(repository, name)
                    _ = try RemoteURL(parsing: url, relativeTo: context.directory)
                    var config = repository.config
                    config.set("remote.\(name).url", url)
                    try config.save()
                }
            }
        }
    }
}
