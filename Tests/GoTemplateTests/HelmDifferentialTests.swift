import Foundation
import GoTemplate
import Testing
import TestSupport

/// Live comparison with real helm 4 (Go 1.25's text/template): every case of
/// `helm-cases.txt` and `helm-error-cases.txt` runs through `helm template` and through our
/// engine configured as Helm configures Go's (missingkey=zero), byte for byte.
/// Only Go builtins are used (Sprig's `slice` would shadow Go's in helm).
/// `BOSUN_REGENERATE_FIXTURES=1` rewrites the `.expected` files from helm's answers.
@Suite struct HelmDifferentialTests {
    static let regenerate = ProcessInfo.processInfo.environment["BOSUN_REGENERATE_FIXTURES"] == "1"

    static func makeChart(_ dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(toFile: dir + "/Chart.yaml", atomically: true, encoding: .utf8)
        try Fixtures.read("values.json").write(toFile: dir + "/values.yaml", atomically: true, encoding: .utf8)
    }

    /// All output cases in ONE helm run: each case is a template file, included by a wrapper that
    /// base64-encodes its raw output (so Helm's `<no value>` stripping and YAML checks stay out).
    @Test func outputsMatchHelm() throws {
        let helm = try Oracle.helm4.path()
        let cases = Fixtures.cases("helm-cases.txt")
        let dir = try makeTemporaryDirectory("gotemplate-diff") + "/c"
        try Self.makeChart(dir)
        var set = TemplateSet(name: "gotpl")
        for c in cases {
            let name = String(format: "_case%03d.tpl", c.index)
            try c.body.write(toFile: dir + "/templates/" + name, atomically: true, encoding: .utf8)
            try set.parse(name: "c/templates/" + name, text: c.body)
        }
        let wrapper = """
            out:
            {{- range $i := until \(cases.count) }}
              c{{ $i }}: {{ include (printf "c/templates/_case%03d.tpl" $i) $.Values | b64enc | quote }}
            {{- end }}

            """
        try wrapper.write(toFile: dir + "/templates/cases.yaml", atomically: true, encoding: .utf8)
        let result = try runProcess(helm, ["template", dir])
        try #require(result.succeeded, "helm failed: \(result.stderr)")
        var helmOutputs: [Int: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("c"), let colon = trimmed.firstIndex(of: ":"),
                  let index = Int(trimmed[trimmed.index(after: trimmed.startIndex)..<colon]) else { continue }
            let encoded = trimmed[trimmed.index(colon, offsetBy: 2)...].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            helmOutputs[index] = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(helmOutputs.count == cases.count)
        var matched = 0
        for c in cases {
            let ours = renderLikeHelm(set, String(format: "c/templates/_case%03d.tpl", c.index), data: Fixtures.values)
            #expect(ours.output == helmOutputs[c.index], "case \(c.index) \(c.name): ours \(String(describing: ours))")
            if ours.output == helmOutputs[c.index] { matched += 1 }
        }
        #expect(matched == cases.count)
        if Self.regenerate {
            try Fixtures.writeExpectations("helm-cases.expected", cases.map { ($0.name, helmOutputs[$0.index] ?? "") })
        }
    }

    /// Error cases need one helm run each (the first error stops helm); runs in parallel.
    @Test func errorsMatchHelm() throws {
        let helm = try Oracle.helm4.path()
        let cases = Fixtures.cases("helm-error-cases.txt")
        let base = try makeTemporaryDirectory("gotemplate-errors")
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var helm: [Int: String] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            let dir = base + "/c\(i)"
            do {
                try Self.makeChart(dir)
                try cases[i].body.write(toFile: dir + "/templates/e.yaml", atomically: true, encoding: .utf8)
                let r = try runProcess(helm, ["template", dir])
                var message = r.stderr.components(separatedBy: "\n\nUse --debug")[0]
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if message.hasPrefix("Error: ") { message.removeFirst(7) }
                message = message.replacingOccurrences(of: dir + "/", with: "")
                results.lock.lock(); results.helm[i] = r.succeeded ? "SUCCEEDED" : message; results.lock.unlock()
            } catch {
                results.lock.lock(); results.helm[i] = "\(error)"; results.lock.unlock()
            }
        }
        var ourMessages: [(String, String)] = []
        for c in cases {
            let ours = Self.runErrorCase(c.body)
            let helmMessage = results.helm[c.index] ?? ""
            let forms = helmForms(of: ours)
            #expect(forms.contains(helmMessage), "case \(c.index) \(c.name):\n helm: \(helmMessage)\n ours: \(ours)")
            ourMessages.append((c.name, ours))
        }
        if Self.regenerate { try Fixtures.writeExpectations("helm-error-cases.expected", ourMessages) }
    }

    /// An error case as a chart file `c/templates/e.yaml` with Helm's top-level data (.Values).
    static func runErrorCase(_ body: String) -> String {
        var set = TemplateSet(name: "gotpl")
        do {
            try set.parse(name: "c/templates/e.yaml", text: body)
        } catch {
            return "\(error)"
        }
        let result = renderLikeHelm(set, "c/templates/e.yaml", data: .map(["Values": Fixtures.values]))
        return result.error ?? "no error; output: \(result.output ?? "")"
    }
}

/// The same cases against the recorded helm answers, without running helm.
@Suite struct HelmRecordedCaseTests {
    static let cases = Fixtures.cases("helm-cases.txt")
    static let expected = Fixtures.expectations("helm-cases.expected")
    static let errorCases = Fixtures.cases("helm-error-cases.txt")
    static let expectedErrors = Fixtures.expectations("helm-error-cases.expected")
    static let set: TemplateSet = {
        var set = TemplateSet(name: "gotpl")
        for c in cases { try? set.parse(name: String(format: "c/templates/_case%03d.tpl", c.index), text: c.body) }
        return set
    }()

    @Test func caseNamesAreUnique() {
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
        #expect(Set(Self.errorCases.map(\.name)).count == Self.errorCases.count)
        #expect(Self.expected.count == Self.cases.count)
        #expect(Self.expectedErrors.count == Self.errorCases.count)
    }

    @Test(arguments: cases) func output(_ c: FixtureCase) throws {
        let expected = try #require(Self.expected[c.name])
        let ours = renderLikeHelm(Self.set, String(format: "c/templates/_case%03d.tpl", c.index), data: Fixtures.values)
        #expect(ours.error == nil)
        #expect(ours.output == expected)
    }

    @Test(arguments: errorCases) func error(_ c: FixtureCase) throws {
        let expected = try #require(Self.expectedErrors[c.name])
        #expect(HelmDifferentialTests.runErrorCase(c.body) == expected)
    }
}
