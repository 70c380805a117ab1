import ArxosWorkspace
import Foundation

/// Branch and tag names of the repository around the current directory, for shell completion of revisions.
/// Prints nothing outside a repository; never fails.
@Sendable func completeRevisions(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = try? Repository.discover(from: FileManager.default.currentDirectoryPath) else { return [] }
    var names = [String]()
    for (ref, _) in (try? repository.refs.list("refs/heads/")) ?? [] { names.append(String(ref.dropFirst("refs/heads/".count))) }
    for (ref, _) in (try? repository.refs.list("refs/tags/")) ?? [] { names.append(String(ref.dropFirst("refs/tags/".count))) }
    return names.filter { $0.hasPrefix(prefix) }.sorted()
}

/// The ids of objects with open merge conflicts, for shell completion of `arxos resolve`.
@Sendable func completeConflictedObjects(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    guard let repository = try? Repository.discover(from: FileManager.default.currentDirectoryPath),
          let state = try? MergeState.load(from: repository),
          let open = try? Merge.openConflicts(in: repository, state: state) else { return [] }
    return Array(Set(open.map(\.id))).filter { $0.hasPrefix(prefix) }.sorted()
}
