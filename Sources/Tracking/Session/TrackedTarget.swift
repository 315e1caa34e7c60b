import Structured

/// One resource under tracking, as fixed at the start.
struct TrackedTarget: Sendable {
    var index: Int
    var id: ResourceID
    var goal: TrackingGoal
    var annotations: TrackingAnnotations
    /// The namespace the informers see: the object's own, or the client's default for a namespaced
    /// kind given without one (`id` keeps what the caller gave, so callers can match it).
    var resolvedNamespace: String?
    /// Which incarnation of the object counts (the one just applied), so a cached older one is ignored.
    var incarnation = Incarnation(uid: nil, generation: nil)

    init(index: Int, id: ResourceID, goal: TrackingGoal, annotations: TrackingAnnotations, resolvedNamespace: String? = nil) {
        self.index = index
        self.id = id
        self.goal = goal
        self.annotations = annotations
        self.resolvedNamespace = resolvedNamespace ?? id.namespace
    }
    /// NonBlocking resources are tracked only while a blocking one is.
    var isBlocking: Bool { annotations.trackTerminationMode == .waitUntilResourceReady }
    var filter: LogFilter { LogFilter(annotations) }

    /// Informer bucket of its own kind.
    var bucket: String { id.apiVersion + "/" + id.kind }
    var namespace: String { resolvedNamespace ?? "" }
    /// Where its Events live: cluster-scoped objects' Events are in `default`.
    var eventNamespace: String { namespace.isEmpty ? "default" : namespace }

    /// Kinds whose readiness depends on pods (and so have log followers).
    var hasPods: Bool { Self.podOwnerKinds.contains(id.kind) || isPod }
    var isPod: Bool { id.kind == "Pod" && id.group == "" }
    var isJob: Bool { id.kind == "Job" && id.group == "batch" }
    /// Logs of every pod (Jobs, Pods) or of the first N (replicated workloads).
    var logPodLimit: Int? { isJob || isPod ? nil : annotations.showLogsOnlyForNumberOfReplicas }
    /// The generic tracker's no-activity timeout applies (kubedog: generic resources only).
    var hasNoActivityTimeout: Bool {
        !hasPods && !(id.kind == "CustomResourceDefinition") && (goal == .ready || goal == .completed)
    }

    static let podOwnerKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]
}

/// What the engine remembers about one target between decisions.
struct TargetRecord {
    var state: ResourceState?
    /// The rules' last answer before errors were accumulated.
    var raw: ResourceState?
    var outcome: ResourceOutcome?
    /// Distinct error signals seen so far, in order (kubedog piles errors up across updates).
    var errors: [TrackingFailure] = []
    var errorKeys: Set<String> = []
    var lastActivity: Double = 0
    var noActivityExpiries = 0
    var hoping = false
    /// Pods whose logs are followed, in the order they were first seen.
    var logPods: [String] = []
    /// `pod/container` pairs with a follower.
    var followed: Set<String> = []
    /// Names of the child pods in the last state.
    var podNames: Set<String> = []
    /// Event uid#count already shown.
    var shownEvents: Set<String> = []
    var announcedErrors = 0
}

/// A container log to follow, handed from the engine to the follower task group.
struct FollowRequest: Sendable {
    var target: Int
    var namespace: String
    var pod: String
    var container: String
    var lines: LineFilter
}

/// The last lines of a failing container to fetch before the session ends.
struct TailRequest: Sendable {
    var target: Int
    var namespace: String
    /// Empty: the pod informer had not delivered any pod yet; look the owner's pods up once.
    var pod: String
    var container: String
    /// The container is waiting after a crash: its last run's log (`previous=true`).
    var previous: Bool
}

/// The object a caller just applied, as the API server returned it: shared informers may still hold
/// the version before the apply (or the object deleted before a re-create); those must not decide.
struct Incarnation: Sendable, Hashable {
    var uid: String?
    var generation: Int64?

    init(uid: String?, generation: Int64?) {
        self.uid = uid
        self.generation = generation
    }

    /// From a live object: its uid and generation; a plain manifest has neither and accepts anything.
    init(_ object: Value) {
        uid = object[path: "metadata", "uid"]?.stringValue
        generation = object[path: "metadata", "generation"]?.intValue
    }

    func accepts(_ object: Value) -> Bool {
        if let uid, let seen = object[path: "metadata", "uid"]?.stringValue, seen != uid { return false }
        if let generation, let seen = object[path: "metadata", "generation"]?.intValue, seen < generation { return false }
        return true
    }
}
