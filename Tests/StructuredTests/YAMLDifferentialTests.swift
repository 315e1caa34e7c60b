import Foundation
import Structured
import Testing
import TestSupport

/// The golden corpus (Tests/Fixtures/YAMLCorpus) decoded and re-encoded by Bosun, compared byte
/// for byte with what real helm 4 (and helm 3) print for the same inputs, in one helm run each.
@Suite struct YAMLDifferentialTests {
    static let cases: [HelmCorpusHarness.Case] = (try? HelmCorpusHarness.loadCases()) ?? []
    static let errorCases: [HelmCorpusHarness.Case] = (try? HelmCorpusHarness.loadCases(subdirectory: "errors")) ?? []
    static let helm4 = Result { try HelmCorpusHarness.run(.helm4, cases: cases, errorCases: errorCases) }
    static let helm3 = Result { try HelmCorpusHarness.run(.helm3, cases: cases, errorCases: errorCases) }

    @Test func corpusIsLargeEnough() {
        #expect(Self.cases.count >= 150)
        #expect(Self.errorCases.count >= 20)
    }

    /// Every mismatch as "case function:\n helm: ...\n ours: ...".
    static func mismatches(_ helm: [String: HelmCorpusHarness.Outputs], functions: [String],
                           decode: (String, String) throws(StructuredError) -> Value) -> [String] {
        var problems: [String] = []
        for c in cases {
            guard let expected = helm[c.name] else { continue }
            let ours = HelmCorpusHarness.bosunOutputs(c) { text throws(StructuredError) in try decode(text, c.name) }
            for f in functions where expected[f] != ours[f] {
                problems.append("\(c.name) \(f):\n helm: \(String(reflecting: expected[f] ?? "<missing>"))\n ours: \(String(reflecting: ours[f] ?? ""))")
            }
        }
        return problems
    }

    @Test func fromYamlMatchesHelm4() throws {
        let helm = try Self.helm4.get()
        #expect(helm.fromYaml.count == Self.cases.count)
        let problems = Self.mismatches(helm.fromYaml, functions: HelmCorpusHarness.functions) { text, name throws(StructuredError) in
            try YAML.decode(text, mode: .values, file: name)
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches:\n\(problems.joined(separator: "\n"))")
    }

    /// values.yaml of a chart: Helm 4 deep-merges the documents of a multi-document file.
    @Test func valuesFilesMatchHelm4() throws {
        let helm = try Self.helm4.get()
        #expect(helm.values.count >= Self.cases.filter { !$0.isList }.count - 10)
        let problems = Self.mismatches(helm.values, functions: ["toYaml", "toJson"]) { text, name throws(StructuredError) in
            try YAML.decodeValuesFile(text, file: name)
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches:\n\(problems.joined(separator: "\n"))")
    }

    /// values.yaml files Helm 4 rejects though fromYaml reads them (its document splitting).
    @Test func rejectedValuesFilesMatchHelm4() throws {
        let helm = try Self.helm4.get()
        for (name, message) in helm.valueErrors {
            let c = try #require(Self.cases.first { $0.name == name })
            #expect(throws: StructuredError.self) { try YAML.decodeValuesFile(c.text, file: name) }
            do {
                _ = try YAML.decodeValuesFile(c.text, file: name)
            } catch {
                #expect(error.message == message)
            }
        }
    }

    @Test func errorsMatchHelm4() throws {
        let helm = try Self.helm4.get()
        var problems: [String] = []
        for c in Self.errorCases {
            let expected = helm.errors[c.name] ?? "<missing>"
            do {
                let v = try YAML.decode(c.text, mode: .values, file: c.name)
                problems.append("\(c.name): helm: \(expected)\n ours: decoded \(v)")
            } catch {
                if error.message != expected { problems.append("\(c.name):\n helm: \(expected)\n ours: \(error.message)") }
                #expect(error.location?.file == c.name)
            }
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches:\n\(problems.joined(separator: "\n"))")
    }

    /// Helm 3.17 prints the same for the whole corpus except where noted here; Bosun follows Helm 4.
    @Test func helm3AgreesWithHelm4() throws {
        let four = try Self.helm4.get(), three = try Self.helm3.get()
        var differences: [String] = []
        for c in Self.cases {
            for f in HelmCorpusHarness.functions where four.fromYaml[c.name]?[f] != three.fromYaml[c.name]?[f] {
                differences.append("\(c.name) \(f)")
            }
            for f in ["toYaml", "toJson"] where four.values[c.name]?[f] != three.values[c.name]?[f] {
                differences.append("values \(c.name) \(f)")
            }
        }
        for c in Self.errorCases where four.errors[c.name] != three.errors[c.name] {
            differences.append("error \(c.name)")
        }
        #expect(differences == Self.knownHelm3Differences, "\(differences)")
    }

    /// Where Helm 3.17.3 differs from Helm 4.1.4 on this corpus.
    /// Helm 3 reads only the first document of a values file; Helm 4 splits the file at `---`
    /// lines and deep-merges the documents, so it also rejects a `%YAML` directive (its document
    /// is cut off from the `---` that must follow it).
    static let knownHelm3Differences: [String] = [
        "values struct-directive.yaml toYaml", "values struct-directive.yaml toJson",
        "values struct-multi-doc.yaml toYaml", "values struct-multi-doc.yaml toJson",
    ]
}

/// Whole-file paths: a 10 MB values file through `toYaml .Values`, and a malformed `-f` file.
@Suite struct YAMLValuesFileDifferentialTests {
    func chart(template: String) throws -> String {
        let dir = try makeTemporaryDirectory("yaml-values")
        try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: big\nversion: 0.1.0\n".write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
        try template.write(toFile: dir + "/templates/t.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func tenMegabyteValuesFileMatchesHelm4() throws {
        let dir = try chart(template: "{{ toYaml .Values }}\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = YAMLTestData.largeValuesFile(bytes: 10_000_000)
        let file = dir + "-big.yaml"  // outside the chart: chart files are limited to 5 MiB
        defer { try? FileManager.default.removeItem(atPath: file) }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(try Oracle.helm4.path(), ["template", dir, "-f", file])
        #expect(result.succeeded, "\(result.stderr)")
        var ours = try YAML.encode(try YAML.decodeValuesFile(text, file: "big.yaml"))
        ours.removeLast()
        #expect(result.stdout == "---\n# Source: big/templates/t.yaml\n" + ours + "\n")
    }

    @Test(arguments: ["unclosed-flow.yaml", "mapping-in-scalar.yaml", "deep-error-line.yaml", "tab-indent.yaml"])
    func malformedValuesFileErrorMatchesHelm4(name: String) throws {
        let dir = try chart(template: "x: 1\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = HelmCorpusHarness.corpusDirectory + "/errors/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = try runProcess(try Oracle.helm4.path(), ["template", dir, "-f", path])
        #expect(!result.succeeded)
        do {
            _ = try YAML.decodeValuesFile(text, file: path)
            Issue.record("\(name) decoded")
        } catch {
            #expect(result.stderr == "Error: failed to parse \(path): \(error.message)\n")
            #expect(error.location?.file == path)
        }
    }
}
