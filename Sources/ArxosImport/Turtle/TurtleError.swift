import Foundation

/// A Turtle file that cannot be read: where (file, line, column) and what to do.
public struct TurtleError: Error, LocalizedError, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var errorDescription: String? { "\(file):\(line):\(column): \(message)" }
}
