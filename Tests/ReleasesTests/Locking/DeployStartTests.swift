import Testing
@testable import Releases

@Suite struct DeployStartTests {
    let api = InMemoryObjects()
    let clock = FakeClock()

    func lock(_ user: String) -> ReleaseLock {
        let clock = self.clock
        return ReleaseLock(api: api, release: "web", namespace: "apps", holder: LockHolder(user: user, host: "h", pid: 1, token: user),
                           clock: { clock.now() })
    }

    @Test func secondConcurrentDeployFailsAtOnce() async throws {
        let store = ReleaseStore(driver: ObjectDriver(.secret, api: api, namespace: "apps"))
        let first = try await store.beginDeploy("web", lock: lock("alice"), now: clock.now())
        #expect(first.nextVersion == 1 && first.history.isEmpty)
        var pending = sampleRelease(version: first.nextVersion, status: .pendingInstall, at: clock.now())
        try await store.create(pending)

        let error = await #expect(throws: ReleasesError.self) { try await store.beginDeploy("web", lock: lock("bob"), now: clock.now()) }
        #expect(error?.kind == .locked && error?.message.contains("locked by alice@h (pid 1)") == true)

        pending = try await store.markDeployed(pending, description: "Install complete")
        try await first.lock.unlock()
        let second = try await store.beginDeploy("web", lock: lock("bob"), now: clock.now())
        #expect(second.nextVersion == 2 && second.deployed?.version == 1 && second.recovered == nil)
    }

    @Test func killedDeployIsRecoveredByTheNext() async throws {
        let store = ReleaseStore(driver: ObjectDriver(.secret, api: api, namespace: "apps"))
        let first = try await store.beginDeploy("web", lock: lock("alice"), now: clock.now())
        try await store.create(sampleRelease(version: first.nextVersion, status: .pendingInstall, at: clock.now()))
        // alice is killed: no unlock, no renewals.
        clock.advance(20)
        let next = try await store.beginDeploy("web", lock: lock("bob"), now: clock.now())
        #expect(next.recovered?.version == 1 && next.last?.status == .failed && next.nextVersion == 2)
        #expect(next.last?.info.description.hasPrefix("Recovered from interrupted pending-install: its holder alice@h (pid 1)") == true)
    }

    @Test func recentPendingWithoutHolderReleasesTheLock() async throws {
        let store = ReleaseStore(driver: ObjectDriver(.secret, api: api, namespace: "apps"))
        // A pending revision with no Bosun lock: helm may be running it.
        try await store.create(sampleRelease(version: 1, status: .pendingUpgrade, at: clock.now()))
        await #expect(throws: ReleasesError.self) { try await store.beginDeploy("web", lock: lock("bob"), now: clock.now()) }
        #expect(try await lock("bob").read()?.holder == nil)
    }
}
