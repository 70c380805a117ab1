import ArgumentParser

/// The exit codes of arxos, documented in docs/exit-codes.md.
enum ExitCodes {
    /// The command failed: bad input, a refused operation, nothing to capture.
    static let failure: Int32 = 1
    /// The repository is missing, or its format is unknown.
    static let repository: Int32 = 3
    /// Verification failed: a bad or untrusted signature, or fsck found damage.
    static let verification: Int32 = 4
    /// Another process holds the repository lock.
    static let locked: Int32 = 5
    /// The state breaks a domain rule of severity error (`arxos validate`).
    static let validation: Int32 = 6
    /// A merge stopped with conflicts to resolve (`arxos merge`, `merge --continue`).
    static let conflict: Int32 = 7
    /// A command-line usage error (from the argument parser).
    static let usage: Int32 = 64
}
