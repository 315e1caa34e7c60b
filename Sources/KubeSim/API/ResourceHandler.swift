import Foundation
import Structured

/// One resource request: get, list, watch, create, update, patch (JSON, merge, strategic, apply),
/// delete and deletecollection, on the main resource or its status/scale subresources.
struct ResourceHandler {
    let store: ObjectStore
    let type: ResourceType
    let route: ResourceRoute
    let request: SimRequest
    let faults: FaultInjector
    var kubelet: KubeletRuntime? = nil
    /// Events a client watch may fall behind by before it is closed (see `WatchQueue`).
    var watchCapacity = KubeSimServer.Options.defaultWatchCapacity

    var dryRun: Bool { request.query["dryRun"] == "All" }
    var namespace: String? { type.namespaced ? route.namespace : nil }
    var userAgentManager: String {
        let agent = request.header("User-Agent") ?? "unknown"
        return String(agent.split(separator: "/").first ?? Substring(agent))
    }
    var fieldManager: String { request.query["fieldManager"].flatMap { $0.isEmpty ? nil : $0 } ?? userAgentManager }

    func handle() async throws(APIError) -> SimResponse {
        if let sub = route.subresource {
            guard type.subresources.contains(sub) else { throw APIError.notFoundPath() }
            switch sub {
            case "status": break
            case "scale": return try await scale()
            case "log" where route.verb == "get": return try await podLog()
            default: throw APIError.methodNotAllowed()
            }
        }
        if !type.namespaced, route.namespace != nil { throw APIError.notFoundPath() }
        switch route.verb {
        case "get": return try await get()
        case "list": return try await list()
        case "watch": return try await watch()
        case "create": return try await create()
        case "update": return try await update()
        case "patch": return try await patch()
        case "delete": return try await delete()
        case "deletecollection": return try await deleteCollection()
        default: throw APIError.methodNotAllowed()
        }
    }

    // MARK: - Encoding

    func output(_ object: Value) -> Value {
        // Stored objects already carry it (the store sets it on every write): no copy then.
        if case .string(let version)? = object["apiVersion"], version == type.apiVersion { return object }
        var o = object
        o["apiVersion"] = .string(type.apiVersion)
        return o
    }

    func respond(_ status: Int, _ object: Value) -> SimResponse {
        if TableConverter.wanted(request) {
            return .json(status, JSON.wireBytes(TableConverter(type: type).table([object], listMeta: nil, request: request)))
        }
        return .json(status, JSON.wireBytes(output(object)))
    }

    func decodeBody() throws(APIError) -> Value {
        let contentType = request.header("Content-Type") ?? "application/json"
        let protobuf = contentType.utf8.allSatisfy { $0 < 0x80 } ? contentType.utf8.contains(subsequence: "protobuf".utf8)
            : contentType.contains("protobuf")  // ASCII (every real header) as bytes, not through NSString
        if protobuf { return try ProtobufDecoder.decode(request.body) }
        if let value = try? JSON.decode(request.body) { return value }
        let text = String(decoding: request.body, as: UTF8.self)
        do {
            return try YAML.decode(text, mode: .manifest)
        } catch {
            let message = (try? JSON.decode(request.body)).map { _ in "" } ?? "\(error)"
            throw APIError.badRequest("error decoding YAML: \(message)")
        }
    }

    // MARK: - Reads

    func get() async throws(APIError) -> SimResponse {
        let object = try await store.get(type, namespace: namespace, name: route.name!)
        return respond(200, object)
    }

    func selectors() throws(APIError) -> (@Sendable (Value) -> Bool)? {
        let labels = try request.query["labelSelector"].map { text throws(APIError) in try LabelSelector(parsing: text) }
        let fields = try request.query["fieldSelector"].map { text throws(APIError) in try FieldSelector(parsing: text, type: type) }
        if labels == nil && fields == nil { return nil }
        return { object in (labels?.matches(object: object) ?? true) && (fields?.matches(object) ?? true) }
    }

    func list() async throws(APIError) -> SimResponse {
        let limit = request.query["limit"].flatMap { Int($0) }
        let result = try await store.list(type, namespace: namespace, limit: limit, continueToken: request.query["continue"],
                                          filter: try selectors())
        var meta: Value = ["resourceVersion": .string(String(result.resourceVersion))]
        if let token = result.continueToken { meta["continue"] = .string(token) }
        if let remaining = result.remainingItemCount { meta["remainingItemCount"] = .int(Int64(remaining)) }
        if TableConverter.wanted(request) {
            return .json(200, JSON.wireBytes(TableConverter(type: type).table(result.items, listMeta: meta, request: request)))
        }
        let list: Value = ["kind": .string(type.listKind), "apiVersion": .string(type.apiVersion), "metadata": meta,
                           "items": .array(result.items.map(output))]
        return .json(200, JSON.wireBytes(list))
    }

    // MARK: - Writes

    func create() async throws(APIError) -> SimResponse {
        if route.name != nil { throw APIError.methodNotAllowed() }
        var object = try decodeBody()
        if type.namespaced, let bodyNamespace = object[path: "metadata", "namespace"]?.stringValue, !bodyNamespace.isEmpty,
           bodyNamespace != route.namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        try checkKind(object)
        let warnings = try checkFields(&object)
        addStuckFinalizer(&object)
        let created = try await store.create(type, namespace: namespace, object: object, dryRun: dryRun, fieldManager: fieldManager)
        return respond(201, created).adding(warnings: warnings)
    }

    func checkKind(_ object: Value) throws(APIError) {
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the API version in the data (\(object["apiVersion"]?.stringValue ?? "")) does not match the expected API version (\(type.apiVersion))")
        }
    }

    func addStuckFinalizer(_ object: inout Value) {
        let plan = faults.plan
        let rules = plan.stuckFinalizers.filter { $0.resource == type.plural && ($0.namespace == nil || $0.namespace == route.namespace) }
        guard !rules.isEmpty else { return }
        var finalizers = object.finalizers
        for finalizer in rules.map(\.finalizer) where !finalizers.contains(finalizer) { finalizers.append(finalizer) }
        object.setMetadata("finalizers", .array(finalizers.map { .string($0) }))
    }

    func update() async throws(APIError) -> SimResponse {
        guard let name = route.name else { throw APIError.methodNotAllowed() }
        var object = try decodeBody()
        try checkKind(object)
        if object.name.isEmpty { object.setMetadata("name", .string(name)) }
        guard object.name == name else {
            throw APIError.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))")
        }
        let warnings = try checkFields(&object)
        do {
            let updated = try await store.update(type, namespace: namespace, object: object, subresource: route.subresource,
                                                 dryRun: dryRun, fieldManager: fieldManager)
            return respond(200, updated).adding(warnings: warnings)
        } catch let error where error.code == 404 && Self.createOnUpdate.contains(type.plural) && route.subresource == nil {
            let created = try await store.create(type, namespace: namespace, object: object, dryRun: dryRun, fieldManager: fieldManager)
            return respond(201, created).adding(warnings: warnings)
        }
    }

    static let createOnUpdate: Set<String> = ["events", "leases", "endpoints", "endpointslices", "nodes"]

    func patch() async throws(APIError) -> SimResponse {
        guard let name = route.name else { throw APIError.methodNotAllowed() }
        let contentType = (request.header("Content-Type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let patch = try decodeBody()
        let live = try? await store.get(type, namespace: namespace, name: name)
        var result: Value
        switch contentType {
        case "application/apply-patch+yaml", "application/apply-patch+cbor":
            guard let manager = request.query["fieldManager"], !manager.isEmpty else {
                throw APIError(code: 422, reason: "Invalid", message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                               group: "meta.k8s.io", kind: "PatchOptions",
                               causes: [.init(type: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager")])
            }
            return try await apply(patch, live: live, name: name, manager: manager)
        case "application/json-patch+json":
            guard let live else { throw APIError.notFound(type.groupResource, name) }
            result = try JSONPatch.apply(patch, to: live)
        case "application/merge-patch+json":
            guard let live else { throw APIError.notFound(type.groupResource, name) }
            result = MergePatch.apply(patch, to: live)
        case "application/strategic-merge-patch+json":
            if type.isCustom {
                throw APIError(code: 415, reason: "UnsupportedMediaType",
                               message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            guard let live else { throw APIError.notFound(type.groupResource, name) }
            result = try StrategicMergePatch(schema: PatchSchema(isCustom: false), kind: type.kind).apply(patch, to: live)
        default:
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
        }
        guard result.objectValue != nil else { throw APIError.badRequest("the patch did not produce an object") }
        if result.name != name { throw APIError.badRequest("the name of the object (\(result.name)) does not match the name on the URL (\(name))") }
        let warnings = try checkFields(&result)
        let updated = try await store.update(type, namespace: namespace, object: result, subresource: route.subresource,
                                             dryRun: dryRun, fieldManager: fieldManager)
        return respond(200, updated).adding(warnings: warnings)
    }

    func apply(_ applied: Value, live: Value?, name: String, manager: String) async throws(APIError) -> SimResponse {
        if applied.objectValue == nil { throw APIError.badRequest("error decoding YAML: object expected") }
        if !applied.name.isEmpty, applied.name != name {
            throw APIError.badRequest("the name of the object (\(applied.name)) does not match the name on the URL (\(name))")
        }
        try checkKind(applied)
        if let ns = applied[path: "metadata", "namespace"]?.stringValue, !ns.isEmpty, type.namespaced, ns != route.namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        try checkAppliedFields(applied, name: name)
        let force = request.query["force"] == "true"
        let ssa = ServerSideApply(type: type)
        var merged = try ssa.apply(live: live, applied: applied, managerName: manager, force: force, subresource: route.subresource)
        merged.setMetadata("name", .string(name))
        if live == nil {
            if route.subresource != nil { throw APIError.notFound(type.groupResource, name) }
            addStuckFinalizer(&merged)
            let created = try await store.create(type, namespace: namespace, object: merged, dryRun: dryRun)
            return respond(201, created)
        }
        let updated = try await store.update(type, namespace: namespace, object: merged, subresource: route.subresource, dryRun: dryRun)
        return respond(200, updated)
    }

    // MARK: - Scale

    func scale() async throws(APIError) -> SimResponse {
        guard let name = route.name else { throw APIError.notFoundPath() }
        let live = try await store.get(type, namespace: namespace, name: name)
        func scaleObject(_ o: Value) -> Value {
            var selector = ""
            if let sel = o[path: "spec", "selector"] {
                if let matchLabels = sel["matchLabels"]?.objectValue {
                    selector = matchLabels.keys.sorted().map { "\($0)=\(matchLabels[$0]?.stringValue ?? "")" }.joined(separator: ",")
                } else if let plain = sel.objectValue, sel["matchExpressions"] == nil {
                    selector = plain.keys.sorted().map { "\($0)=\(plain[$0]?.stringValue ?? "")" }.joined(separator: ",")
                }
            }
            var status: Value = ["replicas": o[path: "status", "replicas"] ?? 0]
            if !selector.isEmpty { status["selector"] = .string(selector) }
            return ["kind": "Scale", "apiVersion": "autoscaling/v1",
                    "metadata": ["name": .string(o.name), "namespace": .string(o.namespace), "uid": .string(o.uid),
                                 "resourceVersion": .string(o.resourceVersion), "creationTimestamp": o[path: "metadata", "creationTimestamp"] ?? .null],
                    "spec": ["replicas": o[path: "spec", "replicas"] ?? 0], "status": status]
        }
        switch request.method {
        case "GET": return .json(200, JSON.wireBytes(scaleObject(live)))
        case "PUT", "PATCH":
            let body = try decodeBody()
            var desired: Value
            if request.method == "PUT" {
                desired = body
            } else {
                let contentType = request.header("Content-Type") ?? ""
                let current = scaleObject(live)
                desired = contentType.contains("json-patch") ? try JSONPatch.apply(body, to: current) : MergePatch.apply(body, to: current)
            }
            guard let replicas = desired[path: "spec", "replicas"]?.intValue else { throw APIError.badRequest("spec.replicas is required") }
            if let rv = desired[path: "metadata", "resourceVersion"]?.stringValue, !rv.isEmpty, rv != live.resourceVersion {
                throw APIError.staleVersion(type.groupResource, name)
            }
            var object = live
            object.set(path: ["spec", "replicas"], to: .int(replicas))
            let updated = try await store.update(type, namespace: namespace, object: object, dryRun: dryRun, fieldManager: fieldManager)
            return .json(200, JSON.wireBytes(scaleObject(updated)))
        default: throw APIError.methodNotAllowed()
        }
    }

    // MARK: - Delete

    func deleteOptions() throws(APIError) -> DeleteOptions {
        var options = DeleteOptions(dryRun: dryRun)
        let body = request.body.isEmpty ? nil : try? JSON.decode(request.body)
        let policy = request.query["propagationPolicy"] ?? body?["propagationPolicy"]?.stringValue
        if let policy {
            guard let p = PropagationPolicy(rawValue: policy) else {
                throw APIError(code: 422, reason: "Invalid", message: "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
            }
            options.propagationPolicy = p
        } else if let orphan = request.query["orphanDependents"] ?? body?["orphanDependents"].map({ $0.boolValue == true ? "true" : "false" }) {
            options.propagationPolicy = orphan == "true" ? .orphan : .background
        }
        if let dry = body?["dryRun"]?.arrayValue, dry.contains("All") { options.dryRun = true }
        options.preconditionUID = body?[path: "preconditions", "uid"]?.stringValue
        options.preconditionResourceVersion = body?[path: "preconditions", "resourceVersion"]?.stringValue
        options.gracePeriodSeconds = request.query["gracePeriodSeconds"].flatMap { Int64($0) } ?? body?["gracePeriodSeconds"]?.intValue
        return options
    }

    func delete() async throws(APIError) -> SimResponse {
        let outcome = try await store.delete(type, namespace: namespace, name: route.name!, options: try deleteOptions())
        switch outcome {
        case .pending(let object):
            return .json(200, JSON.wireBytes(output(object)))
        case .deleted(let object):
            if type.plural == "pods" || type.isCustom || type.plural == "namespaces" {
                return .json(200, JSON.wireBytes(output(object)))
            }
            var details: Value = ["name": .string(object.name)]
            details["group"] = .string(type.group)
            details["kind"] = .string(type.plural)
            details["uid"] = .string(object.uid)
            return .json(200, JSON.wireBytes([
                "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "details": details,
            ]))
        }
    }

    func deleteCollection() async throws(APIError) -> SimResponse {
        let options = try deleteOptions()
        let result = try await store.list(type, namespace: namespace, filter: try selectors())
        var deleted: [Value] = []
        for item in result.items {
            if let outcome = try? await store.delete(type, namespace: item.namespace.isEmpty ? nil : item.namespace, name: item.name, options: options) {
                deleted.append(output(outcome.object))
            }
        }
        return .json(200, JSON.wireBytes(["kind": .string(type.listKind), "apiVersion": .string(type.apiVersion),
                                          "metadata": ["resourceVersion": .string(String(await store.currentResourceVersion))],
                                          "items": .array(deleted)]))
    }
}

extension Collection where Element: Equatable {
    /// Whether `needle` occurs in order and contiguously (for byte searches: Foundation's
    /// `contains` on String goes through NSString).
    func contains(subsequence needle: some Collection<Element>) -> Bool {
        guard let first = needle.first else { return true }
        var start = startIndex
        while let hit = self[start...].firstIndex(of: first) {
            if self[hit...].starts(with: needle) { return true }
            start = index(after: hit)
        }
        return false
    }
}
