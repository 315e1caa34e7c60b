import Charts
import Foundation
import OrderedCollections
import Structured

/// Chart.lock (requirements.lock for apiVersion v1): resolved dependencies, the digest of
/// (Chart.yaml dependencies, resolved list), and when it was generated.
public struct ChartLock: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var version: String
        public var repository: String
    }

    public var dependencies: [Entry]
    public var digest: String
    public var generated: String

    /// helm's HashReq: sha256 of the JSON of `[requested, locked]`, both as `chart.Dependency` lists.
    public static func digest(requested: [ChartDependency], locked: [Entry]) -> String {
        let req: Value = .array(requested.map { sortedMaps($0.jsonValue, depth: 0) })
        let lock: Value = .array(locked.map { entry in
            var d = ChartDependency()
            d.name = entry.name
            d.version = entry.version
            d.repository = entry.repository
            return d.jsonValue
        })
        let json = JSON.encode(.array([req, lock]), sortKeys: false, escapeHTML: true)
        return OCIDigest.sha256(Array(json.utf8))
    }

    /// Struct fields keep their order; maps inside (import-values tables) are Go maps, so sorted.
    private static func sortedMaps(_ value: Value, depth: Int) -> Value {
        switch value {
        case .object(let o):
            var out = OrderedDictionary<String, Value>()
            let keys = depth == 0 ? Array(o.keys) : o.keys.sorted()
            for key in keys { out[key] = sortedMaps(o[key]!, depth: depth + 1) }
            return .object(out)
        case .array(let a):
            return .array(a.map { sortedMaps($0, depth: depth + 1) })
        default:
            return value
        }
    }

    public init(dependencies: [Entry], digest: String, generated: String) {
        self.dependencies = dependencies
        self.digest = digest
        self.generated = generated
    }

    init?(_ value: Value?) {
        guard let value, case .object = value else { return nil }
        dependencies = (value["dependencies"]?.arrayValue ?? []).map { d in
            Entry(name: d["name"]?.stringValue ?? "", version: d["version"]?.stringValue ?? "",
                  repository: d["repository"]?.stringValue ?? "")
        }
        digest = value["digest"]?.stringValue ?? ""
        generated = value["generated"]?.stringValue ?? ""
    }

    /// The file as helm writes it (sigs.k8s.io/yaml of `chart.Lock`).
    public var text: String {
        let deps: [Value] = dependencies.map { e in
            var d = ChartDependency()
            d.name = e.name
            d.version = e.version
            d.repository = e.repository
            return d.jsonValue
        }
        let value: Value = .object(["dependencies": .array(deps), "digest": .string(digest), "generated": .string(generated)])
        return (try? YAML.encode(value)) ?? ""
    }

    /// Go's RFC3339Nano in UTC: fractional seconds without trailing zeros.
    public static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let base = HelmChartArtifact.rfc3339(Date(timeIntervalSince1970: seconds)).dropLast()
        var nanos = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000_000).rounded())
        if nanos >= 1_000_000_000 { nanos = 999_999_999 }
        guard nanos > 0 else { return base + "Z" }
        var fraction = String(nanos)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return base + "." + fraction + "Z"
    }
}
