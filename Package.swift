// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "arxos",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arxos", targets: ["arxos"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, linked from the system through pkg-config.
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),

        // Object ids and the byte encodings of blob, tree, commit and tag.
        .target(name: "ArxosCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Loose objects, packs, refs, reflogs, locks, repository config.
        .target(name: "ArxosStore", dependencies: ["ArxosCore", "CZstd"]),
        // Ed25519 keys, signatures and trust.
        .target(name: "ArxosSigning", dependencies: ["ArxosCore", "CSodium", .product(name: "Crypto", package: "swift-crypto")]),
        // Building objects read from YAML files.
        .target(name: "ArxosModel", dependencies: ["Yams"]),
        // Pure comparison of building objects: property-level diff (and, later, three-way merge).
        .target(name: "ArxosMerge", dependencies: ["ArxosModel"]),
        // The working tree: scanning, the stat cache, capture, checkout, status, revisions, history.
        .target(name: "ArxosWorkspace", dependencies: ["ArxosCore", "ArxosStore", "ArxosModel", "ArxosMerge", "ArxosSigning"]),
        // The transfer protocol: packet framing and the client and server state machines (no I/O).
        .target(name: "ArxosProtocol", dependencies: ["ArxosCore"]),
        // Moving objects between stores: the missing-object walk, pack streams, quarantine, ref updates, sessions.
        .target(name: "ArxosTransfer", dependencies: ["ArxosCore", "ArxosStore", "ArxosSigning", "ArxosWorkspace", "ArxosProtocol"]),
        // Moving bytes: remote URLs, `arxos serve --stdio` over a local pipe or the system ssh client.
        .target(name: "ArxosTransport", dependencies: [
            "ArxosCore", "ArxosSigning", "ArxosTransfer", "ArxosWorkspace", "CSodium",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The SQLite index of a state's objects (GRDB) and the query language compiled to SQL over it.
        .target(name: "ArxosIndex", dependencies: [
            "ArxosCore", "ArxosStore", "ArxosModel", "ArxosWorkspace", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Configuration templates: parameters, includes, query selectors, property assignments (docs/templates.md).
        .target(name: "ArxosTemplates", dependencies: [
            "ArxosCore", "ArxosStore", "ArxosModel", "ArxosMerge", "ArxosWorkspace", "ArxosIndex", "Yams",
        ]),
        // Deploying states to edge nodes: the node (store, trust, activation, self-rollback), the controller (inventory,
        // plan, strategies, thresholds, windows, approvals) and the deployment records (SQLite through GRDB).
        .target(name: "ArxosDeploy", dependencies: [
            "ArxosCore", "ArxosStore", "ArxosModel", "ArxosMerge", "ArxosSigning", "ArxosWorkspace",
            "ArxosProtocol", "ArxosTransfer", "ArxosTransport", "Yams", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Brick (Turtle) import and export: a Turtle reader with no I/O and the Brick ↔ arxos mapping.
        .target(name: "ArxosImport", dependencies: ["ArxosModel"]),
        // The commands.
        .target(name: "ArxosCLI", dependencies: [
            "ArxosCore", "ArxosStore", "ArxosModel", "ArxosMerge", "ArxosSigning", "ArxosWorkspace",
            "ArxosProtocol", "ArxosTransfer", "ArxosTransport", "ArxosImport", "ArxosIndex", "ArxosDeploy", "ArxosTemplates",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "arxos", dependencies: ["ArxosCLI"]),

        .testTarget(name: "ArxosCoreTests", dependencies: ["ArxosCore"]),
        .testTarget(name: "ArxosStoreTests", dependencies: ["ArxosCore", "ArxosStore"]),
        .testTarget(name: "ArxosSigningTests", dependencies: ["ArxosCore", "ArxosSigning"]),
        .testTarget(name: "ArxosModelTests", dependencies: ["ArxosModel"]),
        .testTarget(name: "ArxosMergeTests", dependencies: ["ArxosModel", "ArxosMerge"]),
        .testTarget(name: "ArxosWorkspaceTests", dependencies: ["ArxosCore", "ArxosStore", "ArxosModel", "ArxosMerge", "ArxosWorkspace"]),
        .testTarget(name: "ArxosProtocolTests", dependencies: ["ArxosCore", "ArxosProtocol"]),
        .testTarget(name: "ArxosTransportTests", dependencies: ["ArxosCore", "ArxosSigning", "ArxosTransport"]),
        .testTarget(name: "ArxosTransferTests", dependencies: ["ArxosCore", "ArxosStore", "ArxosWorkspace", "ArxosProtocol", "ArxosTransfer"]),
        .testTarget(name: "ArxosImportTests", dependencies: ["ArxosModel", "ArxosImport"]),
        .testTarget(name: "ArxosIndexTests", dependencies: ["ArxosCore", "ArxosStore", "ArxosModel", "ArxosWorkspace", "ArxosIndex"]),
        .testTarget(name: "ArxosTemplatesTests", dependencies: ["ArxosCore", "ArxosModel", "ArxosWorkspace", "ArxosIndex", "ArxosTemplates"]),
        .testTarget(name: "ArxosDeployTests", dependencies: ["ArxosCore", "ArxosStore", "ArxosSigning", "ArxosWorkspace", "ArxosDeploy"]),
        .testTarget(name: "ArxosEndToEndTests", dependencies: [], exclude: ["Golden"], resources: []),
    ],
    swiftLanguageModes: [.v6]
)
