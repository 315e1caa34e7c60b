import Foundation
import Testing
import TestSupport

@testable import Charts

/// Runs `helm template ARGS` and our ChartTemplate on the same arguments, and compares.
enum RenderHarness {
    struct Outcome: Equatable, CustomStringConvertible {
        var succeeded: Bool
        /// stdout on success, `Error: ...` text on failure.
        var text: String
        var description: String { (succeeded ? "OK\n" : "FAILED\n") + text }
    }

    /// Helm-style arguments into our options (the subset of flags the tests use).
    static func options(_ arguments: [String]) throws -> (chart: String, options: TemplateOptions) {
        var options = TemplateOptions()
        var positional: [String] = []
        var nameTemplate: String?
        var generateName = false
        var i = 0
        func next() throws -> String {
            i += 1
            guard i < arguments.count else { throw ChartsError("flag needs an argument: \(arguments[i - 1])") }
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--set": options.values.values.append(try next())
            case "--set-string": options.values.stringValues.append(try next())
            case "--set-json": options.values.jsonValues.append(try next())
            case "--set-file": options.values.fileValues.append(try next())
            case "--set-literal": options.values.literalValues.append(try next())
            case "-f", "--values": options.values.valueFiles += try next().split(separator: ",").map(String.init)
            case "-n", "--namespace": options.namespace = try next()
            case "--include-crds": options.includeCRDs = true
            case "--skip-tests": options.skipTests = true
            case "--no-hooks": options.noHooks = true
            case "--is-upgrade": options.isUpgrade = true
            case "--skip-schema-validation": options.skipSchemaValidation = true
            case "-s", "--show-only": options.showOnly.append(try next())
            case "--kube-version": options.kubeVersion = try next()
            case "-a", "--api-versions": options.apiVersions += try next().split(separator: ",").map(String.init)
            case "--output-dir": options.outputDirectory = try next()
            case "--release-name": options.useReleaseName = true
            case "--name-template": nameTemplate = try next()
            case "-g", "--generate-name": generateName = true
            case "--enable-dns": options.enableDNS = true
            case "--skip-crds", "--render-subchart-notes", "--hide-notes": break
            default: positional.append(a)
            }
            i += 1
        }
        let (name, chart) = try ChartTemplate.nameAndChart(positional, generateName: generateName, nameTemplate: nameTemplate)
        if let name { options.releaseName = name }
        options.nameTemplate = nameTemplate
        return (chart, options)
    }

    static func ours(_ arguments: [String]) -> Outcome {
        do {
            let (chart, options) = try options(arguments)
            let text = try ChartTemplate.run(chartPath: chart, options: options)
            return Outcome(succeeded: true, text: text)
        } catch let error as ChartsError {
            return Outcome(succeeded: false, text: "Error: \(error.message)\n")
        } catch {
            return Outcome(succeeded: false, text: "Error: \(error)\n")
        }
    }

    static func helm(_ arguments: [String]) throws -> Outcome {
        let result = try HelmOracle.template(arguments)
        if result.succeeded { return Outcome(succeeded: true, text: result.stdout) }
        // Drop helm's log lines (level=WARN ...), keep the error it prints.
        let stderr = result.stderr
        let text = stderr.range(of: "Error: ").map { String(stderr[$0.lowerBound...]) } ?? stderr
        return Outcome(succeeded: false, text: text)
    }

    /// Run every argument list through helm (concurrently) and us; returns mismatches.
    static func compare(_ cases: [[String]]) throws -> (mismatches: [(arguments: [String], helm: Outcome, ours: Outcome)], helm: [Outcome]) {
        let helmOutcomes = try concurrently(cases.count) { try helm(cases[$0]) }
        var mismatches: [([String], Outcome, Outcome)] = []
        for (arguments, expected) in zip(cases, helmOutcomes) {
            let actual = ours(arguments)
            if actual != expected { mismatches.append((arguments, expected, actual)) }
        }
        return (mismatches.map { (arguments: $0.0, helm: $0.1, ours: $0.2) }, helmOutcomes)
    }

    /// First differing line, for readable failures.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.components(separatedBy: "\n"), lb = b.components(separatedBy: "\n")
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? la[i] : "<end>", y = i < lb.count ? lb[i] : "<end>"
            if x != y { return "line \(i + 1):\n  helm: \(x)\n  ours: \(y)" }
        }
        return "identical"
    }

    /// Lines of a cases file: `NAME args...`, `#` comments and blank lines skipped.
    static func cases(file: String) throws -> [(name: String, arguments: [String])] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            let parts = trimmed.split(separator: " ").map(String.init)
            return (parts[0], Array(parts.dropFirst()))
        }
    }

    static var fixtures: String { Repository.root + "/Tests/Fixtures/Charts" }
}
