import Foundation
import Structured

/// How the simulated cluster behaves: which nodes exist, how fast pods start, the clock.
public struct SimulationOptions: Sendable {
    /// Ready nodes created at start.
    public var nodes: [String]
    /// Simulated seconds from scheduling (or from the previous init container) to a container running.
    public var podStartDelay: Double
    /// Simulated seconds before a LoadBalancer Service gets an ingress IP.
    public var loadBalancerDelay: Double
    /// Seed the `coredns` Deployment and `kube-dns` Service in kube-system, and the `standard` StorageClass.
    public var seedSystemObjects: Bool
    public var clock: SimClock

    public init(nodes: [String] = ["kubesim-node-1", "kubesim-node-2"], podStartDelay: Double = 0.5,
                loadBalancerDelay: Double = 1, seedSystemObjects: Bool = true, clock: SimClock = SimClock()) {
        self.nodes = nodes
        self.podStartDelay = podStartDelay
        self.loadBalancerDelay = loadBalancerDelay
        self.seedSystemObjects = seedSystemObjects
        self.clock = clock
    }
}

/// The controllers and kubelet of one simulated cluster, and the runtime the log endpoint reads.
public struct ClusterSimulation: Sendable {
    public let options: SimulationOptions
    public let runtime: KubeletRuntime

    public init(_ options: SimulationOptions = SimulationOptions()) {
        self.options = options
        runtime = KubeletRuntime(options: options)
    }

    /// Every controller, ready for `KubeSimServer.Options.controllers` (the server adds them itself
    /// when `Options.simulation` is set).
    public func controllers() -> [any Controller] {
        [SimulationController(simulation: self)]
    }
}

/// Seeds the cluster, then runs every reconciler sharing one event recorder.
struct SimulationController: Controller {
    let simulation: ClusterSimulation
    var name: String { "simulation" }

    func run(store: ObjectStore) async {
        let options = simulation.options
        await store.setGracefulPodDeletion(true)  // this kubelet finishes pod deletions
        await ClusterSeed.seed(store, options: options)
        let events = EventRecorder(store: store, clock: options.clock)
        let reconcilers: [any Reconciler] = [
            Kubelet(runtime: simulation.runtime), ReplicaSetController(), DeploymentController(), StatefulSetController(),
            DaemonSetController(), JobController(), CronJobController(), PersistentVolumeBinder(), ServiceController(),
            EndpointsController(),
        ]
        await withDiscardingTaskGroup { group in
            for reconciler in reconcilers {
                group.addTask { await Self.run(reconciler, store: store, options: options, events: events) }
            }
        }
    }

    private static func run<R: Reconciler>(_ reconciler: R, store: ObjectStore, options: SimulationOptions, events: EventRecorder) async {
        await ReconcilingController(reconciler: reconciler, options: options, events: events).run(store: store)
    }
}

/// Objects a fresh cluster has: nodes, CoreDNS, the default StorageClass.
enum ClusterSeed {
    static func seed(_ store: ObjectStore, options: SimulationOptions) async {
        let now = options.clock.timestamp()
        for (i, name) in options.nodes.enumerated() where (try? await store.get(Kinds.nodes, namespace: nil, name: name)) == nil {
            _ = try? await store.create(Kinds.nodes, namespace: nil, object: node(name, index: i, now: now))
        }
        guard options.seedSystemObjects else { return }
        if (try? await store.get(Kinds.storageClasses, namespace: nil, name: "standard")) == nil {
            _ = try? await store.create(Kinds.storageClasses, namespace: nil, object: [
                "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": ["name": "standard", "annotations": ["storageclass.kubernetes.io/is-default-class": "true"]],
                "provisioner": "kubesim.bosun.dev/hostpath", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate",
            ])
        }
        let labels: Value = ["k8s-app": "kube-dns"]
        if (try? await store.get(Kinds.deployments, namespace: "kube-system", name: "coredns")) == nil {
            _ = try? await store.create(Kinds.deployments, namespace: "kube-system", object: [
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "coredns", "namespace": "kube-system", "labels": labels],
                "spec": [
                    "replicas": 2, "selector": ["matchLabels": labels],
                    "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": 1]],
                    "template": [
                        "metadata": ["labels": labels],
                        "spec": [
                            "priorityClassName": "system-cluster-critical", "serviceAccountName": "coredns",
                            "containers": [[
                                "name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.12.1", "args": ["-conf", "/etc/coredns/Corefile"],
                                "ports": [["containerPort": 53, "name": "dns", "protocol": "UDP"], ["containerPort": 53, "name": "dns-tcp", "protocol": "TCP"],
                                          ["containerPort": 9153, "name": "metrics", "protocol": "TCP"]],
                            ]],
                        ],
                    ],
                ],
            ])
        }
        if (try? await store.get(Kinds.services, namespace: "kube-system", name: "kube-dns")) == nil {
            _ = try? await store.create(Kinds.services, namespace: "kube-system", object: [
                "apiVersion": "v1", "kind": "Service",
                "metadata": ["name": "kube-dns", "namespace": "kube-system",
                             "labels": ["k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"]],
                "spec": ["selector": labels, "clusterIP": "10.96.0.10",
                         "ports": [["name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53],
                                   ["name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53],
                                   ["name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153]]],
            ])
        }
    }

    static func node(_ name: String, index: Int, now: String) -> Value {
        let base: [Value] = [
            ["type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"],
            ["type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure"],
            ["type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available"],
            ["type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"],
        ]
        let ready = base.map { condition -> Value in
            var c = condition
            c["lastHeartbeatTime"] = .string(now)
            c["lastTransitionTime"] = .string(now)
            return c
        }
        let resources: Value = ["cpu": "8", "ephemeral-storage": "102350Mi", "hugepages-2Mi": "0", "memory": "16Gi", "pods": "110"]
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": [
                "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux",
            ]],
            "spec": ["podCIDR": .string("10.244.\(index + 1).0/24"), "podCIDRs": [.string("10.244.\(index + 1).0/24")],
                     "providerID": .string("kubesim://\(name)")],
            "status": [
                "addresses": [["type": "InternalIP", "address": .string("172.18.0.\(index + 2)")],
                              ["type": "Hostname", "address": .string(name)]],
                "allocatable": resources, "capacity": resources, "conditions": .array(ready),
                "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
                "nodeInfo": ["architecture": "amd64", "bootID": .string(UUIDSource.next()), "containerRuntimeVersion": "containerd://2.1.3",
                             "kernelVersion": "6.8.0-kubesim", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0",
                             "machineID": .string(UUIDSource.next().replacingOccurrences(of: "-", with: "")),
                             "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)",
                             "systemUUID": .string(UUIDSource.next())],
            ],
        ]
    }
}
