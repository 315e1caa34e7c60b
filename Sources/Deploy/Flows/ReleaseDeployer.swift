import Kube
import Releases
import Structured

/// The deploy flows over a cluster and a release store: converge, rollback and dismiss. Each one
/// prepares (read-only), takes the release lock, writes a pending revision, executes the plan and
/// records the outcome exactly as Helm does, so helm 3 and 4 can take the release over afterwards.
public struct ReleaseDeployer: Sendable {
    public let client: any KubeClient
    public let store: ReleaseStore
    public let options: DeployOptions

    public init(client: any KubeClient, store: ReleaseStore, options: DeployOptions) {
        self.client = client
        var store = store
        store.maxHistory = options.maxHistory
        self.store = store
        self.options = options
    }

    public var preparer: DeployPreparer { DeployPreparer(client: client, store: store, options: options) }

    /// `bosun converge`: install or upgrade the release from a chart.
    @discardableResult
    public func converge(_ chart: ChartInput, events: @escaping DeployEventSink = { _ in }) async throws(DeployError) -> Release {
        let prepared = try await preparer.prepare(chart: chart)
        return try await run(prepared, events: events)
    }

    /// Execute a prepared install or upgrade (after `bosun plan`'s drift check for a saved plan).
    @discardableResult
    public func run(_ prepared: PreparedRelease, events: @escaping DeployEventSink = { _ in }) async throws(DeployError) -> Release {
        try await ensureNamespace(prepared, events: events)
        let session = try await lock(expecting: prepared)
        let install = prepared.action == .install
        let now = GoTime.now()
        let record = Release(
            name: prepared.releaseName, namespace: prepared.namespace, version: session.start.nextVersion,
            info: ReleaseInfo(firstDeployed: session.start.history.first?.info.firstDeployed ?? now, lastDeployed: now,
                              description: install ? "Initial install underway" : "Preparing upgrade",
                              status: install ? .pendingInstall : .pendingUpgrade, notes: prepared.desired.notes),
            chart: prepared.desired.chart, config: prepared.desired.config, manifest: prepared.desired.manifestText,
            hooks: prepared.desired.hooks, applyMethod: "ssa")
        return try await session.finish { () async throws(DeployError) in
            try await self.deploy(prepared, record: record, session: session,
                                  success: install ? "Install complete" : "Upgrade complete",
                                  failure: { install ? "Release \"\(record.name)\" failed: \($0)" : "Upgrade \"\(record.name)\" failed: \($0)" },
                                  events: events)
        }
    }

    /// `bosun rollback NAME [REVISION]`: re-apply a revision's manifests (default: the one before the
    /// last) with pre/post-rollback hooks, as a new revision.
    @discardableResult
    public func rollback(to revision: Int? = nil, events: @escaping DeployEventSink = { _ in }) async throws(DeployError) -> Release {
        let history = try await preparer.readHistory()
        guard let last = history.last else { throw .release("release: not found: \(options.releaseName)") }
        let wanted = revision ?? (last.version - 1)
        guard let target = history.first(where: { $0.version == wanted }) else {
            throw .release("release \"\(options.releaseName)\": revision \(wanted) not found")
        }
        let prepared = try await preparer.prepare(try DesiredManifests(release: target), action: .rollback, history: history)
        try await ensureNamespace(prepared, events: events)
        let session = try await lock(expecting: prepared)
        let record = Release.rollback(to: target, from: session.start.last ?? last, now: GoTime.now(), applyMethod: "ssa")
        return try await session.finish { () async throws(DeployError) in
            try await self.deploy(prepared, record: record, session: session, success: "Rollback to \(target.version)",
                                  failure: { "Rollback \"\(record.name)\" failed: \($0)" }, events: events)
        }
    }

    /// Writes the pending revision, runs the plan under the lock, records the outcome; on failure
    /// deletes what this run created and (with `autoRollback`) re-applies the last deployed revision.
    func deploy(_ prepared: PreparedRelease, record: Release, session: LockSession, success: String,
                failure: (String) -> String, events: @escaping DeployEventSink) async throws(DeployError) -> Release {
        var record = record
        try await write { () async throws(ReleasesError) in try await store.create(record) }
        events(.releaseRecorded(revision: record.version, status: record.status, description: record.info.description))

        let executor = DeployExecutor(client: client, options: options)
        let plan = prepared.plan
        let timeout = options.timeout
        let report: ExecutionReport
        report = try await session.holding(renewEvery: Double(options.leaseDuration) / 3) {
            await executor.execute(plan, timeout: timeout, events: events)
        }
        record.hooks = Self.hooks(record.hooks, runs: report.hookRuns)

        if report.succeeded {
            if prepared.action == .rollback, let last = session.start.last, last.status == .failed {
                _ = try? await store.transition(last, to: .superseded, description: last.info.description)
            }
            let done = try await write { () async throws(ReleasesError) in try await store.markDeployed(record, description: success) }
            events(.releaseRecorded(revision: done.version, status: .deployed, description: success))
            return done
        }

        if report.interrupted {
            // Stop now: no cleanup, no rollback; the next converge takes over from the failed record.
            let description = failure("interrupted"), pending = record, store = self.store
            let failedRecord = try await uncancelled { () async throws(DeployError) in
                do throws(ReleasesError) { return try await store.transition(pending, to: .failed, description: description) } catch {
                    throw .release(error.description)
                }
            }
            events(.releaseRecorded(revision: failedRecord.version, status: .failed, description: failedRecord.info.description))
            throw .interrupted
        }
        let reason = report.failures.joined(separator: "; ")
        if !options.keepCreatedOnFailure, !report.created.isEmpty {
            events(.note("deleting \(report.created.count) resource(s) created by the failed deploy"))
            await deleteCreated(report.created, plan: plan)
        }
        let failedRecord = try await write { () async throws(ReleasesError) in try await store.transition(record, to: .failed, description: failure(reason)) }
        events(.releaseRecorded(revision: failedRecord.version, status: .failed, description: failedRecord.info.description))

        if options.autoRollback, prepared.action != .rollback, let deployed = session.start.deployed {
            events(.note("rolling back to revision \(deployed.version)"))
            do {
                let history = try await preparer.readHistory()
                let back = try await preparer.prepare(try DesiredManifests(release: deployed), action: .rollback, history: history)
                let rollbackRecord = Release.rollback(to: deployed, from: failedRecord, now: GoTime.now(), applyMethod: "ssa")
                var next = session
                next.start.history = history
                _ = try await deploy(back, record: rollbackRecord, session: next, success: "Rollback to \(deployed.version)",
                                     failure: { "Rollback \"\(record.name)\" failed: \($0)" }, events: events)
            } catch {
                events(.note("auto-rollback failed: \(error)"))
            }
        }
        if report.timedOut { throw .timeout(reason) }
        throw .failed(report.failures)
    }

    /// Deletes objects a failed run created, newest first, and waits for them to go.
    func deleteCreated(_ created: [ResourceID], plan: Plan) async {
        let executor = DeployExecutor(client: client, options: options)
        let resources = created.reversed().compactMap { plan.resources[$0] }
        let limit = options.parallelism
        await executor.withSharedInformers { executor in
            _ = await boundedMap(resources, limit: limit) { resource in
                try? await executor.deleteObject(resource, propagation: .foreground)
                try? await executor.waitForAbsence(resource)
            }
        }
    }

    static func hooks(_ hooks: [ReleaseHook], runs: [ResourceID: HookRun]) -> [ReleaseHook] {
        hooks.map { hook in
            var hook = hook
            if let run = runs.first(where: { $0.key.kind == hook.kind && $0.key.name == hook.name })?.value { hook.lastRun = run }
            return hook
        }
    }

    /// `--create-namespace`: the namespace is created before the lock (the Lease lives in it).
    func ensureNamespace(_ prepared: PreparedRelease, events: DeployEventSink) async throws(DeployError) {
        guard !prepared.namespaceExists, options.createNamespace else { return }
        let namespace: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(prepared.namespace)]]
        do {
            _ = try await client.apply(namespace, options: ApplyOptions(fieldManager: options.fieldManager, force: true))
        } catch {
            throw .cluster("creating namespace \(prepared.namespace) failed: \(error)")
        }
        events(.note("created namespace \(prepared.namespace)"))
    }

    /// Runs `body` in a task of its own, so a cancelled deploy (SIGINT) still writes its record.
    func uncancelled<T: Sendable>(_ body: @escaping @Sendable () async throws(DeployError) -> T) async throws(DeployError) -> T {
        let result = await Task { () async -> Result<T, DeployError> in
            do throws(DeployError) { return .success(try await body()) } catch { return .failure(error) }
        }.value
        return try result.get()
    }

    func write<T>(_ body: () async throws(ReleasesError) -> T) async throws(DeployError) -> T {
        do { return try await body() } catch { throw .release(error.description) }
    }
}
