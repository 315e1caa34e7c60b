import Testing
@testable import Releases

@Suite struct ReleaseTransitionsTests {
    @Test func helmsStatusMoves() {
        #expect(ReleaseStatus.pendingInstall.canTransition(to: .deployed))
        #expect(ReleaseStatus.pendingUpgrade.canTransition(to: .failed))
        #expect(!ReleaseStatus.pendingRollback.canTransition(to: .superseded))
        #expect(ReleaseStatus.deployed.canTransition(to: .superseded))
        #expect(ReleaseStatus.failed.canTransition(to: .superseded))
        #expect(ReleaseStatus.uninstalling.canTransition(to: .uninstalled))
        #expect(!ReleaseStatus.superseded.canTransition(to: .deployed))
        #expect(!ReleaseStatus.uninstalled.canTransition(to: .deployed))
        #expect(ReleaseStatus.allCases.filter(\.isPending) == [.pendingInstall, .pendingUpgrade, .pendingRollback])
    }

    @Test func rollbackCopiesTheTarget() async throws {
        let store = ReleaseStore(driver: MemoryDriver(namespace: "apps"), maxHistory: 0)
        var v1 = sampleRelease(version: 1, status: .superseded)
        v1.info.notes = "notes of one"
        try await store.create(v1)
        try await store.create(sampleRelease(version: 2, status: .deployed))
        let now = GoTime(rfc3339: "2026-02-01T00:00:00Z")!
        let rollback = Release.rollback(to: try await store.get("web", version: 1), from: try await store.last("web"), now: now)
        #expect(rollback.version == 3 && rollback.status == .pendingRollback)
        #expect(rollback.info.description == "Rollback to 1" && rollback.info.notes == "notes of one")
        #expect(rollback.config == v1.config && rollback.manifest == v1.manifest && rollback.chart == v1.chart)
        #expect(rollback.info.firstDeployed == v1.info.firstDeployed && rollback.info.lastDeployed == now)
        try await store.create(rollback)
        let done = try await store.markDeployed(rollback, description: "Rollback to 1")
        #expect(try await store.history("web").map(\.status) == [.superseded, .superseded, .deployed])
        #expect(try await store.deployed("web") == done)
        let bad = await #expect(throws: ReleasesError.self) {
            try await store.transition(try await store.get("web", version: 1), to: .deployed, description: "x")
        }
        #expect(bad?.message == "release \"web\" revision 1: cannot go from superseded to deployed")
    }
}
