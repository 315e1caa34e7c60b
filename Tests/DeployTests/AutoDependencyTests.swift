import Charts
import Foundation
import Kube
import SimClusterSupport
import Structured
import Testing
import TestSupport

@testable import Deploy

/// Nelm's automatic deploy dependencies: what a manifest refers to, and the apply order they give.
@Suite struct AutoDependencyTests {
    func resources(_ yaml: String) throws -> [ResourceMetadata] { try manifestSet(yaml).resources }

    func dependencies(_ yaml: String, of name: String) throws -> [String] {
        let all = try resources(yaml)
        let resource = try #require(all.first { $0.id.name == name })
        return AutoDependency.of(resource, among: all).map(\.description)
    }

    @Test func workloadReferences() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  serviceAccountName: runner
                  priorityClassName: high
                  runtimeClassName: fast
                  nodeName: node-1
                  imagePullSecrets: [{name: pull}]
                  initContainers:
                    - name: init
                      envFrom: [{configMapRef: {name: init-env}}, {secretRef: {name: init-secret, optional: true}}]
                  containers:
                    - name: app
                      env:
                        - {name: A, valueFrom: {configMapKeyRef: {name: settings, key: a}}}
                        - {name: B, valueFrom: {secretKeyRef: {name: token, key: b, optional: true}}}
                        - {name: C, valueFrom: {secretKeyRef: {name: password, key: c}}}
                        - {name: D, value: plain}
                      envFrom: [{secretRef: {name: env-secret}}]
                  resourceClaims: [{name: gpu, resourceClaimTemplateName: gpu-template}, {name: old, source: {resourceClaimName: old-claim}}]
                  volumes:
                    - {name: a, configMap: {name: files}}
                    - {name: b, secret: {secretName: certs}}
                    - {name: c, secret: {secretName: maybe, optional: true}}
                    - {name: d, persistentVolumeClaim: {claimName: data}}
                    - {name: e, emptyDir: {}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: runner-can-read}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects: [{kind: ServiceAccount, name: runner}, {kind: User, name: someone}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: other-sa}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: ServiceAccount, name: runner, namespace: elsewhere}]
            """
        #expect(try dependencies(yaml, of: "web") == [
            "ConfigMap/app/settings", "Secret/app/password", "Secret/app/env-secret", "ConfigMap/app/init-env",
            "Secret/app/pull", "Node/node-1", "PriorityClass/high", "ResourceClaimTemplate.resource.k8s.io/app/gpu-template",
            "ResourceClaim.resource.k8s.io/app/old-claim", "RuntimeClass/fast", "ServiceAccount/app/runner",
            "RoleBinding/app/runner-can-read", "ConfigMap/app/files", "Secret/app/certs", "PersistentVolumeClaim/app/data",
        ])
        #expect(try dependencies(yaml, of: "runner-can-read") == ["Role/app/reader", "ServiceAccount/app/runner"])
        #expect(try dependencies(yaml, of: "other-sa") == ["ClusterRole/view", "ServiceAccount/elsewhere/runner"])
    }

    @Test func otherKindsWithPodsAndTargets() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec: {serviceName: db-headless, template: {spec: {serviceAccount: db}}}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec: {jobTemplate: {spec: {template: {spec: {volumes: [{name: v, configMap: {name: script}}]}}}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec: {containers: [{name: c, envFrom: [{configMapRef: {name: pod-env, optional: true}}]}]}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: scale-web}
            spec: {scaleTargetRef: {name: web}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: plain}
            """
        #expect(try dependencies(yaml, of: "db") == ["Service/app/db-headless", "ServiceAccount/app/db"])
        #expect(try dependencies(yaml, of: "nightly") == ["ConfigMap/app/script"])
        #expect(try dependencies(yaml, of: "p") == [])
        #expect(try dependencies(yaml, of: "scale-web") == ["Deployment/app/web"])
        #expect(try dependencies(yaml, of: "plain") == [])
    }

    /// Kinds Helm sorts late (RuntimeClass, Node, custom kinds) move up to just before their first
    /// dependent; everything else keeps Helm's kind order.
    @Test func installOrderPutsTargetsBeforeTheirDependents() throws {
        let all = try resources("""
            apiVersion: node.k8s.io/v1
            kind: RuntimeClass
            metadata: {name: fast}
            handler: runc
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: unused-node}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec: {template: {spec: {runtimeClassName: fast, serviceAccountName: runner}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: runner}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            """)
        let sorted = KindOrderSorting.install(all)
        #expect(sorted.map(\.id.name) == ["runner", "web", "web", "api", "unused-node", "fast"])
        let ordered = AutoDependency.installOrder(sorted)
        #expect(ordered.map { "\($0.id.kind)/\($0.id.name)" } == [
            "ServiceAccount/runner", "Service/web", "RuntimeClass/fast", "Deployment/web", "Deployment/api", "Node/unused-node",
        ])
        // Nothing to move: the order is Helm's.
        let plain = Array(sorted.filter { $0.id.kind != "RuntimeClass" })
        #expect(AutoDependency.installOrder(plain).map(\.id) == plain.map(\.id))
    }

    /// The planner applies the target's kind step before the dependent's; without the dependency
    /// the RuntimeClass (an unknown kind to Helm) would be applied last.
    @Test func plannerAppliesTheTargetFirst() throws {
        let set = try manifestSet("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec: {template: {spec: {runtimeClassName: fast}}}
            ---
            apiVersion: node.k8s.io/v1
            kind: RuntimeClass
            metadata: {name: fast}
            handler: runc
            ---
            apiVersion: node.k8s.io/v1
            kind: RuntimeClass
            metadata: {name: spare}
            handler: runc
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, annotations: {werf.io/weight: "5"}}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan.orders("create RuntimeClass/fast", before: "create Deployment/app/web"))
        #expect(plan.orders("create Deployment/app/web", before: "create RuntimeClass/spare"))
        #expect(plan.orders("track Deployment/app/web", before: "create ConfigMap/app/settings"))
    }

    /// End to end on kubesim: the audit log shows the Node a Pod is pinned to created first, and a
    /// RoleBinding's Role before it, though Helm's kind order puts Node after Pod.
    @Test func convergeCreatesTargetsFirst() async throws {
        let directory = try makeTemporaryDirectory("auto-deps")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chart = directory + "/pinned"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: pinned\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try """
            apiVersion: v1
            kind: Pod
            metadata:
              name: pinned
              annotations: {werf.io/track-termination-mode: NonBlocking}
            spec:
              nodeName: bosun-test-node
              containers: [{name: app, image: busybox}]
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: bosun-test-node}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: free
              annotations: {werf.io/track-termination-mode: NonBlocking}
            spec:
              containers: [{name: app, image: busybox}]

            """.write(toFile: chart + "/templates/pods.yaml", atomically: true, encoding: .utf8)
        try await SimCluster.with { sim in
            let deployer = ReleaseDeployer(client: sim.client, store: sim.store(),
                                           options: DeployOptions(releaseName: "pinned", namespace: "default", timeout: 60))
            _ = try await deployer.converge(ChartInput(path: chart), events: { _ in })
            let writes = try sim.writes().filter { ["Pod", "Node"].contains($0.kind) && $0.verb == "patch" }.map { "\($0.kind)/\($0.name)" }
            #expect(writes == ["Node/bosun-test-node", "Pod/pinned", "Pod/free"] || writes == ["Node/bosun-test-node", "Pod/free", "Pod/pinned"])
            #expect(writes.firstIndex(of: "Node/bosun-test-node")! < writes.firstIndex(of: "Pod/pinned")!)
        }
    }
}

/// Helm's install kind order, as the planner sorts a weight group before dependencies adjust it.
enum KindOrderSorting {
    static func install(_ resources: [ResourceMetadata]) -> [ResourceMetadata] {
        Charts.KindOrder.install.sorted(resources) { $0.id.kind }
    }
}
