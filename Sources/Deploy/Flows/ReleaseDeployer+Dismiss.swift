import Kube
import Releases
import Structured
import Tracking

extension ReleaseDeployer {
    /// `bosun dismiss`: pre-delete hooks, the release's resources deleted in uninstall order (waiting
    /// for each to go), post-delete hooks; then the history is removed (or, with `keepHistory`, the
    /// last revision marked uninstalled). `withNamespace` deletes the release namespace last.
    public func dismiss(keepHistory: Bool = false, withNamespace: Bool = false,
                        events: @escaping DeployEventSink = { _ in }) async throws(DeployError) {
        let history = try await preparer.readHistory()
        guard history.last != nil else { throw .release("uninstall: Release not loaded: \(options.releaseName): release: not found") }

        // Read-only part: what the release holds and what of it still exists.
        let resources = DeployPreparer.previousResources(history, namespace: options.namespace, scopes: ResourceScopes())
        var hooks: [ResourceMetadata] = []
        for hook in history.last?.hooks ?? [] {
            for document in (try? DesiredManifests.documents(hook.manifest, source: hook.path)) ?? [] {
                var problems: [String] = []
                guard case .resource(var resource)? = ResourceMetadata.parse(
                    document.object, source: document.source, releaseNamespace: options.namespace, problems: &problems) else { continue }
                if let ns = resource.id.namespace { resource.manifest.set(["metadata", "namespace"], .string(ns)) }
                hooks.append(resource)
            }
        }
        let reader = LiveReader(client: client, fieldManager: options.fieldManager, parallelism: options.parallelism)
        let read = try await reader.read(resources + hooks, dryRunIDs: [])
        let facts = read.live.mapValues { LiveObject(object: $0, change: .unchanged) }
        let planner = DeployPlanner(options: .init(releaseName: options.releaseName, releaseNamespace: options.namespace))
        let plan = try planner.planDismiss(resources: resources, hooks: hooks, live: facts)
        let prepared = PreparedRelease(
            releaseName: options.releaseName, namespace: options.namespace, action: .upgrade,
            desired: DesiredManifests(templates: []), manifests: ManifestSet(), history: history, previous: resources,
            live: read.live, dryRun: [:], facts: facts, resourceVersions: [:], namespaceExists: true, plan: plan)

        let session = try await lock(expecting: prepared)
        try await session.finish { () async throws(DeployError) in
            guard var last = session.start.last else { return }
            last = try await write { () async throws(ReleasesError) in
                try await store.transition(last, to: .uninstalling, description: "Deletion in progress (or silently failed)")
            }
            events(.releaseRecorded(revision: last.version, status: .uninstalling, description: last.info.description))
            let executor = DeployExecutor(client: client, options: options)
            let timeout = options.timeout
            let report: ExecutionReport
            report = try await session.holding(renewEvery: Double(options.leaseDuration) / 3) {
                await executor.execute(plan, timeout: timeout, events: events)
            }
            guard report.succeeded else {
                let reason = report.failures.joined(separator: "; ")
                // In a task of its own: an interrupted (cancelled) dismiss still writes its record.
                let store = self.store, current = last
                let failed = try await uncancelled { () async throws(DeployError) in
                    do throws(ReleasesError) {
                        return try await store.transition(current, to: .failed, description: "Uninstallation failed: \(reason)")
                    } catch {
                        throw .release(error.description)
                    }
                }
                events(.releaseRecorded(revision: failed.version, status: .failed, description: failed.info.description))
                if report.interrupted { throw .interrupted }
                if report.timedOut { throw .timeout(reason) }
                throw .failed(report.failures)
            }
            if keepHistory {
                last.info.deleted = GoTime.now()
                let done = try await write { () async throws(ReleasesError) in
                    try await store.transition(last, to: .uninstalled, description: "Uninstallation complete")
                }
                events(.releaseRecorded(revision: done.version, status: .uninstalled, description: done.info.description))
            } else {
                for revision in session.start.history {
                    _ = try await write { () async throws(ReleasesError) in try await store.delete(options.releaseName, version: revision.version) }
                }
                events(.note("release \"\(options.releaseName)\" uninstalled"))
            }
            if withNamespace { try await deleteNamespace(events: events) }
        }
    }

    func deleteNamespace(events: DeployEventSink) async throws(DeployError) {
        let namespace = ResourceMetadata(
            id: ResourceID(kind: "Namespace", name: options.namespace), apiVersion: "v1", version: "v1", source: nil, hook: nil,
            weight: 0, resourcePolicies: [], deletePolicies: [], ownership: .release, sensitive: false, deployDependencies: [],
            externalDependencies: [], tracking: TrackingAnnotations(),
            manifest: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(options.namespace)]])
        let executor = DeployExecutor(client: client, options: options)
        do {
            try await executor.deleteObject(namespace, propagation: .background)
            try await executor.waitForAbsence(namespace)
        } catch {
            throw .cluster("deleting namespace \(options.namespace) failed: \(error)")
        }
        events(.note("deleted namespace \(options.namespace)"))
    }
}
