import Structured

/// A rendered, non-hook document.
public struct Manifest: Sendable, Hashable {
    /// Template path, e.g. `mychart/templates/deployment.yaml`.
    public var name: String
    public var content: String
    public var head: ManifestHead
}

/// The head of a document: what Helm's SimpleHead reads.
public struct ManifestHead: Sendable, Hashable {
    public var apiVersion = ""
    public var kind = ""
    public var name = ""
    public var annotations: [String: String]? = nil

    /// Parse a document's head with sigs.k8s.io/yaml-into-struct rules (wrong types fail).
    public init(parsing document: String, path: String) throws(ChartsError) {
        let value: Value
        do { value = try YAML.decode(document, mode: .manifest, file: path) } catch {
            throw ChartsError("YAML parse error on \(path): \(error.message)")
        }
        func fail(_ got: Value, _ field: String, _ type: String) -> ChartsError {
            ChartsError("YAML parse error on \(path): error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(GoJSONType.of(got)) into Go struct field \(field) of type \(type)")
        }
        switch value {
        case .null: return
        case .object(let object):
            for (key, v) in object {
                switch key {
                case "apiVersion":
                    guard let s = stringifiedScalar(v) else { throw fail(v, "SimpleHead.apiVersion", "string") }
                    apiVersion = s
                case "kind":
                    guard let s = stringifiedScalar(v) else { throw fail(v, "SimpleHead.kind", "string") }
                    kind = s
                case "metadata":
                    guard case .object(let meta) = v else { if v.isNull { continue }; throw fail(v, "SimpleHead.metadata", "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }") }
                    for (mk, mv) in meta {
                        switch mk {
                        case "name":
                            guard let s = stringifiedScalar(mv) else { throw fail(mv, ".metadata.name", "string") }
                            name = s
                        case "annotations":
                            guard case .object(let a) = mv else { if mv.isNull { continue }; throw fail(mv, ".metadata.annotations", "map[string]string") }
                            var out: [String: String] = [:]
                            for (ak, av) in a {
                                guard let s = stringifiedScalar(av) else { throw fail(av, ".metadata.annotations", "string") }
                                out[ak] = s
                            }
                            annotations = out
                        default: continue
                        }
                    }
                default: continue
                }
            }
        default:
            throw ChartsError("YAML parse error on \(path): error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(GoJSONType.of(value)) into Go value of type util.SimpleHead")
        }
    }

    public init() {}
}

/// Sorting rendered files into manifests and hooks, as Helm's releaseutil.SortManifests.
public enum ManifestSorter {
    /// `concurrently`: files are split and their heads parsed on several cores (pure work; the
    /// first error in path order is reported, as in order).
    public static func sort(_ files: [String: String], order: KindOrder = .install, concurrently: Bool = false) throws(ChartsError) -> (hooks: [Hook], manifests: [Manifest]) {
        var hooks: [Hook] = []
        var manifests: [Manifest] = []
        let paths = files.keys.sorted().filter { !basename($0).hasPrefix("_") && !files[$0]!.isGoBlank }
        let parsed = ConcurrentWork.map(paths.count, concurrently: concurrently) { i in
            Result { () throws(ChartsError) -> [(document: String, head: ManifestHead)] in
                try ManifestSplitter.split(files[paths[i]]!).map { document throws(ChartsError) in
                    (document, try ManifestHead(parsing: document, path: paths[i]))
                }
            }
        }
        for (path, documents) in zip(paths, parsed) {
            for (document, head) in try documents.get() {
                guard let annotations = head.annotations, !annotations.isEmpty, let hookTypes = annotations[Hook.annotation] else {
                    manifests.append(Manifest(name: path, content: document, head: head))
                    continue
                }
                var events: [Hook.Event] = []
                var unknown = false
                for raw in hookTypes.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let event = Hook.Event(annotation: String(raw).goTrimmed().lowercased()) else { unknown = true; break }
                    events.append(event)
                }
                if unknown { continue }  // Helm silently drops documents with unknown hook events
                func list(_ key: String) -> [String] {
                    guard let value = annotations[key] else { return [] }
                    return value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).goTrimmed().lowercased() }
                }
                hooks.append(Hook(
                    name: head.name, kind: head.kind, path: path, manifest: document, events: events,
                    weight: goAtoi(annotations[Hook.weightAnnotation] ?? "") ?? 0,
                    deletePolicies: list(Hook.deletePolicyAnnotation),
                    outputLogPolicies: list(Hook.outputLogPolicyAnnotation)))
            }
        }
        return (order.sorted(hooks, kind: \.kind), order.sorted(manifests, kind: \.head.kind))
    }
}

/// strconv.Atoi: optional sign, decimal digits, must fit in Int.
func goAtoi(_ s: String) -> Int? {
    var body = Substring(s)
    if body.hasPrefix("+") || body.hasPrefix("-") { body = body.dropFirst() }
    guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(s)
}
