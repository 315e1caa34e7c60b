import Foundation
import Structured
import Testing
@testable import Releases

@Suite struct ObjectDriverTests {
    let api = InMemoryObjects()

    func driver(_ backend: ObjectDriver.Backend, now: Int64 = 1_700_000_000) -> ObjectDriver {
        ObjectDriver(backend, api: api, namespace: "apps", now: { now })
    }

    @Test func secretLayoutMatchesHelm() async throws {
        var release = sampleRelease(version: 1, status: .pendingInstall)
        release.labels = ["team": "web", "status": "ignored-system-name"]
        let store = ReleaseStore(driver: driver(.secret))
        try await store.create(release)
        let secret = try await api.get(.secret, namespace: "apps", name: "sh.helm.release.v1.web.v1")
        #expect(secret["type"] == "helm.sh/release.v1")
        #expect(secret[path: "metadata", "labels"] == [
            "createdAt": "1700000000", "name": "web", "owner": "helm", "status": "pending-install", "team": "web", "version": "1",
        ])
        // data.release is base64 (the Secret's own encoding) of base64(gzip(JSON)).
        let outer = try #require(secret[path: "data", "release"]?.stringValue)
        let payload = String(decoding: try #require(Data(base64Encoded: outer)), as: UTF8.self)
        var expected = release
        expected.labels = ["team": "web"]
        #expect(try ReleaseCodec.decode(payload) == { var e = expected; e.labels = [:]; return e }())
        #expect(try await store.get("web", version: 1) == expected)

        // Update relabels: modifiedAt replaces createdAt, status follows the record.
        var deployed = try await store.get("web", version: 1)
        deployed.setStatus(.deployed, "Install complete")
        try await ReleaseStore(driver: driver(.secret, now: 1_700_000_100)).update(deployed)
        let updated = try await api.get(.secret, namespace: "apps", name: "sh.helm.release.v1.web.v1")
        #expect(updated[path: "metadata", "labels", "modifiedAt"] == "1700000100")
        #expect(updated[path: "metadata", "labels", "createdAt"] == nil)
        #expect(updated[path: "metadata", "labels", "status"] == "deployed")
        #expect(try await store.deployed("web").info.description == "Install complete")
    }

    @Test func configMapHoldsThePayloadDirectly() async throws {
        let store = ReleaseStore(driver: driver(.configMap))
        try await store.create(sampleRelease(version: 1, status: .deployed))
        let cm = try await api.get(.configMap, namespace: "apps", name: "sh.helm.release.v1.web.v1")
        #expect(cm["type"] == nil)
        let payload = try #require(cm[path: "data", "release"]?.stringValue)
        #expect(try ReleaseCodec.decode(payload).version == 1)
        #expect(try await store.history("web").count == 1)
        try await store.delete("web", version: 1)
        #expect(try await api.list(.configMap, namespace: "apps", labelSelector: "owner=helm").isEmpty)
    }

    /// A corrupt record is reported with the Secret that holds it, and nothing is written.
    @Test(arguments: [
        ("%%%", "data.release is not valid base64"),
        (Data("@@not-base64@@".utf8).base64EncodedString(), "data.release is not valid base64"),
        (Data(Data([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]).base64EncodedString().utf8).base64EncodedString(), "not valid gzip"),
        (Data(Data(#"{"name":"web","info":{"sta"#.utf8).base64EncodedString().utf8).base64EncodedString(), "release JSON is invalid"),
        (Data(Data(#"{"name":"web","version":2,"info":{"status":"weird"}}"#.utf8).base64EncodedString().utf8).base64EncodedString(), "unknown release status \"weird\""),
    ])
    func corruptRecordsNameTheSecret(data: String, problem: String) async throws {
        let store = ReleaseStore(driver: driver(.secret))
        try await store.create(sampleRelease(version: 1, status: .deployed))
        let bad: Value = [
            "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
            "metadata": ["name": "sh.helm.release.v1.web.v2", "namespace": "apps",
                         "labels": ["name": "web", "owner": "helm", "status": "deployed", "version": "2"]],
            "data": ["release": .string(data)],
        ]
        api.put(.secret, namespace: "apps", bad)
        let before = try await api.list(.secret, namespace: "apps", labelSelector: "")

        let getError = await #expect(throws: ReleasesError.self) { try await store.get("web", version: 2) }
        #expect(getError?.kind == .corrupt)
        #expect(getError?.message.hasPrefix("Secret apps/sh.helm.release.v1.web.v2: ") == true)
        #expect(getError?.message.contains(problem) == true)

        let historyError = await #expect(throws: ReleasesError.self) { try await store.history("web") }
        #expect(historyError?.message.contains("sh.helm.release.v1.web.v2") == true)
        let listing = try await store.listAll()
        #expect(listing.releases.map(\.version) == [1] && listing.corrupt.count == 1)
        let createError = await #expect(throws: ReleasesError.self) { try await store.create(sampleRelease(version: 3, status: .deployed)) }
        #expect(createError?.kind == .corrupt)

        #expect(try await api.list(.secret, namespace: "apps", labelSelector: "") == before)
    }

    @Test func listsAcrossNamespaces() async throws {
        try await ReleaseStore(driver: driver(.secret)).create(sampleRelease(version: 1, status: .deployed))
        try await ReleaseStore(driver: ObjectDriver(.secret, api: api, namespace: "other"))
            .create(sampleRelease("db", version: 1, status: .failed, namespace: "other"))
        let all = try await ReleaseStore(driver: ObjectDriver(.secret, api: api, namespace: nil)).listAll()
        #expect(Set(all.releases.map(\.name)) == ["web", "db"])
        #expect(try await ReleaseStore(driver: driver(.secret)).listAll().releases.map(\.name) == ["web"])
    }
}
