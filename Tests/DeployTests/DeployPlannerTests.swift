import Structured
import Testing
@testable import Deploy

/// Parses a YAML stream of rendered templates (and optional `crds/` files) into a validated set.
func manifestSet(_ templates: String, crds: String = "", namespace: String = "app") throws -> ManifestSet {
    func docs(_ text: String) throws -> [(manifest: Value, source: String?)] {
        try YAML.decodeAll(text, mode: .manifest).filter { !$0.isNull }.map { ($0, nil) }
    }
    return try ManifestSet.parse(crds: try docs(crds), templates: try docs(templates), releaseNamespace: namespace)
}

let planner = DeployPlanner(options: .init(releaseName: "rel", releaseNamespace: "app"))

func id(_ kind: String, _ name: String, group: String = "", namespace: String? = "app") -> ResourceID {
    ResourceID(group: group, kind: kind, namespace: namespace, name: name)
}

@Suite struct DeployPlannerTests {
    @Test func installAppliesByKindOrderThenTracksTheGroupTogether() throws {
        let set = try manifestSet("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan.text == """
            create ConfigMap/app/settings
            create Service/app/web  <- create ConfigMap/app/settings
            create Deployment/app/web  <- create Service/app/web
            barrier after apply weight 0  <- create ConfigMap/app/settings, create Deployment/app/web, create Service/app/web
            track ConfigMap/app/settings  <- barrier after apply weight 0
            track Service/app/web  <- barrier after apply weight 0
            track Deployment/app/web  <- barrier after apply weight 0
            barrier after weight 0  <- track ConfigMap/app/settings, track Deployment/app/web, track Service/app/web
            """)
        #expect(plan.levels == [
            ["create ConfigMap/app/settings"], ["create Service/app/web"], ["create Deployment/app/web"],
            ["track ConfigMap/app/settings", "track Service/app/web", "track Deployment/app/web"],
        ])
        #expect(plan.resources[id("Deployment", "web", group: "apps")]?.manifest["kind"] == "Deployment")
    }

    @Test func sameKindAppliesInParallel() throws {
        let set = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan.levels.first == ["create Secret/app/s"])
        #expect(plan.levels[1] == ["create ConfigMap/app/a", "create ConfigMap/app/b"])
        #expect(plan.mayRunTogether("create ConfigMap/app/a", "create ConfigMap/app/b"))
    }

    @Test func manyToManyKindStepsGoThroughABarrier() throws {
        var docs: [String] = []
        for i in 0..<5 { docs.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\(i)}") }
        for i in 0..<5 { docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d\(i)}") }
        let plan = try planner.plan(.install, desired: try manifestSet(docs.joined(separator: "\n---\n")))
        let step = try #require(plan["barrier after ConfigMap in weight 0"])
        #expect(step.dependencies.count == 5)
        #expect(plan["create Deployment/app/d3"]?.dependencies == ["barrier after ConfigMap in weight 0"])
        #expect(plan.orders("create ConfigMap/app/c4", before: "create Deployment/app/d0"))
    }

    /// The example of werf's deployment-order page: database (-1), then migrations (0), then app1 and app2 (1).
    @Test func weightGroupsDeployOneAfterAnother() throws {
        let set = try manifestSet("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: database, annotations: {werf.io/weight: "-1"}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: database-migrations}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app1, annotations: {werf.io/weight: "1"}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app2, annotations: {werf.io/weight: "1"}}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan.orders("track StatefulSet/app/database", before: "create Job/app/database-migrations"))
        #expect(plan.orders("track Job/app/database-migrations", before: "create Deployment/app/app1"))
        #expect(plan.orders("track Job/app/database-migrations", before: "create Deployment/app/app2"))
        #expect(plan.mayRunTogether("create Deployment/app/app1", "create Deployment/app/app2"))
        #expect(plan.mayRunTogether("track Deployment/app/app1", "track Deployment/app/app2"))
        #expect(plan.ids.filter { $0.hasPrefix("barrier after weight") } == ["barrier after weight -1", "barrier after weight 0", "barrier after weight 1"])
        #expect(plan.levels == [
            ["create StatefulSet/app/database"], ["track StatefulSet/app/database"],
            ["create Job/app/database-migrations"], ["track Job/app/database-migrations"],
            ["create Deployment/app/app1", "create Deployment/app/app2"],
            ["track Deployment/app/app1", "track Deployment/app/app2"],
        ])
    }

    @Test func crdsFirstThenEstablishedBeforeHooksAndResources() throws {
        let set = try manifestSet("""
            apiVersion: example.org/v1
            kind: CronTab
            metadata: {name: tab}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: pre, annotations: {helm.sh/hook: pre-install}}
            """, crds: """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: crontabs.example.org}
            """)
        let plan = try planner.plan(.install, desired: set)
        let crd = "CustomResourceDefinition/crontabs.example.org"
        #expect(plan.ids.prefix(3) == ["createCRD \(crd)", "waitEstablished \(crd)", "barrier after crds"])
        #expect(plan.orders("waitEstablished \(crd)", before: "applyHook Job/app/pre (pre-install)"))
        #expect(plan.orders("trackHook Job/app/pre (pre-install)", before: "create CronTab.example.org/app/tab"))
        // Unchanged CRDs need nothing; --no-install-crds skips them.
        let unchanged = try planner.plan(.install, desired: set, live: [id("CustomResourceDefinition", "crontabs.example.org", group: "apiextensions.k8s.io", namespace: nil): .init(change: .unchanged)])
        #expect(unchanged.ids.contains { $0.contains("CustomResourceDefinition") } == false)
        var noCRDs = planner
        noCRDs.options.installCRDs = false
        #expect(try noCRDs.plan(.install, desired: set).ids.contains { $0.contains("CustomResourceDefinition") } == false)
    }

    @Test func templateCRDIsEstablishedBeforeLaterKinds() throws {
        let set = try manifestSet("""
            apiVersion: example.org/v1
            kind: CronTab
            metadata: {name: tab}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: crontabs.example.org}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan["create CronTab.example.org/app/tab"]?.dependencies == ["waitEstablished CustomResourceDefinition/crontabs.example.org"])
    }

    /// Old instances (before-hook-creation) are deleted when the stage starts, each apply waiting for
    /// its own one's absence; hook-succeeded deletions hold only the stage's end.
    @Test func hooksRunOneAtATimeByWeightThenNameWithDeletePolicies() throws {
        let set = try manifestSet("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: third, annotations: {helm.sh/hook: pre-install, helm.sh/hook-weight: "1"}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: second-b, annotations: {helm.sh/hook: "pre-install,post-install", helm.sh/hook-delete-policy: hook-succeeded}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: second-a, annotations: {helm.sh/hook: pre-install, helm.sh/hook-delete-policy: hook-failed}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: first, annotations: {helm.sh/hook: pre-install, helm.sh/hook-weight: "5", werf.io/weight: "-1"}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: up, annotations: {helm.sh/hook: pre-upgrade}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: main}
            """)
        let live: [ResourceID: LiveObject] = [id("Job", "third", group: "batch"): LiveObject()]
        let plan = try planner.plan(.install, desired: set, live: live)
        #expect(plan.text == """
            applyHook Job/app/first (pre-install)
            trackHook Job/app/first (pre-install)  <- applyHook Job/app/first (pre-install)
            applyHook Job/app/second-a (pre-install)  <- trackHook Job/app/first (pre-install)
            trackHook Job/app/second-a (pre-install) [delete on failure]  <- applyHook Job/app/second-a (pre-install)
            applyHook Job/app/second-b (pre-install)  <- trackHook Job/app/second-a (pre-install)
            trackHook Job/app/second-b (pre-install)  <- applyHook Job/app/second-b (pre-install)
            deleteHook Job/app/second-b (pre-install, hook-succeeded)  <- trackHook Job/app/second-b (pre-install)
            deleteHook Job/app/third (pre-install, before-hook-creation)
            trackAbsence Job/app/third (pre-install, before-hook-creation)  <- deleteHook Job/app/third (pre-install, before-hook-creation)
            applyHook Job/app/third (pre-install)  <- trackAbsence Job/app/third (pre-install, before-hook-creation), trackHook Job/app/second-b (pre-install)
            trackHook Job/app/third (pre-install)  <- applyHook Job/app/third (pre-install)
            barrier after pre-hooks  <- deleteHook Job/app/second-b (pre-install, hook-succeeded), trackHook Job/app/third (pre-install)
            create ConfigMap/app/main  <- barrier after pre-hooks
            barrier after apply weight 0  <- create ConfigMap/app/main
            track ConfigMap/app/main  <- barrier after apply weight 0
            barrier after weight 0  <- track ConfigMap/app/main
            applyHook Job/app/second-b (post-install)  <- barrier after weight 0
            trackHook Job/app/second-b (post-install)  <- applyHook Job/app/second-b (post-install)
            deleteHook Job/app/second-b (post-install, hook-succeeded)  <- trackHook Job/app/second-b (post-install)
            barrier after post-hooks  <- deleteHook Job/app/second-b (post-install, hook-succeeded), trackHook Job/app/second-b (post-install)
            """)
        #expect(plan["trackHook Job/app/second-a (pre-install)"]?.deleteOnFailure == true)
        #expect(plan.ids.contains { $0.contains("Job/app/up") } == false)
        // An upgrade runs only pre-upgrade hooks.
        let upgrade = try planner.plan(.upgrade, desired: set, live: live)
        #expect(upgrade.work.filter { $0.kind == .applyHook }.map(\.id) == ["applyHook Job/app/up (pre-upgrade)"])
    }
}

@Suite struct DeployPlannerDependencyTests {
    @Test func readyDependencyWaitsForTargetReadinessInTheSameGroup() throws {
        let set = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: after-db
              annotations: {werf.io/deploy-dependency-db: "state=ready,kind=StatefulSet,name=db"}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, annotations: {werf.io/deploy-dependency-cm: "state=present,name=after-db"}}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan.orders("track StatefulSet/app/db", before: "create ConfigMap/app/after-db"))
        #expect(plan.orders("create ConfigMap/app/after-db", before: "create Deployment/app/web"))
        // The held ConfigMap does not hold the kinds after it, and its tracking starts after its own apply.
        #expect(plan["create StatefulSet/app/db"]?.dependencies == [])
        #expect(plan["track ConfigMap/app/after-db"]?.dependencies == ["create ConfigMap/app/after-db"])
        // The group ends only when the held resources are done.
        #expect(plan.orders("track Deployment/app/web", before: "barrier after weight 0"))
        #expect(plan.orders("track ConfigMap/app/after-db", before: "barrier after weight 0"))
    }

    @Test func readyDependencyForcesTrackingOfANonBlockingTarget() throws {
        let set = try manifestSet("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: lazy, annotations: {werf.io/track-termination-mode: NonBlocking}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: quiet, annotations: {werf.io/track-termination-mode: NonBlocking}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: j, annotations: {werf.io/deploy-dependency-a: "state=ready,name=lazy"}}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan["track Deployment/app/lazy"] != nil)
        #expect(plan["track Deployment/app/quiet"] == nil)
        #expect(plan.orders("track Deployment/app/lazy", before: "create Job/app/j"))
    }

    @Test func dependencyOnAnEarlierGroupOrUnchangedTargetAddsNoEdge() throws {
        let set = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: early, annotations: {werf.io/weight: "-5"}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: same}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, annotations: {werf.io/deploy-dependency-a: "state=ready,name=early", werf.io/deploy-dependency-b: "state=ready,name=same"}}
            """)
        let live: [ResourceID: LiveObject] = [id("Secret", "same"): .owned(by: "rel", in: "app", change: .unchanged)]
        let plan = try planner.plan(.upgrade, desired: set, previous: [], live: live)
        #expect(plan["create Deployment/app/web"]?.dependencies == ["barrier after weight -5"])
    }

    @Test(arguments: [
        ("state=ready,name=nothing", "annotation werf.io/deploy-dependency-x matches no resource of the release"),
        ("state=ready,name=later", "targets ConfigMap/app/later of weight 3, deployed after this resource's weight 0"),
        ("state=ready,name=web,kind=Deployment,namespace=other", "matches no resource of the release"),
    ])
    func invalidDependencies(value: String, expected: String) throws {
        let set = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: later, annotations: {werf.io/weight: "3"}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, annotations: {werf.io/deploy-dependency-x: "\(value)"}}
            """)
        #expect {
            _ = try planner.plan(.install, desired: set)
        } throws: { error in
            guard case DeployError.invalidDependencies(let problems) = error else { return false }
            return problems.count == 1 && problems[0].hasPrefix("Deployment/app/web: ") && problems[0].contains(expected)
        }
    }

    @Test func clusterScopedDependentFindsTargetsInTheReleaseNamespace() throws {
        let set = try manifestSet("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: crb, annotations: {werf.io/deploy-dependency-sa: "state=present,kind=ServiceAccount,name=runner"}}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: runner}
            """)
        let plan = try planner.plan(.install, desired: set)
        #expect(plan["create ClusterRoleBinding/crb"]?.dependencies == ["create ServiceAccount/app/runner"])
    }

    @Test func dependencyCycleIsReported() throws {
        let set = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, annotations: {werf.io/deploy-dependency-b: "state=present,name=b"}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b, annotations: {werf.io/deploy-dependency-a: "state=present,name=a"}}
            """)
        #expect {
            _ = try planner.plan(.install, desired: set)
        } throws: { error in
            guard case DeployError.invalidDependencies(let problems) = error else { return false }
            return problems.count == 1 && problems[0].contains("dependency cycle") && problems[0].contains("create ConfigMap/app/a")
        }
    }

    @Test func externalDependencyHoldsTheResourceAndIsShared() throws {
        let set = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: first, annotations: {werf.io/weight: "-1"}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: a
              annotations: {vault.external-dependency.werf.io/resource: secret/vault}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: b
              annotations:
                v.external-dependency.werf.io/resource: secret/vault
                pg.external-dependency.werf.io/resource: statefulset.apps/pg
                pg.external-dependency.werf.io/namespace: db
            """)
        let plan = try planner.plan(.install, desired: set)
        let waits = plan.work.filter { $0.kind == .waitExternalDependency }
        #expect(waits.map(\.id) == ["waitExternalDependency secret/app/vault", "waitExternalDependency statefulset.apps/db/pg"])
        #expect(waits[0].dependencies == ["barrier after weight -1"])
        #expect(plan["create Deployment/app/a"]?.dependencies.contains("waitExternalDependency secret/app/vault") == true)
        #expect(plan.orders("waitExternalDependency statefulset.apps/db/pg", before: "create Deployment/app/b"))
        // The group's tracking waits for the held resource, so the whole group waits.
        #expect(plan.orders("waitExternalDependency statefulset.apps/db/pg", before: "track Deployment/app/a"))
    }

    @Test func hookExternalDependencyIsAwaitedBeforeTheHook() throws {
        let set = try manifestSet("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations: {helm.sh/hook: pre-upgrade, db.external-dependency.werf.io/resource: service/pg}
            """)
        let plan = try planner.plan(.upgrade, desired: set)
        #expect(plan.ids == ["waitExternalDependency service/app/pg", "applyHook Job/app/migrate (pre-upgrade)",
                             "trackHook Job/app/migrate (pre-upgrade)", "barrier after pre-hooks"])
    }
}

@Suite struct DeployPlannerDeletionTests {
    /// The previous revision had these; the new chart keeps only `cm-kept-in-chart`.
    let previousYAML = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm-kept-in-chart}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: old-cm}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: old-web}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: old-svc}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: keep-me, annotations: {helm.sh/resource-policy: keep}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: shared, annotations: {werf.io/ownership: anyone}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: adopted-away}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: live-keep}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: already-gone}
        """

    @Test func removedResourcesAreDeletedAfterMainInUninstallOrderUnlessKept() throws {
        let previous = try manifestSet(previousYAML).resources
        let desired = try manifestSet("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm-kept-in-chart}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: post, annotations: {helm.sh/hook: post-upgrade}}
            """)
        var live: [ResourceID: LiveObject] = [:]
        for resource in previous where resource.id.name != "already-gone" { live[resource.id] = .owned(by: "rel", in: "app", change: .unchanged) }
        live[id("Secret", "adopted-away")] = .owned(by: "other", in: "app")
        live[id("Secret", "live-keep")]?.keep = true
        let plan = try planner.plan(.upgrade, desired: desired, previous: previous, live: live)
        #expect(plan.text == """
            delete Service/app/old-svc
            trackAbsence Service/app/old-svc  <- delete Service/app/old-svc
            delete Deployment/app/old-web  <- delete Service/app/old-svc
            trackAbsence Deployment/app/old-web  <- delete Deployment/app/old-web
            delete ConfigMap/app/old-cm  <- delete Deployment/app/old-web
            trackAbsence ConfigMap/app/old-cm  <- delete ConfigMap/app/old-cm
            barrier after cleanup  <- trackAbsence ConfigMap/app/old-cm, trackAbsence Deployment/app/old-web, trackAbsence Service/app/old-svc
            applyHook Job/app/post (post-upgrade)  <- barrier after cleanup
            trackHook Job/app/post (post-upgrade)  <- applyHook Job/app/post (post-upgrade)
            barrier after post-hooks  <- trackHook Job/app/post (post-upgrade)
            """)
    }

    @Test func deletionsWaitForTheMainStage() throws {
        let previous = try manifestSet("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old}\n").resources
        let desired = try manifestSet("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\n")
        let plan = try planner.plan(.upgrade, desired: desired, previous: previous,
                                    live: [id("ConfigMap", "old"): .owned(by: "rel", in: "app")])
        #expect(plan.orders("track ConfigMap/app/new", before: "delete ConfigMap/app/old"))
        #expect(plan["delete ConfigMap/app/old"]?.dependencies == ["barrier after weight 0"])
    }

    @Test func dismissRunsDeleteHooksAroundReverseOrderDeletion() throws {
        let release = try manifestSet(previousYAML + """

            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: cleanup, annotations: {helm.sh/hook: post-delete, helm.sh/hook-delete-policy: hook-succeeded}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: drain, annotations: {helm.sh/hook: pre-delete}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: install-only, annotations: {helm.sh/hook: pre-install}}
            """)
        var live: [ResourceID: LiveObject] = [:]
        for resource in release.resources { live[resource.id] = .owned(by: "rel", in: "app") }
        live[id("Secret", "live-keep")]?.keep = true
        live[id("Secret", "already-gone")] = nil
        live[id("Secret", "adopted-away")] = .owned(by: "other", in: "app")
        let plan = try planner.planDismiss(resources: release.resources, hooks: release.hooks, live: live)
        #expect(plan.work.filter { $0.kind == .delete }.map(\.id) == [
            "delete Service/app/old-svc", "delete Deployment/app/old-web",
            "delete ConfigMap/app/cm-kept-in-chart", "delete ConfigMap/app/old-cm",
        ])
        #expect(plan.ids.first == "applyHook Job/app/drain (pre-delete)")
        #expect(plan.orders("trackHook Job/app/drain (pre-delete)", before: "delete Service/app/old-svc"))
        #expect(plan.mayRunTogether("delete ConfigMap/app/cm-kept-in-chart", "delete ConfigMap/app/old-cm"))
        #expect(plan.orders("trackAbsence ConfigMap/app/old-cm", before: "applyHook Job/app/cleanup (post-delete)"))
        #expect(plan.orders("trackAbsence Service/app/old-svc", before: "applyHook Job/app/cleanup (post-delete)"))
        #expect(plan.ids.last == "barrier after post-delete-hooks")
        #expect(plan.ids.contains { $0.contains("install-only") } == false)
    }

    @Test func rollbackRunsRollbackHooks() throws {
        let set = try manifestSet("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: before, annotations: {helm.sh/hook: "pre-rollback,pre-upgrade"}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: after, annotations: {helm.sh/hook: post-rollback}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c}
            """)
        let plan = try planner.plan(.rollback, desired: set, previous: set.resources,
                                    live: [id("ConfigMap", "c"): .owned(by: "rel", in: "app")])
        #expect(plan.work.filter { $0.kind == .applyHook }.map(\.id) == ["applyHook Job/app/before (pre-rollback)", "applyHook Job/app/after (post-rollback)"])
        #expect(plan.orders("trackHook Job/app/before (pre-rollback)", before: "update ConfigMap/app/c"))
        #expect(plan.orders("track ConfigMap/app/c", before: "applyHook Job/app/after (post-rollback)"))
    }
}
