import Foundation

/// The real helm and kubectl binaries that tests compare Bosun against.
///
/// `scripts/install-oracles.sh` (run by `scripts/test.sh`) puts them under `.oracles/`.
/// A missing oracle is a test failure, never a skip.
public enum Oracle: String, Sendable, CaseIterable {
    case helm4 = "helm4/helm"
    case helm3 = "helm3/helm"
    case kubectl = "kubectl/kubectl"

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "oracle binary missing at \(path): run scripts/install-oracles.sh (scripts/test.sh does)"
        }
    }

    /// Absolute path of the binary; throws when it is not installed.
    public func path() throws -> String {
        let base = ProcessInfo.processInfo.environment["BOSUN_ORACLES"] ?? Repository.root + "/.oracles"
        let path = base + "/" + rawValue
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
        return path
    }
}

public enum Repository {
    /// The checkout's root, derived from this file's place (Tests/TestSupport/Oracles.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `../shared/charts`, the real public charts used for differential rendering.
    public static var sharedCharts: String {
        ProcessInfo.processInfo.environment["BOSUN_SHARED_CHARTS"] ?? root + "/../shared/charts"
    }
}
