import Foundation
import Structured

/// A Job's `spec.podFailurePolicy`: the first rule matching a failed pod decides what its failure
/// means (FailJob, Ignore, Count, FailIndex). Without a matching rule the failure counts.
struct PodFailurePolicy {
    enum Action: String { case failJob = "FailJob", ignore = "Ignore", count = "Count", failIndex = "FailIndex" }

    let rules: [Value]

    init(_ policy: Value?) { rules = policy?["rules"]?.arrayValue ?? [] }

    /// The action for a failed pod, and the message the controller writes when it is FailJob.
    func action(for pod: Value) -> (Action, String) {
        let podName = "\(pod.namespace)/\(pod.name)"
        for (i, rule) in rules.enumerated() {
            let action = Action(rawValue: rule["action"]?.stringValue ?? "") ?? .count
            if let codes = rule["onExitCodes"] {
                let only = codes["containerName"]?.stringValue
                let values = Set((codes["values"]?.arrayValue ?? []).compactMap(\.intValue))
                let notIn = codes["operator"]?.stringValue == "NotIn"
                for status in pod[path: "status", "containerStatuses"]?.arrayValue ?? [] {
                    let name = status["name"]?.stringValue ?? ""
                    guard only == nil || only == name, let code = status[path: "state", "terminated", "exitCode"]?.intValue,
                          code != 0 else { continue }
                    if values.contains(code) != notIn {
                        return (action, "Container \(name) for pod \(podName) failed with exit code \(code) matching \(action.rawValue) rule at index \(i)")
                    }
                }
            }
            for pattern in rule["onPodConditions"]?.arrayValue ?? [] {
                let type = pattern["type"]?.stringValue ?? ""
                let wanted = pattern["status"]?.stringValue ?? "True"
                if pod.condition(type)?["status"]?.stringValue == wanted {
                    return (action, "Pod \(podName) has condition \(type) matching \(action.rawValue) rule at index \(i)")
                }
            }
        }
        return (.count, "")
    }
}
