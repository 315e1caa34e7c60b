import Foundation
import Structured
import Testing
import TestSupport
@testable import Deploy

/// `SavedPlan`: the plan file's JSON, loading errors, and the drift check behind `--use-plan`.
@Suite struct PlanFileSavedPlanTests {
    static let web = SavedPlan.Resource(apiVersion: "apps/v1", kind: "Deployment", namespace: "app", name: "web",
                                        action: .update, liveResourceVersion: "41")
    static let settings = SavedPlan.Resource(apiVersion: "v1", kind: "ConfigMap", namespace: "app", name: "settings",
                                             action: .create, liveResourceVersion: nil)
    static let old = SavedPlan.Resource(apiVersion: "v1", kind: "Service", namespace: "app", name: "old",
                                        action: .delete, liveResourceVersion: "7")

    static func plan(revision: Int? = 3, digest: String = "sha256:aa", resources: [SavedPlan.Resource] = [web, settings, old],
                     operations: [String] = ["create ConfigMap/app/settings", "update Deployment/app/web", "delete Service/app/old"]) -> SavedPlan {
        SavedPlan(release: "web", namespace: "app", basedOnRevision: revision, manifestsDigest: digest,
                  resources: resources, operations: operations, createdAt: Date(timeIntervalSince1970: 1_795_000_000))
    }

    @Test func writesStableReviewableJSON() throws {
        let text = String(decoding: Self.plan().encoded(), as: UTF8.self)
        let path = Repository.root + "/Tests/Fixtures/Plan/saved-plan.json"
        if ProcessInfo.processInfo.environment["BOSUN_REGENERATE_FIXTURES"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "\(text)")
    }

    @Test func roundTripsThroughAFile() throws {
        let dir = try makeTemporaryDirectory("saved-plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = Self.plan(revision: nil)
        try plan.write(to: dir + "/plan.json")
        #expect(try SavedPlan.load(from: dir + "/plan.json") == plan)
    }

    @Test func explainsUnreadableFiles() {
        func message(_ text: String) -> String {
            do { _ = try SavedPlan.decode(Data(text.utf8), file: "p.json"); return "no error" } catch { return error.description }
        }
        #expect(message("nope") == "plan file p.json is not JSON written by `bosun plan --save-plan`")
        #expect(message(#"{"format": 9}"#) == "plan file p.json has format 9; this bosun reads format 1")
        #expect(message(#"{"format": 1, "release": "x"}"#).hasPrefix("plan file p.json is malformed: missing field"))
        #expect(throws: DeployError.plan(.planFile("cannot read plan file /nonexistent/p.json: no such file"))) {
            try SavedPlan.load(from: "/nonexistent/p.json")
        }
    }

    @Test func digestIgnoresOrderButNotContent() {
        let a: Value = ["kind": "ConfigMap", "metadata": ["name": "a"]]
        let b: Value = ["kind": "ConfigMap", "metadata": ["name": "b"]]
        #expect(SavedPlan.digest(of: [a, b]) == SavedPlan.digest(of: [b, a]))
        #expect(SavedPlan.digest(of: [a, b]) != SavedPlan.digest(of: [a]))
        #expect(SavedPlan.digest(of: [a]).hasPrefix("sha256:"))
        #expect(SavedPlan.digest(of: [a]).count == 7 + 64)
    }

    @Test func noDriftWhenNothingChanged() throws {
        try Self.plan().verifyNoDrift(current: Self.plan(), planFile: "p.json")
        #expect(Self.plan().drift(comparedTo: Self.plan()).isEmpty)
    }

    @Test func reportsEveryDriftedResourceAndInput() {
        var changedWeb = Self.web; changedWeb.liveResourceVersion = "44"
        var createdSettings = Self.settings; createdSettings.liveResourceVersion = "9"; createdSettings.action = .update
        let extra = SavedPlan.Resource(apiVersion: "v1", kind: "Secret", namespace: "app", name: "new",
                                       action: .create, liveResourceVersion: nil)
        let current = Self.plan(revision: 4, digest: "sha256:bb", resources: [changedWeb, createdSettings, extra])
        do {
            try Self.plan().verifyNoDrift(current: current, planFile: "p.json")
            Issue.record("expected drift")
        } catch {
            #expect(error.description == """
                refusing to apply plan p.json: the cluster or the chart changed since it was made (run `bosun plan --save-plan` again and review the new plan):
                  - release web: revision 4 is now the latest, the plan was made on 3
                  - rendered manifests differ from the plan's (the chart, values or flags changed)
                  - ConfigMap/app/settings: created in the cluster since the plan
                  - Service/app/old: no longer part of the plan
                  - Deployment/app/web: changed in the cluster since the plan (resourceVersion 41 -> 44)
                  - Secret/app/new: not in the plan, would now create
                """)
        }
    }

    @Test func deletedLiveObjectIsDrift() {
        var gone = Self.web; gone.liveResourceVersion = nil; gone.action = .create
        #expect(Self.plan().drift(comparedTo: Self.plan(resources: [gone, Self.settings, Self.old]))
            == ["Deployment/app/web: deleted from the cluster since the plan"])
    }

    @Test func changedOperationsAloneAreDrift() {
        let current = Self.plan(operations: ["create ConfigMap/app/settings", "update Deployment/app/web"])
        #expect(Self.plan().drift(comparedTo: current) == ["planned operations differ; no longer: delete Service/app/old"])
    }

    @Test func refusesAPlanForAnotherRelease() {
        let other = SavedPlan(release: "api", namespace: "app", basedOnRevision: 3, manifestsDigest: "sha256:aa",
                              resources: [], operations: [])
        #expect(throws: DeployError.plan(.planFile("plan file p.json is for release web in namespace app, not api in app"))) {
            try Self.plan().verifyNoDrift(current: other, planFile: "p.json")
        }
    }
}

/// Content digests: status and server metadata do not count, Secrets fall back to resourceVersions.
@Suite struct PlanFileLiveDigestTests {
    static func resource(_ kind: String, version: String, digest: String?) -> SavedPlan.Resource {
        SavedPlan.Resource(apiVersion: "v1", kind: kind, namespace: "a", name: "x", action: .update,
                           liveResourceVersion: version, liveDigest: digest)
    }

    static func plan(_ resource: SavedPlan.Resource) -> SavedPlan {
        SavedPlan(release: "r", namespace: "a", basedOnRevision: 1, manifestsDigest: "sha256:aa", resources: [resource], operations: [])
    }

    @Test func digestIgnoresStatusAndServerMetadata() {
        let a: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "x", "resourceVersion": "1"], "spec": ["a": 1], "status": ["phase": "Pending"]]
        let b: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "x", "resourceVersion": "2"], "spec": ["a": 1], "status": ["phase": "Running"]]
        let c: Value = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "x", "resourceVersion": "3"], "spec": ["a": 2]]
        #expect(SavedPlan.liveDigest(of: a) == SavedPlan.liveDigest(of: b))
        #expect(SavedPlan.liveDigest(of: a) != SavedPlan.liveDigest(of: c))
        #expect(SavedPlan.liveDigest(of: ["apiVersion": "v1", "kind": "Secret", "data": ["k": "dg=="]]) == nil)
    }

    @Test func sameContentAtANewVersionIsNotDrift() {
        #expect(Self.plan(Self.resource("Pod", version: "1", digest: "sha256:1"))
            .drift(comparedTo: Self.plan(Self.resource("Pod", version: "9", digest: "sha256:1"))).isEmpty)
        #expect(Self.plan(Self.resource("Pod", version: "1", digest: "sha256:1"))
            .drift(comparedTo: Self.plan(Self.resource("Pod", version: "9", digest: "sha256:2")))
            == ["Pod/a/x: changed in the cluster since the plan (resourceVersion 1 -> 9)"])
    }

    @Test func secretsCompareVersions() {
        #expect(Self.plan(Self.resource("Secret", version: "1", digest: nil))
            .drift(comparedTo: Self.plan(Self.resource("Secret", version: "2", digest: nil)))
            == ["Secret/a/x: changed in the cluster since the plan (resourceVersion 1 -> 2)"])
    }
}
