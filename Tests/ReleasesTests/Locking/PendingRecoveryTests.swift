import Testing
@testable import Releases

@Suite struct PendingRecoveryTests {
    let start = GoTime(rfc3339: "2026-01-02T03:04:05Z")!

    func store(lastStatus: ReleaseStatus) async throws -> ReleaseStore {
        let s = ReleaseStore(driver: MemoryDriver(namespace: "apps"), maxHistory: 0)
        try await s.create(sampleRelease(version: 1, status: .deployed, at: start))
        var pending = sampleRelease(version: 2, status: lastStatus, at: start)
        pending.info.description = "Preparing upgrade"
        try await s.create(pending)
        return s
    }

    @Test func nothingPendingNothingDone() async throws {
        let s = try await store(lastStatus: .failed)
        #expect(try await s.recoverStalePending("web", grace: 60, now: start.adding(seconds: 1000)) == nil)
        #expect(try await s.recoverStalePending("absent", grace: 60, now: start) == nil)
    }

    @Test func youngPendingRevisionStillBlocks() async throws {
        let s = try await store(lastStatus: .pendingUpgrade)
        let error = await #expect(throws: ReleasesError.self) {
            try await s.recoverStalePending("web", grace: 300, now: start.adding(seconds: 60))
        }
        #expect(error?.kind == .locked)
        #expect(error?.message.contains("another operation (install/upgrade/rollback) is in progress") == true)
        #expect(error?.message.contains("revision 2 is pending-upgrade since 2026-01-02T03:04:07Z") == true)
        #expect(try await s.last("web").status == .pendingUpgrade)
    }

    @Test func stalePendingRevisionIsMarkedFailed() async throws {
        let s = try await store(lastStatus: .pendingRollback)
        let recovered = try #require(try await s.recoverStalePending("web", grace: 300, now: start.adding(seconds: 302)))
        #expect(recovered.release.version == 2)
        let stored = try await s.last("web")
        #expect(stored.status == .failed)
        #expect(stored.info.description == "Recovered from interrupted pending-rollback: no process held the lock for 300s")
        #expect(try await s.deployed("web").version == 1)
    }

    @Test func deadBosunHolderIsRecoveredAtOnce() async throws {
        let s = try await store(lastStatus: .pendingInstall)
        let dead = LockHolder(user: "alice", host: "laptop", pid: 12, token: "x")
        let acquired = ReleaseLock.Acquired(expiredHolder: dead, expiredAt: start.adding(seconds: 3))
        let recovered = try await s.recoverStalePending("web", grace: 300, now: start.adding(seconds: 20), acquired: acquired)
        #expect(recovered?.release.info.description
            == "Recovered from interrupted pending-install: its holder alice@laptop (pid 12) stopped renewing the lock at 2026-01-02T03:04:08Z")
    }
}
