import Structured
import Testing
import Tracking
@testable import Deploy

/// Builds a manifest value from YAML the way rendered templates are decoded.
func manifest(_ yaml: String) throws -> Value {
    try YAML.decode(yaml, mode: .manifest)
}

func parseOne(_ yaml: String, namespace: String = "app") throws -> (ResourceMetadata.ParseOutcome?, [String]) {
    var problems: [String] = []
    let outcome = ResourceMetadata.parse(try manifest(yaml), releaseNamespace: namespace, problems: &problems)
    return (outcome, problems)
}

func parsedResource(_ yaml: String, namespace: String = "app") throws -> ResourceMetadata {
    let (outcome, problems) = try parseOne(yaml, namespace: namespace)
    guard case .resource(let resource)? = outcome else {
        Issue.record("not parsed: \(problems)")
        throw ManifestValidationError(problems: problems)
    }
    return resource
}

@Suite struct ResourceMetadataParsingTests {
    @Test func identityFromApiVersionKindAndNamespace() throws {
        let r = try parsedResource("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n")
        #expect(r.id == ResourceID(group: "apps", kind: "Deployment", namespace: "app", name: "web"))
        #expect(r.version == "v1")
        #expect(r.weight == 0)
        #expect(r.hook == nil)
        #expect(r.ownership == .release)
        let ns = try parsedResource("apiVersion: v1\nkind: Namespace\nmetadata: {name: other, namespace: x}\n")
        #expect(ns.id.namespace == nil)
        let explicit = try parsedResource("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\n")
        #expect(explicit.id.description == "ConfigMap/other/c")
        let custom = try parsedResource("apiVersion: example.org/v1\nkind: CronTab\nmetadata: {name: t}\n")
        #expect(custom.id.description == "CronTab.example.org/app/t")
    }

    @Test func hookEventsWeightsAndDeletePolicies() throws {
        let r = try parsedResource("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations:
                helm.sh/hook: "Pre-Install, pre-upgrade"
                helm.sh/hook-weight: "-5"
                helm.sh/hook-delete-policy: "hook-succeeded,before-hook-creation,bogus"
            """)
        #expect(r.hook?.events == [.preInstall, .preUpgrade])
        #expect(r.hook?.weight == -5)
        #expect(r.weight == -5)
        #expect(r.hook?.deletePolicies == [.hookSucceeded, .beforeHookCreation])
        #expect(r.ownership == .anyone)
    }

    @Test func werfWeightBeatsHookWeight() throws {
        let r = try parsedResource("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: j
              annotations: {helm.sh/hook: post-install, helm.sh/hook-weight: "3", werf.io/weight: "-2"}
            """)
        #expect(r.hook?.weight == -2)
        #expect(r.weight == -2)
    }

    @Test func malformedHelmHookWeightCountsAsZeroLikeHelm() throws {
        let r = try parsedResource("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {helm.sh/hook: pre-install, helm.sh/hook-weight: "x"}
            """)
        #expect(r.hook?.weight == 0)
        #expect(r.hook?.effectiveDeletePolicies == [.beforeHookCreation])
    }

    @Test func unknownHookEventDropsTheDocument() throws {
        let (outcome, problems) = try parseOne("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {helm.sh/hook: "pre-install,pre-deploy"}
            """)
        #expect(problems.isEmpty)
        guard case .dropped(let reason)? = outcome else { Issue.record("expected drop"); return }
        #expect(reason.contains("pre-deploy"))
    }

    /// Helm skips a hook document when any entry of its event list is unknown, empty ones included.
    @Test(arguments: ["pre-install,pre-deploy", "", "pre-install,", "pre-install,,post-install"])
    func hookListsWithAnUnknownEntryAreDropped(events: String) throws {
        let (outcome, problems) = try parseOne("apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {helm.sh/hook: \(events.debugDescription)}}\n")
        #expect(problems.isEmpty)
        guard case .dropped? = outcome else { Issue.record("expected drop of \(events.debugDescription)"); return }
    }

    @Test(arguments: [("7", 7), ("-3", -3), ("+2", 2), (" 5", 0), ("1.5", 0), ("", 0)])
    func helmHookWeightParsesLikeAtoi(text: String, weight: Int) throws {
        let r = try parsedResource("apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {helm.sh/hook: test-success, helm.sh/hook-weight: \(text.debugDescription)}}\n")
        #expect(r.hook?.weight == weight)
        #expect(r.hook?.events == [.test])
    }

    @Test func malformedWerfWeightIsAnErrorNamingResourceAndAnnotation() throws {
        let (outcome, problems) = try parseOne("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {werf.io/weight: "abc"}
            """)
        #expect(outcome == nil)
        #expect(problems == [#"Deployment/web: annotation werf.io/weight: "abc" is not an integer"#])
    }

    @Test func nonStringAnnotationIsAnError() throws {
        let (outcome, problems) = try parseOne("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {werf.io/weight: 5}}\n")
        #expect(outcome == nil)
        #expect(problems == ["ConfigMap/c: annotation werf.io/weight: value must be a string, quote it"])
    }

    @Test func policiesOwnershipAndSensitivity() throws {
        let r = try parsedResource("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              annotations:
                helm.sh/resource-policy: " Keep "
                werf.io/delete-policy: before-creation,failed
                werf.io/ownership: anyone
            """)
        #expect(r.resourcePolicies == [.keep])
        #expect(r.isKept)
        #expect(r.deletePolicies == [.beforeCreation, .failed])
        #expect(r.ownership == .anyone)
        #expect(r.sensitive)
        let job = try parsedResource("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {werf.io/sensitive: \"true\", werf.io/resource-policy: skip-delete}}\n")
        #expect(job.effectiveDeletePolicies == [.beforeCreationIfImmutable])
        #expect(job.sensitive)
        #expect(job.isKept)
    }

    @Test func deployDependencies() throws {
        let r = try parsedResource("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations:
                werf.io/deploy-dependency-db: "state=ready,kind=StatefulSet,name=postgres"
                werf.io/deploy-dependency-cfg: "name=settings, state=present, namespace=other"
            """)
        #expect(r.deployDependencies.count == 2)
        #expect(r.deployDependencies[0] == DeployDependency(id: "cfg", state: .present, name: "settings", namespace: "other", kind: nil, group: nil, version: nil))
        let db = try #require(r.deployDependencies.first { $0.id == "db" })
        #expect(db.state == .ready)
        #expect(db.kind == "StatefulSet")
        #expect(db.name == "postgres")
    }

    @Test func externalDependencies() throws {
        let r = try parsedResource("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations:
                secret.external-dependency.werf.io/resource: secret/vault
                secret.external-dependency.werf.io/namespace: vault-ns
                db.external-dependency.werf.io/resource: statefulset.v1.apps/pg
                crt.external-dependency.werf.io/resource: certificates.cert-manager.io/tls
            """)
        #expect(r.externalDependencies.map(\.id) == ["crt", "db", "secret"])
        #expect(r.externalDependencies[0].group == "cert-manager.io")
        #expect(r.externalDependencies[0].version == nil)
        #expect(r.externalDependencies[1].version == "v1")
        #expect(r.externalDependencies[1].group == "apps")
        #expect(r.externalDependencies[2] == ExternalDependency(id: "secret", type: "secret", version: nil, group: nil, name: "vault", namespace: "vault-ns"))
    }

    @Test func trackingAnnotationsCarried() throws {
        let r = try parsedResource("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations:
                werf.io/track-termination-mode: NonBlocking
                werf.io/fail-mode: IgnoreAndContinueDeployProcess
                werf.io/failures-allowed-per-replica: "3"
                werf.io/no-activity-timeout: 1h30m
                werf.io/log-regex-for-app: ".*ERR.*"
                werf.io/skip-logs-for-containers: "a, b"
                werf.io/show-service-messages: "true"
            """)
        #expect(r.tracking.trackTerminationMode == .nonBlocking)
        #expect(r.tracking.failMode == .ignoreAndContinueDeployProcess)
        #expect(r.tracking.failuresAllowedPerReplica == 3)
        #expect(r.tracking.noActivityTimeout == 5400)
        #expect(r.tracking.logRegexFor == ["app": ".*ERR.*"])
        #expect(r.tracking.skipLogsForContainers == ["a", "b"])
        #expect(r.tracking.showServiceMessages)
    }

    /// One parser (Tracking's) for werf's tracking annotations: every fail mode it knows is valid here.
    @Test func hopeFailModeIsAccepted() throws {
        let r = try parsedResource("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {werf.io/fail-mode: HopeUntilEndOfDeployProcess, werf.io/ignore-readiness-probe-fails-for-app: 20s}
            """)
        #expect(r.tracking.failMode == .hopeUntilEndOfDeployProcess)
        #expect(r.tracking.ignoreReadinessProbeFailsFor == ["app": 20])
    }

    /// Every malformed annotation is reported, each naming the resource and the annotation.
    @Test(arguments: [
        ("werf.io/delete-policy", "sometimes", #""sometimes" is not before-creation"#),
        ("werf.io/resource-policy", "forever", #""forever" is not keep"#),
        ("werf.io/ownership", "me", #""me" is not release or anyone"#),
        ("werf.io/sensitive", "yes", #""yes" is not true or false"#),
        ("werf.io/track-termination-mode", "Wait", #""Wait" is not WaitUntilResourceReady"#),
        ("werf.io/fail-mode", "Fail", #""Fail" is not one of FailWholeDeployProcessImmediately, IgnoreAndContinueDeployProcess, HopeUntilEndOfDeployProcess"#),
        ("werf.io/failures-allowed-per-replica", "-1", #""-1" is not an integer >= 0"#),
        ("werf.io/no-activity-timeout", "4 minutes", #""4 minutes" is not a positive duration"#),
        ("werf.io/log-regex", "(", "is not a valid regular expression"),
        ("werf.io/log-regex-skip-for-app", "[", "is not a valid regular expression"),
        ("werf.io/show-logs-until", "PodIsReady", "annotation werf.io/show-logs-until: is not supported"),
        ("werf.io/deploy-dependency-x", "kind=Deployment,name=a", "state=present|ready is required"),
        ("werf.io/deploy-dependency-x", "state=gone,name=a", #"state "gone" is not present or ready"#),
        ("werf.io/deploy-dependency-x", "state=ready", "name or kind is required"),
        ("werf.io/deploy-dependency-x", "state=ready,colour=red", #"unknown key "colour""#),
        ("x.external-dependency.werf.io/resource", "vault", #""vault" is not type[.version.group]/name"#),
        ("x.external-dependency.werf.io/namespace", "ns", "has no matching x.external-dependency.werf.io/resource"),
    ])
    func invalidAnnotation(key: String, value: String, expected: String) throws {
        let (outcome, problems) = try parseOne("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {\(key.debugDescription): \(value.debugDescription)}
            """)
        #expect(outcome == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("Deployment/web: annotation \(key): ") == true)
        #expect(problems.first?.contains(expected) == true, "\(problems)")
    }

    @Test(arguments: [
        ("Deployment", "Web", "not a valid DNS-1123 subdomain"),
        ("Deployment", "a_b", "not a valid DNS-1123 subdomain"),
        ("Deployment", "-a", "not a valid DNS-1123 subdomain"),
        ("Service", "1web", "not a valid DNS-1035 label"),
        ("Namespace", "a.b", "not a valid DNS-1123 label"),
    ])
    func invalidNames(kind: String, name: String, expected: String) throws {
        let (outcome, problems) = try parseOne("apiVersion: v1\nkind: \(kind)\nmetadata: {name: \(name.debugDescription)}\n")
        #expect(outcome == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("\(kind)/\(name): metadata.name") == true)
        #expect(problems.first?.contains(expected) == true, "\(problems)")
    }

    @Test func validNamesPass() throws {
        _ = try parsedResource("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a.b-c.1}\n")
        _ = try parsedResource("apiVersion: v1\nkind: Service\nmetadata: {name: web-1}\n")
    }

    @Test func missingIdentityFieldsAllReported() throws {
        let (outcome, problems) = try parseOne("metadata: {annotations: {werf.io/weight: x}}\n")
        #expect(outcome == nil)
        #expect(problems == [
            "<no kind>/<no name>: apiVersion is missing",
            "<no kind>/<no name>: kind is missing",
            "<no kind>/<no name>: metadata.name is missing",
            #"<no kind>/<no name>: annotation werf.io/weight: "x" is not an integer"#,
        ])
    }
}
