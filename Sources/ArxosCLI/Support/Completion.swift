import ArxosWorkspace
import Foundation

// Dynamic shell completion. The scripts in completions/ call back into arxos (`arxos ---completion …`) for arguments
// declared with `completion: .custom(…)`; these functions answer with the candidates that start with the typed prefix.
// Each one prints nothing outside a repository and never fails: a completion must not print errors into a prompt.

/// The repository a completion is for: the one around the `-C DIR` directory on the command line being completed, else
/// around the current directory; nil when there is none.
func completionRepository(_ words: [String]) -> Repository? {
    var directory = FileManager.default.currentDirectoryPath
    // The last `-C DIR` wins, as for the command itself; `-C` as the word being completed has no value yet.
    if let index = words.lastIndex(of: "-C"), index + 1 < words.count, !words[index + 1].isEmpty {
        let value = (words[index + 1] as NSString).expandingTildeInPath
        directory = value.hasPrefix("/") ? value : directory + "/" + value
    }
    return try? Repository.discover(from: directory)
}

/// The short names of the refs under `prefix` (`refs/heads/` → `main`, `feature`).
private func refNames(_ repository: Repository, under prefix: String) -> [String] {
    ((try? repository.refs.list(prefix)) ?? []).map { String($0.name.dropFirst(prefix.count)) }
}

/// The candidates that start with `prefix`, sorted and without duplicates.
private func matching(_ names: [String], _ prefix: String) -> [String] {
    Set(names.filter { $0.hasPrefix(prefix) }).sorted()
}

/// Branch names, tag names and remote-tracking branches (`origin/main`), for arguments that take a revision.
@Sendable func completeRevisions(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words) else { return [] }
    let names = refNames(repository, under: "refs/heads/") + refNames(repository, under: "refs/tags/")
        + refNames(repository, under: "refs/remotes/")
    return matching(names, prefix)
}

/// Local branch names, for arguments that name a branch (`arxos switch`, `arxos branch -d`).
@Sendable func completeBranches(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words) else { return [] }
    return matching(refNames(repository, under: "refs/heads/"), prefix)
}

/// For `arxos switch`: local branch names, or every revision name after `--detach`.
@Sendable func completeSwitchTarget(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    words.contains("--detach") ? completeRevisions(words, index, prefix) : completeBranches(words, index, prefix)
}

/// Tag names, for arguments that name a tag (`arxos tag -d`).
@Sendable func completeTags(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words) else { return [] }
    return matching(refNames(repository, under: "refs/tags/"), prefix)
}

/// `HEAD` and the local branch names, for `arxos reflog`.
@Sendable func completeReflogRefs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words) else { return [] }
    return matching(["HEAD"] + refNames(repository, under: "refs/heads/"), prefix)
}

/// The names of the configured remotes: every `remote.<name>.url` key in `.arxos/config`.
@Sendable func completeRemotes(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words) else { return [] }
    let names = repository.config.entries.compactMap { key, _ -> String? in
        guard key.hasPrefix("remote."), key.hasSuffix(".url") else { return nil }
        let name = key.dropFirst("remote.".count).dropLast(".url".count)
        return name.isEmpty ? nil : String(name)
    }
    return matching(names, prefix)
}

/// The ids of the keys this repository trusts (revoked ones included), for `arxos key revoke`.
@Sendable func completeKeyIDs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words), let trust = try? repository.trustStore.load() else { return [] }
    let ids = trust.entries.map { entry -> String in
        switch entry {
        case let .trusted(key, _): return key.keyID
        case let .revoked(keyID, _): return keyID
        }
    }
    return matching(ids, prefix)
}

/// The ids of objects with open merge conflicts, for shell completion of `arxos resolve`.
@Sendable func completeConflictedObjects(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = completionRepository(words),
          let state = try? MergeState.load(from: repository),
          let open = try? Merge.openConflicts(in: repository, state: state) else { return [] }
    return matching(open.map(\.id), prefix)
}
