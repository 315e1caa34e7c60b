import SimClusterSupport
import Testing
@testable import Releases

@Suite struct ReleaseLockTests {
    let api = InMemoryObjects()
    let clock = FakeClock()
    let alice = LockHolder(user: "alice", host: "laptop", pid: 4242, token: "aaaa")
    let bob = LockHolder(user: "bob", host: "ci-runner", pid: 7, token: "bbbb")

    func lock(_ holder: LockHolder) -> ReleaseLock {
        let clock = self.clock
        return ReleaseLock(api: api, release: "web", namespace: "apps", holder: holder, leaseDuration: 15, clock: { clock.now() })
    }

    @Test func secondDeployFailsAtOnceNamingTheHolder() async throws {
        let first = lock(alice)
        #expect(try await first.acquire() == .init())
        clock.advance(4)
        let error = await #expect(throws: ReleasesError.self) { try await lock(bob).acquire() }
        #expect(error?.kind == .locked)
        #expect(error?.message == "release \"web\" in namespace \"apps\" is locked by alice@laptop (pid 4242) since "
            + "2026-01-02T03:04:05.123456Z (renewed 4s ago): another bosun deploy is in progress; wait for it to finish")
        let lease = try await api.get(.lease, namespace: "apps", name: "bosun-lock.web")
        #expect(lease[path: "spec", "holderIdentity"] == "alice@laptop pid 4242 (aaaa)")
        #expect(lease[path: "metadata", "annotations", "bosun.io/holder-pid"] == "4242")
    }

    @Test func renewingKeepsTheLock() async throws {
        let first = lock(alice)
        _ = try await first.acquire()
        for _ in 0..<5 {
            clock.advance(10)
            try await first.renew()
        }
        await #expect(throws: ReleasesError.self) { try await lock(bob).acquire() }
        let state = try #require(try await first.read())
        #expect(state.acquireTime?.microTime == "2026-01-02T03:04:05.123456Z")
        #expect(state.renewTime?.microTime == "2026-01-02T03:04:55.123456Z")
    }

    @Test func releasedLockIsFreeAtOnce() async throws {
        let first = lock(alice)
        _ = try await first.acquire()
        try await first.unlock()
        #expect(try await lock(bob).acquire() == .init())
    }

    @Test func expiredHolderIsTakenOver() async throws {
        _ = try await lock(alice).acquire()
        clock.advance(16)
        let taken = try await lock(bob).acquire()
        #expect(taken.expiredHolder == LockHolder(user: "alice", host: "laptop", pid: 4242, token: "aaaa"))
        #expect(taken.expiredAt?.microTime == "2026-01-02T03:04:05.123456Z")
        let state = try #require(try await lock(bob).read())
        #expect(state.holder == bob && state.transitions == 1)
    }

    @Test func holderThatLostTheLockCannotRenew() async throws {
        let first = lock(alice)
        _ = try await first.acquire()
        clock.advance(30)
        _ = try await lock(bob).acquire()
        let error = await #expect(throws: ReleasesError.self) { try await first.renew() }
        #expect(error?.message.contains("now held by bob@ci-runner (pid 7)") == true)
        // Giving back a lock you no longer hold leaves the new holder alone.
        try await first.unlock()
        #expect(try await lock(bob).read()?.holder == bob)
    }

    @Test func racingAcquirersOnlyOneWins() async throws {
        let holders = (0..<8).map { LockHolder(user: "u\($0)", host: "h", pid: $0, token: "t\($0)") }
        let results = await withTaskGroup(of: Bool.self) { group in
            for h in holders { group.addTask { (try? await lock(h).acquire()) != nil } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
    }

    @Test func holdRenewsWhileTheBodyRuns() async throws {
        let first = lock(alice)
        _ = try await first.acquire()
        let before = try await first.read()?.resourceVersion
        // The body ends once a renewal has been seen (or after 10 s, which fails the test).
        let renewed = try await first.hold(renewEvery: 0.02) {
            for _ in 0..<1000 {
                if try await first.read()?.resourceVersion != before { return true }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            return false
        }
        #expect(renewed)
    }

    @Test func holdReportsALockLostMidway() async throws {
        let first = lock(alice)
        _ = try await first.acquire()
        let clock = self.clock
        let thief = lock(bob)
        let error = await #expect(throws: ReleasesError.self) {
            try await first.hold(renewEvery: 0.02) {
                // Our renewals stop counting: the lease expires and bob takes the release over.
                clock.advance(30)
                _ = try await thief.acquire()
                for _ in 0..<1000 where await !first.isLost { try await Task.sleep(nanoseconds: 10_000_000) }
                return 1
            }
        }
        #expect(error?.kind == .locked && error?.message.contains("now held by bob@ci-runner (pid 7)") == true)
        #expect(try await thief.read()?.holder == bob)
    }

    // A renewal whose response is lost (cancelled or timed out after the server wrote it) must not
    // leave our own Lease behind: the next deploy would find it "locked ... renewed 0s ago".

    @Test func unlockGivesBackALeaseWhoseLastRenewalResponseWasLost() async throws {
        let faults = LeaseFaults(api)
        let first = ReleaseLock(api: faults, release: "web", namespace: "apps", holder: alice, clock: { [clock] in clock.now() })
        _ = try await first.acquire()
        faults.arm(.responseLost)
        await #expect(throws: ReleasesError.self) { try await first.renew() }
        try await first.unlock()
        #expect(try await first.read()?.holder == nil)
        #expect(try await lock(bob).acquire() == .init())
    }

    @Test func renewalAfterALostResponseStillRenews() async throws {
        let faults = LeaseFaults(api)
        let first = ReleaseLock(api: faults, release: "web", namespace: "apps", holder: alice, clock: { [clock] in clock.now() })
        _ = try await first.acquire()
        faults.arm(.responseLost)
        await #expect(throws: ReleasesError.self) { try await first.renew() }
        clock.advance(5)
        try await first.renew()
        #expect(try await first.read()?.renewTime?.microTime == "2026-01-02T03:04:10.123456Z")
    }

    @Test func renewalCancelledWhenTheBodyEndsIsNotALossAndUnlockStillFrees() async throws {
        let faults = LeaseFaults(api)
        let first = ReleaseLock(api: faults, release: "web", namespace: "apps", holder: alice, clock: { [clock] in clock.now() })
        _ = try await first.acquire()
        faults.arm(.landsAfterCancel)
        // The body ends while a renewal is on the wire; it lands on the server after being cancelled.
        let value = try await first.hold(renewEvery: 0.01) {
            try await faults.waitUntilInFlight()
            return 7
        }
        #expect(value == 7)
        #expect(faults.landedAfterCancel)
        try await first.unlock()
        #expect(try await first.read()?.holder == nil)
        #expect(try await lock(bob).acquire() == .init())
    }

    @Test func aRenewalArrivingAfterUnlockDoesNotLockAgain() async throws {
        let faults = LeaseFaults(api)
        let first = ReleaseLock(api: faults, release: "web", namespace: "apps", holder: alice, clock: { [clock] in clock.now() })
        _ = try await first.acquire()
        faults.arm(.heldBack)
        await #expect(throws: ReleasesError.self) { try await first.renew() }
        try await first.unlock()
        #expect(await faults.deliverHeldBack() == .failure(.conflict))
        #expect(try await first.read()?.holder == nil)
        #expect(try await lock(bob).acquire() == .init())
    }

    @Test func unlockNeverClearsAnotherHoldersLease() async throws {
        let faults = LeaseFaults(api)
        let first = ReleaseLock(api: faults, release: "web", namespace: "apps", holder: alice, clock: { [clock] in clock.now() })
        _ = try await first.acquire()
        faults.arm(.responseLost)
        await #expect(throws: ReleasesError.self) { try await first.renew() }
        clock.advance(30)
        _ = try await lock(bob).acquire()
        try await first.unlock()
        let state = try #require(try await first.read())
        #expect(state.holder == bob && state.transitions == 1)
    }

    @Test func lockIsFreeForTheNextDeployAfterALostRenewalOnKubeSim() async throws {
        try await SimCluster.with { sim in
            let faults = LeaseFaults(sim.objects)
            let first = ReleaseLock(api: faults, release: "web", namespace: "default", holder: alice, leaseDuration: 15)
            _ = try await first.acquire()
            // As the Deploy module's LockSession does: the renewal task is cancelled when the deploy
            // ends and awaited before unlocking; its PUT was already on the wire and lands anyway.
            faults.arm(.landsAfterCancel)
            let renewal = Task { try await first.renew() }
            try await faults.waitUntilInFlight()
            renewal.cancel()
            _ = await renewal.result
            #expect(faults.landedAfterCancel)
            try await first.unlock()
            let second = ReleaseLock(api: sim.objects, release: "web", namespace: "default", holder: bob, leaseDuration: 15)
            #expect(try await second.acquire() == .init())
            #expect(try await second.read()?.holder == bob)
        }
    }

    @Test func anAcquireWhoseResponseWasLostButLandedHoldsTheLock() async throws {
        let earlier = lock(bob)
        _ = try await earlier.acquire()
        try await earlier.unlock()
        let faults = LeaseFaults(api)
        let first = ReleaseLock(api: faults, release: "web", namespace: "apps", holder: alice, clock: { [clock] in clock.now() })
        faults.arm(.responseLost)
        #expect(try await first.acquire() == .init())
        #expect(try await first.read()?.holder == alice)
        try await first.unlock()
        #expect(try await lock(bob).acquire() == .init())
    }

    @Test func anIdentityThatDoesNotParseBackIsStillOurs() async throws {
        let odd = lock(LockHolder(user: "jane doe", host: "laptop", pid: 1, token: "cccc"))
        _ = try await odd.acquire()
        clock.advance(5)
        try await odd.renew()
        try await odd.unlock()
        #expect(try await lock(bob).acquire() == .init())
    }

    @Test func identityRoundTrips() {
        #expect(LockHolder(identity: alice.identity) == alice)
        #expect(LockHolder(identity: "") == nil)
        #expect(LockHolder(identity: "something-else")?.host == "something-else")
    }
}
