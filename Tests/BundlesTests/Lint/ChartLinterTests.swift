import Bundles
import Foundation
import Testing
import TestSupport

/// `chart lint` messages against `helm lint` on the scaffold and on broken variants of it.
@Suite struct ChartLinterTests {
    /// helm lint's message lines for one chart (between the `==> Linting` header and the summary).
    func helmMessages(_ chart: String, helm: HelmSandbox) throws -> (lines: [String], failed: Bool) {
        let result = try runProcess(try Oracle.helm4.path(), ["lint", chart], environment: helm.environment)
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("[") }
        return (lines, !result.succeeded)
    }

    func variant(_ name: String, in dir: String, helm: HelmSandbox, _ change: (String) throws -> Void) throws -> String {
        let path = dir + "/" + name
        try helm.run(["create", path])
        try change(path)
        return path
    }

    @Test(arguments: ["scaffold", "badVersion", "badName", "renderError", "missingDependency", "noAPIVersion", "withIcon", "badYAML", "badValues"])
    func matchesHelmLint(_ scenario: String) throws {
        let helm = try HelmSandbox()
        let dir = try makeTemporaryDirectory("bosun-lint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let chart = try variant("c" + scenario.lowercased(), in: dir, helm: helm) { path in
            let name = (path as NSString).lastPathComponent
            switch scenario {
            case "badVersion": try write("apiVersion: v2\nname: \(name)\nversion: 1.x\n", path + "/Chart.yaml")
            case "badName": try write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n", path + "/templates/cm.yaml")
            case "renderError": try write("{{ .Values.nope.deeper }}\n", path + "/templates/broken.yaml")
            case "missingDependency":
                try write("apiVersion: v2\nname: \(name)\nversion: 0.1.0\ndependencies:\n- name: absent\n  version: 1.0.0\n  repository: https://example.invalid\n", path + "/Chart.yaml")
            case "noAPIVersion": try write("name: \(name)\nversion: 0.1.0\n", path + "/Chart.yaml")
            case "badYAML": try write("a: b\n  c: d\n", path + "/templates/yaml.yaml")
            case "badValues": try write("replicaCount: 1\nbad: [\n", path + "/values.yaml")
            case "withIcon":
                try write("apiVersion: v2\nname: \(name)\nversion: 0.1.0\nicon: https://example.com/i.png\ndeprecated: true\n", path + "/Chart.yaml")
            default: break
            }
        }
        let expected = try helmMessages(chart, helm: helm)
        let result = ChartLinter.lint(chartPath: chart)
        // Compare the lines that start a message (continuation lines hold Go error chains).
        let ours = result.messages.flatMap { $0.description.split(separator: "\n").map(String.init) }.filter { $0.hasPrefix("[") }
        #expect(ours == expected.lines)
        #expect(result.failed(strict: false) == expected.failed)
    }
}
