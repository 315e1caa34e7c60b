import Kube
import Structured

/// Checks every rendered kind against the cluster's discovery (or a CRD of this release) and learns
/// which kinds are cluster-scoped, before anything is parsed for the plan.
struct KindCatalog {
    /// Kinds the release's own CRDs define: `group/kind` -> served versions and scope.
    struct CRDKind {
        var versions: Set<String>
        var clusterScoped: Bool
    }

    var scopes = ResourceScopes()
    var problems: [String] = []

    static func crdKinds(_ documents: [SourcedManifest]) -> [String: CRDKind] {
        var kinds: [String: CRDKind] = [:]
        for document in documents {
            let o = document.object
            guard o["kind"]?.stringValue == "CustomResourceDefinition",
                  let group = o[path: "spec", "group"]?.stringValue,
                  let kind = o[path: "spec", "names", "kind"]?.stringValue else { continue }
            // Versions with `served: false` exist in the CRD but the API server does not serve them.
            var versions = Set((o[path: "spec", "versions"]?.arrayValue ?? [])
                .filter { $0["served"]?.boolValue != false }.compactMap { $0["name"]?.stringValue })
            if let version = o[path: "spec", "version"]?.stringValue { versions.insert(version) }
            kinds[group + "/" + kind] = CRDKind(versions: versions, clusterScoped: o[path: "spec", "scope"]?.stringValue == "Cluster")
        }
        return kinds
    }

    /// One discovery lookup per distinct apiVersion/kind. An unknown kind is a problem naming the
    /// template, unless a CRD of this release defines it.
    static func check(_ documents: [SourcedManifest], client: any KubeClient) async throws(DeployError) -> KindCatalog {
        var catalog = KindCatalog()
        let defined = crdKinds(documents)
        var seen: [String: Bool?] = [:]  // "apiVersion kind" -> namespaced (nil: unknown)
        var clusterScoped: Set<String> = []
        var unknown: [(document: SourcedManifest, apiVersion: String, kind: String)] = []
        for document in documents {
            guard let apiVersion = document.object["apiVersion"]?.stringValue, !apiVersion.isEmpty,
                  let kind = document.object["kind"]?.stringValue, !kind.isEmpty else { continue }  // the parser reports these
            let key = apiVersion + " " + kind
            if seen[key] == nil {
                do {
                    let resource = try await client.resource(apiVersion: apiVersion, kind: kind)
                    seen[key] = .some(resource.namespaced)
                } catch {
                    guard error.kind == .unknownKind || error.isNotFound else {
                        throw .cluster("discovery of \(kind) (\(apiVersion)) failed: \(error)")
                    }
                    let (group, version) = ResourceID.groupAndVersion(of: apiVersion)
                    if let crd = defined[group + "/" + kind], crd.versions.isEmpty || crd.versions.contains(version) {
                        seen[key] = .some(!crd.clusterScoped)
                    } else {
                        seen[key] = .some(nil)
                    }
                }
            }
            switch seen[key]! {
            case .some(false): clusterScoped.insert(kind)
            case .some(true): break
            case nil:
                unknown.append((document, apiVersion, kind))
            }
        }
        if !unknown.isEmpty {
            // Where the cluster does serve the kind, if anywhere: the likely fix (one discovery pass, on failure only).
            let apis = try? await client.serverAPIs()
            for (document, apiVersion, kind) in unknown {
                let name = document.object[path: "metadata", "name"]?.stringValue ?? "<no name>"
                let source = document.source.map { " (\($0))" } ?? ""
                var problem = "\(kind)/\(name)\(source): apiVersion \(apiVersion) kind \(kind) is not served by the cluster and no CRD of this release defines it"
                let served = (apis?.groupVersions ?? []).filter { gv in gv.kinds.contains { $0.kind == kind && !$0.name.contains("/") } }.map(\.groupVersion)
                if !served.isEmpty { problem += "; the cluster serves \(kind) as " + served.joined(separator: ", ") }
                catalog.problems.append(problem)
            }
        }
        catalog.scopes = ResourceScopes(extraClusterScopedKinds: clusterScoped)
        return catalog
    }
}
