import Foundation
import Structured

/// Routes requests: discovery, health, OpenAPI, the fault control endpoint, and resource requests
/// (handed to `ResourceHandler`). Wraps each request with authentication, fault injection and audit.
final class APIServer: Sendable {
    let store: ObjectStore
    let token: String?
    let requireAuth: Bool
    let audit: AuditLog?
    let faults: FaultInjector
    /// Runtime of the simulated kubelet, for the pod `log` subresource (nil without a simulation).
    let kubelet: KubeletRuntime?
    /// `Authorization: Basic` users (name -> password).
    let basicAuth: [String: String]
    let watchCapacity: Int

    init(store: ObjectStore, token: String?, requireAuth: Bool, audit: AuditLog?, faults: FaultInjector, kubelet: KubeletRuntime? = nil,
         basicAuth: [String: String] = [:], watchCapacity: Int = KubeSimServer.Options.defaultWatchCapacity) {
        self.watchCapacity = watchCapacity
        self.kubelet = kubelet
        self.basicAuth = basicAuth
        self.store = store
        self.token = token
        self.requireAuth = requireAuth
        self.audit = audit
        self.faults = faults
    }

    func handle(_ request: SimRequest) async -> SimResponse {
        let start = Date()
        let clock = ContinuousClock.now
        var route = ResourceRoute.parse(request)
        var response: SimResponse
        if requireAuth && !authenticated(request) {
            response = .json(401, JSON.wireBytes([
                "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401,
            ]))
        } else {
            response = await dispatch(request, route: &route)
            // A write waits a little for watches that fell far behind (flow control, see WatchLag).
            if request.method != "GET" && request.method != "HEAD" && response.status < 400 {
                await store.watchLag.waitForWatches()
            }
        }
        if let audit {
            let elapsed = ContinuousClock.now - clock
            let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            await audit.write(AuditLog.Record(
                start: start, userAgent: request.header("User-Agent") ?? "", user: request.user ?? basicUser(request), method: request.method,
                verb: route?.verb ?? Self.nonResourceVerb(request.method), path: request.path, query: request.rawQuery,
                resource: route?.resource, kind: route?.kind, namespace: route?.namespace, name: route?.name,
                subresource: route?.subresource, dryRun: request.query["dryRun"] == "All", code: response.status,
                latencyMicroseconds: micros))
        }
        return response
    }

    static func nonResourceVerb(_ method: String) -> String {
        switch method {
        case "GET", "HEAD": return "get"
        case "POST": return "post"
        case "PUT": return "put"
        case "DELETE": return "delete"
        case "PATCH": return "patch"
        default: return method.lowercased()
        }
    }

    private func authenticated(_ request: SimRequest) -> Bool {
        if request.user != nil { return true }
        if let token, let header = request.header("Authorization"), header == "Bearer \(token)" { return true }
        return basicUser(request) != nil
    }

    /// The user of a valid `Authorization: Basic base64(user:password)` header.
    private func basicUser(_ request: SimRequest) -> String? {
        guard !basicAuth.isEmpty, let header = request.header("Authorization"), header.hasPrefix("Basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6))),
              let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return nil }
        let user = String(pair[..<colon])
        return basicAuth[user] == String(pair[pair.index(after: colon)...]) ? user : nil
    }

    private func dispatch(_ request: SimRequest, route: inout ResourceRoute?) async -> SimResponse {
        if route != nil {
            if let failure = faults.failure(verb: route!.verb, resource: route!.resource) {
                if failure.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(failure.latencyMs)) }
                return .error(failure.error)
            }
            let latency = faults.latencyMs
            if latency > 0 { try? await Task.sleep(for: .milliseconds(latency)) }
        }
        let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
        switch path {
        case "/version": return .json(200, JSON.wireBytes(Discovery.version()))
        case "/healthz", "/readyz", "/livez", "/healthz/ping", "/readyz/ping", "/livez/ping":
            return .full(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")],
                         body: Array("ok".utf8))
        case "/api":
            if Self.wantsAggregated(request) {
                return .json(200, JSON.wireBytes(Discovery.aggregated(await store.registry, core: true)), contentType: Discovery.aggregatedContentType)
            }
            return .json(200, JSON.wireBytes(Discovery.apiVersions(serverAddress: request.header("Host") ?? "127.0.0.1")))
        case "/apis":
            if Self.wantsAggregated(request) {
                return .json(200, JSON.wireBytes(Discovery.aggregated(await store.registry, core: false)), contentType: Discovery.aggregatedContentType)
            }
            return .json(200, JSON.wireBytes(Discovery.groupList(await store.registry)))
        case "/openapi/v2":
            return .error(APIError.notFoundPath())
        case "/openapi/v3":
            return .json(200, JSON.wireBytes(OpenAPI.root(await store.registry)))
        case "/kubesim/faults":
            if request.method == "GET" { return .json(200, JSON.wireBytes(faults.plan.json)) }
            guard let body = try? JSON.decode(request.body) else { return .error(.badRequest("fault plan must be JSON")) }
            let plan = FaultPlan(json: body)
            faults.set(plan)
            if plan.expireResourceVersions { await store.compactHistory() }
            if body["dropWatchesNow"]?.boolValue == true { await store.dropWatches() }
            return .json(200, JSON.wireBytes(plan.json))
        default: break
        }
        if path.hasPrefix("/openapi/v3/") {
            let gvPath = String(path.dropFirst("/openapi/v3/".count))
            guard let doc = OpenAPI.groupVersion(await store.registry, path: gvPath) else { return .error(.notFoundPath()) }
            return .json(200, JSON.wireBytes(doc))
        }
        let segments = path.split(separator: "/").map(String.init)
        let registry = await store.registry
        if segments.count == 2, segments[0] == "api" {
            guard let doc = Discovery.resourceList(registry, group: "", version: segments[1]) else { return .error(.notFoundPath()) }
            return .json(200, JSON.wireBytes(doc))
        }
        if segments.count == 2, segments[0] == "apis" {
            guard let doc = Discovery.group(registry, name: segments[1]) else { return .error(.notFoundPath()) }
            return .json(200, JSON.wireBytes(doc))
        }
        if segments.count == 3, segments[0] == "apis" {
            guard let doc = Discovery.resourceList(registry, group: segments[1], version: segments[2]) else { return .error(.notFoundPath()) }
            return .json(200, JSON.wireBytes(doc))
        }
        guard let r = route else { return .error(.notFoundPath()) }
        guard let type = registry.lookup(group: r.group, version: r.version, plural: r.resource) else {
            return .error(.notFoundPath())
        }
        route?.kind = type.kind
        let handler = ResourceHandler(store: store, type: type, route: r, request: request, faults: faults, kubelet: kubelet,
                                      watchCapacity: watchCapacity)
        do {
            return try await handler.handle()
        } catch {
            return .error(error)
        }
    }

    static func wantsAggregated(_ request: SimRequest) -> Bool {
        guard let accept = request.header("Accept") else { return false }
        return accept.split(separator: ",").first.map { $0.contains("as=APIGroupDiscoveryList") && $0.contains("v=v2") && !$0.contains("v=v2beta1") } ?? false
            || accept.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    }
}

/// A request path decoded as an API resource request.
struct ResourceRoute {
    var group: String
    var version: String
    var namespace: String?
    var resource: String
    var name: String?
    var subresource: String?
    var verb: String
    var watch: Bool
    var kind: String?

    /// `/api/v1/...` or `/apis/{group}/{version}/...`: `[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]`
    /// (and the deprecated `/watch/` prefix).
    static func parse(_ request: SimRequest) -> ResourceRoute? {
        var segments = request.path.split(separator: "/").map(String.init)
        let group: String, version: String
        if segments.first == "api", segments.count >= 3 {
            group = ""; version = segments[1]; segments.removeFirst(2)
        } else if segments.first == "apis", segments.count >= 4 {
            group = segments[1]; version = segments[2]; segments.removeFirst(3)
        } else {
            return nil
        }
        var watch = request.query["watch"] == "true" || request.query["watch"] == "1"
        if segments.first == "watch" { watch = true; segments.removeFirst() }
        var namespace: String?
        if segments.first == "namespaces", segments.count >= 3 {
            // namespaces/{ns}/{resource}... unless it is a namespace subresource (status, finalize).
            if !(segments.count == 3 && (segments[2] == "status" || segments[2] == "finalize") && group.isEmpty) {
                namespace = segments[1]
                segments.removeFirst(2)
            }
        }
        guard let resource = segments.first else { return nil }
        let name = segments.count > 1 ? segments[1] : nil
        let subresource = segments.count > 2 ? segments[2...].joined(separator: "/") : nil
        let verb: String
        switch request.method {
        case "GET", "HEAD": verb = name == nil ? (watch ? "watch" : "list") : (watch ? "watch" : "get")
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = request.method.lowercased()
        }
        return ResourceRoute(group: group, version: version, namespace: namespace, resource: resource, name: name,
                             subresource: subresource, verb: verb, watch: watch, kind: nil)
    }
}
