import Structured
import Testing
@testable import Deploy

/// Decisions per resource (create/update/recreate/apply/none), ownership and immutable-field rules.
@Suite struct DeployPlannerMainTests {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
    var web: ResourceID { id("Deployment", "web", group: "apps") }

    func work(_ plan: Plan) -> [String] { plan.work.map(\.id) }

    @Test func changedUnchangedAndUnknownDryRun() throws {
        let set = try manifestSet(deployment)
        let owned = LiveObject.owned(by: "rel", in: "app", change: .changed)
        #expect(work(try planner.plan(.upgrade, desired: set, previous: set.resources, live: [web: owned]))
                == ["update Deployment/app/web", "track Deployment/app/web"])
        var unchanged = owned
        unchanged.change = .unchanged
        #expect(try planner.plan(.upgrade, desired: set, previous: set.resources, live: [web: unchanged]).isEmpty)
        var tracking = planner
        tracking.options.trackUnchanged = true
        #expect(work(try tracking.plan(.upgrade, desired: set, previous: set.resources, live: [web: unchanged]))
                == ["track Deployment/app/web"])
        var unknown = owned
        unknown.change = .unknown
        #expect(work(try planner.plan(.upgrade, desired: set, previous: set.resources, live: [web: unknown]))
                == ["apply Deployment/app/web", "track Deployment/app/web"])
    }

    @Test func immutableConflicts() throws {
        let conflict = LiveObject.owned(by: "rel", in: "app", change: .immutableConflict)
        let set = try manifestSet(deployment)
        #expect {
            _ = try planner.plan(.upgrade, desired: set, previous: set.resources, live: [web: conflict])
        } throws: { error in
            error as? DeployError == .immutableFieldConflicts(["Deployment/app/web: an immutable field changed; annotate it werf.io/delete-policy: before-creation-if-immutable to recreate it"])
        }
        // Jobs are recreated by default; other kinds when annotated.
        let job = try manifestSet("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n")
        #expect(work(try planner.plan(.upgrade, desired: job, previous: job.resources, live: [id("Job", "j", group: "batch"): conflict]))
                == ["recreate Job/app/j", "track Job/app/j"])
        let annotated = try manifestSet("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, annotations: {werf.io/delete-policy: before-creation-if-immutable}}\n")
        #expect(work(try planner.plan(.upgrade, desired: annotated, previous: annotated.resources, live: [web: conflict]))
                == ["recreate Deployment/app/web", "track Deployment/app/web"])
        let skip = try manifestSet("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {werf.io/resource-policy: skip-recreate}}\n")
        #expect(try planner.plan(.upgrade, desired: skip, previous: skip.resources, live: [id("Job", "j", group: "batch"): conflict]).isEmpty)
    }

    @Test func beforeCreationAlwaysRecreatesAndSucceededDeletesAfterReadiness() throws {
        let set = try manifestSet("apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {werf.io/delete-policy: \"before-creation,succeeded,failed\"}}\n")
        let plan = try planner.plan(.upgrade, desired: set, previous: set.resources,
                                    live: [id("Pod", "p"): .owned(by: "rel", in: "app", change: .unchanged)])
        #expect(work(plan) == ["recreate Pod/app/p", "track Pod/app/p", "delete Pod/app/p (succeeded)", "trackAbsence Pod/app/p (succeeded)"])
        #expect(plan["track Pod/app/p"]?.deleteOnFailure == true)
        #expect(plan["barrier after weight 0"]?.dependencies == ["trackAbsence Pod/app/p (succeeded)"])
    }

    @Test func skipCreateAndSkipUpdate() throws {
        let set = try manifestSet("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {werf.io/resource-policy: \"skip-create,skip-update\"}}\n")
        #expect(try planner.plan(.install, desired: set).isEmpty)
        #expect(try planner.plan(.upgrade, desired: set, previous: set.resources, live: [id("ConfigMap", "c"): .owned(by: "rel", in: "app")]).isEmpty)
    }

    @Test(arguments: [
        (LiveObject(releaseName: "other", releaseNamespace: "app", managedByHelm: true),
         "Deployment/app/web: exists and belongs to release app/other, not app/rel"),
        (LiveObject(releaseName: "rel", releaseNamespace: "elsewhere", managedByHelm: true),
         "Deployment/app/web: exists and belongs to release elsewhere/rel, not app/rel"),
        (LiveObject(), "Deployment/app/web: exists and cannot be adopted: it needs label app.kubernetes.io/managed-by=Helm and annotations meta.helm.sh/release-name=rel, meta.helm.sh/release-namespace=app (or use --force-adoption)"),
        (LiveObject(releaseName: "rel", releaseNamespace: "app", managedByHelm: false),
         "Deployment/app/web: exists and cannot be adopted: it needs label app.kubernetes.io/managed-by=Helm and annotations meta.helm.sh/release-name=rel, meta.helm.sh/release-namespace=app (or use --force-adoption)"),
    ])
    func ownershipConflicts(live: LiveObject, expected: String) throws {
        let set = try manifestSet(deployment)
        #expect {
            _ = try planner.plan(.install, desired: set, live: [web: live])
        } throws: { error in
            error as? DeployError == .ownershipConflicts([expected])
        }
        // --force-adoption takes it; so does werf.io/ownership: anyone.
        var forcing = planner
        forcing.options.forceAdoption = true
        #expect(work(try forcing.plan(.install, desired: set, live: [web: live])) == ["update Deployment/app/web", "track Deployment/app/web"])
        let shared = try manifestSet("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, annotations: {werf.io/ownership: anyone}}\n")
        #expect(work(try planner.plan(.install, desired: shared, live: [web: live])) == ["update Deployment/app/web", "track Deployment/app/web"])
    }

    @Test func adoptsObjectsWithThisReleasesMetadataAndSkipsCheckForPreviousResources() throws {
        let set = try manifestSet(deployment)
        #expect(work(try planner.plan(.install, desired: set, live: [web: .owned(by: "rel", in: "app")]))
                == ["update Deployment/app/web", "track Deployment/app/web"])
        // Helm checks only resources new to the release.
        #expect(work(try planner.plan(.upgrade, desired: set, previous: set.resources, live: [web: LiveObject()]))
                == ["update Deployment/app/web", "track Deployment/app/web"])
    }

    @Test func liveObjectReadsOwnershipAndKeep() throws {
        let object = try manifest("""
            metadata:
              labels: {app.kubernetes.io/managed-by: Helm}
              annotations: {meta.helm.sh/release-name: rel, meta.helm.sh/release-namespace: app, werf.io/resource-policy: skip-delete}
            """)
        #expect(LiveObject(object: object, change: .unchanged) == LiveObject(releaseName: "rel", releaseNamespace: "app", managedByHelm: true, keep: true, change: .unchanged))
        #expect(LiveObject(object: try manifest("metadata: {name: x}"), change: .changed) == LiveObject())
    }
}
