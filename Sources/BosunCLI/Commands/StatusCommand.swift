import ArgumentParser
import Kube
import Releases
import Structured

/// `bosun status NAME`: like `helm status`, plus the manifest's resources with their live state.
struct StatusCommand: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the status of a release, like `helm status`, with its live resources.")

    @Argument(help: "Release name.") var name: String
    @OptionGroup var storage: ReleaseStorageOptions
    @Option(help: "Revision to show (default: the last).") var revision: Int?
    @Flag(help: "Do not look up the live state of the release's resources.") var noResources = false

    func run() throws {
        print(try ReleaseCommandBridge.run { try await self.text() }, terminator: "")
    }

    func text() async throws -> String {
        try await storage.withStore { store, session in
            let release = if let revision { try await store.get(name, version: revision) } else { try await store.last(name) }
            var resources: String?
            if !noResources, let client = session.client {
                resources = await Self.liveResources(release, client: client)
            }
            return try ReleaseReports.status(release, resources: resources)
        }
    }

    /// One line per object of the manifest: kind, name, and what the cluster says about it now.
    /// A cluster that cannot be reached gives one line saying so instead.
    static func liveResources(_ release: Release, client: HTTPKubeClient) async -> String {
        let documents: [Value]
        do { documents = try YAML.decodeAll(release.manifest, mode: .manifest, file: "manifest") } catch {
            return "manifest cannot be parsed: \(error)\n"
        }
        var rows = [["KIND", "NAME", "STATE"]]
        for doc in documents {
            guard let kind = doc["kind"]?.stringValue, let apiVersion = doc["apiVersion"]?.stringValue,
                  let objectName = doc[path: "metadata", "name"]?.stringValue else { continue }
            let namespace = doc[path: "metadata", "namespace"]?.stringValue ?? release.namespace
            let state: String
            do {
                let live = try await client.get(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: objectName))
                state = summary(live)
            } catch where error.isNotFound {
                state = "missing"
            } catch where error.kind == .transport || error.kind == .timeout {
                return "cluster unreachable: \(error)\n"
            } catch {
                state = "unknown (\(error))"
            }
            rows.append([kind, objectName, state])
        }
        var widths = [0, 0, 0]
        for r in rows { for i in 0..<3 { widths[i] = max(widths[i], r[i].count) } }
        return rows.map { r in
            (0..<3).map { i in i == 2 ? r[i] : r[i] + String(repeating: " ", count: widths[i] - r[i].count) }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// A short live state: replicas ready for workloads, phase for pods and PVCs, else "present".
    static func summary(_ live: Value) -> String {
        if live[path: "metadata", "deletionTimestamp"] != nil { return "terminating" }
        let status = live["status"] ?? .null
        if let want = live[path: "spec", "replicas"]?.intValue {
            let ready = status["readyReplicas"]?.intValue ?? 0
            return "\(ready)/\(want) ready"
        }
        if let phase = status["phase"]?.stringValue { return phase }
        if let conditions = status["conditions"]?.arrayValue,
           let ready = conditions.first(where: { $0["type"] == "Ready" || $0["type"] == "Complete" || $0["type"] == "Available" }) {
            return "\(ready["type"]?.stringValue ?? "")=\(ready["status"]?.stringValue ?? "")"
        }
        return "present"
    }
}
