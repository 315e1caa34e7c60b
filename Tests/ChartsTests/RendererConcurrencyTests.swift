import Foundation
import Testing
import TestSupport

@testable import Charts

/// Rendering on several cores gives the very bytes (and errors) of rendering in helm's order.
@Suite struct RendererConcurrencyTests {
    private func render(_ arguments: [String], concurrently: Bool) -> RenderHarness.Outcome {
        do {
            var (chart, options) = try RenderHarness.options(arguments)
            options.concurrently = concurrently
            return RenderHarness.Outcome(succeeded: true, text: try ChartTemplate.run(chartPath: chart, options: options))
        } catch let error as ChartsError {
            return RenderHarness.Outcome(succeeded: false, text: "Error: \(error.message)\n")
        } catch {
            return RenderHarness.Outcome(succeeded: false, text: "Error: \(error)\n")
        }
    }

    @Test func fixtureAndSharedChartsRenderTheSameBytesEitherWay() throws {
        let fixtures = RenderHarness.fixtures + "/features"
        var cases = try RenderHarness.cases(file: RenderHarness.fixtures + "/features.cases").map { c in
            [fixtures + "/" + c.name] + c.arguments.map { $0.replacingOccurrences(of: "{dir}", with: fixtures + "/" + c.name) }
        }
        let shared = Repository.sharedCharts
        let names = try FileManager.default.contentsOfDirectory(atPath: shared).sorted()
            .filter { FileManager.default.fileExists(atPath: shared + "/" + $0 + "/Chart.yaml") }
        #expect(names.count >= 40)
        cases += names.map { [shared + "/" + $0] }
        for arguments in cases {
            let serial = render(arguments, concurrently: false)
            let concurrent = render(arguments, concurrently: true)
            #expect(serial == concurrent, "\(arguments.joined(separator: " ")): \(RenderHarness.firstDifference(serial.text, concurrent.text))")
        }
    }

    /// Many templates, two of which fail: the first in helm's order is the one reported.
    @Test func firstFailureInHelmOrderIsReported() throws {
        let root = try makeTemporaryDirectory("concurrent-errors")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: errs\nversion: 0.1.0\n".write(toFile: root + "/Chart.yaml", atomically: false, encoding: .utf8)
        for i in 0..<60 {
            let body = i == 17 || i == 42
                ? "{{ fail \"broken \(i)\" }}"
                : "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\(i)\ndata:\n  n: {{ .Values.n | default \(i) | quote }}\n"
            try body.write(toFile: root + "/templates/cm\(i).yaml", atomically: false, encoding: .utf8)
        }
        let helm = try RenderHarness.helm([root])
        #expect(!helm.succeeded)
        #expect(render([root], concurrently: true) == helm)
        #expect(render([root], concurrently: false) == helm)
    }

    /// A chart large enough to be parsed on several threads: redefinitions across files resolve in
    /// helm's order, and of two files that fail to parse, the first in helm's order is reported.
    @Test func largeChartsParseOnSeveralCoresLikeHelm() throws {
        let root = try makeTemporaryDirectory("parallel-parse")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: big\nversion: 0.1.0\n".write(toFile: root + "/Chart.yaml", atomically: false, encoding: .utf8)
        let padding = String(repeating: "{{/* padding so the chart is over the parallel threshold */}}\n", count: 12)
        func write(broken: Set<Int>) throws {
            for i in 0..<80 {
                let define = "{{- define \"shared\" }}from \(i){{ end -}}\n"
                let body = broken.contains(i)
                    ? "{{ if }}\n"
                    : "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\(i)\ndata:\n  who: {{ include \"shared\" . | quote }}\n"
                try (padding + define + body).write(toFile: root + "/templates/cm\(i).yaml", atomically: false, encoding: .utf8)
            }
        }
        try write(broken: [])
        let good = try RenderHarness.helm([root])
        #expect(good.succeeded)
        #expect(render([root], concurrently: true) == good)
        try write(broken: [23, 61])
        let bad = try RenderHarness.helm([root])
        #expect(!bad.succeeded)
        #expect(render([root], concurrently: true) == bad)
    }

    /// Templates changing `.Values` for later ones (in helm's order) force the ordered render.
    @Test func mutatingChartsKeepHelmsOrder() throws {
        let root = try makeTemporaryDirectory("concurrent-mutation")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: mut\nversion: 0.1.0\n".write(toFile: root + "/Chart.yaml", atomically: false, encoding: .utf8)
        try "counter: 0\ntext: '{{ $_ := set .Values \"fromTpl\" \"yes\" }}'\n".write(toFile: root + "/values.yaml", atomically: false, encoding: .utf8)
        for i in 0..<40 {
            let step = i == 5 ? "{{ $_ := set .Values \"counter\" 5 }}" : i == 25 ? "{{ tpl .Values.text . }}" : ""
            let body = "\(step)apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\(String(format: "%02d", i))\ndata:\n  counter: {{ .Values.counter | quote }}\n  fromTpl: {{ .Values.fromTpl | default \"no\" | quote }}\n"
            try body.write(toFile: root + "/templates/cm\(String(format: "%02d", i)).yaml", atomically: false, encoding: .utf8)
        }
        let helm = try RenderHarness.helm([root])
        #expect(helm.succeeded)
        #expect(render([root], concurrently: true) == helm)
    }
}
