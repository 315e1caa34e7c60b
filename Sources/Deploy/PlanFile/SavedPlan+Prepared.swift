import Foundation

extension SavedPlan {
    /// The plan file for a prepared deploy.
    public init(prepared: PreparedRelease, createdAt: Date = Date()) {
        let manifests = (prepared.manifests.crds + prepared.manifests.hooks + prepared.manifests.resources).map(\.manifest)
        self.init(
            release: prepared.releaseName, namespace: prepared.namespace,
            basedOnRevision: prepared.lastRelease?.version,
            manifestsDigest: Self.digest(of: manifests),
            resources: prepared.plannedChanges.map { change in
                Resource(apiVersion: change.apiVersion, kind: change.resource.kind, namespace: change.resource.namespace,
                         name: change.resource.name, action: change.action,
                         liveResourceVersion: prepared.resourceVersions[change.resource],
                         liveDigest: change.live.flatMap(Self.liveDigest(of:)))
            },
            operations: prepared.plan.work.map(\.id), createdAt: createdAt)
    }

    /// `converge --use-plan FILE`: refuses (`DeployError.plan(.drift)`, listing every change) when
    /// the deploy prepared now differs from this saved plan: a live object changed, appeared or
    /// vanished, another revision was deployed, or the chart, values or flags render differently.
    public func verifyNoDrift(prepared: PreparedRelease, planFile: String) throws(DeployError) {
        try verifyNoDrift(current: SavedPlan(prepared: prepared), planFile: planFile)
    }
}
