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
        case .barrier, .track:
            return nil
        case .create:
            _ = try await applyObject(try need(resource, op))
            return op.resource
        case .update, .apply, .createCRD, .applyHook:
            _ = try await applyObject(try need(resource, op))
            return nil
        case .recreate:
            let resource = try need(resource, op)
            try await deleteObject(resource, propagation: .foreground)
            try await waitForAbsence(resource)
            _ = try await applyObject(resource)
            return nil
        case .delete, .deleteHook:
            let resource = try need(resource, op)
            try await deleteObject(resource, propagation: resource.isHook ? .background : .foreground)
            return nil
        case .trackAbsence:
            try await waitForAbsence(try need(resource, op))
            return nil
        case .waitEstablished:
            try await waitEstablished(try need(resource, op))
            return nil
        case .trackHook:
            let resource = try need(resource, op)
            let state = try await finalState(of: resource.manifest, continuation)
            if state.phase == .failed {
                if op.deleteOnFailure { try? await deleteObject(resource, propagation: .background) }
                let reasons = state.errors.map(\.description).joined(separator: "; ")
                throw OperationError("hook failed: \(reasons.isEmpty ? "see its status" : reasons)")
            }
            return nil
        case .waitExternalDependency:
            guard let external = op.external else { return nil }
            let stub = try await externalObject(external)
            let state = try await finalState(of: stub, continuation)
            if state.phase == .failed {
                throw OperationError("external dependency failed: \(state.errors.map(\.description).joined(separator: "; "))")
            }
            return nil
        @unknown default:
            return nil
        }
    }

    private func need(_ resource: ResourceMetadata?, _ op: Operation) throws -> ResourceMetadata {
        guard let resource else { throw OperationError("\(op.id): no manifest in the plan") }
        return resource
    }

    /// Server-side apply with Bosun's field manager, forcing ownership of the fields we set.
    func applyObject(_ resource: ResourceMetadata) async throws -> Value {
        do {
            return try await client.apply(resource.manifest, options: ApplyOptions(fieldManager: options.fieldManager, force: true))
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

    /// Polls until the object is gone (finalizers and foreground deletion take a while).
    func waitForAbsence(_ resource: ResourceMetadata) async throws {
        var delay = 0.05
        while true {
            do {
                _ = try await client.get(LiveReader.reference(resource))
            } catch {
                if error.isNotFound || error.kind == .unknownKind { return }
                throw OperationError("waiting for deletion failed: \(error)")
            }
            try await Task.sleep(for: .seconds(delay))
            delay = min(delay * 2, 1)
        }
    }

    /// Polls a CRD until `Established`, then makes discovery learn its kinds.
    func waitEstablished(_ resource: ResourceMetadata) async throws {
        var delay = 0.05
        while true {
            let crd: Value
            do { crd = try await client.get(LiveReader.reference(resource)) } catch {
                throw OperationError("reading the CRD failed: \(error)")
            }
            let conditions = crd[path: "status", "conditions"]?.arrayValue ?? []
            if conditions.contains(where: { $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True" }) {
                let group = crd[path: "spec", "group"]?.stringValue ?? ""
                let kind = crd[path: "spec", "names", "kind"]?.stringValue ?? ""
                for version in crd[path: "spec", "versions"]?.arrayValue ?? [] where version["served"]?.boolValue != false {
                    guard let name = version["name"]?.stringValue else { continue }
                    // A miss refetches the group version: later applies of this kind find it.
                    _ = try? await client.resource(apiVersion: "\(group)/\(name)", kind: kind)
                }
                return
            }
            try await Task.sleep(for: .seconds(delay))
            delay = min(delay * 2, 1)
        }
    }

    /// Runs a tracking session on one object until it is ready or failed, passing its events on.
    func finalState(of object: Value, _ continuation: AsyncStream<Message>.Continuation) async throws -> ResourceState {
        let target = Tracking.ResourceID(object)
        // A session that ends without a verdict (its watches closed under load) is started again.
        for _ in 0..<5 {
            let stream = try TrackingSession(client: client).track([object])
            for try await event in stream {
                continuation.yield(.event(.tracking(event)))
                if case .state(let id, let state) = event, id == target, state.phase != .progressing { return state }
            }
            try Task.checkCancellation()
        }
        throw OperationError("tracking ended before a final state")
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
