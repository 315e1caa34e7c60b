import Foundation
import Testing
import TestSupport

@testable import Charts

/// The `helm create` scaffold rendered with many value combinations, byte-identical with helm.
@Suite struct HelmCreateTests {
    static let combinations: [[String]] = [
        [],
        ["--set", "replicaCount=3"],
        ["--set", "ingress.enabled=true"],
        ["--set", "ingress.enabled=true,ingress.className=nginx", "--set", "ingress.tls[0].secretName=tls", "--set", "ingress.tls[0].hosts[0]=a.example.com"],
        ["--set", "autoscaling.enabled=true"],
        ["--set", "autoscaling.enabled=true,autoscaling.targetMemoryUtilizationPercentage=70"],
        ["--set", "serviceAccount.create=false"],
        ["--set", "serviceAccount.create=false,serviceAccount.name=custom"],
        ["--set", "serviceAccount.annotations.role=admin", "--set", "serviceAccount.automount=false"],
        ["--set", "service.type=NodePort,service.port=8080"],
        ["--set", "image.tag=1.2.3", "--set", "image.pullPolicy=Always"],
        ["--set", "imagePullSecrets[0].name=regcred"],
        ["--set", "podAnnotations.a=b", "--set", "podLabels.team=core"],
        ["--set", "nameOverride=short"],
        ["--set", "fullnameOverride=full-name-override"],
        ["--set", "resources.limits.cpu=100m,resources.limits.memory=128Mi"],
        ["--set", "nodeSelector.disk=ssd", "--set", "tolerations[0].key=k,tolerations[0].operator=Exists"],
        ["--set-json", "affinity={\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[]}}}"],
        ["--set-json", "volumes=[{\"name\":\"v\",\"emptyDir\":{}}]", "--set-json", "volumeMounts=[{\"name\":\"v\",\"mountPath\":\"/data\"}]"],
        ["--set", "securityContext.runAsNonRoot=true,podSecurityContext.fsGroup=2000"],
        ["--set", "livenessProbe=null"],
        ["my-release", "--namespace", "prod"],
        ["--skip-tests"],
        ["--show-only", "templates/service.yaml"],
        ["--set", "httpRoute.enabled=true"],
        ["--kube-version", "1.25.0", "--set", "ingress.enabled=true"],
    ]

    @Test func scaffoldMatchesHelm() throws {
        let dir = try makeTemporaryDirectory("bosun-create")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let created = try runProcess(try Oracle.helm4.path(), ["create", dir + "/scaffold"])
        #expect(created.succeeded, "\(created.stderr)")
        let chart = dir + "/scaffold"
        let cases = Self.combinations.map { args -> [String] in
            if let first = args.first, !first.hasPrefix("-") { return [first, chart] + args.dropFirst() }
            return [chart] + args
        }
        let (mismatches, helm) = try RenderHarness.compare(cases)
        #expect(helm.filter { $0.succeeded }.count >= 20)
        for m in mismatches {
            Issue.record("\(m.arguments.dropFirst().joined(separator: " ")): \(RenderHarness.firstDifference(m.helm.text, m.ours.text))")
        }
    }
}
