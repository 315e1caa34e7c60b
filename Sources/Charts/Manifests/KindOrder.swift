/// Helm 4's kind orders for installing and uninstalling; unknown kinds go last, alphabetically.
public enum KindOrder: Sendable {
    case install
    case uninstall

    public static let installKinds = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
        "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
        "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
        "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
        "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ]

    public static let uninstallKinds = [
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "Ingress", "IngressClass",
        "Service", "CronJob", "Job", "StatefulSet", "HorizontalPodAutoscaler", "Deployment", "ReplicaSet",
        "ReplicationController", "Pod", "DaemonSet", "RoleBindingList", "RoleBinding", "RoleList", "Role",
        "ClusterRoleBindingList", "ClusterRoleBinding", "ClusterRoleList", "ClusterRole", "CustomResourceDefinition",
        "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "ConfigMap", "SecretList", "Secret",
        "ServiceAccount", "PodDisruptionBudget", "PodSecurityPolicy", "LimitRange", "ResourceQuota", "NetworkPolicy",
        "Namespace", "PriorityClass",
    ]

    private static let installIndex = Dictionary(uniqueKeysWithValues: installKinds.enumerated().map { ($1, $0) })
    private static let uninstallIndex = Dictionary(uniqueKeysWithValues: uninstallKinds.enumerated().map { ($1, $0) })

    func index(of kind: String) -> Int? {
        switch self {
        case .install: return KindOrder.installIndex[kind]
        case .uninstall: return KindOrder.uninstallIndex[kind]
        }
    }

    /// lessByKind.
    public func less(_ a: String, _ b: String) -> Bool {
        let ia = index(of: a), ib = index(of: b)
        switch (ia, ib) {
        case (nil, nil): return a < b
        case (nil, _): return false
        case (_, nil): return true
        case let (x?, y?): return x < y
        }
    }

    /// Stable sort by kind.
    public func sorted<T>(_ items: [T], kind: (T) -> String) -> [T] {
        let indexed = items.enumerated().map { ($0.offset, $0.element, kind($0.element)) }
        return indexed.sorted { l, r in
            if less(l.2, r.2) { return true }
            if less(r.2, l.2) { return false }
            return l.0 < r.0
        }.map { $0.1 }
    }
}
