import Foundation
import Structured
import Testing
import TestSupport
@testable import KubeSim

/// The HTTP layer without sockets: requests straight into `APIServer.handle`.
@Suite struct APIServerTests {
    func server(faults: FaultPlan = FaultPlan(), audit: String? = nil, token: String? = nil) async throws -> APIServer {
        APIServer(store: await ObjectStore(), token: token, requireAuth: token != nil, audit: try audit.map { try AuditLog(path: $0) },
                  faults: FaultInjector(plan: faults))
    }

    func send(_ api: APIServer, _ method: String, _ uri: String, body: Value? = nil, contentType: String = "application/json",
              accept: String = "application/json", headers: [(String, String)] = []) async -> (Int, Value, [(String, String)]) {
        let request = SimRequest(method: method, uri: uri,
                                 headers: [("Content-Type", contentType), ("Accept", accept), ("User-Agent", "kubectl/v1.35.0 (linux/amd64)")] + headers,
                                 body: body.map { JSON.wireBytes($0) } ?? [])
        switch await api.handle(request) {
        case .full(let status, let headers, let bytes):
            return (status, (try? JSON.decode(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self)), headers)
        case .stream(let status, let headers, _), .watch(let status, let headers, _):
            return (status, .null, headers)
        }
    }

    @Test func discoveryShapes() async throws {
        let api = try await server()
        let (_, version, _) = await send(api, "GET", "/version")
        #expect(version["gitVersion"] == "v1.35.0")
        let (_, groups, _) = await send(api, "GET", "/apis")
        #expect(groups["kind"] == "APIGroupList")
        let apps = groups["groups"]?.arrayValue?.first { $0["name"] == "apps" }
        #expect(apps?["preferredVersion"] == ["groupVersion": "apps/v1", "version": "v1"])
        let (_, core, _) = await send(api, "GET", "/api/v1")
        let pods = core["resources"]?.arrayValue?.first { $0["name"] == "pods" }
        #expect(pods?["shortNames"] == ["po"] && pods?["namespaced"] == true && pods?["categories"] == ["all"])
        #expect(core["resources"]?.arrayValue?.contains { $0["name"] == "pods/log" } == true)
        let (status, aggregated, headers) = await send(api, "GET", "/apis",
            accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
        #expect(status == 200)
        #expect(headers.contains { $0.0 == "Content-Type" && $0.1 == Discovery.aggregatedContentType })
        #expect(aggregated["kind"] == "APIGroupDiscoveryList")
        let deploy = aggregated["items"]?.arrayValue?.first { $0[path: "metadata", "name"] == "apps" }?["versions"]?[0]?["resources"]?
            .arrayValue?.first { $0["resource"] == "deployments" }
        #expect(deploy?["scope"] == "Namespaced" && deploy?["shortNames"] == ["deploy"])
        #expect(deploy?["subresources"]?.arrayValue?.map { $0["subresource"] } == ["scale", "status"])
    }

    @Test func crudStatusBodiesAndTables() async throws {
        let api = try await server()
        let cm: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "labels": ["x": "1"]], "data": ["k": "v"]]
        let (created, body, _) = await send(api, "POST", "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create", body: cm)
        #expect(created == 201)
        #expect(body[path: "metadata", "managedFields"]?[0]?["manager"] == "kubectl-create")
        let (conflict, status, _) = await send(api, "POST", "/api/v1/namespaces/default/configmaps", body: cm)
        #expect(conflict == 409)
        #expect(status == ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
                           "message": "configmaps \"a\" already exists", "reason": "AlreadyExists",
                           "details": ["name": "a", "kind": "configmaps"], "code": 409])
        let (_, table, _) = await send(api, "GET", "/api/v1/namespaces/default/configmaps?labelSelector=x%3D1",
                                       accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(table["kind"] == "Table")
        #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == ["Name", "Data", "Age"])
        #expect(table["rows"]?[0]?["cells"]?[0] == "a" && table["rows"]?[0]?["cells"]?[1] == 1)
        #expect(table["rows"]?.arrayValue?.count == 1)
        let (dry, dryBody, _) = await send(api, "POST", "/api/v1/namespaces/default/configmaps?dryRun=All",
                                           body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "dry"]])
        #expect(dry == 201 && dryBody.name == "dry")
        let (missing, _, _) = await send(api, "GET", "/api/v1/namespaces/default/configmaps/dry")
        #expect(missing == 404)
    }

    @Test func patchKinds() async throws {
        let api = try await server()
        let cm: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"], "data": ["k": "v", "drop": "x"]]
        _ = await send(api, "POST", "/api/v1/namespaces/default/configmaps", body: cm)
        let (s1, merged, _) = await send(api, "PATCH", "/api/v1/namespaces/default/configmaps/a", body: ["data": ["drop": nil, "n": "1"]],
                                         contentType: "application/merge-patch+json")
        #expect(s1 == 200 && merged["data"] == ["k": "v", "n": "1"])
        let (s2, json, _) = await send(api, "PATCH", "/api/v1/namespaces/default/configmaps/a",
                                       body: [["op": "replace", "path": "/data/k", "value": "w"]], contentType: "application/json-patch+json")
        #expect(s2 == 200 && json[path: "data", "k"] == "w")
        let (s3, applied, _) = await send(api, "PATCH", "/api/v1/namespaces/default/configmaps/b?fieldManager=me",
                                          body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "b"], "data": ["x": "1"]],
                                          contentType: "application/apply-patch+yaml")
        #expect(s3 == 201 && applied[path: "metadata", "managedFields"]?[0]?["operation"] == "Apply")
        let (s4, noManager, _) = await send(api, "PATCH", "/api/v1/namespaces/default/configmaps/b",
                                            body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "b"]],
                                            contentType: "application/apply-patch+yaml")
        #expect(s4 == 422 && noManager["message"] == "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
    }

    @Test func scaleSubresource() async throws {
        let api = try await server()
        let d: Value = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                        "spec": ["selector": ["matchLabels": ["app": "web"]],
                                 "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "i"]]]]]]
        _ = await send(api, "POST", "/apis/apps/v1/namespaces/default/deployments", body: d)
        let (_, scale, _) = await send(api, "GET", "/apis/apps/v1/namespaces/default/deployments/web/scale")
        #expect(scale["kind"] == "Scale" && scale[path: "spec", "replicas"] == 1 && scale[path: "status", "selector"] == "app=web")
        let (status, _, _) = await send(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
                                        body: ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
        #expect(status == 200)
        let (_, live, _) = await send(api, "GET", "/apis/apps/v1/namespaces/default/deployments/web")
        #expect(live[path: "spec", "replicas"] == 4 && live[path: "metadata", "generation"] == 2)
    }

    @Test func authAuditAndFaults() async throws {
        let dir = try makeTemporaryDirectory("kubesim-audit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = FaultPlan(seed: 7, errors: [.init(verb: "list", rate: 1, code: 429, retryAfterSeconds: 2)])
        let api = try await server(faults: plan, audit: dir + "/audit.log", token: "secret")
        let (unauthorized, body, _) = await send(api, "GET", "/api/v1/namespaces")
        #expect(unauthorized == 401 && body["reason"] == "Unauthorized")
        let auth = [("Authorization", "Bearer secret")]
        let (throttled, status, headers) = await send(api, "GET", "/api/v1/namespaces", headers: auth)
        #expect(throttled == 429 && status["reason"] == "TooManyRequests")
        #expect(headers.contains { $0.0 == "Retry-After" && $0.1 == "2" })
        let (ok, _, _) = await send(api, "GET", "/api/v1/namespaces/default", headers: auth)
        #expect(ok == 200)
        let lines = try String(contentsOfFile: dir + "/audit.log", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let last = try JSON.decode(String(lines[2]))
        #expect(last["verb"] == "get" && last["resource"] == "namespaces" && last["name"] == "default" && last["code"] == 200)
        #expect(last["userAgent"] == "kubectl/v1.35.0 (linux/amd64)")
        #expect(last["time"]?.stringValue?.count == 27)  // 2026-01-01T00:00:00.000000Z
    }

    @Test func faultSequenceIsDeterministic() async {
        let plan = FaultPlan(seed: 42, errors: [.init(verb: "get", rate: 0.5, code: 500)])
        func sequence() async -> [Bool] {
            let injector = FaultInjector(plan: plan)
            var result: [Bool] = []
            for _ in 0..<20 { result.append(injector.failure(verb: "get", resource: nil) != nil) }
            return result
        }
        let a = await sequence(), b = await sequence()
        #expect(a == b)
        #expect(a.contains(true) && a.contains(false))
    }
}
