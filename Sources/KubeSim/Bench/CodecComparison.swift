import Foundation
import Structured

/// `kubesim bench --codec`: throughput of the wire codec (Structured's JSON byte API) on what the
/// server encodes and decodes most (a ConfigMap as created by the load, a Deployment as stored, a
/// list of 1,000 ConfigMaps), in MB/s of JSON.
public enum CodecComparison {
    public static func run(iterations: Int = 2000) throws -> String {
        let configMap: Value = ["apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": ["name": "bench-1", "namespace": "default", "uid": "0b7c2c1e-4f8e-4c35-9d3e-7d6f4b1a2c3d",
                                             "resourceVersion": "12345", "creationTimestamp": "2026-11-21T17:20:13Z", "labels": ["bench": "yes"]],
                                "data": ["index": "1", "payload": .string(String(repeating: "x", count: 256))]]
        let deployment = try YAML.decode("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default, uid: 0b7c2c1e-4f8e-4c35-9d3e-7d6f4b1a2c3d, resourceVersion: "42", generation: 3,
              labels: {app: web, tier: frontend}, annotations: {deployment.kubernetes.io/revision: "3", note: "a <b> & c"}}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: nginx:1.27
                      ports: [{containerPort: 80, protocol: TCP}, {containerPort: 443, protocol: TCP}]
                      env: [{name: A, value: "1"}, {name: B, value: "two"}, {name: C, value: "ünïcödé"}]
                      resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: "1", memory: 512Mi}}
            status: {observedGeneration: 3, replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3,
              conditions: [{type: Available, status: "True", reason: MinimumReplicasAvailable, message: Deployment has minimum availability.}]}
            """, mode: .manifest)
        let list: Value = ["apiVersion": "v1", "kind": "ConfigMapList", "metadata": ["resourceVersion": "1"],
                           "items": .array((0..<1000).map { _ in configMap })]
        var lines: [String] = []
        for (name, value, n) in [("ConfigMap", configMap, iterations * 10), ("Deployment", deployment, iterations * 5), ("list of 1000", list, max(iterations / 100, 5))] {
            let bytes = JSON.wireBytes(value)
            // The codec must read back what it wrote, or the figures mean nothing.
            guard try JSON.decode(bytes) == value else { return "codec does not round-trip \(name)" }
            let megabytes = Double(bytes.count * n) / 1_000_000
            func rate(_ body: () throws -> Void) rethrows -> Double {
                let start = ContinuousClock.now
                try body()
                let d = ContinuousClock.now - start
                return megabytes / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
            let decode = try rate { for _ in 0..<n { _ = try JSON.decode(bytes) } }
            let encode = rate { for _ in 0..<n { _ = JSON.wireBytes(value) } }
            lines.append(String(format: "%@ (%d bytes): decode %.0f MB/s, encode %.0f MB/s", name, bytes.count, decode, encode))
        }
        return lines.joined(separator: "\n")
    }
}
