import ArgumentParser
import Foundation
import Kube
import Releases

/// Which cluster and namespace a deploy command talks to.
struct ClusterOptions: ParsableArguments, Sendable {
    @Option(name: .shortAndLong, help: "Namespace of the release (default: the kubeconfig context's, else default).")
    var namespace: String?

    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Name of the kubeconfig context to use.")
    var kubeContext: String?

    /// Connects, runs `body` with the client, the namespace in effect and a Secret release store, then disconnects.
    func withCluster<T: Sendable>(_ body: (HTTPKubeClient, String, ReleaseStore) async throws -> T) async throws -> T {
        let connection = try KubeConfigLoader(kubeconfig: kubeconfig, context: kubeContext, namespace: namespace).load()
        let client = try HTTPKubeClient(connection: connection)
        let store = ReleaseStore(driver: ObjectDriver(.secret, api: KubeClusterObjects(client: client), namespace: connection.namespace))
        do {
            let result = try await body(client, connection.namespace, store)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// `--timeout` as Go durations (`90s`, `5m`, `1h30m`) or plain seconds.
enum DurationText {
    static func seconds(_ text: String) throws -> Double {
        if let plain = Double(text) { return plain }
        var total = 0.0
        var number = ""
        var unit = ""
        func flush() throws {
            guard let value = Double(number) else { throw ValidationError("invalid duration \"\(text)\"") }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            default: throw ValidationError("invalid duration \"\(text)\": unknown unit \"\(unit)\"")
            }
            number = ""
            unit = ""
        }
        for character in text {
            if character.isNumber || character == "." {
                if !unit.isEmpty { try flush() }
                number.append(character)
            } else {
                unit.append(character)
            }
        }
        if !number.isEmpty || !unit.isEmpty { try flush() }
        return total
    }
}

/// `k=v` pairs of `--add-annotation` / `--add-label`.
enum KeyValueText {
    static func parse(_ items: [String], flag: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("\(flag) \"\(item)\": expected key=value")
            }
            result[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return result
    }
}
