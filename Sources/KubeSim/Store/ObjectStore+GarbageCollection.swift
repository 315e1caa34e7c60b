import Structured

/// Storage indexes, owner-reference garbage collection and namespace termination.
extension ObjectStore {
    // MARK: - Storage, indexes, garbage collection

    func store(_ resource: GroupResource, _ key: ObjectKey, _ object: Value) {
        let ref = ObjectRef(resource: resource, key: key)
        if let old = objects[resource]?[key] { unindex(old, ref) }
        objects[resource, default: [:]][key] = object
        byUID[object.uid] = ref
        for owner in object.ownerReferences { if let uid = owner["uid"]?.stringValue { dependents[uid, default: []].insert(ref) } }
    }

    func unindex(_ object: Value, _ ref: ObjectRef) {
        for owner in object.ownerReferences {
            if let uid = owner["uid"]?.stringValue {
                dependents[uid]?.remove(ref)
                if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
            }
        }
    }

    /// Take an object out of storage for good, then let garbage collection react.
    func remove(_ resource: GroupResource, _ key: ObjectKey, _ object: Value) {
        let ref = ObjectRef(resource: resource, key: key)
        guard let stored = objects[resource]?[key] else { return }
        unindex(stored, ref)
        objects[resource]?[key] = nil
        byUID[stored.uid] = nil
        emit(StoreEvent(type: .deleted, resource: resource, object: object, previous: stored, resourceVersion: counter))
        if resource == Self.crds { crdRemoved(object) }
        // Background collection of dependents whose owners are all gone.
        for dependent in dependents[stored.uid] ?? [] {
            guard let child = objects[dependent.resource]?[dependent.key] else { continue }
            let liveOwners = child.ownerReferences.filter { ($0["uid"]?.stringValue).flatMap { byUID[$0] } != nil }
            if liveOwners.isEmpty, let type = registry.lookup(dependent.resource) {
                _ = try? delete(type, namespace: dependent.key.namespace, name: dependent.key.name,
                                options: DeleteOptions(propagationPolicy: .background))
            }
        }
        // A foreground-deleting owner waits for its blocking dependents; this one is gone.
        for owner in stored.ownerReferences {
            if let uid = owner["uid"]?.stringValue, let ownerRef = byUID[uid] { processFinalizers(ownerRef.resource, ownerRef.key) }
        }
        if resource.resource != "namespaces", !key.namespace.isEmpty { finishNamespaceIfEmpty(key.namespace) }
    }

    /// The garbage collector's share of finalizers: "orphan" and "foregroundDeletion" (and the slow
    /// finalizers of the fault plan, released after their delay).
    func processFinalizers(_ resource: GroupResource, _ key: ObjectKey) {
        guard let object = objects[resource]?[key], object.isDeleting, let type = registry.lookup(resource) else { return }
        scheduleSlowFinalizers(object, type, key)
        let refs = dependents[object.uid] ?? []
        if object.finalizers.contains("orphan") {
            for ref in refs {
                guard var child = objects[ref.resource]?[ref.key], let childType = registry.lookup(ref.resource) else { continue }
                let old = child
                let remaining = child.ownerReferences.filter { $0["uid"]?.stringValue != object.uid }
                child.setMetadata("ownerReferences", remaining.isEmpty ? nil : .array(remaining))
                _ = commitUpdate(childType, key: ref.key, old: old, new: child)
            }
            removeFinalizer("orphan", type, key)
            return
        }
        if object.finalizers.contains("foregroundDeletion") {
            var blocking = 0
            for ref in refs {
                guard let child = objects[ref.resource]?[ref.key], let childType = registry.lookup(ref.resource) else { continue }
                let blocks = child.ownerReferences.contains { $0["uid"]?.stringValue == object.uid && $0["blockOwnerDeletion"]?.boolValue == true }
                if blocks { blocking += 1 }
                if !child.isDeleting {
                    _ = try? delete(childType, namespace: ref.key.namespace, name: ref.key.name,
                                    options: DeleteOptions(propagationPolicy: blocks ? .foreground : .background))
                }
            }
            let stillBlocking = (dependents[object.uid] ?? []).contains { ref in
                objects[ref.resource]?[ref.key]?.ownerReferences.contains {
                    $0["uid"]?.stringValue == object.uid && $0["blockOwnerDeletion"]?.boolValue == true
                } ?? false
            }
            if !stillBlocking { removeFinalizer("foregroundDeletion", type, key) }
        }
    }

    func removeFinalizer(_ finalizer: String, _ type: ResourceType, _ key: ObjectKey) {
        guard let old = objects[type.groupResource]?[key] else { return }
        var object = old
        let rest = old.finalizers.filter { $0 != finalizer }
        object.setMetadata("finalizers", rest.isEmpty ? nil : .array(rest.map { .string($0) }))
        _ = commitUpdate(type, key: key, old: old, new: object)
    }

    // MARK: - Namespaces

    func deleteNamespace(_ old: Value, dryRun: Bool) throws(APIError) -> DeleteOutcome {
        var object = old
        if !old.isDeleting {
            object.setMetadata("deletionTimestamp", .string(Timestamp.now()))
            object.set(path: ["status", "phase"], to: "Terminating")
        }
        if dryRun { return .pending(object) }
        let type = Self.namespaceType
        let key = ObjectKey(namespace: "", name: old.name)
        if !old.isDeleting {
            _ = commitUpdate(type, key: key, old: old, new: object)
            for (resource, bucket) in objects where resource != Self.namespaces {
                guard let rtype = registry.lookup(resource), rtype.namespaced else { continue }
                for childKey in bucket.keys(namespace: key.name) {
                    _ = try? delete(rtype, namespace: childKey.namespace, name: childKey.name,
                                    options: DeleteOptions(propagationPolicy: .background))
                }
            }
        }
        finishNamespaceIfEmpty(key.name)
        if let current = objects[Self.namespaces]?[key] { return .pending(current) }
        return .pending(object)
    }

    func finishNamespaceIfEmpty(_ name: String) {
        let key = ObjectKey(namespace: "", name: name)
        guard let ns = objects[Self.namespaces]?[key], ns.isDeleting else { return }
        for (resource, bucket) in objects where resource != Self.namespaces {
            if bucket.count(namespace: name) > 0 { return }
        }
        counter += 1
        var final = ns
        final.setMetadata("resourceVersion", .string(String(counter)))
        remove(Self.namespaces, key, final)
    }
}

// MARK: - Slow finalizers (fault injection)

extension ObjectStore {
    /// The finalizer a slow-finalizer fault adds: like a controller's cleanup that takes `seconds`,
    /// it is removed that long after the object is marked for deletion.
    public static func slowFinalizer(seconds: Double) -> String {
        slowFinalizerPrefix + (seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) + "s"
    }

    static let slowFinalizerPrefix = "kubesim.io/release-after-"

    /// Release the object's slow finalizers after their delays (once per finalizer: a later delete
    /// of the same terminating object does not restart the clock).
    func scheduleSlowFinalizers(_ object: Value, _ type: ResourceType, _ key: ObjectKey) {
        for finalizer in object.finalizers where finalizer.hasPrefix(Self.slowFinalizerPrefix) {
            let uid = object.uid
            guard slowReleases.insert(uid + " " + finalizer).inserted,
                  let seconds = Double(finalizer.dropFirst(Self.slowFinalizerPrefix.count).dropLast()) else { continue }
            Task { [weak self] in
                try? await Task.sleep(for: .seconds(seconds))
                await self?.releaseSlowFinalizer(finalizer, type, key, uid: uid)
            }
        }
    }

    private func releaseSlowFinalizer(_ finalizer: String, _ type: ResourceType, _ key: ObjectKey, uid: String) {
        slowReleases.remove(uid + " " + finalizer)
        guard let object = objects[type.groupResource]?[key], object.uid == uid else { return }
        removeFinalizer(finalizer, type, key)
    }
}
