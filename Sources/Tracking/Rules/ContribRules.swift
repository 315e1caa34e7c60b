import Structured

/// kubedog's exact GroupKind rules (`contrib_resource_status_rules.yaml`). They apply even when the
/// field is absent (then in progress).
struct ContribRules: Sendable {
    enum Field: Sendable {
        case path([String])
        case condition(String)
    }

    var field: Field
    var ready: Set<String>
    var failed: Set<String>

    static let table: [String: ContribRules] = [
        "acid.zalan.do/postgresql": ContribRules(
            field: .path(["status", "PostgresClusterStatus"]), ready: ["Running"],
            failed: ["CreateFailed", "UpdateFailed", "DeleteFailed"]),
        "external-secrets.io/ExternalSecret": ContribRules(field: .condition("Ready"), ready: ["True"], failed: ["False"]),
        "bitnami.com/SealedSecret": ContribRules(field: .condition("Synced"), ready: ["True"], failed: []),
        "kyverno.io/ClusterPolicy": ContribRules(field: .condition("Ready"), ready: ["True"], failed: []),
        "kyverno.io/Policy": ContribRules(field: .condition("Ready"), ready: ["True"], failed: []),
        "cert-manager.io/Certificate": ContribRules(field: .condition("Ready"), ready: ["True"], failed: []),
        "helm.toolkit.fluxcd.io/HelmRelease": ContribRules(field: .condition("Ready"), ready: ["True"], failed: []),
        "kustomize.toolkit.fluxcd.io/Kustomization": ContribRules(field: .condition("Ready"), ready: ["True"], failed: []),
        "argoproj.io/Application": ContribRules(
            field: .path(["status", "health", "status"]), ready: ["Healthy"], failed: ["Degraded"]),
        "argoproj.io/ApplicationSet": ContribRules(field: .condition("ResourcesUpToDate"), ready: ["True"], failed: []),
        "monitoring.coreos.com/Prometheus": ContribRules(field: .condition("Available"), ready: ["True"], failed: []),
        "monitoring.coreos.com/Alertmanager": ContribRules(field: .condition("Available"), ready: ["True"], failed: []),
        "monitoring.coreos.com/ThanosRuler": ContribRules(field: .condition("Available"), ready: ["True"], failed: []),
        "longhorn.io/Volume": ContribRules(field: .path(["status", "state"]), ready: ["attached", "detached"], failed: []),
        "longhorn.io/Backup": ContribRules(field: .path(["status", "state"]), ready: ["Completed"], failed: ["Error"]),
    ]

    static func rule(for id: ResourceID) -> ContribRules? { table["\(id.group)/\(id.kind)"] }

    func evaluate(_ o: Value) -> Verdict {
        var v = Verdict()
        let value: String
        let label: String
        switch field {
        case .path(let keys):
            var current: Value? = o
            for key in keys { current = current?[key] }
            value = current?.stringValue ?? ""
            label = keys.joined(separator: ".")
        case .condition(let type):
            value = Meta.condition(o, type)?["status"]?.stringValue ?? ""
            label = "status.conditions[type=\(type)].status"
        }
        v.counts.watchedField = "\(label): \(value)"
        if ready.contains(value) {
            v.ready = true
        } else if failed.contains(value) {
            v.errors.append(TrackingFailure(reason: "\(label)=\(value)", message: GenericRules.failedValueMessage, isFatal: true))
        } else {
            v.wait("\(label) \(value.isEmpty ? "\"\"" : value)->\(ready.sorted().joined(separator: "|"))")
        }
        return v
    }
}
