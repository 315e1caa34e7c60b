import Foundation

/// Where Helm keeps its files, with Helm's environment overrides: `HELM_CONFIG_HOME`,
/// `HELM_CACHE_HOME`, `HELM_DATA_HOME`, `HELM_REPOSITORY_CONFIG`, `HELM_REPOSITORY_CACHE`,
/// `HELM_REGISTRY_CONFIG`, then XDG (`XDG_CONFIG_HOME`, `XDG_CACHE_HOME`, `XDG_DATA_HOME`).
/// Each `HELM_*` variable may also be given as `BOSUN_*`, which wins.
public struct HelmPaths: Sendable {
    public var configHome: String
    public var cacheHome: String
    public var dataHome: String
    public var repositoryConfig: String
    public var repositoryCache: String
    public var registryConfig: String

    public init(environment env: [String: String]) {
        func value(_ name: String) -> String? {
            if let v = env["BOSUN_" + name], !v.isEmpty { return v }
            if let v = env["HELM_" + name], !v.isEmpty { return v }
            return nil
        }
        let home = env["HOME"] ?? NSHomeDirectory()
        configHome = value("CONFIG_HOME") ?? ((env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config") + "/helm")
        cacheHome = value("CACHE_HOME") ?? ((env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache") + "/helm")
        dataHome = value("DATA_HOME") ?? ((env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share") + "/helm")
        repositoryConfig = value("REPOSITORY_CONFIG") ?? configHome + "/repositories.yaml"
        repositoryCache = value("REPOSITORY_CACHE") ?? cacheHome + "/repository"
        registryConfig = value("REGISTRY_CONFIG") ?? configHome + "/registry/config.json"
    }

    public static func current() -> HelmPaths { HelmPaths(environment: ProcessInfo.processInfo.environment) }
}
