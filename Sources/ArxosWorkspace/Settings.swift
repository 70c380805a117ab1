import ArxosStore
import Foundation

/// Where a setting's value came from, strongest first (docs/config.md).
public enum SettingOrigin: String, Sendable, Codable {
    /// `ARXOS_CONFIG_COUNT` / `ARXOS_CONFIG_KEY_<n>` / `ARXOS_CONFIG_VALUE_<n>` in the environment (for CI).
    case environmentVariable = "env-var"
    /// `env.<environment>.<name>` in the repository's `.arxos/config`.
    case repositoryEnvironment = "repository-env"
    /// `env.<environment>.<name>` in the user's config.
    case userEnvironment = "user-env"
    /// The built-in defaults of the `development` and `production` environments.
    case builtinEnvironment = "builtin-env"
    /// `<name>` in the repository's `.arxos/config`.
    case repository
    /// `<name>` in the user's config (`$ARXOS_HOME/config`, else `~/.config/arxos/config`).
    case user
}

/// One effective setting and where it came from.
public struct Setting: Sendable, Codable, Hashable {
    public var name: String
    public var value: String
    public var origin: SettingOrigin
}

/// The layered configuration: environment variables, then the selected environment's overlay (repository, user,
/// built-in), then the repository's config, then the user's.
public struct Settings: Sendable {
    /// The built-in overlays, from the origin design's `environments:` section.
    public static let builtinEnvironments: [String: [String: String]] = [
        "development": [
            "state.captureInterval": "5m", "state.retentionDays": "7",
            "deploy.requireApproval": "false", "deploy.rollbackThreshold": "0.5",
            "sync.batchSize": "100", "sync.interval": "30s",
        ],
        "production": [
            "state.captureInterval": "1h", "state.retentionDays": "90",
            "deploy.requireApproval": "true", "deploy.rollbackThreshold": "0.95",
            "sync.batchSize": "1000", "sync.interval": "5m",
        ],
    ]

    public var repository: ConfigFile?
    public var user: ConfigFile?
    public var environmentName: String?
    public var variables: [String: String]

    /// The layers as the process sees them: `ARXOS_ENV` selects the environment.
    public init(repository: ConfigFile?, user: ConfigFile? = Settings.userConfig(),
                variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.repository = repository
        self.user = user
        self.variables = variables
        let selected = variables["ARXOS_ENV"].flatMap { $0.isEmpty ? nil : $0 }
        self.environmentName = selected
    }

    /// The user's config file, if it exists and reads.
    public static func userConfig() -> ConfigFile? {
        let path = Repository.home + "/config"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? ConfigFile(path: path)
    }

    /// `ARXOS_CONFIG_*` pairs, in order; later pairs win.
    var fromVariables: [(String, String)] {
        guard let count = variables["ARXOS_CONFIG_COUNT"].flatMap(Int.init), count > 0 else { return [] }
        return (0..<min(count, 1000)).compactMap { i in
            guard let key = variables["ARXOS_CONFIG_KEY_\(i)"], let value = variables["ARXOS_CONFIG_VALUE_\(i)"] else { return nil }
            return (key, value)
        }
    }

    /// The effective value of `name` and its origin.
    public func lookup(_ name: String) -> Setting? {
        if let value = fromVariables.last(where: { $0.0 == name })?.1 {
            return Setting(name: name, value: value, origin: .environmentVariable)
        }
        if let environment = environmentName {
            let key = "env.\(environment).\(name)"
            if let value = repository?[key] { return Setting(name: name, value: value, origin: .repositoryEnvironment) }
            if let value = user?[key] { return Setting(name: name, value: value, origin: .userEnvironment) }
            if let value = Settings.builtinEnvironments[environment]?[name] {
                return Setting(name: name, value: value, origin: .builtinEnvironment)
            }
        }
        if let value = repository?[name] { return Setting(name: name, value: value, origin: .repository) }
        if let value = user?[name] { return Setting(name: name, value: value, origin: .user) }
        return nil
    }

    /// Every effective setting, by name. Overlay keys (`env.*`) are folded into the names they set.
    public func all() -> [Setting] {
        var names = Set<String>()
        for (name, _) in fromVariables { names.insert(name) }
        for file in [repository, user].compactMap({ $0 }) {
            for (name, _) in file.entries where !name.hasPrefix("env.") { names.insert(name) }
            if let environment = environmentName {
                let prefix = "env.\(environment)."
                for (name, _) in file.entries where name.hasPrefix(prefix) { names.insert(String(name.dropFirst(prefix.count))) }
            }
        }
        if let environment = environmentName { names.formUnion(Settings.builtinEnvironments[environment]?.keys ?? [:].keys) }
        return names.sorted().compactMap(lookup)
    }

    /// The environments a user can select: the built-in ones and any named by `env.<name>.` keys.
    public var knownEnvironments: [String] {
        var names = Set(Settings.builtinEnvironments.keys)
        for file in [repository, user].compactMap({ $0 }) {
            for (name, _) in file.entries where name.hasPrefix("env.") {
                let parts = name.split(separator: ".", maxSplits: 2)
                if parts.count == 3 { names.insert(String(parts[1])) }
            }
        }
        return names.sorted()
    }
}

extension Repository {
    /// The layered settings of this repository (docs/config.md).
    public var settings: Settings { Settings(repository: config) }
}
