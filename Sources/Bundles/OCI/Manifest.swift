import OrderedCollections
import Structured

/// An OCI content descriptor.
public struct Descriptor: Sendable, Hashable {
    public var mediaType: String
    public var digest: String
    public var size: Int
    public var annotations: OrderedDictionary<String, String>?

    public init(mediaType: String, digest: String, size: Int, annotations: OrderedDictionary<String, String>? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }

    var value: Value {
        var o: OrderedDictionary<String, Value> = ["mediaType": .string(mediaType), "digest": .string(digest), "size": .int(Int64(size))]
        if let annotations, !annotations.isEmpty { o["annotations"] = .object(annotations.mapValues { .string($0) }) }
        return .object(o)
    }

    init(_ value: Value, what: String) throws(BundlesError) {
        guard let mediaType = value["mediaType"]?.stringValue, let digest = value["digest"]?.stringValue,
              let size = value["size"]?.intValue else {
            throw BundlesError("\(what): descriptor lacks mediaType, digest or size")
        }
        guard OCIDigest.isValid(digest) else { throw BundlesError("\(what): invalid digest \(digest)") }
        self.mediaType = mediaType
        self.digest = digest
        self.size = Int(size)
        if let a = value["annotations"]?.objectValue { annotations = a.compactMapValues(\.stringValue) }
    }
}

/// An OCI image manifest (schema 2), serialized the way Helm (oras-go) writes it:
/// `schemaVersion`, optional `mediaType`, `config`, `layers`, `annotations` (sorted keys).
public struct ImageManifest: Sendable {
    public static let mediaType = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerMediaType = "application/vnd.docker.distribution.manifest.v2+json"

    public var mediaType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var annotations: OrderedDictionary<String, String>

    public init(mediaType: String? = nil, config: Descriptor, layers: [Descriptor], annotations: OrderedDictionary<String, String> = [:]) {
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }

    public var bytes: [UInt8] {
        var o: OrderedDictionary<String, Value> = ["schemaVersion": .int(2)]
        if let mediaType { o["mediaType"] = .string(mediaType) }
        o["config"] = config.value
        o["layers"] = .array(layers.map(\.value))
        if !annotations.isEmpty {
            var sorted = OrderedDictionary<String, Value>()
            for key in annotations.keys.sorted() { sorted[key] = .string(annotations[key]!) }
            o["annotations"] = .object(sorted)
        }
        return Array(JSON.encode(.object(o), sortKeys: false, escapeHTML: true).utf8)
    }

    public init(bytes: [UInt8], what: String) throws(BundlesError) {
        let value: Value
        do { value = try JSON.decode(String(decoding: bytes, as: UTF8.self)) } catch {
            throw BundlesError("\(what): manifest is not valid JSON: \(error.message)")
        }
        guard value["schemaVersion"]?.intValue == 2 else { throw BundlesError("\(what): unsupported manifest schemaVersion") }
        guard let config = value["config"] else { throw BundlesError("\(what): manifest has no config") }
        mediaType = value["mediaType"]?.stringValue
        self.config = try Descriptor(config, what: what)
        var layers: [Descriptor] = []
        for layer in value["layers"]?.arrayValue ?? [] { layers.append(try Descriptor(layer, what: what)) }
        self.layers = layers
        annotations = value["annotations"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }
}
