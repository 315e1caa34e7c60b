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

    /// Helm installs a chart's `crds/` before it reads the capabilities and renders; Bosun applies
    /// them first too, but only after rendering. So the templates see their kinds in `APIVersions`,
    /// and a `lookup` of a kind the cluster does not serve yet answers what it would right after the
    /// CRD is created: nothing (`{}`, or an empty list). Nothing is written.
    public func including(crdsOf chartPath: String) -> ClusterRenderContext {
        guard let chart = try? ChartLoader.load(path: chartPath) else { return self }  // the render reports it
        var crds: [Value] = []
        for (_, file) in chart.crdObjects() {
            for document in Structured.ManifestSplitter.split(file.text) {
                crds += ((try? YAML.decodeAll(document, mode: .manifest)) ?? []).filter { !$0.isNull }
            }
        }
        guard !crds.isEmpty else { return self }
        var context = self
        let known = Set(capabilities.apiVersions.versions)
        let added = Self.apiVersions(ofCRDs: crds).filter { !known.contains($0) }
        if !added.isEmpty { context.capabilities.apiVersions = VersionSet(versions: known.union(added).sorted()) }
        if var lookup = lookup as? ClusterLookup {
            lookup.releaseKinds = ClusterLookup.kinds(ofCRDs: crds)
            context.lookup = lookup
        }
        return context
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
    /// `apiVersion kind` -> list kind, for the release's own CRDs (see `including(crdsOf:)`).
    var releaseKinds: [String: String] = [:]

    static func kinds(ofCRDs crds: [Value]) -> [String: String] {
        var kinds: [String: String] = [:]
        for crd in crds where crd["kind"]?.stringValue == "CustomResourceDefinition" {
            guard let group = crd[path: "spec", "group"]?.stringValue,
                  let kind = crd[path: "spec", "names", "kind"]?.stringValue else { continue }
            let listKind = crd[path: "spec", "names", "listKind"]?.stringValue ?? kind + "List"
            for version in crd[path: "spec", "versions"]?.arrayValue ?? [] where version["served"]?.boolValue != false {
                guard let name = version["name"]?.stringValue else { continue }
                kinds[group + "/" + name + " " + kind] = listKind
            }
        }
        return kinds
    }

    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
        do {
            return try clusterLookup(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
        } catch let error as KubeError where error.kind == .unknownKind {
            guard let listKind = releaseKinds[apiVersion + " " + kind] else { throw error }
            // A kind of this release's crds/ that the cluster does not serve yet: no objects.
            if !name.isEmpty { return .emptyObject }
            return ["apiVersion": .string(apiVersion), "kind": .string(listKind), "metadata": ["resourceVersion": ""], "items": []]
        }
    }

    private func clusterLookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
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
