import Foundation

/// Where something is in the text of a query: 1-based line and column, counted in characters.
public struct QueryPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) { self.line = line; self.column = column }

    public var description: String { "\(line):\(column)" }
}

/// A query that cannot be read or compiled: a syntax error, an unknown field, a unit of the wrong dimension. The
/// message names the place as `query:LINE:COLUMN:` and says what would fix it.
public struct QueryError: Error, LocalizedError, Sendable, Equatable {
    public var position: QueryPosition
    public var message: String

    public init(_ message: String, at position: QueryPosition) { self.message = message; self.position = position }

    public var errorDescription: String? { "query:\(position): \(message)" }
}

/// Why the index could not be opened, built or read.
public enum IndexError: Error, LocalizedError, Sendable {
    /// The database holds migrations this arxos does not know: a newer arxos wrote it.
    case newerSchema(path: String)
    /// The database file cannot be opened as an index (damaged, or not SQLite).
    case unreadable(path: String, reason: String)
    /// A file of the state could not be read as building objects.
    case badFile(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .newerSchema(path):
            "\(path) was written by a newer arxos; upgrade arxos, or delete the file (it is a cache) and run 'arxos index rebuild'"
        case let .unreadable(path, reason):
            "cannot open the index \(path) (\(reason)); run 'arxos index rebuild', which recreates it"
        case let .badFile(path, reason):
            "\(path) cannot be indexed: \(reason)"
        }
    }
}
