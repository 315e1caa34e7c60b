// `bosun-bench kube --kubeconfig PATH [--objects N] [--parallelism P]`: server-side applies of N
// ConfigMaps (namespace `bench`) through the Kube client, P at a time; prints requests/s and
// p50/p99 latency. bench/kube.sh runs it against `kubesim serve` next to kubectl.
import Foundation
import Kube
import Structured

func runKubeBench(_ arguments: [String]) -> Int32 {
    if arguments.first == "codec" { return runKubeCodecBench(Array(arguments.dropFirst())) }
    var kubeconfig: String?
    var objects = 1000
    var parallelism = 16
    var index = 0
    while index < arguments.count {
        let flag = arguments[index]
        let value = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch flag {
        case "--kubeconfig": kubeconfig = value
        case "--objects": objects = Int(value) ?? objects
        case "--parallelism": parallelism = max(1, Int(value) ?? parallelism)
        default:
            FileHandle.standardError.write(Data("bosun-bench kube: unknown flag \(flag)\n".utf8))
            return 2
        }
        index += 2
    }
    let result = KubeBenchResult()
    let total = objects, width = parallelism
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            try await kubeBench(kubeconfig: kubeconfig, objects: total, parallelism: width, result: result)
        } catch {
            result.failure = "\(error)"
        }
        done.signal()
    }
    done.wait()
    if let failure = result.failure {
        FileHandle.standardError.write(Data("bosun-bench kube: \(failure)\n".utf8))
        return 1
    }
    let latencies = result.latencies.sorted()
    func percentile(_ p: Double) -> Double {
        latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }
    print(String(
        format: "bosun  %d server-side applies, parallelism %d: %.2fs, %.0f requests/s, p50 %.1f ms, p99 %.1f ms",
        total, width, result.seconds, Double(total) / result.seconds, percentile(0.5) * 1000, percentile(0.99) * 1000))
    return 0
}

final class KubeBenchResult: @unchecked Sendable {
    var latencies: [Double] = []
    var seconds = 0.0
    var failure: String?
}

private func kubeBench(kubeconfig: String?, objects: Int, parallelism: Int, result: KubeBenchResult) async throws {
    let connection = try KubeConfigLoader(kubeconfig: kubeconfig).load()
    let client = try HTTPKubeClient(connection: connection, discoveryCacheDirectory: nil)
    defer { Task { await client.shutdown() } }
    let options = ApplyOptions(fieldManager: "bosun-bench", force: true)
    _ = try await client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"]], options: options)
    // Warm discovery and the connection pool outside the measurement.
    _ = try await client.resource(apiVersion: "v1", kind: "ConfigMap")
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
        var next = 0
        var collected: [Double] = []
        func add() {
            let i = next
            next += 1
            group.addTask {
                let object: Value = [
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": ["name": .string("bench-\(i)"), "namespace": "bench", "labels": ["app": "bench"]],
                    "data": ["index": .string(String(i)), "payload": .string(String(repeating: "x", count: 256))],
                ]
                let t = ContinuousClock.now
                _ = try await client.apply(object, options: options)
                let d = ContinuousClock.now - t
                return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            }
        }
        while next < min(parallelism, objects) { add() }
        while let latency = try await group.next() {
            collected.append(latency)
            if next < objects { add() }
        }
        return collected
    }
    let elapsed = ContinuousClock.now - start
    result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    result.latencies = latencies
    await client.shutdown()
}
