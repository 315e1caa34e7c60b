import Charts

extension DeployPlanner {
    /// What to do with one main resource, or nil for nothing (unchanged, skipped by policy, or an error
    /// recorded in `problems`). Ownership follows Helm: an existing object that was not in the previous
    /// release is adopted only if it carries this release's `meta.helm.sh` metadata and Helm's label.
    func decide(_ resource: ResourceMetadata, previousIDs: Set<ResourceID>, live: [ResourceID: LiveObject],
                problems: inout Problems) -> Operation.Kind? {
        let policies = resource.resourcePolicies
        guard let object = live[resource.id] else { return policies.contains(.skipCreate) ? nil : .create }
        if resource.ownership == .release, !options.forceAdoption, !previousIDs.contains(resource.id) {
            let name = options.releaseName, namespace = options.releaseNamespace
            if let owner = object.releaseName, owner != name || object.releaseNamespace != namespace {
                problems.ownership.append("\(resource.id): exists and belongs to release \(object.releaseNamespace ?? "?")/\(owner), not \(namespace)/\(name)")
                return nil
            }
            if object.releaseName == nil || object.releaseNamespace == nil || !object.managedByHelm {
                problems.ownership.append("\(resource.id): exists and cannot be adopted: it needs label app.kubernetes.io/managed-by=Helm and annotations meta.helm.sh/release-name=\(name), meta.helm.sh/release-namespace=\(namespace) (or use --force-adoption)")
                return nil
            }
        }
        let deletePolicies = resource.effectiveDeletePolicies
        if deletePolicies.contains(.beforeCreation) { return policies.contains(.skipRecreate) ? nil : .recreate }
        switch object.change {
        case .unchanged: return nil
        case .changed: return policies.contains(.skipUpdate) ? nil : .update
        case .unknown: return policies.contains(.skipUpdate) ? nil : .apply
        case .immutableConflict:
            if deletePolicies.contains(.beforeCreationIfImmutable) { return policies.contains(.skipRecreate) ? nil : .recreate }
            problems.immutable.append("\(resource.id): an immutable field changed; annotate it werf.io/delete-policy: before-creation-if-immutable to recreate it")
            return nil
        }
    }

    /// Main resources by `werf.io/weight` group, groups in ascending order. Inside a group: applies in
    /// install kind order (each kind after the previous one), then every resource tracked at once when
    /// the whole group is applied; the next group starts when this one is ready.
    /// Deploy dependencies hold a resource (and so its group): its apply waits for the target's apply
    /// (`present`) or readiness (`ready`); such a resource is left out of the kind chain so it cannot
    /// hold resources of later kinds that it does not wait for.
    func addMainResources(_ resources: [ResourceMetadata], previousIDs: Set<ResourceID>, after start: String?,
                          live: [ResourceID: LiveObject], problems: inout Problems,
                          to builder: inout PlanBuilder) throws(DeployError) -> String? {
        let weights = Set(resources.map(\.weight)).sorted()
        let groupOf = Dictionary(resources.map { ($0.id, $0.weight) }, uniquingKeysWith: { a, _ in a })
        var stageEnd = start
        for weight in weights {
            let group = AutoDependency.installOrder(KindOrder.install.sorted(resources.filter { $0.weight == weight }) { $0.id.kind })
            let groupName = "weight \(weight)"
            var decisions: [ResourceID: Operation.Kind] = [:]
            for resource in group {
                if let kind = decide(resource, previousIDs: previousIDs, live: live, problems: &problems) {
                    decisions[resource.id] = kind
                }
            }

            // Applies, chained by kind.
            var applyEnd: [ResourceID: String] = [:]
            var freeApplies: [String] = []
            var previousExits: [String] = stageEnd.map { [$0] } ?? []
            var previousKind: String? = nil
            var index = 0
            while index < group.count {
                let kind = group[index].id.kind
                var bucket: [ResourceMetadata] = []
                while index < group.count, group[index].id.kind == kind { bucket.append(group[index]); index += 1 }
                let working = bucket.filter { decisions[$0.id] != nil }
                guard !working.isEmpty else { continue }
                // Many-to-many kind steps go through one barrier instead of a full set of edges.
                if previousExits.count > 1, working.count > 1, previousExits.count * working.count > 16, let previousKind {
                    previousExits = [builder.add(.barrier, "after \(previousKind) in \(groupName)", after: previousExits)]
                }
                var exits: [String] = []
                for resource in working {
                    var before = previousExits
                    for dependency in resource.externalDependencies {
                        before.append(addExternal(dependency, after: stageEnd, to: &builder))
                    }
                    let subject = resource.id.description
                    var end = builder.add(decisions[resource.id]!, subject, resource: resource, after: before)
                    if resource.isCRD { end = builder.add(.waitEstablished, subject, resource: resource, after: [end]) }
                    applyEnd[resource.id] = end
                    if resource.deployDependencies.isEmpty { exits.append(end); freeApplies.append(end) }
                }
                if !exits.isEmpty { previousExits = exits; previousKind = kind }
            }

            // Deploy dependencies: resolve targets, and remember which targets must be tracked first.
            var presentEdges: [(String, ResourceID)] = []
            var readyEdges: [(String, ResourceID)] = []
            for resource in group where !resource.deployDependencies.isEmpty {
                guard let dependentApply = applyEnd[resource.id] else { continue }
                for dependency in resource.deployDependencies {
                    let key = "werf.io/deploy-dependency-\(dependency.id)"
                    let targets = resources.filter { $0.id != resource.id && dependency.matches($0, dependentNamespace: resource.id.namespace ?? options.releaseNamespace) }
                    if targets.isEmpty {
                        problems.dependencies.append("\(resource.id): annotation \(key) matches no resource of the release")
                    }
                    for target in targets {
                        let targetWeight = groupOf[target.id] ?? 0
                        if targetWeight > weight {
                            problems.dependencies.append("\(resource.id): annotation \(key) targets \(target.id) of weight \(targetWeight), deployed after this resource's weight \(weight)")
                            continue
                        }
                        // Earlier groups are done before this one starts; unchanged targets are in place.
                        guard targetWeight == weight, applyEnd[target.id] != nil else { continue }
                        switch dependency.state {
                        case .present: presentEdges.append((dependentApply, target.id))
                        case .ready: readyEdges.append((dependentApply, target.id))
                        }
                    }
                }
            }
            for (dependent, target) in presentEdges { builder.depend(dependent, on: [applyEnd[target]!]) }

            // Tracking, once every free resource of the group is applied.
            let mustTrack = Set(readyEdges.map(\.1))
            let applied = barrier("apply \(groupName)", after: freeApplies, previous: stageEnd, to: &builder)
            var track: [ResourceID: String] = [:]
            var ends: [String] = []
            for resource in group {
                let end = applyEnd[resource.id]
                guard end != nil || options.trackUnchanged else { continue }
                if resource.tracking.trackTerminationMode == .nonBlocking, !mustTrack.contains(resource.id) {
                    if let end { ends.append(end) }
                    continue
                }
                let before: [String]
                if let end, !resource.deployDependencies.isEmpty { before = [end] }
                else { before = applied.map { [$0] } ?? [] }
                let subject = resource.id.description
                var last = builder.add(.track, subject, resource: resource, after: before,
                                       deleteOnFailure: resource.effectiveDeletePolicies.contains(.failed))
                track[resource.id] = last
                if end != nil, resource.effectiveDeletePolicies.contains(.succeeded) {
                    let delete = builder.add(.delete, subject, note: "succeeded", resource: resource, after: [last])
                    last = builder.add(.trackAbsence, subject, note: "succeeded", resource: resource, after: [delete])
                }
                ends.append(last)
            }
            for (dependent, target) in readyEdges { builder.depend(dependent, on: [track[target]!]) }
            stageEnd = barrier(groupName, after: ends, previous: stageEnd, to: &builder)
        }
        return stageEnd
    }
}
