import Foundation
import Kube
import SimClusterSupport
import Structured
import Testing
import TestSupport
@testable import Releases

/// Helm and Bosun taking turns on the same release in kubesim, through the Secret (and ConfigMap) drivers.
@Suite(.serialized) struct HelmInteropTests {
    /// Installed and upgraded by helm; Bosun lists, reads and rolls back (a new revision copied from
    /// revision 1); helm then shows that history, reads it, and rolls back again over it.
    @Test(arguments: [Oracle.helm4, Oracle.helm3])
    func helmReleaseRolledBackByBosun(helm: Oracle) async throws {
        try await SimCluster.with { sim in
            let chart = try sim.tinyChart()
            _ = try await sim.helmOK(helm, ["install", "web", chart, "-n", "default"])
            _ = try await sim.helmOK(helm, ["upgrade", "web", chart, "-n", "default", "--set", "greeting=hi"])
            let store = sim.store()

            let history = try await store.history("web")
            #expect(history.map(\.status) == [.superseded, .deployed])
            #expect(history[1].config == ["greeting": "hi"] && history[1].chart?.name == "tiny")
            #expect(try await sim.helmOK(helm, ["history", "web"]) == ReleaseReports.historyTable(history))
            let listed = try ReleaseListing().select(try await store.listAll().releases).map { ReleaseReports.ListRow($0) }
            #expect(try await sim.helmOK(helm, ["list"]) == ReleaseReports.listTable(listed))
            #expect(try await sim.helmOK(helm, ["get", "manifest", "web"]) == ReleaseReports.manifest(history[1]))

            // Bosun's rollback: a copy of revision 1 as revision 3, then deployed; revision 2 superseded.
            let rollback = Release.rollback(to: history[0], from: history[1], now: GoTime.now())
            try await store.create(rollback)
            _ = try await store.markDeployed(rollback, description: "Rollback to 1")

            let after = try await store.history("web")
            #expect(after.map(\.status) == [.superseded, .superseded, .deployed])
            #expect(try await sim.helmOK(helm, ["history", "web"]) == ReleaseReports.historyTable(after))
            #expect(try await sim.helmOK(helm, ["get", "values", "web", "-o", "json"]) == "null\n")
            #expect(try await sim.helmOK(helm, ["get", "manifest", "web"]) == ReleaseReports.manifest(after[2]))
            #expect(after[2].info.notes == "Say hello.\n")
            #expect(try await sim.helmOK(helm, ["get", "notes", "web"]) == ReleaseReports.notes(after[2]))
            #expect(try await sim.helmOK(helm, ["status", "web"]).contains("DESCRIPTION: Rollback to 1") == (helm == .helm4))

            // Helm rolls back over Bosun's revision and sees it right.
            _ = try await sim.helmOK(helm, ["rollback", "web", "2"])
            let final = try await store.history("web")
            #expect(final.map(\.status) == [.superseded, .superseded, .superseded, .deployed])
            #expect(final[3].info.description == "Rollback to 2" && final[3].config == ["greeting": "hi"])
            #expect(try await sim.helmOK(helm, ["history", "web"]) == ReleaseReports.historyTable(final))
            let cm = try await sim.client.get(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "web-cm"))
            #expect(cm[path: "data", "greeting"] == "hi")
        }
    }

    /// Written by Bosun (as a deploy would: object created, record stored); helm lists it, reads it,
    /// upgrades, rolls back and uninstalls it, and Bosun reads every revision helm added.
    @Test(arguments: [Oracle.helm4, Oracle.helm3])
    func bosunReleaseDrivenByHelm(helm: Oracle) async throws {
        try await SimCluster.with { sim in
            let chart = try sim.tinyChart()
            let store = sim.store()
            // Server-side apply as field manager "helm", as helm 4 installs: anything else (another manager,
            // or a plain create) makes helm 4's apply on upgrade conflict over .data.greeting.
            _ = try await sim.client.apply(TinyChart.liveObject(release: "shop", namespace: "default", greeting: "hola"),
                                           options: ApplyOptions(fieldManager: "helm", force: true))
            let record = TinyChart.record(name: "shop", namespace: "default", version: 1, greeting: "hola", status: .deployed,
                                          at: GoTime(rfc3339: "2026-05-06T07:08:09.123Z")!)
            try await store.create(record)

            let rows = try ReleaseListing().select(try await store.listAll().releases).map { ReleaseReports.ListRow($0) }
            #expect(try await sim.helmOK(helm, ["list"]) == ReleaseReports.listTable(rows))
            #expect(try await sim.helmOK(helm, ["list", "-o", "json"]) == ReleaseReports.listJSON(rows))
            #expect(try await sim.helmOK(helm, ["history", "shop"]) == ReleaseReports.historyTable([record]))
            #expect(try await sim.helmOK(helm, ["get", "manifest", "shop"]) == ReleaseReports.manifest(record))
            #expect(try await sim.helmOK(helm, ["get", "values", "shop", "-o", "json"]) == #"{"greeting":"hola"}"# + "\n")
            #expect(try await sim.helmOK(helm, ["get", "values", "shop", "--all", "-o", "json"])
                == (try ReleaseReports.values(record, all: true, format: .json)))
            #expect(try await sim.helmOK(helm, ["get", "notes", "shop"]) == ReleaseReports.notes(record))

            _ = try await sim.helmOK(helm, ["upgrade", "shop", chart, "--set", "greeting=ciao"])
            var history = try await store.history("shop")
            #expect(history.map(\.status) == [.superseded, .deployed])
            #expect(history[1].config == ["greeting": "ciao"] && history[1].info.notes == "Say ciao.\n")

            _ = try await sim.helmOK(helm, ["rollback", "shop", "1"])
            history = try await store.history("shop")
            #expect(history.map(\.status) == [.superseded, .superseded, .deployed])
            #expect(history[2].manifest == record.manifest && history[2].config == record.config)
            // Helm 3 has no schemamodtime in its chart type, so its rewrite drops that member.
            var expectedChart = record.chart?.json
            if helm == .helm3 { expectedChart?["schemamodtime"] = nil }
            #expect(history[2].chart?.json == expectedChart)
            let cm = try await sim.client.get(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "shop-cm"))
            #expect(cm[path: "data", "greeting"] == "hola")

            _ = try await sim.helmOK(helm, ["uninstall", "shop"])
            let gone = await #expect(throws: ReleasesError.self) { try await store.history("shop") }
            #expect(gone?.kind == .notFound)
        }
    }

    /// The lock and pending-status rules against helm: a revision Bosun holds pending blocks helm
    /// with its usual message; once recovered (marked failed) helm upgrades again.
    @Test func pendingRevisionBlocksHelmUntilRecovered() async throws {
        try await SimCluster.with { sim in
            let chart = try sim.tinyChart()
            _ = try await sim.helmOK(.helm4, ["install", "web", chart])
            let store = sim.store()
            let clock = GoTime.now()
            let lock = ReleaseLock(api: sim.objects, release: "web", namespace: "default",
                                   holder: LockHolder(user: "ci", host: "runner-1", pid: 99, token: "t"), clock: { clock })
            _ = try await lock.acquire()
            var pending = try await store.last("web")
            pending.version = 2
            pending.setStatus(.pendingUpgrade, "Preparing upgrade")
            pending.info.lastDeployed = clock
            try await store.create(pending)

            let blocked = try await sim.helm(.helm4, ["upgrade", "web", chart])
            #expect(!blocked.succeeded && blocked.stderr.contains("another operation (install/upgrade/rollback) is in progress"))
            let second = ReleaseLock(api: sim.objects, release: "web", namespace: "default",
                                     holder: LockHolder(user: "dev", host: "laptop", pid: 5, token: "u"), clock: { clock.adding(seconds: 3) })
            let locked = await #expect(throws: ReleasesError.self) { try await second.acquire() }
            #expect(locked?.message.contains("locked by ci@runner-1 (pid 99)") == true)

            // The holder dies; later a new deploy takes the lock over and recovers the revision.
            let later = ReleaseLock(api: sim.objects, release: "web", namespace: "default",
                                    holder: LockHolder(user: "dev", host: "laptop", pid: 5, token: "u"), clock: { clock.adding(seconds: 60) })
            let acquired = try await later.acquire()
            #expect(acquired.expiredHolder?.host == "runner-1")
            let recovered = try await store.recoverStalePending("web", grace: 300, now: clock.adding(seconds: 60), acquired: acquired)
            #expect(recovered?.release.status == .failed)
            try await later.unlock()
            _ = try await sim.helmOK(.helm4, ["upgrade", "web", chart, "--set", "greeting=back"])
            #expect(try await store.history("web").map(\.status) == [.superseded, .failed, .deployed])
        }
    }

    /// A corrupt Secret in the cluster: Bosun names it and touches nothing; helm goes on as before.
    @Test func corruptSecretIsReportedAndLeftAlone() async throws {
        try await SimCluster.with { sim in
            let chart = try sim.tinyChart()
            _ = try await sim.helmOK(.helm4, ["install", "web", chart])
            _ = try await sim.helmOK(.helm4, ["install", "other", chart])
            let gzipGarbage = Data([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).base64EncodedString()
            _ = try await sim.objects.create(.secret, namespace: "default", [
                "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                "metadata": ["name": "sh.helm.release.v1.web.v2",
                             "labels": ["name": "web", "owner": "helm", "status": "deployed", "version": "2"]],
                "data": ["release": .string(Data(gzipGarbage.utf8).base64EncodedString())],
            ])
            let before = try await sim.objects.list(.secret, namespace: "default", labelSelector: "owner=helm")
            let store = sim.store()
            let error = await #expect(throws: ReleasesError.self) { try await store.history("web") }
            #expect(error?.kind == .corrupt)
            #expect(error?.message.hasPrefix("Secret default/sh.helm.release.v1.web.v2: data.release is not valid gzip") == true)
            let all = try await store.listAll()
            #expect(all.releases.map(\.name).sorted() == ["other", "web"] && all.corrupt.count == 1)
            #expect(try await store.last("other").status == .deployed)
            #expect(try await sim.objects.list(.secret, namespace: "default", labelSelector: "owner=helm") == before)
            // Helm skips what it cannot decode, like Bosun's listing.
            #expect(try await sim.helmOK(.helm4, ["list", "-q"]) == "other\nweb\n")
        }
    }

    /// `--history-max` on both sides: Bosun prunes helm's revisions and helm prunes Bosun's, the same way.
    @Test func historyMaxPrunesAcrossTools() async throws {
        try await SimCluster.with { sim in
            let chart = try sim.tinyChart()
            _ = try await sim.helmOK(.helm4, ["install", "web", chart])
            for g in ["a", "b", "c"] { _ = try await sim.helmOK(.helm4, ["upgrade", "web", chart, "--set", "greeting=\(g)"]) }
            let store = sim.store(maxHistory: 3)
            var next = try await store.last("web")
            next.version = 5
            next.setStatus(.pendingUpgrade, "Preparing upgrade")
            try await store.create(next)
            _ = try await store.markDeployed(next, description: "Upgrade complete")
            #expect(try await store.history("web").map(\.version) == [3, 4, 5])
            #expect(try await sim.helmOK(.helm4, ["history", "web"]) == ReleaseReports.historyTable(try await store.history("web")))
            _ = try await sim.helmOK(.helm4, ["upgrade", "web", chart, "--history-max", "2", "--set", "greeting=d"])
            let after = try await store.history("web")
            #expect(after.map(\.version) == [5, 6] && after.map(\.status) == [.superseded, .deployed])
        }
    }

    @Test func configMapDriverInterop() async throws {
        try await SimCluster.with { sim in
            let chart = try sim.tinyChart()
            _ = try await sim.helmOK(.helm4, ["install", "web", chart, "--set", "greeting=cm"], driver: "configmap")
            let store = sim.store(.configMap)
            let release = try await store.last("web")
            #expect(release.status == .deployed && release.config == ["greeting": "cm"])
            var copy = release
            copy.version = 2
            copy.setStatus(.deployed, "Upgrade complete")
            try await store.create(copy)
            var first = release
            first.status = .superseded
            try await store.update(first)
            #expect(try await sim.helmOK(.helm4, ["history", "web"], driver: "configmap")
                == ReleaseReports.historyTable(try await store.history("web")))
            let labels = try await sim.objects.get(.configMap, namespace: "default", name: "sh.helm.release.v1.web.v2")[path: "metadata", "labels"]
            #expect(labels?["owner"] == "helm" && labels?["status"] == "deployed" && labels?["createdAt"] != nil)
        }
    }
}
