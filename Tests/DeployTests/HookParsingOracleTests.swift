import Foundation
import Structured
import TestSupport
import Testing
@testable import Deploy

/// Which hook documents survive, compared live with `helm template` (Helm 4 drops a document whose
/// `helm.sh/hook` list has an unknown or empty entry).
@Suite struct HookParsingOracleTests {
    static let eventLists = [
        "pre-install", "test-success", "test", "pre-install,pre-deploy", "", "pre-install,", "Pre-Install, post-upgrade",
        " post-delete ", "pre-rollback,post-rollback,pre-delete", "crd-install", "pre-install,,post-install", "PRE-UPGRADE",
    ]

    @Test func keptHookDocumentsMatchHelm() throws {
        let helm = try Oracle.helm4.path()
        let dir = try makeTemporaryDirectory("deploy-hooks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/c/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(toFile: dir + "/c/Chart.yaml", atomically: true, encoding: .utf8)
        var ours: Set<String> = []
        for (i, events) in Self.eventLists.enumerated() {
            let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\(i)\n  annotations:\n    helm.sh/hook: \(events.debugDescription)\n"
            try doc.write(toFile: dir + "/c/templates/h\(i).yaml", atomically: true, encoding: .utf8)
            var problems: [String] = []
            if case .resource? = ResourceMetadata.parse(try manifest(doc), releaseNamespace: "default", problems: &problems) {
                ours.insert("h\(i)")
            }
            #expect(problems.isEmpty)
        }
        let result = try runProcess(helm, ["template", "r", dir + "/c"])
        #expect(result.succeeded, "\(result.stderr)")
        let helmNames = Set(try YAML.decodeAll(result.stdout, mode: .manifest).compactMap { $0[path: "metadata", "name"]?.stringValue })
        #expect(ours == helmNames)
        #expect(ours.count >= 6)
    }
}
