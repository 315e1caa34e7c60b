import Releases

extension ReleaseDeployer {
    /// `bosun converge --use-plan FILE`: prepares the deploy afresh, refuses it when it differs from
    /// the saved plan (`DeployError.plan(.drift)` listing every change; nothing is written), else runs it.
    public func converge(_ chart: ChartInput, usingPlan planFile: String,
                         events: @escaping DeployEventSink = { _ in }) async throws(DeployError) -> Release {
        let saved = try SavedPlan.load(from: planFile)
        let prepared = try await preparer.prepare(chart: chart)
        try saved.verifyNoDrift(prepared: prepared, planFile: planFile)
        return try await run(prepared, events: events)
    }
}
