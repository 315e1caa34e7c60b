import Synchronization

/// Records in process memory, per namespace: for `bosun render`, dry runs and tests.
public final class MemoryDriver: ReleaseDriver {
    public let name = "Memory"
    /// nil lists every namespace; writes then go to each release's own namespace.
    public let namespace: String?
    private let store: Store

    /// Drivers made with `scoped(to:)` share one store.
    final class Store: Sendable {
        let records = Mutex<[String: [String: Release]]>([:])  // namespace -> key -> record
    }

    public init(namespace: String?) {
        self.namespace = namespace
        self.store = Store()
    }

    private init(namespace: String?, store: Store) {
        self.namespace = namespace
        self.store = store
    }

    /// The same records seen from another namespace.
    public func scoped(to namespace: String?) -> MemoryDriver { MemoryDriver(namespace: namespace, store: store) }

    public func get(_ key: String) async throws(ReleasesError) -> Release {
        let ns = namespace ?? ""
        guard let r = store.records.withLock({ $0[ns]?[key] }) else {
            throw ReleasesError(.notFound, "release record \(key) not found in namespace \"\(ns)\"")
        }
        return r
    }

    public func list(selector: [String: String]) async throws(ReleasesError) -> StoredRecords {
        let all = store.records.withLock { records in
            records.filter { namespace == nil || $0.key == namespace }.values.flatMap(\.values)
        }
        return StoredRecords(releases: all.filter { MemoryDriver.matches($0, selector) }
            .sorted { ($0.namespace, $0.name, $0.version) < ($1.namespace, $1.name, $1.version) })
    }

    static func matches(_ r: Release, _ selector: [String: String]) -> Bool {
        for (k, v) in selector {
            switch k {
            case "name": if r.name != v { return false }
            case "owner": if v != "helm" { return false }
            case "status": if r.status.rawValue != v { return false }
            case "version": if String(r.version) != v { return false }
            default: if r.labels[k] != v { return false }
            }
        }
        return true
    }

    public func create(_ key: String, _ release: Release) async throws(ReleasesError) {
        let ns = namespace ?? release.namespace
        var stored = release
        stored.labels = SystemLabels.userLabels(release.labels)
        let created = store.records.withLock { records -> Bool in
            if records[ns]?[key] != nil { return false }
            records[ns, default: [:]][key] = stored
            return true
        }
        if !created { throw ReleasesError(.alreadyExists, "release record \(key) already exists in namespace \"\(ns)\"") }
    }

    public func update(_ key: String, _ release: Release) async throws(ReleasesError) {
        let ns = namespace ?? release.namespace
        var stored = release
        stored.labels = SystemLabels.userLabels(release.labels)
        let updated = store.records.withLock { records -> Bool in
            guard records[ns]?[key] != nil else { return false }
            records[ns]![key] = stored
            return true
        }
        if !updated { throw ReleasesError(.notFound, "release record \(key) not found in namespace \"\(ns)\"") }
    }

    public func delete(_ key: String) async throws(ReleasesError) -> Release {
        let ns = namespace ?? ""
        guard let r = store.records.withLock({ $0[ns]?.removeValue(forKey: key) }) else {
            throw ReleasesError(.notFound, "release record \(key) not found in namespace \"\(ns)\"")
        }
        return r
    }
}
