import Structured

/// One revision of a release: the same record Helm keeps in `sh.helm.release.v1.NAME.vN`.
///
/// Field names and JSON layout follow Helm's `release.Release` so that helm 3, helm 4 and Bosun can
/// take turns on the same release. `chart` is kept as the JSON Helm wrote (see `ReleaseChart`) so a
/// record Bosun rewrites still carries everything Helm needs to roll back to it.
public struct Release: Sendable, Equatable {
    public var name: String
    public var namespace: String
    /// The revision number, 1-based.
    public var version: Int
    public var info: ReleaseInfo
    public var chart: ReleaseChart?
    /// The user-supplied values only (`helm get values`); an object.
    public var config: Value
    public var manifest: String
    public var hooks: [ReleaseHook]
    /// `ssa` or `csa` (Helm 4); nil means client-side apply, as Helm 3 records imply.
    public var applyMethod: String?
    /// User labels of the storage object (Helm keeps them outside the JSON); system labels excluded.
    public var labels: [String: String]

    public init(
        name: String, namespace: String, version: Int, info: ReleaseInfo, chart: ReleaseChart? = nil,
        config: Value = .emptyObject, manifest: String = "", hooks: [ReleaseHook] = [],
        applyMethod: String? = nil, labels: [String: String] = [:]
    ) {
        self.name = name
        self.namespace = namespace
        self.version = version
        self.info = info
        self.chart = chart
        self.config = config
        self.manifest = manifest
        self.hooks = hooks
        self.applyMethod = applyMethod
        self.labels = labels
    }

    public var status: ReleaseStatus {
        get { info.status }
        set { info.status = newValue }
    }

    /// Set the status and its description together, as Helm does.
    public mutating func setStatus(_ status: ReleaseStatus, _ description: String) {
        info.status = status
        info.description = description
    }

    /// `NAME-VERSION` of the chart, or `MISSING` as Helm prints it when the record has no chart.
    public var chartReference: String {
        guard let metadata = chart?.metadata else { return "MISSING" }
        return "\(metadata["name"]?.stringValue ?? "")-\(metadata["version"]?.stringValue ?? "")"
    }

    /// The chart's appVersion, or `MISSING` when the record has no chart metadata.
    public var appVersion: String {
        guard let metadata = chart?.metadata else { return "MISSING" }
        return metadata["appVersion"]?.stringValue ?? ""
    }
}

/// `info` of a release record.
public struct ReleaseInfo: Sendable, Equatable {
    /// nil when Helm would hold the zero time (v4 omits it; v3 wrote "" or the zero instant).
    public var firstDeployed: GoTime?
    public var lastDeployed: GoTime?
    public var deleted: GoTime?
    public var description: String
    public var status: ReleaseStatus
    public var notes: String

    public init(
        firstDeployed: GoTime? = nil, lastDeployed: GoTime? = nil, deleted: GoTime? = nil,
        description: String = "", status: ReleaseStatus, notes: String = ""
    ) {
        self.firstDeployed = firstDeployed
        self.lastDeployed = lastDeployed
        self.deleted = deleted
        self.description = description
        self.status = status
        self.notes = notes
    }
}

/// A hook of a release (`hooks[]`), with the outcome of its last run.
public struct ReleaseHook: Sendable, Equatable {
    public var name: String
    public var kind: String
    /// Template path, e.g. `mychart/templates/job.yaml`.
    public var path: String
    public var manifest: String
    /// `pre-install`, `post-upgrade`, `test`, ...
    public var events: [String]
    public var lastRun: HookRun
    public var weight: Int
    /// `before-hook-creation`, `hook-succeeded`, `hook-failed`.
    public var deletePolicies: [String]
    public var outputLogPolicies: [String]

    public init(
        name: String, kind: String, path: String, manifest: String, events: [String],
        lastRun: HookRun = HookRun(), weight: Int = 0, deletePolicies: [String] = [], outputLogPolicies: [String] = []
    ) {
        self.name = name
        self.kind = kind
        self.path = path
        self.manifest = manifest
        self.events = events
        self.lastRun = lastRun
        self.weight = weight
        self.deletePolicies = deletePolicies
        self.outputLogPolicies = outputLogPolicies
    }
}

/// `last_run` of a hook.
public struct HookRun: Sendable, Equatable {
    public var startedAt: GoTime?
    public var completedAt: GoTime?
    /// `Unknown`, `Running`, `Succeeded`, `Failed`, or "" when the hook never ran.
    public var phase: String

    public init(startedAt: GoTime? = nil, completedAt: GoTime? = nil, phase: String = "") {
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.phase = phase
    }
}
