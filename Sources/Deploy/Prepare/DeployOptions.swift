import Charts

/// How a deploy runs: the release, what to add to every object, and the knobs of the executor.
public struct DeployOptions: Sendable {
    public var releaseName: String
    public var namespace: String
    /// Server-side apply field manager. `helm`, as Helm 4 applies: a later `helm upgrade` of the
    /// release then owns the same fields instead of failing on a conflict with another manager.
    public var fieldManager: String
    /// `--add-annotation` / `--add-label`: put on every deployed object (hooks and CRDs included).
    public var extraAnnotations: [String: String]
    public var extraLabels: [String: String]
    /// Apply `crds/` CRDs (`--no-install-crds` turns it off).
    public var installCRDs: Bool
    /// Adopt existing objects whatever their ownership metadata.
    public var forceAdoption: Bool
    /// `--create-namespace`: create the release namespace when missing.
    public var createNamespace: Bool
    /// `--parallelism`: cluster writes in flight at once (tracking waits do not count).
    public var parallelism: Int
    /// `--timeout` in seconds for the whole deploy; nil waits as long as it takes.
    public var timeout: Double?
    /// `--keep-created-on-failure`: leave what a failed deploy created (for debugging).
    public var keepCreatedOnFailure: Bool
    /// `--auto-rollback`: after a failed upgrade, re-apply the last deployed revision.
    public var autoRollback: Bool
    /// Revisions kept in history (Helm's `--history-max`; 0 = unlimited).
    public var maxHistory: Int
    /// A pending revision older than this (seconds) with no live lock holder is recovered as failed.
    public var pendingGrace: Double
    /// Seconds the release Lease stays valid without renewal (renewed every third of it).
    public var leaseDuration: Int

    public init(releaseName: String, namespace: String, fieldManager: String = "helm",
                extraAnnotations: [String: String] = [:], extraLabels: [String: String] = [:], installCRDs: Bool = true,
                forceAdoption: Bool = false, createNamespace: Bool = false, parallelism: Int = 30, timeout: Double? = nil,
                keepCreatedOnFailure: Bool = false, autoRollback: Bool = false, maxHistory: Int = 10, pendingGrace: Double = 300,
                leaseDuration: Int = 15) {
        self.releaseName = releaseName
        self.namespace = namespace
        self.fieldManager = fieldManager
        self.extraAnnotations = extraAnnotations
        self.extraLabels = extraLabels
        self.installCRDs = installCRDs
        self.forceAdoption = forceAdoption
        self.createNamespace = createNamespace
        self.parallelism = parallelism
        self.timeout = timeout
        self.keepCreatedOnFailure = keepCreatedOnFailure
        self.autoRollback = autoRollback
        self.maxHistory = maxHistory
        self.pendingGrace = pendingGrace
        self.leaseDuration = leaseDuration
    }
}

/// A chart to render: its path (directory or .tgz) and the values flags, exactly as `bosun render` takes them.
public struct ChartInput: Sendable {
    public var path: String
    public var values: ValueOptions
    public var skipSchemaValidation: Bool
    /// `.Capabilities.KubeVersion` override (default: Helm's).
    public var kubeVersion: String?

    public init(path: String, values: ValueOptions = ValueOptions(), skipSchemaValidation: Bool = false, kubeVersion: String? = nil) {
        self.path = path
        self.values = values
        self.skipSchemaValidation = skipSchemaValidation
        self.kubeVersion = kubeVersion
    }
}
