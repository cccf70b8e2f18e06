// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "gorch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gorch", targets: ["gorch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        /** libgit2 from the system (Debian: libgit2-dev), seen through a module map and a shim header. */
        .systemLibrary(
            name: "CLibGit2",
            path: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        /** git 2.39.5's xdiff (LGPL-2.1): histogram diff and zealous three-way merge, as merge-ort uses them. */
        .target(
            name: "CXDiff",
            path: "Sources/CXDiff",
            exclude: ["LICENSE.LGPL-2.1"],
            cSettings: [.unsafeFlags(["-Wno-everything"])]
        ),
        /** The only code that touches libgit2 pointers: repositories, refs, worktrees, commits, merges. */
        .target(
            name: "GitKit",
            dependencies: ["CLibGit2", "CXDiff"]
        ),
        /** The only code that spawns processes (validation steps, agents, bd/bv/openspec) or talks HTTP. */
        .target(
            name: "Adapters",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        /** The orchestrator: conflict prediction, tasks, merge coordination. Never prints, never parses argv. */
        .target(
            name: "GorchCore",
            dependencies: ["GitKit", "Adapters"],
            // Fault points (GORCH_FAULT, Support/Fault.swift) exist in debug builds only: the tests
            // build and run debug, a release gorch ignores the variable completely.
            swiftSettings: [.define("GORCH_FAULT_INJECTION", .when(configuration: .debug))]
        ),
        /** The command-line interface: argument parsing and rendering only. */
        .executableTarget(
            name: "gorch",
            dependencies: [
                "GorchCore",
                "GitKit",
                "Adapters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ],
            // jemalloc (Debian: libjemalloc-dev) replaces glibc's malloc for the whole process:
            // a merge allocates per path, and under glibc malloc/free were 14% of conflict
            // prediction; jemalloc made 1,000 branch-tip pairs ~19% faster (BENCHMARKS.md).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        /** Fixtures for tests: temporary repositories, the git oracle, generated histories. */
        .target(
            name: "GorchTestSupport",
            dependencies: ["GitKit"],
            path: "Tests/GorchTestSupport"
        ),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "GorchTestSupport"]),
        .testTarget(name: "GorchCoreTests", dependencies: ["GorchCore", "GitKit", "GorchTestSupport"]),
        .testTarget(name: "AdaptersTests", dependencies: ["Adapters", "GorchTestSupport"]),
        .testTarget(name: "GorchCLITests", dependencies: ["GitKit", "GorchTestSupport"]),
    ]
)
