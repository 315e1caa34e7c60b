import Crypto
import Foundation
import Structured

/// What `bosun plan --save-plan FILE` writes and `bosun converge --use-plan FILE` checks against the
/// cluster before applying: the release, the revision the plan was based on, a digest of the rendered
/// manifests, every resource's action and live resourceVersion, and the planned operations.
///
/// It holds no manifest content, so no Secret data: only digests, names and versions.
public struct SavedPlan: Codable, Sendable, Hashable {
    public static let currentFormat = 1

    /// One resource of the plan: its identity, what converge will do, and the resourceVersion the
    /// live object had when planned (nil: it did not exist), with a digest of its content.
    public struct Resource: Codable, Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var namespace: String?
        public var name: String
        public var action: ResourceAction
        public var liveResourceVersion: String?
        /// `sha256:` of the live object without status and server-managed metadata (`DiffNormalizer`),
        /// so a controller updating status is not drift. Nil for absent objects and for Secrets (whose
        /// content must not be hashed into a file; their resourceVersion moves only on real writes).
        public var liveDigest: String?

        public init(apiVersion: String, kind: String, namespace: String?, name: String,
                    action: ResourceAction, liveResourceVersion: String?, liveDigest: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.action = action
            self.liveResourceVersion = liveResourceVersion
            self.liveDigest = liveDigest
        }

        // Absent values are written as null: "did not exist" must read as clearly as a version.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(apiVersion, forKey: .apiVersion)
            try container.encode(kind, forKey: .kind)
            try container.encode(namespace, forKey: .namespace)
            try container.encode(name, forKey: .name)
            try container.encode(action, forKey: .action)
            try container.encode(liveResourceVersion, forKey: .liveResourceVersion)
            try container.encode(liveDigest, forKey: .liveDigest)
        }

        public var id: ResourceID {
            ResourceID(group: ResourceID.groupAndVersion(of: apiVersion).group, kind: kind, namespace: namespace, name: name)
        }
    }

    public var format: Int
    public var createdAt: String
    public var release: String
    public var namespace: String
    /// The latest revision of the release when planned (nil: the release did not exist).
    public var basedOnRevision: Int?
    /// `sha256:<hex>` of the rendered manifests (hooks and CRDs included), order-independent.
    public var manifestsDigest: String
    public var resources: [Resource]
    /// The operation ids of the plan's DAG, in order (`create Deployment/app/web`).
    public var operations: [String]

    public init(release: String, namespace: String, basedOnRevision: Int?, manifestsDigest: String,
                resources: [Resource], operations: [String], createdAt: Date = Date()) {
        format = Self.currentFormat
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
        self.release = release
        self.namespace = namespace
        self.basedOnRevision = basedOnRevision
        self.manifestsDigest = manifestsDigest
        self.resources = resources.sorted { $0.id < $1.id }
        self.operations = operations
    }

    /// A digest of manifests that ignores their order: each one printed as canonical JSON
    /// (sorted keys), the texts sorted, then hashed.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(release, forKey: .release)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(basedOnRevision, forKey: .basedOnRevision)
        try container.encode(manifestsDigest, forKey: .manifestsDigest)
        try container.encode(resources, forKey: .resources)
        try container.encode(operations, forKey: .operations)
    }

    public static func digest(of manifests: [Value]) -> String {
        let texts = manifests.map { JSON.encode($0, sortKeys: true, escapeHTML: false) }.sorted()
        return sha256(texts.joined(separator: "\n"))
    }

    /// The `liveDigest` of a live object (nil for core Secrets).
    public static func liveDigest(of object: Value) -> String? {
        if object["kind"]?.stringValue == "Secret", object["apiVersion"]?.stringValue == "v1" { return nil }
        return sha256(JSON.encode(DiffNormalizer.normalize(object), sortKeys: true, escapeHTML: false))
    }

    static func sha256(_ text: String) -> String {
        "sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension SavedPlan {
    /// Pretty JSON with sorted keys (stable, reviewable, diffable).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    public func write(to path: String) throws(DeployError) {
        do { try encoded().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw DeployError.plan(.planFile("cannot write plan file \(path): \(error.localizedDescription)"))
        }
    }

    public static func load(from path: String) throws(DeployError) -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeployError.plan(.planFile("cannot read plan file \(path): no such file"))
        }
        return try decode(data, file: path)
    }

    public static func decode(_ data: Data, file: String) throws(DeployError) -> SavedPlan {
        struct FormatProbe: Decodable { var format: Int? }
        guard let probe = try? JSONDecoder().decode(FormatProbe.self, from: data) else {
            throw DeployError.plan(.planFile("plan file \(file) is not JSON written by `bosun plan --save-plan`"))
        }
        guard probe.format == currentFormat else {
            throw DeployError.plan(.planFile("plan file \(file) has format \(probe.format.map(String.init) ?? "none"); this bosun reads format \(currentFormat)"))
        }
        do { return try JSONDecoder().decode(SavedPlan.self, from: data) } catch {
            throw DeployError.plan(.planFile("plan file \(file) is malformed: \(Self.describe(error))"))
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
