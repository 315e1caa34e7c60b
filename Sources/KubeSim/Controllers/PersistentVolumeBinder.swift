import Foundation
import Structured

/// Dynamic provisioning: a Pending claim gets a PersistentVolume `pvc-<uid>` and both become Bound,
/// at once for Immediate storage classes, and only once a scheduled pod uses the claim for
/// WaitForFirstConsumer ones.
struct PersistentVolumeBinder: Reconciler {
    var name: String { "persistentvolume-binder" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.pvcs.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.pods.groupResource, event.type != .deleted {
            return (event.object[path: "spec", "volumes"]?.arrayValue ?? []).compactMap {
                $0[path: "persistentVolumeClaim", "claimName"]?.stringValue.map { ObjectKey(namespace: event.object.namespace, name: $0) }
            }
        }
        return []
    }

    static func storageClass(_ pvc: Value, _ store: ObjectStore) async -> Value? {
        if let name = pvc[path: "spec", "storageClassName"]?.stringValue {
            return name.isEmpty ? nil : try? await store.get(Kinds.storageClasses, namespace: nil, name: name)
        }
        return await store.all(Kinds.storageClasses, namespace: nil).first {
            $0.annotations["storageclass.kubernetes.io/is-default-class"] == "true"
        }
    }

    static func bindingMode(_ pvc: Value, _ store: ObjectStore) async -> String {
        await storageClass(pvc, store)?["volumeBindingMode"]?.stringValue ?? "Immediate"
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard var pvc = try? await store.get(Kinds.pvcs, namespace: key.namespace, name: key.name), !pvc.isDeleting,
              pvc[path: "status", "phase"]?.stringValue != "Bound" else { return nil }
        let explicitVolume = pvc[path: "spec", "volumeName"]?.stringValue
        guard let sc = await Self.storageClass(pvc, store) else {
            if pvc[path: "status", "phase"] == nil { await store.writeStatus(Kinds.pvcs, pvc, ["phase": "Pending"]) }
            if explicitVolume == nil {
                await context.events.record(pvc, reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set", component: "persistentvolume-controller")
            }
            return nil
        }
        if sc["volumeBindingMode"]?.stringValue == "WaitForFirstConsumer" {
            let consumer = await store.all(Kinds.pods, namespace: key.namespace).first { pod in
                (pod[path: "spec", "nodeName"]?.stringValue).map { !$0.isEmpty } == true
                    && (pod[path: "spec", "volumes"]?.arrayValue ?? []).contains { $0[path: "persistentVolumeClaim", "claimName"]?.stringValue == key.name }
            }
            guard let consumer else {
                if pvc[path: "status", "phase"] == nil {
                    await store.writeStatus(Kinds.pvcs, pvc, ["phase": "Pending"])
                    await context.events.record(pvc, reason: "WaitForFirstConsumer", message: "waiting for first consumer to be created before binding", component: "persistentvolume-controller")
                }
                return nil
            }
            var annotations = pvc[path: "metadata", "annotations"]?.objectValue ?? [:]
            annotations["volume.kubernetes.io/selected-node"] = consumer[path: "spec", "nodeName"]
            pvc.setMetadata("annotations", .object(annotations))
        }
        let provisioner = sc["provisioner"]?.stringValue ?? "kubesim.bosun.dev/hostpath"
        let pvName = explicitVolume ?? "pvc-\(pvc.uid)"
        let storage = pvc[path: "spec", "resources", "requests", "storage"] ?? "1Gi"
        let modes = pvc[path: "spec", "accessModes"] ?? ["ReadWriteOnce"]
        if (try? await store.get(Kinds.pvs, namespace: nil, name: pvName)) == nil {
            await context.events.record(pvc, reason: "Provisioning", message: "External provisioner is provisioning volume for claim \"\(key.namespace)/\(key.name)\"", component: "\(provisioner)_kubesim")
            let pv: Value = [
                "apiVersion": "v1", "kind": "PersistentVolume",
                "metadata": ["name": .string(pvName), "annotations": ["pv.kubernetes.io/provisioned-by": .string(provisioner)],
                             "finalizers": ["kubernetes.io/pv-protection"]],
                "spec": ["accessModes": modes, "capacity": ["storage": storage],
                         "claimRef": ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": .string(key.name),
                                      "namespace": .string(key.namespace), "uid": .string(pvc.uid)],
                         "hostPath": ["path": .string("/var/kubesim/\(pvName)"), "type": ""],
                         "persistentVolumeReclaimPolicy": sc["reclaimPolicy"] ?? "Delete", "storageClassName": .string(sc.name),
                         "volumeMode": pvc[path: "spec", "volumeMode"] ?? "Filesystem"],
            ]
            if let created = try? await store.create(Kinds.pvs, namespace: nil, object: pv) {
                await store.writeStatus(Kinds.pvs, created, ["phase": "Bound", "lastPhaseTransitionTime": .string(context.clock.timestamp())])
            }
            await context.events.record(pvc, reason: "ProvisioningSucceeded", message: "Successfully provisioned volume \(pvName)", component: "\(provisioner)_kubesim")
        }
        var annotations = pvc[path: "metadata", "annotations"]?.objectValue ?? [:]
        annotations["pv.kubernetes.io/bind-completed"] = "yes"
        annotations["pv.kubernetes.io/bound-by-controller"] = "yes"
        annotations["volume.beta.kubernetes.io/storage-provisioner"] = .string(provisioner)
        annotations["volume.kubernetes.io/storage-provisioner"] = .string(provisioner)
        pvc.setMetadata("annotations", .object(annotations))
        pvc.set(path: ["spec", "volumeName"], to: .string(pvName))
        if pvc[path: "spec", "storageClassName"] == nil { pvc.set(path: ["spec", "storageClassName"], to: .string(sc.name)) }
        guard let bound = await store.overwrite(Kinds.pvcs, pvc) else { return 1 }
        await store.writeStatus(Kinds.pvcs, bound, ["phase": "Bound", "accessModes": modes, "capacity": ["storage": storage]])
        return nil
    }
}
