import CSodium

/// One-time libsodium initialisation.
///
/// Swift initialises a global `let` exactly once, atomically, on first use, so `sodium_init` runs once however many
/// threads reach it. `sodium_init` returns 0 (initialised now), 1 (already initialised) or -1 (failure).
private let sodiumInitResult: Int32 = sodium_init()

enum Sodium {
    /// Size in bytes of an Ed25519 public key.
    static let publicKeyBytes = 32
    /// Size in bytes of libsodium's Ed25519 secret key (seed ‖ public key).
    static let secretKeyBytes = 64
    /// Size in bytes of an Ed25519 seed.
    static let seedBytes = 32
    /// Size in bytes of an Ed25519 signature.
    static let signatureBytes = 64

    /// Makes sure libsodium is initialised; throws if it cannot be.
    static func ready() throws {
        guard sodiumInitResult >= 0 else { throw SigningError.sodiumUnavailable }
    }
}
