import ArgumentParser
import ArxosStore
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read and write settings: repository, user, environments.",
            discussion: """
                A setting's value comes from, strongest first: ARXOS_CONFIG_COUNT / ARXOS_CONFIG_KEY_<n> / \
                ARXOS_CONFIG_VALUE_<n> in the environment (for CI); the selected environment's overlay \
                ('env.<name>.<key>' in .arxos/config, then in the user config, then the built-in development and \
                production defaults), selected by --env or ARXOS_ENV; .arxos/config; the user config \
                ($ARXOS_HOME/config, else ~/.config/arxos/config). See docs/config.md.
                """,
            subcommands: [Get.self, Set.self, Unset.self, List.self])

        struct Scope: ParsableArguments {
            @Flag(help: "Use the user config instead of the repository's.") var global = false

            /// The file a write goes to: the user's config or the repository's.
            func file(_ context: CommandContext) throws -> ConfigFile {
                if global {
                    try FileSystem.makeDirectories(Repository.home)
                    let path = Repository.home + "/config"
                    if !FileManager.default.fileExists(atPath: path) { try FileSystem.writeAtomically(path, []) }
                    return try ConfigFile(path: path)
                }
                let repository = try context.openRepository()
                return try ConfigFile(path: repository.root + "/config")
            }
        }

        static func checkName(_ name: String) throws {
            guard ConfigFile.isValidName(name) else {
                throw CommandFailure(message: "'\(name)' is not a setting name\nhint: names are dotted words such as user.name or env.production.deploy.requireApproval")
            }
            if name.hasPrefix("format.") {
                throw CommandFailure(message: "'\(name)' describes the repository's format and is not changed by hand")
            }
        }

        struct Get: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a setting's effective value (exit 1 when it is not set).")
            @OptionGroup var global: GlobalOptions
            @Flag(name: .customLong("global"), help: "Read only the user config.") var globalOnly = false
            @Flag(help: "Also print where the value comes from.") var showOrigin = false
            @Argument(help: "The setting, e.g. user.email or deploy.requireApproval.") var name: String

            func run() throws {
                let context = CommandContext(global)
                try context.run {
                    let settings = globalOnly ? Settings(repository: nil) : (try context.openRepositoryIfAny()?.settings ?? Settings(repository: nil))
                    guard let setting = settings.lookup(name) else { throw ExitCode(ExitCodes.failure) }
                    output(showOrigin ? "\(setting.origin.rawValue)\t\(setting.value)" : setting.value)
                }
            }
        }

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set a setting in the repository (or user) config.")
            @OptionGroup var global: GlobalOptions
            @OptionGroup var scope: Scope
            @Argument(help: "The setting.") var name: String
            @Argument(help: "Its value.") var value: String

            func run() throws {
                let context = CommandContext(global)
                try context.run {
                    try Config.checkName(name)
                    guard !value.contains("\n") else { throw CommandFailure(message: "a setting's value is one line") }
                    var file = try scope.file(context)
                    file.set(name, value)
                    try file.save()
                }
            }
        }

        struct Unset: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a setting from the repository (or user) config.")
            @OptionGroup var global: GlobalOptions
            @OptionGroup var scope: Scope
            @Argument(help: "The setting.") var name: String

            func run() throws {
                let context = CommandContext(global)
                try context.run {
                    try Config.checkName(name)
                    var file = try scope.file(context)
                    guard file[name] != nil else {
                        throw CommandFailure(message: "'\(name)' is not set in \(file.path)")
                    }
                    file.unset(name)
                    try file.save()
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List every effective setting with its origin.")
            @OptionGroup var global: GlobalOptions
            @Flag(help: "Print a JSON document (schema in docs/json.md).") var json = false

            struct JSONList: Encodable {
                var environment: String?
                var environments: [String]
                var settings: [Setting]
            }

            func run() throws {
                let context = CommandContext(global)
                try context.run {
                    let settings = try context.openRepositoryIfAny()?.settings ?? Settings(repository: nil)
                    if let environment = settings.environmentName, !settings.knownEnvironments.contains(environment) {
                        throw CommandFailure(message: "no environment named '\(environment)'\nhint: known: \(settings.knownEnvironments.joined(separator: ", ")); define one with 'arxos config set env.\(environment).<key> <value>'")
                    }
                    let all = settings.all()
                    if json {
                        try printJSON(JSONList(environment: settings.environmentName, environments: settings.knownEnvironments, settings: all))
                        return
                    }
                    for setting in all { output("\(setting.name) = \(setting.value)\t(\(setting.origin.rawValue))") }
                }
            }
        }
    }
}
