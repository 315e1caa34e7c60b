import Structured
import Testing
@testable import Tracking

@Suite struct GenericRulesTests {
    typealias F = TrackingFixtures

    static func cr(_ status: Value?, kind: String = "Widget", apiVersion: String = "example.com/v1", generation: Int64? = nil) -> Value {
        var o: Value = ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": ["name": "w", "namespace": "default"]]
        if let generation { o["metadata"]?["generation"] = .int(generation) }
        if let status { o["status"] = status }
        return o
    }

    static func conditions(_ pairs: (String, String)...) -> Value {
        ["conditions": .array(pairs.map { ["type": .string($0.0), "status": .string($0.1)] })]
    }

    @Test func noStatusIsReady() throws {
        #expect(try F.state(Self.cr(nil)).phase == .ready)
        #expect(try F.state(Self.cr([:])).phase == .ready)
    }

    @Test(arguments: ["Service", "Ingress", "HorizontalPodAutoscaler", "CronJob", "ConfigMap", "Secret"])
    func presenceOnlyKinds(kind: String) throws {
        // Even a status that would read as pending (a LoadBalancer without ingress) does not hold them.
        let o = Self.cr(["phase": "Pending", "conditions": [["type": "Ready", "status": "False"]]], kind: kind, apiVersion: "v1")
        #expect(try F.state(o).phase == .ready)
    }

    @Test func observedGenerationMustCatchUp() throws {
        var status = Self.conditions(("Ready", "True"))
        status["observedGeneration"] = 1
        let s = try F.state(Self.cr(status, generation: 2))
        #expect(s.phase == .progressing)
        #expect(s.waitingFor == ["observed generation 1 should be >= 2"])
        status["observedGeneration"] = 2
        #expect(try F.state(Self.cr(status, generation: 2)).phase == .ready)
    }

    @Test func conditionsInPriorityOrderCamelCaseAndLowerCase() throws {
        #expect(try F.state(Self.cr(Self.conditions(("Ready", "True")))).phase == .ready)
        #expect(try F.state(Self.cr(Self.conditions(("ready", "True")))).phase == .ready)
        let notReady = try F.state(Self.cr(Self.conditions(("Ready", "False"), ("Available", "True"))))
        #expect(notReady.phase == .progressing)  // ready outranks available; conditions never fail
        #expect(notReady.waitingFor == ["condition Ready->True"])
        #expect(try F.state(Self.cr(Self.conditions(("Synced", "False"), ("Available", "True")))).phase == .ready)
        #expect(try F.state(Self.cr(Self.conditions(("Healthy", "Unknown")))).phase == .progressing)
        #expect(try F.state(Self.cr(Self.conditions(("Approved", "True")))).phase == .ready)
    }

    @Test(arguments: GenericRules.conditionTypes)
    func everyConditionTypeDecides(type: String) throws {
        #expect(try F.state(Self.cr(Self.conditions((type, "True")))).phase == .ready)
        #expect(try F.state(Self.cr(Self.conditions((type.prefix(1).uppercased() + type.dropFirst(), "False")))).phase == .progressing)
    }

    @Test(arguments: [
        ("phase", "Running", ResourceState.Phase.ready), ("phase", "Pending", .progressing), ("state", "in_progress", .progressing),
        ("currentPhase", "IN-PROGRESS", .progressing), ("status", "Succeeded", .ready), ("currentStatus", "ERRORED", .failed),
        ("health", "Healthy", .ready), ("currentHealth", "Degraded", .ready), ("phase", "Aborted", .failed),
        ("state", "Valid", .ready), ("state", "Invalid", .progressing), ("health", "green", .ready), ("health", "red", .progressing),
        ("currentState", "rejected", .failed), ("phase", "Bound", .ready), ("phase", "Active", .ready), ("phase", "Terminated", .failed),
    ])
    func valueFields(field: String, value: String, phase: ResourceState.Phase) throws {
        let s = try F.state(Self.cr([field: .string(value)]))
        #expect(s.phase == phase)
        if phase == .failed {
            #expect(s.errors.first?.message == "Resource status field value matched failed condition.")
        }
    }

    @Test func conditionsOutrankValueFields() throws {
        var status = Self.conditions(("Ready", "True"))
        status["phase"] = "Failed"
        #expect(try F.state(Self.cr(status)).phase == .ready)
    }

    @Test func unknownValueFallsThroughToTheNextField() throws {
        #expect(try F.state(Self.cr(["phase": "Weird", "state": "Pending"])).phase == .progressing)
        #expect(try F.state(Self.cr(["phase": "Weird"])).phase == .ready)
    }

    @Test func persistentVolumeClaim() throws {
        #expect(try F.state(Self.cr(["phase": "Pending"], kind: "PersistentVolumeClaim", apiVersion: "v1")).phase == .progressing)
        #expect(try F.state(Self.cr(["phase": "Bound"], kind: "PersistentVolumeClaim", apiVersion: "v1")).phase == .ready)
    }

    @Test func namespace() throws {
        #expect(try F.state(Self.cr(["phase": "Active"], kind: "Namespace", apiVersion: "v1")).phase == .ready)
    }

    @Test func customResourceDefinition() throws {
        let crd = "apiextensions.k8s.io/v1"
        #expect(try F.state(Self.cr(Self.conditions(("NamesAccepted", "True"), ("Established", "True")), kind: "CustomResourceDefinition", apiVersion: crd)).phase == .ready)
        let pending = try F.state(Self.cr(Self.conditions(("NamesAccepted", "True"), ("Established", "False")), kind: "CustomResourceDefinition", apiVersion: crd))
        #expect(pending.waitingFor == ["condition Established->True"])
        #expect(try F.state(Self.cr(nil, kind: "CustomResourceDefinition", apiVersion: crd)).phase == .ready)
    }

    @Test func contribRules() throws {
        let argo = "argoproj.io/v1alpha1"
        #expect(try F.state(Self.cr(["health": ["status": "Healthy"]], kind: "Application", apiVersion: argo)).phase == .ready)
        #expect(try F.state(Self.cr(["health": ["status": "Degraded"]], kind: "Application", apiVersion: argo)).phase == .failed)
        #expect(try F.state(Self.cr(["sync": ["status": "Synced"]], kind: "Application", apiVersion: argo)).phase == .progressing)
        let es = Self.cr(Self.conditions(("Ready", "False")), kind: "ExternalSecret", apiVersion: "external-secrets.io/v1beta1")
        #expect(try F.state(es).phase == .failed)
        let cert = Self.cr(Self.conditions(("Ready", "False")), kind: "Certificate", apiVersion: "cert-manager.io/v1")
        #expect(try F.state(cert).phase == .progressing)
        let pg = Self.cr(["PostgresClusterStatus": "UpdateFailed"], kind: "postgresql", apiVersion: "acid.zalan.do/v1")
        #expect(try F.state(pg).phase == .failed)
        let volume = Self.cr(["state": "detached"], kind: "Volume", apiVersion: "longhorn.io/v1beta2")
        #expect(try F.state(volume).phase == .ready)
        let prometheus = Self.cr(["paused": false], kind: "Prometheus", apiVersion: "monitoring.coreos.com/v1")
        #expect(try F.state(prometheus).phase == .progressing)  // the rule applies even without the condition
    }

    @Test func canary() throws {
        let api = "flagger.app/v1beta1"
        #expect(try F.state(Self.cr(["phase": "Initialized"], kind: "Canary", apiVersion: api)).phase == .ready)
        #expect(try F.state(Self.cr(["phase": "Progressing"], kind: "Canary", apiVersion: api)).phase == .progressing)
        let failed = try F.state(Self.cr(["phase": "Failed", "conditions": [["type": "Promoted", "message": "Canary analysis failed"]]], kind: "Canary", apiVersion: api))
        #expect(failed.phase == .failed)
        #expect(failed.errors.first?.message == "Failed - Canary analysis failed")
    }

    @Test func ignoreAndContinueHoldsAFailedValue() throws {
        var o = Self.cr(["phase": "Failed"])
        o["metadata"]?["annotations"] = ["werf.io/fail-mode": "IgnoreAndContinueDeployProcess"]
        #expect(try F.state(o).phase == .progressing)
    }
}
