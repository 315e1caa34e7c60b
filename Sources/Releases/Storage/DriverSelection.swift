/// `--release-storage secret|configmap|memory`, defaulting to `$HELM_DRIVER`, then Secret (as Helm).
public enum StorageBackend: String, Sendable, CaseIterable {
    case secret, configmap, memory

    /// Helm accepts "secret"/"secrets", "configmap"/"configmaps", "memory", and "" for the default.
    public static func named(_ name: String?, environment: [String: String]) throws(ReleasesError) -> StorageBackend {
        let chosen = (name ?? environment["HELM_DRIVER"] ?? "").lowercased()
        switch chosen {
        case "", "secret", "secrets": return .secret
        case "configmap", "configmaps": return .configmap
        case "memory": return .memory
        case "sql":
            throw ReleasesError(.invalid, "release storage \"sql\" (HELM_DRIVER) is not supported by bosun; use secret, configmap or memory")
        default:
            throw ReleasesError(.invalid, "unknown release storage \"\(chosen)\": use secret, configmap or memory")
        }
    }

    /// A driver for `namespace` (nil: all namespaces, for listing).
    public func driver(api: (any ClusterObjects)?, namespace: String?, memory: MemoryDriver? = nil) throws(ReleasesError) -> any ReleaseDriver {
        switch self {
        case .memory:
            return memory?.scoped(to: namespace) ?? MemoryDriver(namespace: namespace)
        case .secret, .configmap:
            guard let api else { throw ReleasesError(.invalid, "release storage \(rawValue) needs a cluster connection") }
            return ObjectDriver(self == .secret ? .secret : .configMap, api: api, namespace: namespace)
        }
    }
}
