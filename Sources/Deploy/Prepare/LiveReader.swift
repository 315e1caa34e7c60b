import Kube
import Structured

/// The read phase: GET every object the deploy touches, then dry-run apply the desired ones that
/// exist to learn what would change. Reads run in parallel; nothing is written.
struct LiveReader: Sendable {
    let client: any KubeClient
    let fieldManager: String
    let parallelism: Int

    struct Result: Sendable {
        var live: [ResourceID: Value] = [:]
        var dryRun: [ResourceID: DryRunOutcome] = [:]
    }

    static func reference(_ resource: ResourceMetadata) -> ObjectReference {
        ObjectReference(apiVersion: resource.apiVersion, kind: resource.id.kind, namespace: resource.id.namespace, name: resource.id.name)
    }

    /// `dryRunIDs`: the resources whose desired manifest is dry-run applied when they exist.
    func read(_ resources: [ResourceMetadata], dryRunIDs: Set<ResourceID>) async throws(DeployError) -> Result {
        let client = self.client
        let manager = fieldManager
        let outcomes = await boundedMap(resources, limit: parallelism) { resource -> Swift.Result<(Value?, DryRunOutcome?), DeployError> in
            let object: Value
            do throws(KubeError) {
                object = try await client.get(Self.reference(resource))
            } catch {
                // Absent, or a kind not served yet (its CRD comes with this deploy).
                if error.isNotFound || error.kind == .unknownKind { return .success((nil, nil)) }
                return .failure(.cluster("reading \(resource.id) failed: \(error)"))
            }
            guard dryRunIDs.contains(resource.id) else { return .success((object, nil)) }
            do throws(KubeError) {
                let result = try await client.apply(resource.manifest, options: ApplyOptions(fieldManager: manager, force: true, dryRun: true))
                return .success((object, .applied(result)))
            } catch {
                if error.kind == .transport || error.kind == .timeout {
                    return .failure(.cluster("dry-run apply of \(resource.id) failed: \(error)"))
                }
                return .success((object, .failed(message: error.description, immutable: Self.isImmutable(error))))
            }
        }
        var result = Result()
        for (resource, outcome) in zip(resources, outcomes) {
            switch outcome {
            case .failure(let error): throw error
            case .success((let object, let dryRun)):
                if let object { result.live[resource.id] = object }
                if let dryRun { result.dryRun[resource.id] = dryRun }
            }
        }
        return result
    }

    static func isImmutable(_ error: KubeError) -> Bool {
        guard error.isInvalid else { return false }
        return error.message.contains("immutable") || (error.status?.causes ?? []).contains { $0.message.contains("immutable") }
    }

    /// What the dry run says will change, comparing the object before and after without the fields
    /// the server maintains (managedFields, resourceVersion, generation, status).
    static func change(live: Value, dryRun: DryRunOutcome?) -> LiveObject.Change {
        switch dryRun {
        case nil: return .unknown
        case .failed(_, let immutable)?: return immutable ? .immutableConflict : .unknown
        case .applied(let after)?:
            return normalized(live).sameContent(as: normalized(after)) ? .unchanged : .changed
        }
    }

    static func normalized(_ object: Value) -> Value {
        var o = object
        o["status"] = nil
        var metadata = o["metadata"] ?? .emptyObject
        for key in ["managedFields", "resourceVersion", "generation"] { metadata[key] = nil }
        o["metadata"] = metadata
        return o
    }
}
