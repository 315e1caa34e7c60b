/// The identity of a Kubernetes object: group, kind, namespace (nil when cluster-scoped) and name.
/// The version is not part of identity: `apps/v1` and `apps/v1beta1` Deployments are the same object.
public struct ResourceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(group: String = "", kind: String, namespace: String? = nil, name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (``, `v1`).
    public static func groupAndVersion(of apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    /// Groups shipped with Kubernetes; their kinds are unambiguous, so descriptions omit the group.
    static let builtInGroups: Set<String> = [
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
        "apiextensions.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "admissionregistration.k8s.io",
        "apiregistration.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io",
        "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
    ]

    /// `Deployment/web` style naming used in messages; `Kind.group` for custom kinds,
    /// the namespace between kind and name when the object is namespaced.
    public var description: String {
        let kindPart = ResourceID.builtInGroups.contains(group) ? kind : "\(kind).\(group)"
        if let namespace { return "\(kindPart)/\(namespace)/\(name)" }
        return "\(kindPart)/\(name)"
    }

    /// `Kind/name`, the short form used in validation messages.
    public var shortDescription: String {
        let kindPart = ResourceID.builtInGroups.contains(group) ? kind : "\(kind).\(group)"
        return "\(kindPart)/\(name)"
    }

    public static func < (a: ResourceID, b: ResourceID) -> Bool {
        (a.group, a.kind, a.namespace ?? "", a.name) < (b.group, b.kind, b.namespace ?? "", b.name)
    }
}

/// Which kinds are cluster-scoped. Without discovery the planner relies on this list of built-in
/// kinds plus the kinds that the caller knows (e.g. from CRDs with `spec.scope: Cluster`).
public struct ResourceScopes: Sendable {
    public var clusterScopedKinds: Set<String>

    public static let builtInClusterScoped: Set<String> = [
        "Namespace", "Node", "PersistentVolume", "StorageClass", "CustomResourceDefinition", "ClusterRole",
        "ClusterRoleBinding", "ClusterRoleList", "ClusterRoleBindingList", "PriorityClass", "RuntimeClass",
        "PodSecurityPolicy", "IngressClass", "APIService", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "CSIDriver", "CSINode", "VolumeAttachment", "CertificateSigningRequest", "FlowSchema",
        "PriorityLevelConfiguration",
    ]

    public init(extraClusterScopedKinds: Set<String> = []) {
        clusterScopedKinds = ResourceScopes.builtInClusterScoped.union(extraClusterScopedKinds)
    }

    public func isClusterScoped(kind: String) -> Bool { clusterScopedKinds.contains(kind) }
}
