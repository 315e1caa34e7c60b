/// The resources the simulated server serves: built-in kinds plus those CRDs add at run time.
///
/// A value type: the `ObjectStore` owns the live copy and hands out snapshots for discovery.
public struct ResourceRegistry: Sendable {
    /// In discovery order; the first version listed for a group is its preferred version.
    public private(set) var types: [ResourceType]
    private var byPath: [String: Int] = [:]

    public init(types: [ResourceType]) {
        self.types = []
        for type in types { register(type) }
    }

    /// Add or replace (same group/version/plural) a resource type.
    public mutating func register(_ type: ResourceType) {
        let key = Self.key(type.group, type.version, type.plural)
        if let i = byPath[key] {
            types[i] = type
        } else {
            byPath[key] = types.count
            types.append(type)
        }
    }

    /// Remove every version of a group/resource (CRD deletion).
    public mutating func unregister(_ groupResource: GroupResource) {
        types.removeAll { $0.groupResource == groupResource }
        byPath = [:]
        for (i, t) in types.enumerated() { byPath[Self.key(t.group, t.version, t.plural)] = i }
    }

    public func lookup(group: String, version: String, plural: String) -> ResourceType? {
        byPath[Self.key(group, version, plural)].map { types[$0] }
    }

    /// The resource serving `kind` in `apiVersion` ("apps/v1", "v1").
    public func lookup(apiVersion: String, kind: String) -> ResourceType? {
        let (group, version) = Self.split(apiVersion: apiVersion)
        return types.first { $0.group == group && $0.version == version && $0.kind == kind }
    }

    /// Any served version of a group/resource (the preferred first).
    public func lookup(_ groupResource: GroupResource) -> ResourceType? {
        types.first { $0.groupResource == groupResource }
    }

    /// Groups in discovery order, each with its versions in preference order.
    public var groups: [(name: String, versions: [String])] {
        var result: [(name: String, versions: [String])] = []
        for t in types {
            if let i = result.firstIndex(where: { $0.name == t.group }) {
                if !result[i].versions.contains(t.version) { result[i].versions.append(t.version) }
            } else {
                result.append((t.group, [t.version]))
            }
        }
        return result
    }

    public func resources(group: String, version: String) -> [ResourceType] {
        types.filter { $0.group == group && $0.version == version }
    }

    public static func split(apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.firstIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    private static func key(_ g: String, _ v: String, _ p: String) -> String { "\(g)/\(v)/\(p)" }
}

extension ResourceRegistry {
    /// The built-in kinds of a Kubernetes 1.35 API server that charts and clients use,
    /// with the real scope, short names, verbs, subresources and categories.
    public static let builtIn: ResourceRegistry = {
        let noCollection = ["create", "delete", "get", "list", "patch", "update", "watch"]
        let all = ["all"]
        func core(_ kind: String, _ plural: String, short: [String] = [], namespaced: Bool = true,
                  verbs: [String] = ResourceType.allVerbs, sub: [String] = [], cat: [String] = []) -> ResourceType {
            ResourceType(group: "", version: "v1", kind: kind, plural: plural, shortNames: short,
                         namespaced: namespaced, verbs: verbs, subresources: sub, categories: cat)
        }
        func g(_ group: String, _ version: String, _ kind: String, _ plural: String, short: [String] = [],
               namespaced: Bool = true, verbs: [String] = ResourceType.allVerbs, sub: [String] = [], cat: [String] = []) -> ResourceType {
            ResourceType(group: group, version: version, kind: kind, plural: plural, shortNames: short,
                         namespaced: namespaced, verbs: verbs, subresources: sub, categories: cat)
        }
        let ext = ["api-extensions"]
        return ResourceRegistry(types: [
            core("ConfigMap", "configmaps", short: ["cm"]),
            core("Endpoints", "endpoints", short: ["ep"]),
            core("Event", "events", short: ["ev"]),
            core("LimitRange", "limitranges", short: ["limits"]),
            core("Namespace", "namespaces", short: ["ns"], namespaced: false, verbs: noCollection, sub: ["finalize", "status"]),
            core("Node", "nodes", short: ["no"], namespaced: false, sub: ["proxy", "status"]),
            core("PersistentVolumeClaim", "persistentvolumeclaims", short: ["pvc"], sub: ["status"]),
            core("PersistentVolume", "persistentvolumes", short: ["pv"], namespaced: false, sub: ["status"]),
            core("Pod", "pods", short: ["po"], sub: ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "resize", "status"], cat: all),
            core("ReplicationController", "replicationcontrollers", short: ["rc"], sub: ["scale", "status"], cat: all),
            core("ResourceQuota", "resourcequotas", short: ["quota"], sub: ["status"]),
            core("Secret", "secrets"),
            core("ServiceAccount", "serviceaccounts", short: ["sa"], sub: ["token"]),
            core("Service", "services", short: ["svc"], verbs: ResourceType.allVerbs, sub: ["proxy", "status"], cat: all),
            g("apiregistration.k8s.io", "v1", "APIService", "apiservices", namespaced: false, sub: ["status"], cat: ext),
            g("apps", "v1", "ControllerRevision", "controllerrevisions"),
            g("apps", "v1", "DaemonSet", "daemonsets", short: ["ds"], sub: ["status"], cat: all),
            g("apps", "v1", "Deployment", "deployments", short: ["deploy"], sub: ["scale", "status"], cat: all),
            g("apps", "v1", "ReplicaSet", "replicasets", short: ["rs"], sub: ["scale", "status"], cat: all),
            g("apps", "v1", "StatefulSet", "statefulsets", short: ["sts"], sub: ["scale", "status"], cat: all),
            g("events.k8s.io", "v1", "Event", "events", short: ["ev"]),
            g("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", namespaced: false, verbs: ["create"]),
            g("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", namespaced: false, verbs: ["create"]),
            g("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", short: ["hpa"], sub: ["status"], cat: all),
            g("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", short: ["hpa"], sub: ["status"], cat: all),
            g("batch", "v1", "CronJob", "cronjobs", short: ["cj"], sub: ["status"], cat: all),
            g("batch", "v1", "Job", "jobs", sub: ["status"], cat: all),
            g("networking.k8s.io", "v1", "IngressClass", "ingressclasses", namespaced: false),
            g("networking.k8s.io", "v1", "Ingress", "ingresses", short: ["ing"], sub: ["status"]),
            g("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", short: ["netpol"]),
            g("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", short: ["pdb"], sub: ["status"]),
            g("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", namespaced: false),
            g("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced: false),
            g("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
            g("rbac.authorization.k8s.io", "v1", "Role", "roles"),
            g("storage.k8s.io", "v1", "StorageClass", "storageclasses", short: ["sc"], namespaced: false),
            g("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", namespaced: false, cat: ext),
            g("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", namespaced: false, cat: ext),
            g("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", namespaced: false, sub: ["status"], cat: ext),
            g("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", namespaced: false, cat: ext),
            g("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", short: ["crd", "crds"], namespaced: false, sub: ["status"], cat: ext),
            g("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", short: ["pc"], namespaced: false),
            g("coordination.k8s.io", "v1", "Lease", "leases"),
            g("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
        ])
    }()
}
