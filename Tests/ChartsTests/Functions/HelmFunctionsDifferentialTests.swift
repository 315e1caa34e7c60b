import Dispatch
import Foundation
import GoTemplate
import Testing
import TestSupport
@testable import Charts

/// Differential tests of Sprig/Helm functions against the real helm 4 binary: every line of
/// Tests/Fixtures/Functions/cases.txt is rendered once by `helm template` (one template per case,
/// base64-wrapped so any output survives the YAML check) and once by our functions.
@Suite struct HelmFunctionsDifferentialTests {
    static let fixtures = Repository.root + "/Tests/Fixtures/Functions"

    /// Tests/Fixtures/Functions/values.yaml as helm's values decoder types it (numbers are float64).
    static let values: TemplateValue = .map([
        "num": .float(3), "float": .float(1.5), "big": .float(1_000_000), "neg": .float(-2),
        "str": .string("hello"), "empty": .string(""), "zero": .float(0), "flag": .bool(true),
        "falsy": .bool(false), "nothing": .null,
        "list": .list([.float(1), .float(2), .string("a")]),
        "strs": .list([.string("b"), .string("a"), .string("c")]),
        "nums": .list([.float(3), .float(1), .float(2)]),
        "m": .map(["a": .float(1), "b": .string("x"), "inner": .map(["c": .float(2)])]),
        "emptyList": .list([]), "emptyMap": .map([:]),
    ])

    static func cases(_ file: String) throws -> [String] {
        try String(contentsOfFile: fixtures + "/" + file, encoding: .utf8)
            .split(separator: "\n").map(String.init)
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    static func makeChart(_ expressions: [String]) throws -> String {
        let dir = try makeTemporaryDirectory("bosun-funcs")
        let chart = dir + "/c"
        try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(toFile: chart + "/Chart.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: fixtures + "/values.yaml", toPath: chart + "/values.yaml")
        for (i, expression) in expressions.enumerated() {
            let name = caseName(i)
            let text = templateText(i, expression)
            try text.write(toFile: chart + "/templates/\(name).yaml", atomically: true, encoding: .utf8)
        }
        return chart
    }

    static func templateText(_ i: Int, _ expression: String) -> String {
        let name = caseName(i)
        return "{{- define \"\(name)\" }}{{ \(expression) }}{{ end }}# {{ include \"\(name)\" . | b64enc }}\n"
    }

    /// `tpl` and `include` need a template set: only the engine test runs them.
    static func needsEngine(_ expression: String) -> Bool {
        expression.hasPrefix("tpl ") || expression.hasPrefix("include ")
    }

    static func caseName(_ i: Int) -> String { "c" + String(i).leftPadded(4) }

    /// `# Source: c/templates/cNNNN.yaml` sections of helm's output, base64-decoded.
    static func helmOutputs(_ stdout: String) -> [String: String] {
        var out: [String: String] = [:]
        for doc in stdout.components(separatedBy: "---\n# Source: c/templates/").dropFirst() {
            let lines = doc.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(lines[0].dropLast(".yaml".count))
            let body = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : "#"
            let b64 = body.hasPrefix("#") ? String(body.dropFirst()).trimmingCharacters(in: .whitespaces) : body
            guard case .success(let bytes) = BaseN.decode64(b64) else { out[name] = "<undecodable: \(body)>"; continue }
            out[name] = String(decoding: bytes, as: UTF8.self)
        }
        return out
    }

    static var evaluator: ExpressionEvaluator {
        ExpressionEvaluator(functions: HelmFunctions.registry(), values: values)
    }

    /// helm's rendering of cases.txt, run once and shared by the tests below.
    static let helmRun: Result<(expressions: [String], raw: [String: String]), any Error> = Result {
        let expressions = try cases("cases.txt")
        let chart = try makeChart(expressions)
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        let helm = try runProcess(try Oracle.helm4.path(), ["template", chart], environment: ["TZ": "UTC"])
        guard helm.succeeded else { throw ExpressionEvaluator.Failure(message: "helm failed: \(helm.stderr)") }
        return (expressions, rawDocuments(helm.stdout))
    }

    /// `# Source: c/templates/cNNNN.yaml` sections of helm's output, as printed (trimmed).
    static func rawDocuments(_ stdout: String) -> [String: String] {
        var out: [String: String] = [:]
        for doc in stdout.components(separatedBy: "---\n# Source: c/templates/").dropFirst() {
            let lines = doc.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(lines[0].dropLast(".yaml".count))
            out[name] = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        }
        return out
    }

    static func decode(_ document: String) -> String {
        let b64 = document.hasPrefix("#") ? String(document.dropFirst()).trimmingCharacters(in: .whitespaces) : document
        guard case .success(let bytes) = BaseN.decode64(b64) else { return "<undecodable: \(document)>" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func everyCaseRendersLikeHelm() throws {
        let (expressions, raw) = try Self.helmRun.get()
        #expect(expressions.count > 500)
        #expect(raw.count == expressions.count)
        var mismatches: [String] = []
        for (i, expression) in expressions.enumerated() where !Self.needsEngine(expression) {
            let want = raw[Self.caseName(i)].map(Self.decode) ?? "<missing from helm output>"
            let got: String
            do { got = try Self.evaluator.render(expression) } catch { got = "<error: \(error)>" }
            if got != want {
                mismatches.append("\(expression)\n    helm:  \(GoText.quote(want))\n    bosun: \(GoText.quote(got))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(expressions.count) differ:\n\(mismatches.joined(separator: "\n"))")
    }

    /// The same files through the GoTemplate engine configured like Helm (missingkey=zero, then
    /// `<no value>` removed), so include, b64enc and pipelines run for real.
    @Test func everyCaseRendersLikeHelmThroughTheEngine() throws {
        let (expressions, raw) = try Self.helmRun.get()
        var set = TemplateSet(name: "c", functions: HelmFunctions.registry())
        var names: [String] = []
        for (i, expression) in expressions.enumerated() {
            let name = "c/templates/\(Self.caseName(i)).yaml"
            try set.parse(name: name, text: Self.templateText(i, expression))
            names.append(name)
        }
        let data: TemplateValue = .map(["Values": Self.values])
        var mismatches: [String] = []
        for (i, name) in names.enumerated() {
            let want = raw[Self.caseName(i)] ?? "<missing from helm output>"
            var got: String
            do {
                got = try set.execute(name: name, data: data, options: ExecutionOptions(missingKey: .zero))
                got = got.replacingOccurrences(of: "<no value>", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
            } catch { got = "<error: \(error)>" }
            if got != want {
                mismatches.append("\(expressions[i])\n    helm:  \(GoText.quote(Self.decode(want)))\n    bosun: \(GoText.quote(got.hasPrefix("#") ? Self.decode(got) : got))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(expressions.count) differ:\n\(mismatches.joined(separator: "\n"))")
    }

    @Test func failingCasesFailLikeHelm() throws {
        let expressions = try Self.cases("errors.txt")
        let helmPath = try Oracle.helm4.path()
        let results = FunctionResultBox(count: expressions.count)
        DispatchQueue.concurrentPerform(iterations: expressions.count) { i in
            do {
                let chart = try Self.makeChart([expressions[i]])
                defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
                let r = try runProcess(helmPath, ["template", chart], environment: ["TZ": "UTC"])
                results.set(i, r.succeeded ? "<helm succeeded: \(r.stdout)>" : r.stderr)
            } catch {
                results.set(i, "<could not run helm: \(error)>")
            }
        }
        var mismatches: [String] = []
        for (i, expression) in expressions.enumerated() {
            let helmError = results.get(i)
            var ours: String
            do {
                let v = try Self.evaluator.render(expression)
                ours = "<bosun succeeded: \(v)>"
            } catch {
                ours = "\(error)"
            }
            // Helm's required/fail text is unwrapped by the renderer from these markers.
            ours = ours.replacingOccurrences(of: HelmFunctions.errorStart, with: "").replacingOccurrences(of: HelmFunctions.errorEnd, with: "")
            // Argument-error markers are for the renderer (ArgumentErrors); the message follows them.
            ours = ArgumentErrors.strippingMarkers(ours)
            // Arity and argument type errors come from Go's call machinery, without "error calling".
            var needle = ours
            if let range = ours.range(of: ": ") {
                let tail = String(ours[range.upperBound...])
                if ["wrong number of args", "wrong type for value", "invalid value;"].contains(where: tail.hasPrefix) { needle = tail }
            }
            if ours.hasPrefix("error calling required: ") || ours.hasPrefix("error calling fail: ") {
                needle = String(ours[ours.range(of: ": ")!.upperBound...])
            }
            if !helmError.contains(needle) {
                mismatches.append("\(expression)\n    helm:  \(helmError.trimmingCharacters(in: .whitespacesAndNewlines))\n    bosun: \(ours)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(expressions.count) differ:\n\(mismatches.joined(separator: "\n"))")
    }
}

final class FunctionResultBox: @unchecked Sendable {
    private var items: [String]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: "", count: count) }
    func set(_ i: Int, _ v: String) { lock.lock(); items[i] = v; lock.unlock() }
    func get(_ i: Int) -> String { lock.lock(); defer { lock.unlock() }; return items[i] }
}
