/// Comparing a saved plan with the same plan made again now, just before `converge --use-plan` applies.
extension SavedPlan {
    /// Every difference that makes the saved plan stale, one line each (empty: safe to apply).
    /// Release identity is checked by `verifyNoDrift`, not reported here.
    public func drift(comparedTo current: SavedPlan) -> [String] {
        var changes: [String] = []
        if basedOnRevision != current.basedOnRevision {
            changes.append("release \(release): revision \(current.basedOnRevision.map(String.init) ?? "none") is now the latest, "
                + "the plan was made on \(basedOnRevision.map(String.init) ?? "no release")")
        }
        if manifestsDigest != current.manifestsDigest {
            changes.append("rendered manifests differ from the plan's (the chart, values or flags changed)")
        }
        let now = Dictionary(current.resources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let then = Dictionary(resources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for planned in resources {
            guard let present = now[planned.id] else {
                changes.append("\(planned.id): no longer part of the plan")
                continue
            }
            var moved = false
            switch (planned.liveResourceVersion, present.liveResourceVersion) {
            case (nil, nil): break
            case (nil, .some):
                moved = true
                changes.append("\(planned.id): created in the cluster since the plan")
            case (.some, nil):
                moved = true
                changes.append("\(planned.id): deleted from the cluster since the plan")
            case (.some(let old), .some(let new)):
                // Content when both sides have a digest (status updates do not count), else the version.
                let changed = planned.liveDigest != nil && present.liveDigest != nil
                    ? planned.liveDigest != present.liveDigest : old != new
                if changed {
                    moved = true
                    changes.append("\(planned.id): changed in the cluster since the plan (resourceVersion \(old) -> \(new))")
                }
            }
            if !moved, planned.action != present.action {
                changes.append("\(planned.id): planned to \(planned.action.rawValue), would now \(present.action.rawValue)")
            }
        }
        for resource in current.resources where then[resource.id] == nil {
            changes.append("\(resource.id): not in the plan, would now \(resource.action.rawValue)")
        }
        if changes.isEmpty, operations != current.operations {
            let added = current.operations.filter { !operations.contains($0) }
            let removed = operations.filter { !current.operations.contains($0) }
            changes.append("planned operations differ"
                + (added.isEmpty ? "" : "; now also: " + added.joined(separator: ", "))
                + (removed.isEmpty ? "" : "; no longer: " + removed.joined(separator: ", ")))
        }
        return changes
    }

    /// Throws `DeployError.plan(.drift)` listing every change when `current` (the plan made again
    /// from the cluster and the chart right now) differs from this saved plan; also refuses a plan
    /// made for another release.
    public func verifyNoDrift(current: SavedPlan, planFile: String) throws(DeployError) {
        guard release == current.release, namespace == current.namespace else {
            throw DeployError.plan(.planFile("plan file \(planFile) is for release \(release) in namespace \(namespace), "
                + "not \(current.release) in \(current.namespace)"))
        }
        let changes = drift(comparedTo: current)
        if !changes.isEmpty { throw DeployError.plan(.drift(planFile: planFile, changes: changes)) }
    }
}
