import Structured

/// A release resource another one needs in place before it is applied, found from the manifest
/// itself as Nelm does (`internalDeployDependencies`): a workload's ConfigMaps, Secrets,
/// ServiceAccount, PriorityClass, RuntimeClass, node, resource claims and the RoleBindings of its
/// ServiceAccount; a StatefulSet's Service; a binding's role and ServiceAccounts; a KEDA
/// ScaledObject's target. Optional references (`optional: true`) are not dependencies.
///
/// Where Nelm's detection misses what it means to find (it reads `envFrom[].valueFrom.configMapRef`,
/// a StatefulSet's top-level `serviceName` and `resourceClaimNameTemplate`), the real fields are
/// read; PVC volumes are dependencies too. None of these change an order Helm's kind order already gives.
public struct AutoDependency: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var kind: String
    /// nil for cluster-scoped targets.
    public var namespace: String?
    public var name: String

    public func matches(_ id: ResourceID) -> Bool {
        id.name == name && id.kind == kind && id.group == group && (namespace == nil || id.namespace == namespace)
    }

    public var description: String { ResourceID(group: group, kind: kind, namespace: namespace, name: name).description }

    /// The dependencies of `resource`; `others` are the release's other resources (for bindings).
    public static func of(_ resource: ResourceMetadata, among others: [ResourceMetadata]) -> [AutoDependency] {
        let o = resource.manifest
        let namespace = resource.id.namespace
        var found: [AutoDependency] = []
        switch (resource.id.group, resource.id.kind) {
        case ("apps", "Deployment"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"), ("batch", "Job"), ("", "ReplicationController"):
            if let pod = o[path: "spec", "template"] { found += podDependencies(pod, namespace: namespace, others: others) }
        case ("apps", "StatefulSet"):
            if let service = nonEmpty(o[path: "spec", "serviceName"]) {
                found.append(AutoDependency(group: "", kind: "Service", namespace: namespace, name: service))
            }
            if let pod = o[path: "spec", "template"] { found += podDependencies(pod, namespace: namespace, others: others) }
        case ("batch", "CronJob"):
            if let pod = o[path: "spec", "jobTemplate", "spec", "template"] {
                found += podDependencies(pod, namespace: namespace, others: others)
            }
        case ("", "Pod"):
            found += podDependencies(o, namespace: namespace, others: others)
        case ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
            if let group = o[path: "roleRef", "apiGroup"]?.stringValue, let kind = o[path: "roleRef", "kind"]?.stringValue,
               let name = o[path: "roleRef", "name"]?.stringValue {
                found.append(AutoDependency(group: group, kind: kind, namespace: kind == "ClusterRole" ? nil : namespace, name: name))
            }
            for subject in o["subjects"]?.arrayValue ?? [] where subject["kind"]?.stringValue == "ServiceAccount" {
                guard let name = nonEmpty(subject["name"]) else { continue }
                let ns = nonEmpty(subject["namespace"]) ?? namespace
                found.append(AutoDependency(group: "", kind: "ServiceAccount", namespace: ns, name: name))
            }
        case ("keda.sh", "ScaledObject"):
            if let name = nonEmpty(o[path: "spec", "scaleTargetRef", "name"]) {
                let kind = nonEmpty(o[path: "spec", "scaleTargetRef", "kind"]) ?? "Deployment"
                let apiVersion = nonEmpty(o[path: "spec", "scaleTargetRef", "apiVersion"]) ?? "apps/v1"
                found.append(AutoDependency(group: ResourceID.groupAndVersion(of: apiVersion).group, kind: kind, namespace: namespace, name: name))
            }
        default:
            break
        }
        var seen = Set<AutoDependency>()
        return found.filter { seen.insert($0).inserted }
    }

    static func nonEmpty(_ value: Value?) -> String? {
        guard let s = value?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    static func optional(_ reference: Value) -> Bool { reference["optional"]?.boolValue == true }

    /// What a pod template (or pod) refers to, in Nelm's order.
    static func podDependencies(_ pod: Value, namespace: String?, others: [ResourceMetadata]) -> [AutoDependency] {
        guard let spec = pod["spec"] else { return [] }
        var found: [AutoDependency] = []
        func add(_ group: String, _ kind: String, _ name: String?, namespaced: Bool = true) {
            guard let name, !name.isEmpty else { return }
            found.append(AutoDependency(group: group, kind: kind, namespace: namespaced ? namespace : nil, name: name))
        }
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            for container in spec[list]?.arrayValue ?? [] {
                for env in container["env"]?.arrayValue ?? [] {
                    if let ref = env[path: "valueFrom", "configMapKeyRef"], !optional(ref) { add("", "ConfigMap", nonEmpty(ref["name"])) }
                    else if let ref = env[path: "valueFrom", "secretKeyRef"], !optional(ref) { add("", "Secret", nonEmpty(ref["name"])) }
                }
                for source in container["envFrom"]?.arrayValue ?? [] {
                    if let ref = source["configMapRef"], !optional(ref) { add("", "ConfigMap", nonEmpty(ref["name"])) }
                    else if let ref = source["secretRef"], !optional(ref) { add("", "Secret", nonEmpty(ref["name"])) }
                }
            }
        }
        for secret in spec["imagePullSecrets"]?.arrayValue ?? [] { add("", "Secret", nonEmpty(secret["name"])) }
        add("", "Node", nonEmpty(spec["nodeName"]), namespaced: false)
        add("scheduling.k8s.io", "PriorityClass", nonEmpty(spec["priorityClassName"]), namespaced: false)
        for claim in spec["resourceClaims"]?.arrayValue ?? [] {
            // Before Kubernetes 1.31 the names sat under `source`.
            let holder = claim["source"] ?? claim
            if let name = nonEmpty(holder["resourceClaimName"]) { add("resource.k8s.io", "ResourceClaim", name) }
            else if let name = nonEmpty(holder["resourceClaimTemplateName"]) { add("resource.k8s.io", "ResourceClaimTemplate", name) }
        }
        add("node.k8s.io", "RuntimeClass", nonEmpty(spec["runtimeClassName"]), namespaced: false)
        let serviceAccount = nonEmpty(spec["serviceAccountName"]) ?? nonEmpty(spec["serviceAccount"])
        add("", "ServiceAccount", nonEmpty(spec["serviceAccount"]))
        add("", "ServiceAccount", nonEmpty(spec["serviceAccountName"]))
        if let serviceAccount {
            // The bindings that grant the ServiceAccount its permissions.
            for other in others where other.id.group == "rbac.authorization.k8s.io"
                && (other.id.kind == "RoleBinding" || other.id.kind == "ClusterRoleBinding") {
                let subjects = other.manifest["subjects"]?.arrayValue ?? []
                if subjects.contains(where: {
                    $0["kind"]?.stringValue == "ServiceAccount" && $0["name"]?.stringValue == serviceAccount
                        && (nonEmpty($0["namespace"]) ?? other.id.namespace) == namespace
                }) {
                    found.append(AutoDependency(group: other.id.group, kind: other.id.kind, namespace: other.id.namespace, name: other.id.name))
                }
            }
        }
        for volume in spec["volumes"]?.arrayValue ?? [] {
            if let ref = volume["configMap"] { if !optional(ref) { add("", "ConfigMap", nonEmpty(ref["name"])) } }
            else if let ref = volume["secret"] { if !optional(ref) { add("", "Secret", nonEmpty(ref["secretName"])) } }
            else if let ref = volume["persistentVolumeClaim"] { add("", "PersistentVolumeClaim", nonEmpty(ref["claimName"])) }
        }
        return found
    }

    /// One weight group's resources in apply order: Helm's kind order (`sorted`), adjusted so that
    /// every resource comes after the group's resources it depends on. A target that sorts later
    /// (a RuntimeClass, a ResourceClaim, a custom kind) moves up to just before its first dependent;
    /// everything else keeps its place. Targets in other groups are left to the weights (an earlier
    /// group is done first; Nelm rejects a dependency on a later one as a cycle, Bosun keeps the
    /// weights the chart asked for).
    public static func installOrder(_ sorted: [ResourceMetadata]) -> [ResourceMetadata] {
        guard sorted.count > 1 else { return sorted }
        var index: [String: [Int]] = [:]  // "group/kind/name" -> positions
        for (i, r) in sorted.enumerated() { index["\(r.id.group)/\(r.id.kind)/\(r.id.name)", default: []].append(i) }
        var dependsOn = [Set<Int>](repeating: [], count: sorted.count)
        for (i, resource) in sorted.enumerated() {
            for dependency in of(resource, among: sorted) {
                for j in index["\(dependency.group)/\(dependency.kind)/\(dependency.name)"] ?? []
                where j != i && dependency.matches(sorted[j].id) {
                    dependsOn[i].insert(j)
                }
            }
        }
        guard dependsOn.contains(where: { !$0.isEmpty }) else { return sorted }

        // A target's key is the earliest position among itself and everything that needs it.
        var key = Array(sorted.indices)
        var changed = true
        var rounds = 0
        while changed && rounds < sorted.count {
            changed = false
            rounds += 1
            for i in sorted.indices {
                for j in dependsOn[i] where key[i] < key[j] {
                    key[j] = key[i]
                    changed = true
                }
            }
        }
        // Kahn's algorithm, always taking the ready resource with the smallest (key, position).
        var placed = [Bool](repeating: false, count: sorted.count)
        var result: [ResourceMetadata] = []
        result.reserveCapacity(sorted.count)
        while result.count < sorted.count {
            let remaining = sorted.indices.filter { !placed[$0] }
            let ready = remaining.filter { i in dependsOn[i].allSatisfy { placed[$0] } }
            // A cycle (which Kubernetes references cannot really form) falls back to the kind order.
            let pool = ready.isEmpty ? remaining : ready
            let next = pool.min { (key[$0], $0) < (key[$1], $1) }!
            placed[next] = true
            result.append(sorted[next])
        }
        return result
    }
}
