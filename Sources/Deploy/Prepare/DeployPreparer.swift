import Foundation
import Charts
import Kube
import Releases
import Structured

/// Step one of every deploy, and all of `bosun plan`: render, validate against the cluster, read the
/// release history and the live objects, dry-run the changes, and build the plan. Writes nothing.
public struct DeployPreparer: Sendable {
    public let client: any KubeClient
    public let store: ReleaseStore
    public let options: DeployOptions

    public init(client: any KubeClient, store: ReleaseStore, options: DeployOptions) {
        self.client = client
        self.store = store
        self.options = options
    }

    /// Converge: install when the release has no history (or was uninstalled keeping it), else upgrade.
    public func prepare(chart: ChartInput) async throws(DeployError) -> PreparedRelease {
        let history = try await readHistory()
        let action: DeployPlanner.Action = Self.isInstall(history) ? .install : .upgrade
        // `.Release.Revision` is the revision about to be written, as helm renders it.
        let revision = (history.map(\.version).max() ?? 0) + 1
        let desired = try await render(chart, isUpgrade: action == .upgrade, revision: revision)
        return try await prepare(desired, action: action, history: history)
    }

    public static func isInstall(_ history: [Release]) -> Bool {
        guard let last = history.last else { return true }
        return last.status == .uninstalled
    }

    public func readHistory() async throws(DeployError) -> [Release] {
        do { return try await store.historyIfAny(options.releaseName) } catch { throw .release(error.description) }
    }

    /// The chart rendered as `helm install`/`upgrade` renders it against this cluster: the server's
    /// capabilities and a working `lookup`. The render runs on a thread of its own, since `lookup`
    /// blocks it while the client works on the cooperative pool.
    public func render(_ chart: ChartInput, isUpgrade: Bool, revision: Int = 1) async throws(DeployError) -> DesiredManifests {
        let context = try await ClusterRenderContext.read(from: client).including(crdsOf: chart.path)
        let result = await Self.onOwnThread { () -> Result<DesiredManifests, DeployError> in
            do throws(DeployError) {
                return .success(try render(chart, isUpgrade: isUpgrade, revision: revision, capabilities: context.capabilities, lookup: context.lookup))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The chart rendered exactly as `bosun render` does (offline when `capabilities` and `lookup`
    /// are nil), into desired manifests and record pieces.
    public func render(_ chart: ChartInput, isUpgrade: Bool, revision: Int = 1, capabilities: Capabilities?,
                       lookup: (any LookupProvider)?) throws(DeployError) -> DesiredManifests {
        var template = TemplateOptions()
        template.releaseName = options.releaseName
        template.namespace = options.namespace
        template.values = chart.values
        template.isUpgrade = isUpgrade
        template.revision = revision
        template.skipSchemaValidation = chart.skipSchemaValidation
        template.kubeVersion = chart.kubeVersion
        template.capabilities = capabilities
        template.lookup = lookup
        do {
            let userValues = try chart.values.merged()
            let rendered = try ChartTemplate.render(chartPath: chart.path, options: template, functions: ChartFunctions.registry(lookup: lookup))
            return try DesiredManifests(rendered: rendered, userValues: userValues)
        } catch let error as ChartsError {
            // `helm template`'s hint; `helm install` (what converge is) reports the error alone.
            let hint = "\n\nUse --debug flag to render out invalid YAML"
            throw .render(error.message.hasSuffix(hint) ? String(error.message.dropLast(hint.count)) : error.message)
        } catch let error as DeployError {
            throw error
        } catch {
            throw .render("\(error)")
        }
    }

    /// Runs `body` on a new thread (8 MiB of stack, for deep templates) and waits without blocking the pool.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Validate, read the cluster and plan `desired` for `action` (rollbacks pass the target's manifests).
    public func prepare(_ desired: DesiredManifests, action: DeployPlanner.Action, history: [Release]) async throws(DeployError) -> PreparedRelease {
        // 1. Kinds against discovery, then the annotations and names of every document.
        let catalog = try await KindCatalog.check(desired.crds + desired.templates, client: client)
        var manifests: ManifestSet
        do {
            manifests = try ManifestSet.parse(
                crds: desired.crds.map { (decorate($0.object, ownership: false), $0.source) },
                templates: desired.templates.map { (decorate($0.object, ownership: !Self.isHook($0.object)), $0.source) },
                releaseNamespace: options.namespace, scopes: catalog.scopes)
        } catch {
            if case .invalidManifests(let parsed) = error, !catalog.problems.isEmpty {
                throw .invalidManifests(ManifestValidationError(problems: catalog.problems + parsed.problems))
            }
            throw error
        }
        if !catalog.problems.isEmpty { throw .invalidManifests(ManifestValidationError(problems: catalog.problems)) }
        Self.placeInNamespaces(&manifests)

        // 2. What the release had before.
        let previous = Self.previousResources(history, namespace: options.namespace, scopes: catalog.scopes)

        // 3. The cluster: namespace, objects, dry runs.
        let namespaceExists = try await namespaceExists()
        if !namespaceExists, !options.createNamespace {
            throw .cluster("namespace \"\(options.namespace)\" not found: create it or pass --create-namespace")
        }
        var toRead: [ResourceMetadata] = manifests.crds + manifests.resources + manifests.hooks
        var seen = Set(toRead.map(\.id))
        for resource in previous where seen.insert(resource.id).inserted { toRead.append(resource) }
        let dryRunIDs = Set((manifests.crds + manifests.resources).map(\.id))
        let reader = LiveReader(client: client, fieldManager: options.fieldManager, parallelism: options.parallelism)
        let read = try await reader.read(toRead, dryRunIDs: dryRunIDs)

        var facts: [ResourceID: LiveObject] = [:]
        var versions: [ResourceID: String] = [:]
        for (id, object) in read.live {
            let change = dryRunIDs.contains(id) ? LiveReader.change(live: object, dryRun: read.dryRun[id]) : .changed
            facts[id] = LiveObject(object: object, change: change)
            versions[id] = object[path: "metadata", "resourceVersion"]?.stringValue
        }

        // 4. The plan. Unchanged resources are tracked again when the last revision did not succeed.
        let lastFailed = history.last.map { $0.status == .failed || $0.status.isPending } ?? false
        let planner = DeployPlanner(options: .init(
            releaseName: options.releaseName, releaseNamespace: options.namespace, forceAdoption: options.forceAdoption,
            installCRDs: options.installCRDs, trackUnchanged: lastFailed))
        let plan = try planner.plan(action, desired: manifests, previous: previous, live: facts)
        return PreparedRelease(
            releaseName: options.releaseName, namespace: options.namespace, action: action, desired: desired,
            manifests: manifests, history: history, previous: previous, live: read.live, dryRun: read.dryRun,
            facts: facts, resourceVersions: versions, namespaceExists: namespaceExists, plan: plan)
    }

    func namespaceExists() async throws(DeployError) -> Bool {
        do {
            _ = try await client.get(ObjectReference(apiVersion: "v1", kind: "Namespace", name: options.namespace))
            return true
        } catch {
            if error.isNotFound { return false }
            throw .cluster("reading namespace \(options.namespace) failed: \(error)")
        }
    }

    static func isHook(_ object: Value) -> Bool { object[path: "metadata", "annotations", "helm.sh/hook"] != nil }

    /// The object as it is applied: extra annotations and labels, and (for release resources)
    /// Helm's ownership metadata, so helm and Bosun both recognise the object as the release's.
    func decorate(_ object: Value, ownership: Bool) -> Value {
        guard object.objectValue != nil, object["metadata"]?.objectValue != nil else { return object }
        var o = object
        var annotations = o[path: "metadata", "annotations"]?.objectValue.map(Value.object) ?? .emptyObject
        var labels = o[path: "metadata", "labels"]?.objectValue.map(Value.object) ?? .emptyObject
        for (key, value) in options.extraAnnotations.sorted(by: { $0.key < $1.key }) { annotations[key] = .string(value) }
        for (key, value) in options.extraLabels.sorted(by: { $0.key < $1.key }) { labels[key] = .string(value) }
        if ownership {
            annotations["meta.helm.sh/release-name"] = .string(options.releaseName)
            annotations["meta.helm.sh/release-namespace"] = .string(options.namespace)
            labels["app.kubernetes.io/managed-by"] = "Helm"
        }
        if annotations.objectValue?.isEmpty == false { o.set(["metadata", "annotations"], annotations) }
        if labels.objectValue?.isEmpty == false { o.set(["metadata", "labels"], labels) }
        return o
    }

    /// Namespaced objects name their namespace explicitly, so applies and GETs need no default.
    static func placeInNamespaces(_ set: inout ManifestSet) {
        func place(_ list: inout [ResourceMetadata]) {
            for i in list.indices {
                if let namespace = list[i].id.namespace { list[i].manifest.set(["metadata", "namespace"], .string(namespace)) }
            }
        }
        place(&set.crds)
        place(&set.hooks)
        place(&set.resources)
    }

    /// Main resources of the last revision and of the last deployed one (a failed or interrupted
    /// revision may have created objects the deployed one lacks). Uninstalled revisions had theirs deleted.
    static func previousResources(_ history: [Release], namespace: String, scopes: ResourceScopes) -> [ResourceMetadata] {
        var revisions: [Release] = []
        if let last = history.last, last.status != .uninstalled { revisions.append(last) }
        if let deployed = history.last(where: { $0.status == .deployed }), deployed.version != revisions.first?.version {
            revisions.append(deployed)
        }
        var result: [ResourceMetadata] = []
        var seen: Set<ResourceID> = []
        for revision in revisions {
            for document in DesiredManifests.mainDocuments(of: revision) {
                var problems: [String] = []
                // Lenient: an old revision's odd annotation must not block deleting what it created.
                guard case .resource(var resource)? = ResourceMetadata.parse(
                    document.object, source: document.source, releaseNamespace: namespace, scopes: scopes, problems: &problems)
                else { continue }
                if resource.isHook || !seen.insert(resource.id).inserted { continue }
                if let ns = resource.id.namespace { resource.manifest.set(["metadata", "namespace"], .string(ns)) }
                result.append(resource)
            }
        }
        return result
    }
}
