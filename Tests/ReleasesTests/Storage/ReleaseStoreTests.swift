import Testing
@testable import Releases

@Suite struct ReleaseStoreTests {
    func store(_ max: Int) -> ReleaseStore { ReleaseStore(driver: MemoryDriver(namespace: "apps"), maxHistory: max) }

    @Test func historyLastAndDeployed() async throws {
        let s = store(0)
        try await s.create(sampleRelease(version: 1, status: .superseded))
        try await s.create(sampleRelease(version: 3, status: .failed))
        try await s.create(sampleRelease(version: 2, status: .deployed))
        try await s.create(sampleRelease("other", version: 7, status: .deployed))
        #expect(try await s.history("web").map(\.version) == [1, 2, 3])
        #expect(try await s.last("web").version == 3)
        #expect(try await s.deployed("web").version == 2)
        #expect(try await s.get("web", version: 1).status == .superseded)
        let missing = await #expect(throws: ReleasesError.self) { try await s.history("nope") }
        #expect(missing?.kind == .notFound)
        let undeployed = await #expect(throws: ReleasesError.self) { try await s.deployed("nope") }
        #expect(undeployed?.message == "\"nope\" has no deployed releases")
        let dup = await #expect(throws: ReleasesError.self) { try await s.create(sampleRelease(version: 1, status: .deployed)) }
        #expect(dup?.kind == .alreadyExists)
    }

    @Test func pruningKeepsMaxHistory() async throws {
        let s = store(3)
        for v in 1...6 {
            if v > 1 {
                var prev = try await s.last("web")
                prev.status = .superseded
                try await s.update(prev)
            }
            try await s.create(sampleRelease(version: v, status: .deployed))
        }
        #expect(try await s.history("web").map(\.version) == [4, 5, 6])
    }

    /// Helm's TestStorageDoNotDeleteDeployed: the last deployed revision survives pruning.
    @Test func pruningNeverDeletesTheDeployedRevision() async throws {
        let s = store(3)
        try await s.create(sampleRelease(version: 1, status: .deployed))
        try await s.create(sampleRelease(version: 2, status: .failed))
        try await s.create(sampleRelease(version: 3, status: .failed))
        try await s.create(sampleRelease(version: 4, status: .failed))
        #expect(try await s.history("web").map(\.version) == [1, 3, 4])
    }

    @Test func zeroMeansUnlimited() async throws {
        let s = store(0)
        for v in 1...15 { try await s.create(sampleRelease(version: v, status: .failed)) }
        #expect(try await s.history("web").count == 15)
    }

    @Test(arguments: [
        ([1, 2, 3, 4], 2, 4 as Int?, [1, 2]),
        ([1, 2, 3, 4], 2, 1 as Int?, [2, 3]),
        ([1, 2, 3, 4], 0, 2 as Int?, [1, 3, 4]),
        ([1, 2, 3], 5, nil as Int?, []),
        ([1, 2, 3, 4, 5], 1, nil as Int?, [1, 2, 3, 4]),
    ])
    func pruneSelection(versions: [Int], keep: Int, deployed: Int?, expected: [Int]) {
        #expect(ReleaseStore.revisionsToPrune(versions, keep: keep, lastDeployed: deployed) == expected)
    }

    @Test func memoryDriverIsPerNamespace() async throws {
        let apps = MemoryDriver(namespace: "apps")
        let other = apps.scoped(to: "other")
        try await ReleaseStore(driver: apps).create(sampleRelease(version: 1, status: .deployed))
        try await ReleaseStore(driver: other).create(sampleRelease(version: 1, status: .failed, namespace: "other"))
        #expect(try await ReleaseStore(driver: apps).last("web").status == .deployed)
        #expect(try await ReleaseStore(driver: other).last("web").status == .failed)
        #expect(try await ReleaseStore(driver: apps.scoped(to: nil)).listAll().releases.count == 2)
    }

    @Test func driverSelection() throws {
        #expect(try StorageBackend.named(nil, environment: [:]) == .secret)
        #expect(try StorageBackend.named(nil, environment: ["HELM_DRIVER": "configmaps"]) == .configmap)
        #expect(try StorageBackend.named("memory", environment: ["HELM_DRIVER": "secret"]) == .memory)
        #expect(throws: ReleasesError.self) { try StorageBackend.named("sql", environment: [:]) }
        #expect(throws: ReleasesError.self) { try StorageBackend.named("etcd", environment: [:]) }
    }
}
