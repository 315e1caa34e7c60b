import Foundation
import Structured
import Testing
import TestSupport
@testable import KubeSim

/// Real helm 4 (server-side apply) and helm 3 (create + three-way strategic merge patch) against
/// kubesim: the release lifecycle a real cluster supports, observed through helm and kubectl.
@Suite(.serialized) struct HelmFidelityTests {
    static let chart = SimCluster.fixture("charts/demo")

    func lifecycle(_ helm: Oracle) async throws {
        try await SimCluster.with { sim in
            let install = try await sim.run(helm, ["install", "demo", Self.chart, "-n", "default"])
            #expect(install.succeeded, "\(install.stderr)")
            #expect(install.stdout.contains("NAME: demo\n"))
            #expect(install.stdout.contains("STATUS: deployed\nREVISION: 1\n"))

            let config = try await sim.kubectlJSON("get", "configmap", "demo-config")
            #expect(config[path: "data", "message"] == "hello")
            #expect(config[path: "metadata", "labels", "app.kubernetes.io/managed-by"] == "Helm")
            #expect(config[path: "metadata", "annotations", "meta.helm.sh/release-name"] == "demo")
            let release = try await sim.kubectlJSON("get", "secret", "sh.helm.release.v1.demo.v1")
            #expect(release["type"] == "helm.sh/release.v1")
            #expect(release[path: "metadata", "labels", "status"] == "deployed")

            let upgrade = try await sim.run(helm, ["upgrade", "demo", Self.chart, "-n", "default", "--set", "message=changed", "--set", "replicas=2"])
            #expect(upgrade.succeeded, "\(upgrade.stderr)")
            #expect(upgrade.stdout.contains("STATUS: deployed\nREVISION: 2\n"))
            let changed = try await sim.kubectlJSON("get", "configmap", "demo-config")
            #expect(changed[path: "data", "message"] == "changed")
            let deployment = try await sim.kubectlJSON("get", "deployment", "demo-web")
            #expect(deployment[path: "spec", "replicas"] == 2)
            #expect(deployment[path: "metadata", "generation"] == 2)
            let env = deployment[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["env"]
            #expect(env == [["name": "MESSAGE", "value": "changed"]])

            let list = try await sim.run(helm, ["list", "-n", "default"])
            let rows = list.stdout.split(separator: "\n").map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
            #expect(rows.first == ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"])
            #expect(rows.count == 2 && rows[1][0] == "demo" && rows[1][2] == "2" && rows[1][4] == "deployed" && rows[1][5] == "demo-0.1.0")

            let history = try await sim.run(helm, ["history", "demo", "-n", "default"])
            let historyRows = history.stdout.split(separator: "\n").map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
            #expect(historyRows.count == 3)
            #expect(historyRows[1][2] == "superseded" && historyRows[2][2] == "deployed")

            let rollback = try await sim.run(helm, ["rollback", "demo", "1", "-n", "default"])
            #expect(rollback.succeeded, "\(rollback.stderr)")
            #expect(rollback.stdout == "Rollback was a success! Happy Helming!\n")
            let rolled = try await sim.kubectlJSON("get", "configmap", "demo-config")
            #expect(rolled[path: "data", "message"] == "hello")
            let rolledDeployment = try await sim.kubectlJSON("get", "deployment", "demo-web")
            #expect(rolledDeployment[path: "spec", "replicas"] == 1)

            let uninstall = try await sim.run(helm, ["uninstall", "demo", "-n", "default"])
            #expect(uninstall.succeeded, "\(uninstall.stderr)")
            #expect(uninstall.stdout == "release \"demo\" uninstalled\n")
            let gone = try await sim.kubectl("get", "deployment,service,secret", "-l", "app=demo")
            #expect(gone.stderr == "No resources found in default namespace.\n")
            let after = try await sim.run(helm, ["list", "-n", "default", "-q"])
            #expect(after.stdout == "")
        }
    }

    @Test func helm4Lifecycle() async throws { try await lifecycle(.helm4) }
    @Test func helm3Lifecycle() async throws { try await lifecycle(.helm3) }

    func crdChart(_ helm: Oracle) async throws {
        try await SimCluster.with { sim in
            let install = try await sim.run(helm, ["install", "w", SimCluster.fixture("charts/widgets"), "-n", "default"])
            #expect(install.succeeded, "\(install.stderr)")
            let crd = try await sim.kubectlJSON("get", "crd", "widgets.example.com")
            let established = crd[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Established" }
            #expect(established?["status"] == "True")
            let widget = try await sim.kubectlJSON("get", "widgets", "w-widget")
            #expect(widget[path: "spec", "size"] == 3)
            let short = try await sim.kubectl("get", "wd")
            #expect(short.stdout.hasPrefix("NAME       AGE\nw-widget   "), "\(short.stdout)\(short.stderr)")
        }
    }

    @Test func helm4InstallsCRDsFirst() async throws { try await crdChart(.helm4) }
    @Test func helm3InstallsCRDsFirst() async throws { try await crdChart(.helm3) }

    /// `upgrade --install --create-namespace` creates the namespace; `--dry-run=server` sends every
    /// object with dryRun=All, so nothing of the dry release exists afterwards.
    func createNamespaceAndServerDryRun(_ helm: Oracle) async throws {
        try await SimCluster.with { sim in
            let install = try await sim.run(helm, ["upgrade", "--install", "app", Self.chart, "-n", "fresh", "--create-namespace"])
            #expect(install.succeeded, "\(install.stderr)")
            #expect(install.stdout.hasPrefix("Release \"app\" does not exist. Installing it now.\nNAME: app\n"))
            let namespace = try await sim.kubectlJSON("get", "namespace", "fresh")
            #expect(namespace[path: "status", "phase"] == "Active")
            let dry = try await sim.run(helm, ["install", "preview", Self.chart, "-n", "fresh", "--dry-run=server"])
            #expect(dry.succeeded, "\(dry.stderr)")
            #expect(dry.stdout.contains("kind: ConfigMap"))
            let names = try await sim.kubectl("get", "configmaps,deployments,services,secrets", "-n", "fresh", "-o", "name")
            #expect(names.stdout == "configmap/app-config\nconfigmap/kube-root-ca.crt\ndeployment.apps/app-web\nservice/app-web\nsecret/sh.helm.release.v1.app.v1\n", "\(names.stdout)")
        }
    }

    @Test func helm4CreateNamespaceAndServerDryRun() async throws { try await createNamespaceAndServerDryRun(.helm4) }
    @Test func helm3CreateNamespaceAndServerDryRun() async throws { try await createNamespaceAndServerDryRun(.helm3) }

    /// A chart with `crds/`, hooks and a test, with `--wait`, as on a real cluster: the CRD is
    /// installed before the custom resource; the pre-install/pre-upgrade Job runs to completion
    /// before the release's resources and is deleted afterwards (hook-succeeded); the post-install
    /// ConfigMap is created once, after the resources, and is not part of the release (it survives
    /// upgrade and uninstall, as do CRDs, which helm never deletes); `helm test` runs the test pod
    /// to Succeeded.
    func hooksAndCRDs(_ helm: Oracle) async throws {
        try await SimCluster.with { sim in
            let chart = SimCluster.fixture("charts/hooked")
            let install = try await sim.run(helm, ["install", "h", chart, "-n", "default", "--wait", "--timeout", "60s"])
            #expect(install.succeeded, "\(install.stderr)")
            #expect(install.stdout.contains("STATUS: deployed\nREVISION: 1\n"))
            let gadget = try await sim.kubectlJSON("get", "gadget", "h-gadget")
            #expect(gadget[path: "spec", "size"] == 1)
            let migrate = try await sim.kubectl("get", "job", "h-migrate")
            #expect(migrate.stderr == "Error from server (NotFound): jobs.batch \"h-migrate\" not found\n", "\(migrate.stdout)")
            #expect(try await Self.completions(sim, "h-migrate") == 1)
            let installed = try await sim.kubectlJSON("get", "configmap", "h-installed")
            #expect(installed[path: "data", "message"] == "hello")
            #expect(installed[path: "metadata", "labels", "app.kubernetes.io/managed-by"] == nil)
            let web = try await sim.kubectlJSON("get", "deployment", "h-web")
            #expect(web[path: "status", "readyReplicas"] == 1)

            let test = try await sim.run(helm, ["test", "h", "-n", "default", "--timeout", "60s"])
            #expect(test.succeeded, "\(test.stderr)")
            #expect(test.stdout.contains("TEST SUITE:     h-test\n") && test.stdout.contains("Phase:          Succeeded\n"), "\(test.stdout)")

            let upgrade = try await sim.run(helm, ["upgrade", "h", chart, "-n", "default", "--wait", "--timeout", "60s",
                                                   "--set", "message=changed", "--set", "size=2"])
            #expect(upgrade.succeeded, "\(upgrade.stderr)")
            #expect(upgrade.stdout.contains("STATUS: deployed\nREVISION: 2\n"))
            #expect(try await sim.kubectlJSON("get", "gadget", "h-gadget")[path: "spec", "size"] == 2)
            #expect(try await sim.kubectlJSON("get", "configmap", "h-installed")[path: "data", "message"] == "hello")
            #expect(try await Self.completions(sim, "h-migrate") == 2)  // the hook Job ran again

            let rollback = try await sim.run(helm, ["rollback", "h", "1", "-n", "default", "--wait", "--timeout", "60s"])
            #expect(rollback.succeeded, "\(rollback.stderr)")
            #expect(try await sim.kubectlJSON("get", "gadget", "h-gadget")[path: "spec", "size"] == 1)
            let history = try await sim.run(helm, ["history", "h", "-n", "default"])
            let statuses = history.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }[2] }
            #expect(statuses == ["superseded", "superseded", "deployed"], "\(history.stdout)")

            let uninstall = try await sim.run(helm, ["uninstall", "h", "-n", "default", "--wait", "--timeout", "60s"])
            #expect(uninstall.succeeded, "\(uninstall.stderr)")
            let gone = try await sim.kubectl("get", "deployment,gadgets", "-n", "default")
            #expect(gone.stderr == "No resources found in default namespace.\n", "\(gone.stdout)")
            try await Self.expectPodsTerminateAndGo(sim, selector: "app=h")
            #expect(try await sim.kubectl("get", "crd", "gadgets.example.com").succeeded)
            #expect(try await sim.kubectl("get", "configmap", "h-installed").succeeded)
        }
    }

    /// Pods are not release resources: `uninstall --wait` waits for the Deployment and the
    /// garbage collector deletes the pods after it, so right afterwards they may still be listed,
    /// but only as Terminating, and they go soon (on a real cluster within the grace period).
    static func expectPodsTerminateAndGo(_ sim: SimCluster, selector: String) async throws {
        let pods = try await sim.kubectl("get", "pods", "-l", selector, "--no-headers")
        for line in pods.stdout.split(separator: "\n") { #expect(line.contains(" Terminating "), "\(line)") }
        for _ in 0..<100 {
            if try await sim.kubectl("get", "pods", "-l", selector, "-o", "name").stdout.isEmpty { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("pods \(selector) still there 20 s after uninstall")
    }

    /// How many times Jobs of this name completed (their `Completed` events, counts included).
    static func completions(_ sim: SimCluster, _ job: String) async throws -> Int {
        let events = try await sim.kubectlJSON("get", "events", "--field-selector", "involvedObject.name=\(job),reason=Completed")
        return (events["items"]?.arrayValue ?? []).reduce(0) { $0 + Int($1["count"]?.intValue ?? 1) }
    }

    @Test func helm4HooksAndCRDs() async throws { try await hooksAndCRDs(.helm4) }
    @Test func helm3HooksAndCRDs() async throws { try await hooksAndCRDs(.helm3) }

    /// The `helm create` chart through upgrade, rollback and uninstall with `--wait`: helm waits
    /// for the new ReplicaSet's pods to be Ready, and `uninstall --wait` until the pods are gone
    /// (on a real cluster they go Terminating first, as here).
    @Test func helmCreateChartLifecycleWithWait() async throws {
        try await SimCluster.with { sim in
            let chart = sim.directory + "/mychart"
            #expect(try await sim.run(.helm4, ["create", chart]).succeeded)
            let install = try await sim.run(.helm4, ["install", "app", chart, "--wait", "--timeout", "60s"])
            #expect(install.succeeded, "\(install.stderr)")
            let upgrade = try await sim.run(.helm4, ["upgrade", "app", chart, "--wait", "--timeout", "60s", "--set", "replicaCount=3",
                                                     "--set", "image.tag=1.28"])
            #expect(upgrade.succeeded, "\(upgrade.stderr)")
            let upgraded = try await sim.kubectlJSON("get", "deployment", "app-mychart")
            #expect(upgraded[path: "status", "readyReplicas"] == 3 && upgraded[path: "status", "updatedReplicas"] == 3)
            let rollback = try await sim.run(.helm4, ["rollback", "app", "--wait", "--timeout", "60s"])
            #expect(rollback.succeeded, "\(rollback.stderr)")
            let rolled = try await sim.kubectlJSON("get", "deployment", "app-mychart")
            #expect(rolled[path: "spec", "replicas"] == 1)
            #expect(rolled[path: "spec", "template", "spec", "containers"]?.arrayValue?.first?["image"] == "nginx:1.16.0")
            let uninstall = try await sim.run(.helm4, ["uninstall", "app", "--wait", "--timeout", "60s"])
            #expect(uninstall.succeeded, "\(uninstall.stderr)")
            let left = try await sim.kubectl("get", "deployments,replicasets,services", "-l", "app.kubernetes.io/instance=app")
            #expect(left.stderr == "No resources found in default namespace.\n", "\(left.stdout)")
            try await Self.expectPodsTerminateAndGo(sim, selector: "app.kubernetes.io/instance=app")
        }
    }
}
