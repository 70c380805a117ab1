import ArgumentParser
import Foundation

/// The `arxos` command: Building Infrastructure as Code.
public struct Arxos: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "arxos",
        abstract: "Version, diff and deploy the configuration of buildings.",
        discussion: """
            arxos keeps the YAML description of buildings (equipment, spaces, points and their properties) in a \
            content-addressed store with signed history. Run 'arxos init' in a folder of YAML files, then \
            'arxos state capture -m MESSAGE' to record it.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, State.self, CommitCommand.self, Status.self, Diff.self, Log.self, Show.self,
            Branch.self, Switch.self, RestoreCommand.self, TagCommand.self, Reflog.self,
            MergeCommand.self, Conflicts.self, Resolve.self,
            Key.self, Verify.self, Validate.self, Types.self, Import.self, Export.self, Fsck.self, GC.self, Config.self,
            Remote.self, Clone.self, Fetch.self, Pull.self, Push.self, Serve.self,
            Deploy.self, NodeCommand.self, Edge.self,
            CatObject.self, HashObject.self, LsTree.self, RevParse.self,
            Query.self, Index.self, TemplateCommand.self,
        ])

    /// Runs the command line. Like git, `arxos -C DIR COMMAND …` (repeatable) works in DIR: the leading `-C`s are taken
    /// here, before the subcommand parses its own options (which also accept `-C`).
    public static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        while arguments.count >= 2, arguments[0] == "--env" {
            // `arxos --env production COMMAND …` selects the configuration environment for the whole run.
            setenv("ARXOS_ENV", arguments[1], 1)
            arguments.removeFirst(2)
        }
        while arguments.count >= 2, arguments[0] == "-C" {
            let directory = arguments[1]
            guard FileManager.default.changeCurrentDirectoryPath(directory) else {
                printError("arxos: error: cannot change to directory '\(directory)': it does not exist or is not a directory")
                Foundation.exit(ExitCodes.failure)
            }
            arguments.removeFirst(2)
        }
        await main(arguments)
    }
}
