// swift-tools-version:6.0
import PackageDescription

/// Release `bosun` on Linux is one static executable: no dynamic loading or symbol binding of the
/// Swift runtime, Foundation and libc at start-up (about half the CPU time of `bosun render` on a
/// small chart). The objects are compiled against the shared Foundation module, whose link entries
/// name only libFoundation, so the static archives it needs are listed here (in one group: they
/// refer to each other). Debug builds (the tests) stay dynamic.
let staticRelease = [
    "-static-executable", "-Xlinker", "--start-group",
    "-lFoundation", "-lFoundationEssentials", "-lFoundationInternationalization", "-lCoreFoundation",
    "-l_FoundationCollections", "-l_FoundationCShims", "-l_FoundationICU", "-lswiftCore", "-lswiftSynchronization",
    "-lstdc++", "-Xlinker", "--end-group",
]

// One target per concern; see docs/architecture.md for what each holds and how data flows.
let package = Package(
    name: "Bosun",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bosun", targets: ["bosun"]),
        .executable(name: "kubesim", targets: ["kubesim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
    ],
    targets: [
        // Shared structured values and Helm-exact YAML/JSON codecs.
        .target(name: "Structured", dependencies: [
            .product(name: "Yams", package: "Yams"),
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        // Go text/template: knows nothing of Helm.
        .target(name: "GoTemplate", dependencies: ["Structured"]),
        // Chart model, loader, values, Sprig/Helm functions, renderer, manifests.
        .target(name: "Charts", dependencies: [
            "GoTemplate", "Structured",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        // Kubernetes API client: kubeconfig, transport, discovery, operations.
        .target(name: "Kube", dependencies: [
            "Structured",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Helm-compatible release records and storage drivers.
        .target(name: "Releases", dependencies: [
            "Kube", "Structured",
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        // Readiness and failure rules, trackers, progress output model.
        .target(name: "Tracking", dependencies: ["Kube", "Structured", .product(name: "Rainbow", package: "Rainbow")]),
        // Planner and executor of converge/plan/dismiss/rollback.
        .target(name: "Deploy", dependencies: [
            "Charts", "Kube", "Releases", "Tracking", "Structured", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // OCI bundles and chart repositories.
        .target(name: "Bundles", dependencies: [
            "Charts", "Structured",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CompressNIO", package: "compress-nio"),
        ]),
        // The simulated Kubernetes API server.
        .target(name: "KubeSim", dependencies: [
            "Structured",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // Command-line surface of bosun.
        .target(name: "BosunCLI", dependencies: [
            "Structured", "GoTemplate", "Charts", "Kube", "Releases", "Tracking", "Deploy", "Bundles", "KubeSim",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Rainbow", package: "Rainbow"),
        ]),
        .executableTarget(name: "bosun", dependencies: [
            "BosunCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [.unsafeFlags(staticRelease, .when(platforms: [.linux], configuration: .release))]),
        // Benchmark drivers used by bench/*.sh (one file per area).
        .executableTarget(name: "bosun-bench", dependencies: ["Structured", "GoTemplate", "Charts", "Kube"]),
        .executableTarget(name: "kubesim", dependencies: [
            "KubeSim",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test support: locating the helm/kubectl oracles, temp dirs, running processes.
        .target(name: "TestSupport", dependencies: ["Structured"], path: "Tests/TestSupport"),
        .target(name: "SimClusterSupport", dependencies: ["Kube", "KubeSim", "Structured", "TestSupport"],
                path: "Tests/SimClusterSupport"),
        .testTarget(name: "StructuredTests", dependencies: ["Structured", "TestSupport"]),
        .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate", "Structured", "TestSupport"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "GoTemplate", "Structured", "TestSupport"]),
        .testTarget(name: "KubeTests", dependencies: ["Kube", "KubeSim", "Structured", "SimClusterSupport", "TestSupport"]),
        .testTarget(name: "ReleasesTests", dependencies: ["Releases", "Kube", "KubeSim", "Structured", "SimClusterSupport", "TestSupport"]),
        .testTarget(name: "TrackingTests", dependencies: ["Tracking", "Kube", "KubeSim", "Structured", "SimClusterSupport", "TestSupport"]),
        .testTarget(name: "DeployTests", dependencies: ["Deploy", "Charts", "Kube", "KubeSim", "Structured", "SimClusterSupport", "TestSupport"]),
        .testTarget(name: "BundlesTests", dependencies: ["Bundles", "Charts", "Structured", "TestSupport"]),
        .testTarget(name: "KubeSimTests", dependencies: ["KubeSim", "Structured", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["BosunCLI", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
