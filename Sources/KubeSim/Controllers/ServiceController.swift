import Foundation
import Structured

/// LoadBalancer Services get `status.loadBalancer.ingress` (an IP from 172.18.255.0/24) after
/// `loadBalancerDelay`, like a cloud or MetalLB controller; other types get an empty loadBalancer.
struct ServiceController: Reconciler {
    var name: String { "service-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        event.resource == Kinds.services.groupResource && event.type != .deleted ? [event.object.objectKey] : []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        guard let svc = try? await store.get(Kinds.services, namespace: key.namespace, name: key.name), !svc.isDeleting,
              svc[path: "spec", "type"]?.stringValue == "LoadBalancer" else { return nil }
        if svc[path: "status", "loadBalancer", "ingress"]?.arrayValue?.isEmpty == false { return nil }
        let created = svc[path: "metadata", "creationTimestamp"]?.stringValue.flatMap(Timestamp.parse) ?? context.clock.now()
        let wait = created.addingTimeInterval(context.options.loadBalancerDelay).timeIntervalSince(context.clock.now())
        if wait > 0 {
            if wait > context.options.loadBalancerDelay - 1 {
                await context.events.record(svc, reason: "EnsuringLoadBalancer", message: "Ensuring load balancer", component: "service-controller")
            }
            return wait
        }
        let used = await store.all(Kinds.services, namespace: nil).compactMap { $0[path: "status", "loadBalancer", "ingress"]?.arrayValue?.first?["ip"]?.stringValue }
        let ip = (10...250).map { "172.18.255.\($0)" }.first { !used.contains($0) } ?? "172.18.255.254"
        var status = svc.status
        status["loadBalancer"] = ["ingress": [["ip": .string(ip), "ipMode": "VIP"]]]
        await store.writeStatus(Kinds.services, svc, status)
        await context.events.record(svc, reason: "EnsuredLoadBalancer", message: "Ensured load balancer", component: "service-controller")
        return nil
    }
}

/// Endpoints and EndpointSlices of selector-based Services, from the pods that match: ready pods
/// as addresses, not-ready ones as notReadyAddresses (EndpointSlice conditions likewise).
struct EndpointsController: Reconciler {
    var name: String { "endpoint-controller" }

    func keys(for event: StoreEvent) -> [ObjectKey] {
        if event.resource == Kinds.services.groupResource { return [event.object.objectKey] }
        if event.resource == Kinds.pods.groupResource {
            // Any service of the namespace may select it; the namespace key fans out in reconcile.
            return [ObjectKey(namespace: event.object.namespace, name: "")]
        }
        return []
    }

    func reconcile(_ key: ObjectKey, _ context: SimContext) async -> Double? {
        let store = context.store
        let services: [Value]
        if key.name.isEmpty {
            services = await store.all(Kinds.services, namespace: key.namespace)
        } else if let svc = try? await store.get(Kinds.services, namespace: key.namespace, name: key.name) {
            services = [svc]
        } else {
            // Service gone: its Endpoints and slices are garbage collected or removed here.
            _ = try? await store.delete(Kinds.endpoints, namespace: key.namespace, name: key.name)
            return nil
        }
        let pods = await store.all(Kinds.pods, namespace: key.namespace).filter {
            PodState.isActive($0) && $0[path: "status", "podIP"]?.stringValue != nil
        }
        for svc in services where !svc.isDeleting {
            guard let selector = svc[path: "spec", "selector"]?.objectValue, !selector.isEmpty else { continue }
            let matching = pods.filter { p in selector.allSatisfy { p.labels[$0.key] == $0.value.stringValue } }
                .sorted { ($0[path: "status", "podIP"]?.stringValue ?? "") < ($1[path: "status", "podIP"]?.stringValue ?? "") }
            await writeEndpoints(svc, matching, context)
            await writeSlice(svc, matching, context)
        }
        return nil
    }

    private func ports(_ svc: Value, _ pod: Value?) -> [Value] {
        (svc[path: "spec", "ports"]?.arrayValue ?? []).map { port in
            var target = port["targetPort"] ?? port["port"] ?? 0
            if let name = target.stringValue, let pod {
                let containerPorts = (pod[path: "spec", "containers"]?.arrayValue ?? []).flatMap { $0["ports"]?.arrayValue ?? [] }
                target = containerPorts.first { $0["name"]?.stringValue == name }?["containerPort"] ?? 0
            }
            var p: Value = [:]
            if let name = port["name"] { p["name"] = name }
            p["port"] = target
            p["protocol"] = port["protocol"] ?? "TCP"
            if let app = port["appProtocol"] { p["appProtocol"] = app }
            return p
        }
    }

    private func address(_ pod: Value) -> Value {
        var a: Value = ["ip": pod[path: "status", "podIP"] ?? ""]
        if let node = pod[path: "spec", "nodeName"] { a["nodeName"] = node }
        a["targetRef"] = ["kind": "Pod", "namespace": .string(pod.namespace), "name": .string(pod.name), "uid": .string(pod.uid)]
        return a
    }

    private func writeEndpoints(_ svc: Value, _ pods: [Value], _ context: SimContext) async {
        let ready = pods.filter(PodState.isReady), notReady = pods.filter { !PodState.isReady($0) }
        var endpoints: Value = [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": .string(svc.name), "namespace": .string(svc.namespace), "labels": .object(svc[path: "metadata", "labels"]?.objectValue ?? [:])],
        ]
        if !pods.isEmpty {
            var subset: Value = [:]
            if !ready.isEmpty { subset["addresses"] = .array(ready.map(address)) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady.map(address)) }
            subset["ports"] = .array(ports(svc, pods.first))
            endpoints["subsets"] = [subset]
        }
        endpoints = ObjectStore.normalizeMetadata(endpoints)
        if let existing = try? await context.store.get(Kinds.endpoints, namespace: svc.namespace, name: svc.name) {
            if existing["subsets"] == endpoints["subsets"] && existing[path: "metadata", "labels"] == endpoints[path: "metadata", "labels"] { return }
            var updated = existing
            updated["subsets"] = endpoints["subsets"]
            updated.setMetadata("labels", endpoints[path: "metadata", "labels"])
            await context.store.overwrite(Kinds.endpoints, updated)
        } else {
            _ = try? await context.store.create(Kinds.endpoints, namespace: svc.namespace, object: endpoints)
        }
    }

    private func writeSlice(_ svc: Value, _ pods: [Value], _ context: SimContext) async {
        let store = context.store
        let existing = await store.all(Kinds.endpointSlices, namespace: svc.namespace).first {
            $0.labels["kubernetes.io/service-name"] == svc.name && $0.labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
        }
        let endpoints: [Value] = pods.map { pod in
            let ready = PodState.isReady(pod)
            var e: Value = ["addresses": [pod[path: "status", "podIP"] ?? ""],
                            "conditions": ["ready": .bool(ready), "serving": .bool(ready), "terminating": false]]
            if let node = pod[path: "spec", "nodeName"] { e["nodeName"] = node }
            e["targetRef"] = ["kind": "Pod", "namespace": .string(pod.namespace), "name": .string(pod.name), "uid": .string(pod.uid)]
            return e
        }
        var labels = svc[path: "metadata", "labels"]?.objectValue ?? [:]
        labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
        labels["kubernetes.io/service-name"] = .string(svc.name)
        if var slice = existing {
            let newPorts: Value = .array(ports(svc, pods.first))
            if slice["endpoints"] == .array(endpoints) && slice["ports"] == newPorts { return }
            slice["endpoints"] = .array(endpoints)
            slice["ports"] = newPorts
            await store.overwrite(Kinds.endpointSlices, slice)
        } else {
            let slice: Value = [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": ["generateName": .string(svc.name + "-"), "namespace": .string(svc.namespace), "labels": .object(labels),
                             "ownerReferences": [["apiVersion": "v1", "kind": "Service", "name": .string(svc.name), "uid": .string(svc.uid),
                                                  "controller": true, "blockOwnerDeletion": true]]],
                "addressType": "IPv4", "endpoints": .array(endpoints), "ports": .array(ports(svc, pods.first)),
            ]
            _ = try? await store.create(Kinds.endpointSlices, namespace: svc.namespace, object: slice)
        }
    }
}
