import Charts

/// Builds the operation DAG of a deploy from desired manifests, the previous release and live facts.
/// A pure function: no cluster I/O, so every ordering rule is testable as data.
///
/// Converge stages (spec/deploy.md): CRDs -> pre hooks one at a time -> main resources by weight group
/// (applied in Helm's install kind order, then tracked together) -> removed resources deleted in
/// uninstall order -> post hooks.
public struct DeployPlanner: Sendable {
    public enum Action: String, Sendable, Hashable {
        case install, upgrade, rollback

        var preEvent: HookInfo.Event {
            switch self { case .install: .preInstall; case .upgrade: .preUpgrade; case .rollback: .preRollback }
        }
        var postEvent: HookInfo.Event {
            switch self { case .install: .postInstall; case .upgrade: .postUpgrade; case .rollback: .postRollback }
        }
    }

    public struct Options: Sendable, Hashable {
        public var releaseName: String
        public var releaseNamespace: String
        /// Adopt existing objects whatever their ownership metadata (`--force-adoption`).
        public var forceAdoption: Bool
        /// Apply `crds/` CRDs (`--no-install-crds` turns it off).
        public var installCRDs: Bool
        /// Track unchanged resources too (after a failed revision their readiness is unknown).
        public var trackUnchanged: Bool

        public init(releaseName: String, releaseNamespace: String, forceAdoption: Bool = false,
                    installCRDs: Bool = true, trackUnchanged: Bool = false) {
            self.releaseName = releaseName
            self.releaseNamespace = releaseNamespace
            self.forceAdoption = forceAdoption
            self.installCRDs = installCRDs
            self.trackUnchanged = trackUnchanged
        }
    }

    public var options: Options

    public init(options: Options) { self.options = options }

    // MARK: converge / rollback

    /// Plans an install, upgrade or rollback.
    /// - Parameters:
    ///   - desired: the validated manifests to deploy (for a rollback, the target revision's).
    ///   - previous: main resources of the release's last revision (deleted if they left the chart).
    ///   - live: facts about objects that exist; a missing entry means the object does not exist.
    public func plan(_ action: Action, desired: ManifestSet, previous: [ResourceMetadata] = [],
                     live: [ResourceID: LiveObject] = [:]) throws(DeployError) -> Plan {
        var builder = PlanBuilder()
        var problems = Problems()
        let previousIDs = Set(previous.map(\.id))

        var stageEnd: String? = nil
        if options.installCRDs { stageEnd = addCRDs(desired.crds, live: live, to: &builder) }
        stageEnd = addHooks(desired.hooks, event: action.preEvent, stage: "pre-hooks", after: stageEnd, live: live, to: &builder)
        stageEnd = try addMainResources(desired.resources, previousIDs: previousIDs, after: stageEnd, live: live,
                                        problems: &problems, to: &builder)
        let desiredIDs = Set(desired.resources.map(\.id))
        let removed = previous.filter { !desiredIDs.contains($0.id) }
        stageEnd = addDeletions(removed, stage: "cleanup", after: stageEnd, live: live, to: &builder)
        _ = addHooks(desired.hooks, event: action.postEvent, stage: "post-hooks", after: stageEnd, live: live, to: &builder)
        try problems.throwIfAny()
        return try builder.build()
    }

    // MARK: dismiss

    /// Plans an uninstall: pre-delete hooks, deletion of the release's resources in uninstall order
    /// (kept ones left), waiting for their absence, then post-delete hooks. CRDs are never deleted.
    public func planDismiss(resources: [ResourceMetadata], hooks: [ResourceMetadata],
                            live: [ResourceID: LiveObject] = [:]) throws(DeployError) -> Plan {
        var builder = PlanBuilder()
        var stageEnd = addHooks(hooks, event: .preDelete, stage: "pre-delete-hooks", after: nil, live: live, to: &builder)
        stageEnd = addDeletions(resources, stage: "delete",
                                after: stageEnd, live: live, to: &builder)
        _ = addHooks(hooks, event: .postDelete, stage: "post-delete-hooks", after: stageEnd, live: live, to: &builder)
        return try builder.build()
    }

    // MARK: stages

    /// CRDs in parallel, each applied then awaited until established. Unchanged CRDs need nothing.
    private func addCRDs(_ crds: [ResourceMetadata], live: [ResourceID: LiveObject], to builder: inout PlanBuilder) -> String? {
        var ends: [String] = []
        for crd in crds {
            if let object = live[crd.id], object.change == .unchanged { continue }
            let apply = builder.add(.createCRD, crd.id.description, resource: crd)
            ends.append(builder.add(.waitEstablished, crd.id.description, resource: crd, after: [apply]))
        }
        return barrier("crds", after: ends, previous: nil, to: &builder)
    }

    /// Hooks for `event`, one at a time by weight then name: apply -> track -> [delete on success].
    /// External dependencies are awaited before the apply. Old instances (before-hook-creation) are
    /// deleted all at once when the stage starts, each apply waiting for its own one's absence, and
    /// hook-succeeded deletions do not hold the next hook: only the stage's end waits for them.
    private func addHooks(_ hooks: [ResourceMetadata], event: HookInfo.Event, stage: String, after start: String?,
                          live: [ResourceID: LiveObject], to builder: inout PlanBuilder) -> String? {
        let selected = hooks.filter { $0.hook?.events.contains(event) == true }
            .sorted { ($0.weight, $0.id.name, $0.id.kind) < ($1.weight, $1.id.name, $1.id.kind) }
        var previous = start
        var sideEnds: [String] = []
        // A hook may run in several stages (pre-install,post-install): ids name the event.
        let stageEvent = event.rawValue
        for hook in selected {
            let subject = hook.id.description
            let policies = hook.hook?.effectiveDeletePolicies ?? []
            var before = previous.map { [$0] } ?? []
            for dependency in hook.externalDependencies {
                before.append(addExternal(dependency, after: previous, to: &builder))
            }
            let recreate = policies.contains(.beforeHookCreation) || hook.deletePolicies.contains(.beforeCreation)
            if recreate, live[hook.id] != nil {
                let delete = builder.add(.deleteHook, subject, note: "\(stageEvent), before-hook-creation", resource: hook,
                                         after: start.map { [$0] } ?? [])
                before.append(builder.add(.trackAbsence, subject, note: "\(stageEvent), before-hook-creation", resource: hook, after: [delete]))
            }
            let apply = builder.add(.applyHook, subject, note: stageEvent, resource: hook, after: before)
            let deleteOnFailure = policies.contains(.hookFailed) || hook.deletePolicies.contains(.failed)
            let track = builder.add(.trackHook, subject, note: stageEvent, resource: hook, after: [apply], deleteOnFailure: deleteOnFailure)
            if policies.contains(.hookSucceeded) || hook.deletePolicies.contains(.succeeded) {
                sideEnds.append(builder.add(.deleteHook, subject, note: "\(stageEvent), hook-succeeded", resource: hook, after: [track]))
            }
            previous = track
        }
        guard !selected.isEmpty, let previous else { return start }
        return barrier(stage, after: [previous] + sideEnds, previous: start, to: &builder)
    }

    /// Deletes `resources` in Helm's uninstall kind order (each kind after the previous one was deleted),
    /// each followed by waiting for its absence. Kept, shared, absent and foreign objects are left alone.
    private func addDeletions(_ resources: [ResourceMetadata], stage: String, after start: String?,
                              live: [ResourceID: LiveObject], to builder: inout PlanBuilder) -> String? {
        let deletable = resources.filter { resource in
            guard let object = live[resource.id] else { return false }
            if resource.isKept || object.keep || resource.ownership == .anyone { return false }
            // Owned by another release (or adopted away): not ours to delete.
            if let name = object.releaseName, name != options.releaseName || object.releaseNamespace != options.releaseNamespace {
                return false
            }
            return true
        }
        let ordered = KindOrder.uninstall.sorted(deletable) { $0.id.kind }
        var ends: [String] = []
        var previousKind: [String] = start.map { [$0] } ?? []
        var currentKind: [String] = []
        var kind: String? = nil
        for resource in ordered {
            if resource.id.kind != kind, kind != nil {
                previousKind = currentKind
                currentKind = []
            }
            kind = resource.id.kind
            let delete = builder.add(.delete, resource.id.description, resource: resource, after: previousKind)
            currentKind.append(delete)
            ends.append(builder.add(.trackAbsence, resource.id.description, resource: resource, after: [delete]))
        }
        guard !ends.isEmpty else { return start }
        return barrier(stage, after: ends, previous: start, to: &builder)
    }

    /// The waiting step for an external dependency; shared by every resource that names the same object.
    func addExternal(_ dependency: ExternalDependency, after start: String?, to builder: inout PlanBuilder) -> String {
        var resolved = dependency
        resolved.id = ""
        if resolved.namespace == nil { resolved.namespace = options.releaseNamespace }
        return builder.add(.waitExternalDependency, resolved.description, external: resolved, after: start.map { [$0] } ?? [])
    }

    /// A barrier closing a stage; with nothing in the stage, the previous barrier stands for it.
    func barrier(_ name: String, after ends: [String], previous: String?, to builder: inout PlanBuilder) -> String? {
        guard !ends.isEmpty else { return previous }
        return builder.add(.barrier, "after \(name)", after: ends)
    }
}

/// Problems found while planning, thrown together by category.
struct Problems {
    var ownership: [String] = []
    var immutable: [String] = []
    var dependencies: [String] = []

    func throwIfAny() throws(DeployError) {
        if !ownership.isEmpty { throw .ownershipConflicts(ownership) }
        if !immutable.isEmpty { throw .immutableFieldConflicts(immutable) }
        if !dependencies.isEmpty { throw .invalidDependencies(dependencies) }
    }
}
