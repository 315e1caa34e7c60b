import Charts
import Deploy
import Foundation
import Kube
import Releases
import SimClusterSupport
import Structured
import Testing
import TestSupport

/// A Bosun release taken over by real helm 4 and back, rolled back and dismissed.
@Suite struct ReleaseDeployerTests {
    @Test func helm4UpgradesABosunReleaseAndBosunUpgradesItBack() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            let chart = SimCluster.chart("ordered")
            try await ConvergeTests.deployer(sim).converge(ChartInput(path: chart))
            try await sim.helmOK(.helm4, ["upgrade", "app", chart, "-n", "default", "--set", "greeting=from-helm", "--wait", "--timeout", "60s"])
            let byHelm = try await sim.store().last("app")
            #expect(byHelm.version == 2)
            #expect(byHelm.status == .deployed)
            #expect(try await sim.object("v1", "ConfigMap", "app-config")?[path: "data", "greeting"]?.stringValue == "from-helm")

            var values = ValueOptions()
            values.values = ["greeting=from-bosun"]
            let back = try await ConvergeTests.deployer(sim).converge(ChartInput(path: chart, values: values))
            #expect(back.version == 3)
            #expect(try await sim.object("v1", "ConfigMap", "app-config")?[path: "data", "greeting"]?.stringValue == "from-bosun")

            try await sim.helmOK(.helm4, ["rollback", "app", "1", "-n", "default", "--wait", "--timeout", "60s"])
            #expect(try await sim.object("v1", "ConfigMap", "app-config")?[path: "data", "greeting"]?.stringValue == "hello")
            let history = try await sim.helmOK(.helm4, ["history", "app", "-n", "default"])
            #expect(history.contains("Rollback to 1"))
            #expect(history.contains("Upgrade complete"))
        }
    }

    @Test func rollbackReappliesAnEarlierRevisionAsANewOne() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            let chart = SimCluster.chart("ordered")
            let deployer = ConvergeTests.deployer(sim)
            try await deployer.converge(ChartInput(path: chart))
            var values = ValueOptions()
            values.values = ["greeting=two", "extra=true"]
            try await deployer.converge(ChartInput(path: chart, values: values))
            #expect(try await sim.object("v1", "ConfigMap", "app-extra") != nil)
            let before = try sim.writes().count
            let rolled = try await deployer.rollback()
            #expect(rolled.version == 3)
            #expect(rolled.info.description == "Rollback to 1")
            #expect(try await sim.object("v1", "ConfigMap", "app-config")?[path: "data", "greeting"]?.stringValue == "hello")
            #expect(try await sim.object("v1", "ConfigMap", "app-extra") == nil)
            #expect(try await sim.store().get("app", version: 2).status == .superseded)
            // No pre/post-rollback hooks in the chart: the install/upgrade hooks are not run.
            #expect(!(try sim.writes().dropFirst(before).contains { $0.kind == "Job" }))
            // helm reads the rollback like its own.
            let status = try await sim.helmOK(.helm4, ["status", "app", "-n", "default"])
            #expect(status.contains("REVISION: 3"))
        }
    }

    @Test func dismissRunsDeleteOrderAndRemovesHistory() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            let chart = SimCluster.chart("ordered")
            let deployer = ConvergeTests.deployer(sim)
            try await deployer.converge(ChartInput(path: chart))
            let before = try sim.writes().count
            try await deployer.dismiss()
            let deletes = try sim.writes().dropFirst(before).filter { $0.verb == "delete" && $0.kind != "Secret" || $0.name == "app-secret" }
            let order = deletes.map(\.kind)
            // Helm's uninstall order: Deployment and Service before ConfigMap and Secret.
            let web = try #require(order.firstIndex(of: "Deployment")), config = try #require(order.firstIndex(of: "ConfigMap"))
            let service = try #require(order.firstIndex(of: "Service")), secret = try #require(order.firstIndex(of: "Secret"))
            #expect(web < config && service < config && config < secret)
            #expect(try await sim.object("apps/v1", "Deployment", "app-web") == nil)
            #expect(try await sim.object("example.com/v1", "Widget", "app-widget") == nil)
            // CRDs from crds/ are never deleted; the history is gone.
            #expect(try await sim.object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com", namespace: nil) != nil)
            #expect(try await sim.store().historyIfAny("app").isEmpty)
        }
    }

    @Test func dismissKeepingHistoryMarksTheReleaseUninstalled() async throws {
        try await SimCluster.with(scale: 10) { (sim: SimCluster) async throws in
            let deployer = ConvergeTests.deployer(sim)
            try await deployer.converge(ChartInput(path: SimCluster.chart("ordered")))
            try await deployer.dismiss(keepHistory: true)
            let last = try await sim.store().last("app")
            #expect(last.status == .uninstalled)
            #expect(last.info.description == "Uninstallation complete")
            let list = try await sim.helmOK(.helm4, ["list", "-n", "default", "--uninstalled"])
            #expect(list.contains("uninstalled"))
            // A new converge installs again.
            let again = try await deployer.converge(ChartInput(path: SimCluster.chart("ordered")))
            #expect(again.version == 2)
            #expect(again.info.description == "Install complete")
        }
    }
}
