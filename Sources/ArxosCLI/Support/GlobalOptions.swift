import ArgumentParser

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if arxos was started in <dir>.", valueName: "dir"))
    var directory: String?

    @Flag(name: .shortAndLong, help: "Print less: no progress, no summaries.")
    var quiet = false

    @Option(help: ArgumentHelp("When to colour output: auto, always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(help: ArgumentHelp("The configuration environment (development, production or your own); default $ARXOS_ENV.", valueName: "name"))
    var env: String?
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}
