// `bosun-bench kube codec [--items N] [--rounds R]`: decode and encode of a large list response
// (N Pods as an API server returns them) through Structured's JSON, the codec of the Kube client
// and of Releases. Prints the best of R rounds. bench/kube.sh runs it before the apply benchmark.
import Foundation
import Structured

func runKubeCodecBench(_ arguments: [String]) -> Int32 {
    var items = 5000
    var rounds = 5
    var index = 0
    while index < arguments.count {
        let value = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch arguments[index] {
        case "--items": items = Int(value) ?? items
        case "--rounds": rounds = max(1, Int(value) ?? rounds)
        default:
            FileHandle.standardError.write(Data("bosun-bench kube codec: unknown flag \(arguments[index])\n".utf8))
            return 2
        }
        index += 2
    }
    let list = podList(items)
    guard let bytes = try? JSON.encodeBytes(list, sortKeys: false, escapeHTML: false) else { return 1 }
    let megabytes = Double(bytes.count) / 1_048_576
    func best(_ body: () throws -> Void) rethrows -> Double {
        var fastest = Double.infinity
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            try body()
            let d = ContinuousClock.now - start
            fastest = min(fastest, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        return fastest
    }
    do {
        var decoded: Value = .null
        let decode = try best { decoded = try JSON.decode(bytes) }
        guard decoded == list else {
            FileHandle.standardError.write(Data("bosun-bench kube codec: round trip changed the list\n".utf8))
            return 1
        }
        let encode = try best { _ = try JSON.encodeBytes(decoded, sortKeys: false, escapeHTML: false) }
        let goEncode = try best { _ = try JSON.encodeBytes(decoded, sortKeys: false) }
        print(String(
            format: "json   %d-pod list, %.1f MB: decode %.0f ms (%.0f MB/s), encode %.0f ms (%.0f MB/s), Go-escaped encode %.0f ms",
            items, megabytes, decode * 1000, megabytes / decode, encode * 1000, megabytes / encode, goEncode * 1000))
    } catch {
        FileHandle.standardError.write(Data("bosun-bench kube codec: \(error)\n".utf8))
        return 1
    }
    return 0
}

/// A PodList shaped like a real one: metadata with labels, ownerReferences and managedFields,
/// a container spec, and a status with conditions.
private func podList(_ count: Int) -> Value {
    var items: [Value] = []
    items.reserveCapacity(count)
    for i in 0..<count {
        let name = "web-7d9c8f6b5-\(String(i, radix: 36))"
        let time: Value = "2026-11-21T17:20:13Z"
        items.append([
            "metadata": [
                "name": .string(name), "generateName": "web-7d9c8f6b5-", "namespace": "production",
                "uid": .string("3f1c2a9e-0b5d-4e8f-9a6b-\(String(format: "%012d", i))"),
                "resourceVersion": .string(String(100_000 + i)), "creationTimestamp": time,
                "labels": ["app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "shop", "pod-template-hash": "7d9c8f6b5"],
                "annotations": ["kubectl.kubernetes.io/restartedAt": time, "note": "<b>escaped & html</b> café"],
                "ownerReferences": [[
                    "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9c8f6b5",
                    "uid": "9b8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "controller": true, "blockOwnerDeletion": true,
                ]],
                "managedFields": [[
                    "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": time,
                    "fieldsType": "FieldsV1",
                    "fieldsV1": ["f:metadata": ["f:generateName": [:], "f:labels": [".": [:], "f:app": [:]]]],
                ]],
            ],
            "spec": [
                "containers": [[
                    "name": "web", "image": "docker.io/library/nginx:1.27", "imagePullPolicy": "IfNotPresent",
                    "ports": [["containerPort": 8080, "protocol": "TCP", "name": "http"]],
                    "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "256Mi"]],
                    "env": [["name": "GREETING", "value": "hello\n\"world\""], ["name": "RATIO", "value": "0.75"]],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                ]],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "serviceAccountName": "default", "nodeName": .string("kubesim-node-\(i % 3 + 1)"), "priority": 0,
                "tolerations": [[
                    "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300,
                ]],
            ],
            "status": [
                "phase": "Running", "qosClass": "Burstable", "startTime": time,
                "podIP": .string("10.244.\(i % 3).\(i % 250 + 2)"), "hostIP": "172.18.0.2",
                "conditions": .array(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map {
                    ["type": .string($0), "status": "True", "lastProbeTime": nil, "lastTransitionTime": time]
                }),
                "containerStatuses": [[
                    "name": "web", "ready": true, "restartCount": 0, "started": true, "image": "docker.io/library/nginx:1.27",
                    "imageID": "docker.io/library/nginx@sha256:0f3e2d1c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                    "state": ["running": ["startedAt": time]], "cpuRatio": .double(0.125 + Double(i % 7) / 8),
                ]],
            ],
        ])
    }
    return [
        "kind": "PodList", "apiVersion": "v1", "metadata": ["resourceVersion": "123456"], "items": .array(items),
    ]
}
