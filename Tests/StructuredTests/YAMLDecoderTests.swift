import Foundation
import Structured
import Testing

/// Typing rules of both modes, beyond what the helm differential corpus shows.
@Suite struct YAMLDecoderTests {
    @Test func valuesModeMakesEveryNumberADouble() throws {
        let v = try YAML.decode("a: 1\nb: 9007199254740993\nc: 0x10\nd: 1.5\ne: 1e3")
        #expect(v["a"] == .double(1))
        #expect(v["b"] == .double(9007199254740992))  // float64 rounding, as Helm's templates see it
        #expect(v["c"] == .double(16))
        #expect(v["d"] == .double(1.5))
        #expect(v["e"] == .double(1000))
    }

    @Test func manifestModeKeepsIntegersExact() throws {
        let v = try YAML.decode(
            "a: 9007199254740993\nb: -9223372036854775808\nc: 9223372036854775807\nd: 18446744073709551615\ne: 1.5\nf: 1.0\ng: 1e3\nh: 0x10\ni: 1e20\nj: \"5\"",
            mode: .manifest)
        #expect(v["a"] == .int(9007199254740993))
        #expect(v["b"] == .int(Int64.min))
        #expect(v["c"] == .int(Int64.max))
        #expect(v["d"] == .double(18446744073709551615))  // beyond int64: Kubernetes falls back to float64
        #expect(v["e"] == .double(1.5))
        #expect(v["f"] == .int(1))  // 1.0 goes through JSON as 1
        #expect(v["g"] == .int(1000))
        #expect(v["h"] == .int(16))
        #expect(v["i"] == .double(1e20))
        #expect(v["j"] == .string("5"))
    }

    @Test func manifestModeRoundTripsLargeIntegersThroughJSON() throws {
        let v = try YAML.decode("spec:\n  big: 9007199254740993\n", mode: .manifest)
        #expect(JSON.encode(v) == #"{"spec":{"big":9007199254740993}}"#)
        #expect(try YAML.encode(v) == "spec:\n  big: 9007199254740993\n")
    }

    @Test func yaml11BooleansApplyToKeys() throws {
        let v = try YAML.decode("y: 1\nno: 2\non: [y, n, yes, off]")
        #expect(v["true"] == .array([.bool(true), .bool(false), .bool(true), .bool(false)]))
        #expect(v["false"] == .double(2))
    }

    @Test func decodeAllReturnsEveryDocument() throws {
        let docs = try YAML.decodeAll("a: 1\n---\n---\nb: [2]\n...\n", mode: .manifest)
        #expect(docs == [["a": .int(1)], .null, ["b": [.int(2)]]])
        #expect(try YAML.decodeAll("") == [])
        #expect(try YAML.decode("") == .null)
    }

    @Test func decodeReadsOnlyTheFirstDocument() throws {
        #expect(try YAML.decode("a: 1\n---\nb: [") == ["a": .double(1)])
    }

    @Test func keysKeepTheirWrittenOrder() throws {
        guard case .object(let o) = try YAML.decode("z: 1\na: 2\nm: 3") else { Issue.record("not an object"); return }
        #expect(Array(o.keys) == ["z", "a", "m"])
    }

    @Test func errorsCarryFileLineAndColumn() throws {
        do {
            _ = try YAML.decode("a: 1\nb: 2\nc:\n  d: [1,\n  e: 5\n", file: "values.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.file == "values.yaml")
            // The flow sequence runs to the end of the text; go-yaml names the 0-based line of
            // parser errors, so its message says one line less than the real place.
            #expect(error.location?.line == 6)
            #expect(error.description.hasPrefix("values.yaml:6:1: "))
            #expect(error.message == "error converting YAML to JSON: yaml: line 5: did not find expected ',' or ']'")
        }
    }

    @Test func valuesFilesMergeDocumentsLikeHelm4() throws {
        let v = try YAML.decodeValuesFile("a: 1\nm: {x: 1, z: 2}\n---\nb: 2\nm: {z: 3}\n---\n")
        #expect(v == ["a": .double(1), "m": ["x": .double(1), "z": .double(3)], "b": .double(2)])
        #expect(try YAML.decodeValuesFile("# nothing\n") == .emptyObject)
    }

    /// The 10 MB file is compared with helm in YAMLValuesFileDifferentialTests; this round trip
    /// uses 1 MB to stay quick in debug builds.
    @Test func largeDocumentRoundTrips() throws {
        let text = YAMLTestData.largeValuesFile(bytes: 1_000_000)
        let v = try YAML.decode(text)
        #expect(sameContent(try YAML.decode(try YAML.encode(v)), v))
        #expect(sameContent(try JSON.decode(JSON.encode(v), allDoubles: true), v))
        #expect(sameContent(try YAML.decode(try YAML.encodePretty(v)), v))
    }

    /// Equality that ignores key order (encoders sort keys).
    func sameContent(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { sameContent(v, $0) } ?? false }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameContent($0, $1) }
        default:
            return a == b
        }
    }
}

/// Generated inputs (not committed): realistic nested values.
enum YAMLTestData {
    static func largeValuesFile(bytes: Int) -> String {
        var out = "global:\n  imageRegistry: registry.example.com\n  labels: {team: platform, tier: \"1\"}\nservices:\n"
        var i = 0
        while out.utf8.count < bytes {
            out += """
              - name: service-\(i)
                enabled: \(i % 3 == 0 ? "yes" : "true")
                replicas: \(i % 7 + 1)
                cpu: \(Double(i % 9) * 0.25 + 0.1)
                port: \(8000 + i % 1000)
                version: "\(i % 5).\(i % 11).\(i % 13)"
                description: "Service number \(i) handles requests for tenant \(i % 97) and keeps a long description so that the emitter folds it"
                tags: [alpha, beta, "gamma-\(i)", \(i)]
                env:
                  LOG_LEVEL: info
                  TIMEOUT: 30s
                  RATIO: 0.\(i % 100)
                config: |
                  [server]
                  port = \(8000 + i % 1000)
                  name = "service-\(i)"
                resources:
                  limits: {cpu: 500m, memory: 256Mi}
                  requests: {cpu: 100m, memory: 128Mi}

            """
            i += 1
        }
        return out
    }
}
