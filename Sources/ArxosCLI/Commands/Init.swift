import ArgumentParser
import ArxosWorkspace
import Foundation

extension Arxos {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an empty arxos repository.",
            discussion: "Creates DIR/.arxos (DIR defaults to the current directory). Running it again on a repository is safe.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Where to create the repository.") var dir: String?
        @Option(name: [.customShort("b"), .long], help: "The name of the first branch.") var initialBranch = Repository.defaultBranch

        func run() throws {
            let context = CommandContext(global)
            try context.run {
                let target = dir.map { $0.hasPrefix("/") ? $0 : context.directory + "/" + $0 } ?? context.directory
                let created = try Repository.initialize(at: target, branch: initialBranch)
                if !global.quiet {
                    let path = URL(fileURLWithPath: target).standardizedFileURL.path + "/.arxos"
                    output(created ? "Initialized empty arxos repository in \(path)" : "Reinitialized existing arxos repository in \(path)")
                }
            }
        }
    }
}
