import Charts
import Foundation
import Kube
import Structured

/// What a chart renders against when Bosun talks to a cluster, as `helm install`/`upgrade` (and a
/// server dry-run) do: `.Capabilities` from the server's version and discovery, `lookup` reading
/// the cluster. Offline renders (`bosun render`) use neither.
public struct ClusterRenderContext: Sendable {
    public var capabilities: Capabilities
    public var lookup: any LookupProvider

    /// Reads `/version` and discovery fresh (Helm invalidates its cache before rendering).
    public static func read(from client: any KubeClient) async throws(DeployError) -> ClusterRenderContext {
        let version: ServerVersion
        let apis: ServerAPIs
        do {
            version = try await client.serverVersion()
        } catch {
            throw .cluster("could not get server version from Kubernetes: \(error)")
        }
        do {
            apis = try await client.serverAPIs()
        } catch {
            throw .cluster("could not get apiVersions from Kubernetes: \(error)")
        }
        return ClusterRenderContext(capabilities: capabilities(version: version, apis: apis), lookup: ClusterLookup(client: client))
    }

    /// Helm's capabilities against a cluster: KubeVersion is the server's gitVersion, major and minor
    /// as reported (not normalised: `.Capabilities.KubeVersion` prints the full gitVersion, suffix
    /// and all); APIVersions every group/version and group/version/Kind; HelmVersion unchanged.
    public static func capabilities(version: ServerVersion, apis: ServerAPIs) -> Capabilities {
        var capabilities = Capabilities.helmTemplateDefault
        var kube = capabilities.kubeVersion
        kube.version = version.gitVersion
        kube.normalized = version.gitVersion
        kube.major = version.major
        kube.minor = version.minor
        capabilities.kubeVersion = kube
        let set = apis.versionSet
        // Helm keeps its default list when discovery returns nothing at all.
        if !set.isEmpty { capabilities.apiVersions = VersionSet(versions: set) }
        return capabilities
    }

    /// What discovery lists for CRDs once they are established: each served version as a group
    /// version and with the kind, plus `Scale` where the version has a scale subresource.
    public static func apiVersions(ofCRDs crds: [Value]) -> [String] {
        var result: [String] = []
        for crd in crds where crd["kind"]?.stringValue == "CustomResourceDefinition" {
            guard let group = crd[path: "spec", "group"]?.stringValue,
                  let kind = crd[path: "spec", "names", "kind"]?.stringValue else { continue }
            for version in crd[path: "spec", "versions"]?.arrayValue ?? [] {
                guard let name = version["name"]?.stringValue, version["served"]?.boolValue != false else { continue }
                let gv = group + "/" + name
                result += [gv, gv + "/" + kind]
                if version[path: "subresources", "scale"] != nil { result.append(gv + "/Scale") }
            }
        }
        return result
    }
}

/// `lookup` answered by the cluster. Rendering is synchronous, so each call waits for the async
/// client on a semaphore: the render must run off Swift's cooperative pool (`DeployPreparer` gives
/// it a thread of its own), or the blocked render could starve the request it waits for.
struct ClusterLookup: LookupProvider {
    let client: any KubeClient

    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let client = self.client
        Task {
            do throws(KubeError) {
                box.set(.success(try await client.lookup(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Value, KubeError> = .success(.emptyObject)
        func set(_ value: Result<Value, KubeError>) { lock.withLock { result = value } }
        func get() throws -> Value { try lock.withLock { result }.get() }
    }
}
