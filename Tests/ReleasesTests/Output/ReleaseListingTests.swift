import Testing
@testable import Releases

@Suite struct ReleaseListingTests {
    let records: [Release] = [
        sampleRelease("web", version: 1, status: .superseded),
        sampleRelease("web", version: 2, status: .deployed),
        sampleRelease("api", version: 1, status: .failed),
        sampleRelease("api", version: 1, status: .pendingInstall, namespace: "other"),
        sampleRelease("db", version: 4, status: .uninstalled),
    ]

    @Test func latestRevisionPerReleaseSortedByName() throws {
        let picked = try ReleaseListing().select(records)
        #expect(picked.map { "\($0.namespace)/\($0.name).v\($0.version)" } == ["apps/api.v1", "other/api.v1", "apps/db.v4", "apps/web.v2"])
    }

    @Test func statusFilters() throws {
        #expect(try ReleaseListing(failed: true).select(records).map(\.name) == ["api"])
        #expect(try ReleaseListing(pending: true).select(records).map(\.namespace) == ["other"])
        #expect(try ReleaseListing(superseded: true).select(records).map(\.version) == [1])
        #expect(try ReleaseListing(deployed: true, uninstalled: true).select(records).map(\.name) == ["db", "web"])
        #expect(try ReleaseListing(all: true, filter: "^w").select(records).map(\.name) == ["web"])
        #expect(throws: ReleasesError.self) { try ReleaseListing(filter: "(").select(records) }
    }
}
