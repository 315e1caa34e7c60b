import Foundation
import Structured
import Testing
@testable import KubeSim

/// Watch streams through the HTTP layer: resume, 410, selectors, initial events and bookmarks.
@Suite struct WatchStreamTests {
    func api(historyLimit: Int = 10_000) async -> APIServer {
        APIServer(store: await ObjectStore(historyLimit: historyLimit), token: nil, requireAuth: false, audit: nil,
                  faults: FaultInjector(plan: FaultPlan()))
    }

    func request(_ method: String, _ uri: String, _ body: Value? = nil) -> SimRequest {
        SimRequest(method: method, uri: uri, headers: [("Content-Type", "application/json")], body: body.map { JSON.wireBytes($0) } ?? [])
    }

    func configMap(_ name: String, labels: Value = .object([:])) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": labels]]
    }

    /// Read `count` events from a streaming response.
    func events(_ response: SimResponse, count: Int) async -> [Value] {
        guard let chunks = response.chunks else { return [] }
        var result: [Value] = []
        for await chunk in chunks {
            for line in chunk.split(separator: 0x0A) { if let v = try? JSON.decode(Array(line)) { result.append(v) } }
            if result.count >= count { break }
        }
        return result
    }

    @Test func resumesFromResourceVersionWithSelectorTransitions() async throws {
        let api = await api()
        guard case .full(_, _, let body) = await api.handle(request("POST", "/api/v1/namespaces/default/configmaps", configMap("a", labels: ["w": "1"]))) else { return }
        let rv = try JSON.decode(body).resourceVersion
        let watch = await api.handle(request("GET", "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=w%3D1&resourceVersion=\(rv)"))
        _ = await api.handle(request("POST", "/api/v1/namespaces/default/configmaps", configMap("b", labels: ["w": "1"])))
        _ = await api.handle(request("POST", "/api/v1/namespaces/default/configmaps", configMap("ignored")))
        _ = await api.handle(SimRequest(method: "PATCH", uri: "/api/v1/namespaces/default/configmaps/a",
                                        headers: [("Content-Type", "application/merge-patch+json")],
                                        body: JSON.wireBytes(["metadata": ["labels": ["w": "2"]]])))
        let seen = await events(watch, count: 2)
        #expect(seen.map { $0["type"] } == ["ADDED", "DELETED"])
        #expect(seen.map { $0[path: "object", "metadata", "name"] } == ["b", "a"])
    }

    @Test func tooOldVersionIsExpired() async throws {
        let api = await api(historyLimit: 2)
        for i in 0..<5 { _ = await api.handle(request("POST", "/api/v1/namespaces/default/configmaps", configMap("c\(i)"))) }
        let watch = await api.handle(request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2"))
        let seen = await events(watch, count: 1)
        #expect(seen.first?["type"] == "ERROR")
        #expect(seen.first?[path: "object", "code"] == 410)
        #expect(seen.first?[path: "object", "reason"] == "Expired")
    }

    @Test func initialEventsEndWithBookmark() async throws {
        let api = await api()
        _ = await api.handle(request("POST", "/api/v1/namespaces/default/configmaps", configMap("one")))
        let watch = await api.handle(request("GET", "/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"))
        let seen = await events(watch, count: 3)
        #expect(seen.map { $0["type"] } == ["ADDED", "ADDED", "BOOKMARK"])  // kube-root-ca.crt, one
        #expect(seen.last?[path: "object", "metadata", "annotations", "k8s.io/initial-events-end"] == "true")
    }

    @Test func timeoutEndsTheStream() async throws {
        let api = await api()
        let watch = await api.handle(request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1"))
        let start = ContinuousClock.now
        let seen = await events(watch, count: 100)
        #expect(ContinuousClock.now - start < .seconds(15))  // generous: the machine is shared; without the timeout it is 1800 s
        #expect(seen.count <= 2)
    }
}
