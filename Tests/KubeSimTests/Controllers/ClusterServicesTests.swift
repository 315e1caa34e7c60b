import Foundation
import Structured
import Testing
@testable import KubeSim

/// Nodes, CoreDNS, PVC binding, LoadBalancer Services, Endpoints/EndpointSlices, events.k8s.io mirror.
@Suite(.serialized) struct ClusterServicesTests {
    @Test func seedsNodesAndCoreDNSThatBecomeReady() async throws {
        try await SimulationHarness.with { sim in
            _ = await sim.eventually { await sim.list(Kinds.nodes, namespace: nil).count == 2 }
            let nodes = await sim.list(Kinds.nodes, namespace: nil)
            #expect(nodes.map(\.name) == ["kubesim-node-1", "kubesim-node-2"] && nodes.allSatisfy { $0.conditionIsTrue("Ready") })
            let dns = await sim.waitFor(Kinds.deployments, "coredns", namespace: "kube-system") { $0.int("status", "availableReplicas") == 2 }
            #expect(dns?.condition("Available")?["status"] == "True")
            let ep = await sim.waitFor(Kinds.endpoints, "kube-dns", namespace: "kube-system") {
                $0[path: "subsets"]?.arrayValue?.first?["addresses"]?.arrayValue?.count == 2
            }
            #expect(ep?[path: "subsets"]?.arrayValue?.first?["ports"]?.arrayValue?.count == 3)
            #expect(await sim.get(Kinds.services, "kube-dns", namespace: "kube-system")?[path: "spec", "clusterIP"] == "10.96.0.10")
        }
    }

    @Test func claimsBindImmediatelyOrOnFirstConsumer() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.pvcs, """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: now, namespace: default}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
                """)
            let bound = await sim.waitFor(Kinds.pvcs, "now") { $0[path: "status", "phase"] == "Bound" }
            let volume = try #require(bound?[path: "spec", "volumeName"]?.stringValue)
            #expect(volume == "pvc-\(bound!.uid)" && bound?[path: "status", "capacity", "storage"] == "2Gi")
            #expect(await sim.get(Kinds.pvs, volume)?[path: "spec", "claimRef", "name"] == "now")

            try await sim.create(Kinds.storageClasses, """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: lazy}
                provisioner: example.com/lazy
                volumeBindingMode: WaitForFirstConsumer
                """)
            try await sim.create(Kinds.pvcs, """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: later, namespace: default}
                spec: {storageClassName: lazy, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """)
            try await Task.sleep(for: .milliseconds(200))
            #expect(await sim.get(Kinds.pvcs, "later")?[path: "status", "phase"] == "Pending")
            try await sim.create(Kinds.pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: user, namespace: default}
                spec:
                  containers: [{name: c, image: busybox}]
                  volumes: [{name: d, persistentVolumeClaim: {claimName: later}}]
                """)
            let later = await sim.waitFor(Kinds.pvcs, "later") { $0[path: "status", "phase"] == "Bound" }
            #expect(later?.annotations["volume.kubernetes.io/selected-node"] != nil)
            #expect(await sim.waitFor(Kinds.pods, "user") { PodState.isReady($0) } != nil)
        }
    }

    @Test func loadBalancerGetsIngressAndEndpointsTrackReadiness() async throws {
        try await SimulationHarness.with { sim in
            try await sim.create(Kinds.services, """
                apiVersion: v1
                kind: Service
                metadata: {name: front, namespace: default}
                spec: {type: LoadBalancer, selector: {app: front}, ports: [{name: http, port: 80, targetPort: http}]}
                """)
            try await sim.create(Kinds.pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: front-a, namespace: default, labels: {app: front}}
                spec: {containers: [{name: c, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
                """)
            try await sim.create(Kinds.pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: front-b, namespace: default, labels: {app: front}, annotations: {kubesim.bosun.dev/behavior: never-ready}}
                spec: {containers: [{name: c, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
                """)
            let svc = await sim.waitFor(Kinds.services, "front") { $0[path: "status", "loadBalancer", "ingress"]?.arrayValue?.isEmpty == false }
            #expect(svc?[path: "status", "loadBalancer", "ingress"]?.arrayValue?.first?["ip"]?.stringValue?.hasPrefix("172.18.255.") == true)
            let ep = await sim.waitFor(Kinds.endpoints, "front") {
                $0[path: "subsets"]?.arrayValue?.first?["addresses"]?.arrayValue?.count == 1
                    && $0[path: "subsets"]?.arrayValue?.first?["notReadyAddresses"]?.arrayValue?.count == 1
            }
            #expect(ep?[path: "subsets"]?.arrayValue?.first?["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
            // The EndpointSlice is written after the Endpoints: wait for it too.
            let sliced = await sim.eventually {
                let slice = await sim.list(Kinds.endpointSlices).first(where: { $0.labels["kubernetes.io/service-name"] == "front" })
                return slice?.name.hasPrefix("front-") == true && slice?["endpoints"]?.arrayValue?.count == 2
            }
            #expect(sliced)
        }
    }

    @Test func eventsAreMirroredToEventsV1AndAggregated() async throws {
        try await SimulationHarness.with(scale: 50) { sim in
            try await sim.create(Kinds.pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: crash, namespace: default, annotations: {kubesim.bosun.dev/behavior: crashloop}}
                spec: {containers: [{name: c, image: busybox}]}
                """)
            let backOff = await sim.eventually {
                let e = await sim.event(for: "crash", reason: "BackOff")
                return (e?["count"]?.intValue ?? 0) >= 2
            }
            #expect(backOff)
            let event = try #require(await sim.event(for: "crash", reason: "BackOff"))
            #expect(event["type"] == "Warning" && event[path: "source", "component"] == "kubelet" && event[path: "involvedObject", "fieldPath"] == "spec.containers{c}")
            let mirrors = await sim.list(Kinds.eventsV1)
            let mirror = mirrors.first(where: { $0.name == event.name })
            #expect(mirror?["note"] == event["message"] && mirror?[path: "regarding", "name"] == "crash" && mirror?["reportingController"] == "kubelet")
            let pod = await sim.get(Kinds.pods, "crash")
            #expect((pod?[path: "status", "containerStatuses"]?.arrayValue?.first?["restartCount"]?.intValue ?? 0) >= 2)
        }
    }
}
