import Structured

/// Everything the rules look at for one resource: the object, and what the watchers saw around it.
///
/// `pods`, `replicaSets` and `events` may hold the whole namespace: the rules pick the ones that belong
/// to `object` (selector, ownerReferences, involvedObject), as kubedog filters shared informers client-side.
public struct ResourceSnapshot: Sendable, Hashable {
    public var object: Value
    public var pods: [Value]
    public var replicaSets: [Value]
    public var events: [Value]
    /// `werf.io/ignore-readiness-probe-fails-for-<container>` of the tracked object, in seconds.
    var readinessProbeWindows: [String: Double] = [:]

    public init(object: Value, pods: [Value] = [], replicaSets: [Value] = [], events: [Value] = []) {
        self.object = object
        self.pods = pods
        self.replicaSets = replicaSets
        self.events = events
    }

    var id: ResourceID { ResourceID(object) }
    var kind: String { object["kind"]?.stringValue ?? "" }

    /// Pods this workload owns: ownerReference to it, or matched by its selector.
    func childPods() -> [Value] {
        let selector = LabelSelector(selector: object[path: "spec", "selector"] ?? .null)
        let namespace = object[path: "metadata", "namespace"]?.stringValue
        return pods.filter { pod in
            if let namespace, let podNamespace = pod[path: "metadata", "namespace"]?.stringValue, podNamespace != namespace {
                return false
            }
            return Meta.isOwned(pod, by: object) || selector.matches(pod)
        }
    }

    /// Events whose involvedObject is `target`.
    func events(about target: Value) -> [Value] {
        let uid = Meta.uid(target)
        let name = Meta.name(target)
        let kind = target["kind"]?.stringValue
        return events.filter { event in
            let involved = event["involvedObject"] ?? .null
            if let uid, let eventUID = involved["uid"]?.stringValue { return uid == eventUID }
            return involved["name"]?.stringValue == name && involved["kind"]?.stringValue == kind
        }
    }
}
