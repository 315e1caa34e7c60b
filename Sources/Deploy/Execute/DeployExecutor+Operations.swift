import Foundation
import Kube
import Structured
import Tracking

/// A failed operation's reason (the executor prefixes the resource).
struct OperationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension DeployExecutor {
    /// Does one operation; returns the resource when it was newly created.
    func perform(_ op: Operation, plan: Plan, _ continuation: AsyncStream<Message>.Continuation) async throws -> ResourceID? {
        let resource = op.resource.flatMap { plan.resources[$0] }
        switch op.kind {
        case .barrier, .track, .trackHook, .trackAbsence, .waitExternalDependency:
            return nil  // tracking steps run through `track(_:plan:_:)`
        case .create:
            try await applyObject(try need(resource, op))
            return op.resource
        case .update, .apply, .createCRD, .applyHook:
            try await applyObject(try need(resource, op))
            return nil
        case .recreate:
            let resource = try need(resource, op)
            try await deleteObject(resource, propagation: .foreground)
            try await waitForAbsence(resource)
            try await applyObject(resource)
            return nil
        case .delete, .deleteHook:
            let resource = try need(resource, op)
            try await deleteObject(resource, propagation: resource.isHook ? .background : .foreground)
            return nil
        case .waitEstablished:
            try await waitEstablished(try need(resource, op))
            return nil
        @unknown default:
            return nil
        }
    }

    private func need(_ resource: ResourceMetadata?, _ op: Operation) throws -> ResourceMetadata {
        guard let resource else { throw OperationError("\(op.id): no manifest in the plan") }
        return resource
    }

    /// Server-side apply with Bosun's field manager, forcing ownership of the fields we set. The
    /// returned object is kept for tracking (which then ignores older versions of it).
    @discardableResult
    func applyObject(_ resource: ResourceMetadata) async throws -> Value {
        do {
            let object = try await client.apply(resource.manifest, options: ApplyOptions(fieldManager: options.fieldManager, force: true))
            applied[resource.id] = object
            return object
        } catch {
            if LiveReader.isImmutable(error) {
                throw OperationError("apply failed: \(error) (annotate it werf.io/delete-policy: before-creation-if-immutable to recreate it)")
            }
            throw OperationError("apply failed: \(error)")
        }
    }

    func deleteObject(_ resource: ResourceMetadata, propagation: DeleteOptions.Propagation) async throws {
        do {
            _ = try await client.delete(LiveReader.reference(resource), options: DeleteOptions(propagationPolicy: propagation))
        } catch {
            if error.isNotFound { return }
            throw OperationError("delete failed: \(error)")
        }
    }

    /// Waits until the object is gone (finalizers and foreground deletion take a while), from the
    /// watch: no polling. A kind the server no longer serves has nothing left to wait for.
    func waitForAbsence(_ resource: ResourceMetadata) async throws {
        let session = TrackingSession(client: client, options: trackingOptions, hub: hub)
        do {
            let result = try await session.run([TrackingRequest(resource.manifest, goal: .absent)])
            if let failure = result.failures.first {
                throw OperationError("waiting for deletion failed: \(failure.reasons.joined(separator: "; "))")
            }
        } catch let error as KubeError where error.kind == .unknownKind || error.isNotFound {
            return
        } catch let error as OperationError {
            throw error
        } catch {
            throw OperationError("waiting for deletion failed: \(error)")
        }
    }

    /// Watches a CRD (LIST + WATCH of its name) until `Established`, then makes discovery learn its kinds.
    func waitEstablished(_ resource: ResourceMetadata) async throws {
        let selector = ResourceSelector(apiVersion: resource.apiVersion, kind: resource.id.kind)
        let options = ListOptions(fieldSelector: "metadata.name=\(resource.id.name)")
        do {
            for try await event in client.informer(selector, options: options) {
                switch event {
                case .added(let crd), .modified(let crd):
                    // The name check also covers a server that ignores the field selector.
                    if crd[path: "metadata", "name"]?.stringValue == resource.id.name, Self.isEstablished(crd) { return await learnKinds(of: crd) }
                default:
                    continue
                }
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw OperationError("reading the CRD failed: \(error)")
        }
        try Task.checkCancellation()
        throw OperationError("the watch of the CRD ended before it was established")
    }

    static func isEstablished(_ crd: Value) -> Bool {
        let conditions = crd[path: "status", "conditions"]?.arrayValue ?? []
        return conditions.contains { $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True" }
    }

    /// A miss refetches the group version: later applies of the CRD's kinds find them.
    private func learnKinds(of crd: Value) async {
        let group = crd[path: "spec", "group"]?.stringValue ?? ""
        let kind = crd[path: "spec", "names", "kind"]?.stringValue ?? ""
        for version in crd[path: "spec", "versions"]?.arrayValue ?? [] where version["served"]?.boolValue != false {
            guard let name = version["name"]?.stringValue else { continue }
            _ = try? await client.resource(apiVersion: "\(group)/\(name)", kind: kind)
        }
    }

    /// The identity of an external dependency (`statefulset.v1.apps/pg`), resolved through discovery.
    func externalObject(_ dependency: ExternalDependency) async throws -> Value {
        let resource = try await ExternalResolver(client: client).resolve(dependency)
        var object: Value = ["apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind),
                             "metadata": ["name": .string(dependency.name)]]
        if resource.namespaced {
            object.set(["metadata", "namespace"], .string(dependency.namespace ?? options.namespace))
        }
        return object
    }
}

/// Resolves `type[.version.group]` as kubectl does: plural, singular, kind or short name.
struct ExternalResolver {
    let client: any KubeClient
    static let searchedGroups = ["", "apps", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
                                 "autoscaling", "storage.k8s.io", "apiextensions.k8s.io", "cert-manager.io"]

    func resolve(_ dependency: ExternalDependency) async throws -> APIResource {
        let type = dependency.type.lowercased()
        guard let discovery = (client as? HTTPKubeClient)?.discovery else {
            throw OperationError("resolving \(dependency.type) needs discovery")
        }
        let groups = dependency.group.map { [$0] } ?? Self.searchedGroups
        for group in groups {
            let version: String?
            if let v = dependency.version { version = v } else { version = try? await discovery.preferredVersion(group: group) }
            guard let version else { continue }
            let apiVersion = group.isEmpty ? version : "\(group)/\(version)"
            guard let resources = try? await discovery.resources(apiVersion: apiVersion) else { continue }
            if let found = resources.first(where: {
                !$0.name.contains("/") && ($0.name == type || $0.singularName == type || $0.kind.lowercased() == type || $0.shortNames.contains(type))
            }) {
                return found
            }
        }
        throw OperationError("external dependency \(dependency): the server has no resource type \"\(dependency.type)\"")
    }
}
