import Foundation
import Structured

/// The defaults the real API server fills in, limited to fields clients and controllers read.
enum Defaults {
    static func setIfMissing(_ object: inout Value, _ key: String, _ value: Value) {
        if object[key] == nil || object[key]!.isNull { object[key] = value }
    }

    static func namespace(_ object: inout Value) {
        var labels = object[path: "metadata", "labels"] ?? .object([:])
        labels["kubernetes.io/metadata.name"] = .string(object.name)
        object.setMetadata("labels", labels)
        if object[path: "spec", "finalizers"] == nil { object.set(path: ["spec", "finalizers"], to: ["kubernetes"]) }
        if object[path: "status", "phase"] == nil { object.set(path: ["status", "phase"], to: "Active") }
    }

    /// PodSpec defaults (pods and every pod template).
    static func podSpec(_ spec: inout Value) {
        setIfMissing(&spec, "restartPolicy", "Always")
        setIfMissing(&spec, "terminationGracePeriodSeconds", 30)
        setIfMissing(&spec, "dnsPolicy", "ClusterFirst")
        setIfMissing(&spec, "securityContext", .object([:]))
        setIfMissing(&spec, "schedulerName", "default-scheduler")
        for field in ["containers", "initContainers"] {
            guard var containers = spec[field]?.arrayValue else { continue }
            for i in containers.indices { container(&containers[i]) }
            spec[field] = .array(containers)
        }
    }

    static func container(_ c: inout Value) {
        setIfMissing(&c, "resources", .object([:]))
        setIfMissing(&c, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&c, "terminationMessagePolicy", "File")
        if c["imagePullPolicy"] == nil {
            let image = c["image"]?.stringValue ?? ""
            let lastSegment = image.split(separator: "/").last.map(String.init) ?? image
            let untaggedOrLatest = !lastSegment.contains(":") || lastSegment.hasSuffix(":latest")
            c["imagePullPolicy"] = .string(untaggedOrLatest && !image.contains("@") ? "Always" : "IfNotPresent")
        }
        if var ports = c["ports"]?.arrayValue {
            for i in ports.indices { setIfMissing(&ports[i], "protocol", "TCP") }
            c["ports"] = .array(ports)
        }
    }

    static func template(_ object: inout Value) {
        guard var spec = object[path: "spec", "template", "spec"] else { return }
        podSpec(&spec)
        object.set(path: ["spec", "template", "spec"], to: spec)
        if object[path: "spec", "template", "metadata", "creationTimestamp"] == nil, object[path: "spec", "template", "metadata"] != nil {
            // The real server prints templates with creationTimestamp: null.
            object.set(path: ["spec", "template", "metadata", "creationTimestamp"], to: .null)
        }
    }

    static func pod(_ object: inout Value) {
        var spec = object["spec"] ?? .object([:])
        podSpec(&spec)
        setIfMissing(&spec, "serviceAccountName", "default")
        setIfMissing(&spec, "serviceAccount", spec["serviceAccountName"]!)
        setIfMissing(&spec, "enableServiceLinks", true)
        setIfMissing(&spec, "preemptionPolicy", "PreemptLowerPriority")
        setIfMissing(&spec, "priority", 0)
        if spec["tolerations"] == nil {
            spec["tolerations"] = [
                ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
                ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
            ]
        }
        object["spec"] = spec
        if object["status"] == nil { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
    }

    static func secret(_ object: inout Value) throws(APIError) {
        setIfMissing(&object, "type", "Opaque")
        if let stringData = object["stringData"]?.objectValue {
            var data = object["data"] ?? .object([:])
            for (k, v) in stringData { data[k] = .string(Data((v.stringValue ?? "").utf8).base64EncodedString()) }
            object["data"] = data
            object["stringData"] = nil
        }
    }

    static func pvc(_ object: inout Value) {
        if object[path: "spec", "volumeMode"] == nil { object.set(path: ["spec", "volumeMode"], to: "Filesystem") }
        if object["status"] == nil { object["status"] = ["phase": "Pending"] }
    }

    static func deployment(_ object: inout Value) {
        var spec = object["spec"] ?? .object([:])
        setIfMissing(&spec, "replicas", 1)
        setIfMissing(&spec, "revisionHistoryLimit", 10)
        setIfMissing(&spec, "progressDeadlineSeconds", 600)
        var strategy = spec["strategy"] ?? .object([:])
        setIfMissing(&strategy, "type", "RollingUpdate")
        if strategy["type"]?.stringValue == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"] ?? .object([:])
            setIfMissing(&rolling, "maxUnavailable", "25%")
            setIfMissing(&rolling, "maxSurge", "25%")
            strategy["rollingUpdate"] = rolling
        }
        spec["strategy"] = strategy
        object["spec"] = spec
        template(&object)
    }

    static func replicaSet(_ object: inout Value) {
        if object[path: "spec", "replicas"] == nil { object.set(path: ["spec", "replicas"], to: 1) }
        template(&object)
    }

    static func statefulSet(_ object: inout Value) {
        var spec = object["spec"] ?? .object([:])
        setIfMissing(&spec, "replicas", 1)
        setIfMissing(&spec, "podManagementPolicy", "OrderedReady")
        setIfMissing(&spec, "revisionHistoryLimit", 10)
        setIfMissing(&spec, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
        setIfMissing(&spec, "persistentVolumeClaimRetentionPolicy", ["whenDeleted": "Retain", "whenScaled": "Retain"])
        object["spec"] = spec
        template(&object)
    }

    static func daemonSet(_ object: inout Value) {
        var spec = object["spec"] ?? .object([:])
        setIfMissing(&spec, "revisionHistoryLimit", 10)
        setIfMissing(&spec, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
        object["spec"] = spec
        template(&object)
    }

    static func job(_ object: inout Value, old: Value?) {
        var spec = object["spec"] ?? .object([:])
        setIfMissing(&spec, "parallelism", 1)
        setIfMissing(&spec, "completions", 1)
        setIfMissing(&spec, "backoffLimit", 6)
        setIfMissing(&spec, "completionMode", "NonIndexed")
        setIfMissing(&spec, "suspend", false)
        setIfMissing(&spec, "podReplacementPolicy", spec["podFailurePolicy"] == nil ? "TerminatingOrFailed" : "Failed")
        setIfMissing(&spec, "manualSelector", .null)
        if spec["manualSelector"]?.isNull == true { spec["manualSelector"] = nil }
        if old == nil, spec["manualSelector"]?.boolValue != true {
            let uid = object.uid
            spec["selector"] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
            var labels = spec[path: "template", "metadata", "labels"] ?? .object([:])
            labels["batch.kubernetes.io/controller-uid"] = .string(uid)
            labels["batch.kubernetes.io/job-name"] = .string(object.name)
            labels["controller-uid"] = .string(uid)
            labels["job-name"] = .string(object.name)
            spec.set(path: ["template", "metadata", "labels"], to: labels)
        } else if let old, spec["selector"] == nil {
            spec["selector"] = old[path: "spec", "selector"]
        }
        object["spec"] = spec
        template(&object)
    }

    static func cronJob(_ object: inout Value) {
        var spec = object["spec"] ?? .object([:])
        setIfMissing(&spec, "concurrencyPolicy", "Allow")
        setIfMissing(&spec, "suspend", false)
        setIfMissing(&spec, "successfulJobsHistoryLimit", 3)
        setIfMissing(&spec, "failedJobsHistoryLimit", 1)
        object["spec"] = spec
        if var template = object[path: "spec", "jobTemplate", "spec", "template", "spec"] {
            podSpec(&template)
            object.set(path: ["spec", "jobTemplate", "spec", "template", "spec"], to: template)
        }
    }
}
