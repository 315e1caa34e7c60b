import Foundation
import Structured

/// What the simulated kubelet remembers about running pods and the log endpoint reads: when each
/// pod was scheduled (sub-second, on the simulation clock) and its IP. Shared, lock-protected.
public final class KubeletRuntime: @unchecked Sendable {
    let options: SimulationOptions
    private let lock = NSLock()
    private var pods: [String: Entry] = [:]
    private var nextHost: [String: Int] = [:]

    struct Entry {
        var base: Date
        var podIP: String
        var eventsUntil: Double = -1
    }

    init(options: SimulationOptions) { self.options = options }

    /// The pod's entry, created (scheduled now) when first seen.
    func entry(for pod: Value, node: String) -> Entry {
        lock.withLock {
            if let e = pods[pod.uid] { return e }
            let index = (options.nodes.firstIndex(of: node) ?? 0) + 1
            let host = (nextHost[node] ?? 1) + 1
            nextHost[node] = host
            let e = Entry(base: options.clock.now(), podIP: "10.244.\(index).\(host % 250 + 2)")
            pods[pod.uid] = e
            return e
        }
    }

    func existing(_ uid: String) -> Entry? { lock.withLock { pods[uid] } }

    func markEvents(_ uid: String, until t: Double) { lock.withLock { pods[uid]?.eventsUntil = t } }

    func forget(_ uid: String) { _ = lock.withLock { pods.removeValue(forKey: uid) } }

    /// Deleted pods whose running containers the kubelet still has to stop (Killing events).
    private var deleted: [ObjectKey: Value] = [:]
    func podDeleted(_ pod: Value) {
        lock.withLock {
            pods[pod.uid] = nil
            terminating[pod.uid] = nil
            deleted[pod.objectKey] = pod
        }
    }
    func takeDeleted(_ key: ObjectKey) -> Value? { lock.withLock { deleted.removeValue(forKey: key) } }

    /// When the kubelet first saw the pod terminating (first: this is that moment).
    private var terminating: [String: Date] = [:]
    func terminationStarted(_ uid: String, now: Date) -> (at: Date, first: Bool) {
        lock.withLock {
            if let at = terminating[uid] { return (at, false) }
            terminating[uid] = now
            return (now, true)
        }
    }

    func timeline(_ pod: Value) -> PodTimeline { PodTimeline(pod: pod, startDelay: options.podStartDelay) }

    /// Seconds since the pod was scheduled, nil for pods this kubelet never ran.
    func elapsed(_ pod: Value) -> Double? {
        existing(pod.uid).map { options.clock.now().timeIntervalSince($0.base) }
    }

    static func hostIP(_ node: String, nodes: [String]) -> String { "172.18.0.\((nodes.firstIndex(of: node) ?? 0) + 2)" }
}
