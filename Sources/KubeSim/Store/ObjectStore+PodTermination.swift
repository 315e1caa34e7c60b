import Foundation
import Structured

/// Graceful pod deletion as the API server's pod strategy does it: a scheduled, non-terminal pod is
/// not removed at once but marked with `deletionTimestamp` (now + grace) and
/// `deletionGracePeriodSeconds`; the kubelet stops its containers and then deletes it again with
/// grace period 0. A later delete may shorten the grace period, never lengthen it.
extension ObjectStore {
    /// The grace period this delete asks for, nil when the pod goes at once (graceful deletion off,
    /// unscheduled or terminal pods, as the real strategy decides).
    func podGracePeriod(_ pod: Value, _ options: DeleteOptions) -> Int64? {
        guard gracefulPodDeletion else { return nil }
        guard let node = pod[path: "spec", "nodeName"]?.stringValue, !node.isEmpty else { return nil }
        let phase = pod[path: "status", "phase"]?.stringValue
        if phase == "Succeeded" || phase == "Failed" { return nil }
        let requested = options.gracePeriodSeconds ?? Int64(pod[path: "spec", "terminationGracePeriodSeconds"]?.intValue ?? 30)
        if let current = pod[path: "metadata", "deletionGracePeriodSeconds"]?.intValue, pod.isDeleting {
            // Already terminating: only a shorter period changes anything.
            return min(Int64(current), requested)
        }
        return requested
    }

    func deletePodGracefully(_ type: ResourceType, key: ObjectKey, old: Value, grace: Int64,
                             finalizers: [String], dryRun: Bool) throws(APIError) -> DeleteOutcome {
        if old.isDeleting, let current = old[path: "metadata", "deletionGracePeriodSeconds"]?.intValue,
           Int64(current) <= grace, finalizers == old.finalizers {
            return .pending(old)
        }
        var object = old
        object.setMetadata("finalizers", finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) }))
        object.setMetadata("deletionTimestamp", .string(Timestamp.format(Date().addingTimeInterval(Double(grace)))))
        object.setMetadata("deletionGracePeriodSeconds", .int(grace))
        object = Self.normalizeMetadata(object)
        if dryRun { return .pending(object) }
        return .pending(commitUpdate(type, key: key, old: old, new: object))
    }
}
