import Foundation
import OrderedCollections
import Structured

/// The chart stored in a release record, kept as the JSON object Helm wrote.
///
/// Helm rolls back from this payload without re-reading the chart, so Bosun never reshapes it: a
/// record read from Helm and written back carries the same chart JSON. Accessors decode what Bosun
/// needs (metadata, templates, files, default values).
public struct ReleaseChart: Sendable, Equatable {
    /// The `chart` object, members in the order they were written.
    public var json: Value

    public init(json: Value) {
        self.json = json
    }

    /// Build the object in the member order of Helm's `chart.Chart`
    /// (metadata, lock, templates, values, schema, schemamodtime, files, modtime).
    /// `metadata` must use Chart.yaml's JSON names (apiVersion, appVersion, ...) in Helm's field order.
    public init(
        metadata: Value, lock: Value? = nil, templates: [ChartFile], values: Value?, schema: [UInt8]? = nil,
        schemaModTime: GoTime? = nil, files: [ChartFile], modTime: GoTime? = nil
    ) {
        var o = OrderedDictionary<String, Value>()
        o["metadata"] = metadata
        o["lock"] = lock ?? .null
        o["templates"] = templates.isEmpty ? .null : .array(templates.map(\.json))
        o["values"] = values ?? .null
        o["schema"] = schema.map { .string(Data($0).base64EncodedString()) } ?? .null
        // Helm's `omitempty` cannot omit a struct, so the zero time is always written here.
        o["schemamodtime"] = .string((schemaModTime ?? .zero).rfc3339Nano)
        o["files"] = files.isEmpty ? .null : .array(files.map(\.json))
        if let modTime, !modTime.isZero { o["modtime"] = .string(modTime.rfc3339Nano) }
        json = .object(o)
    }

    public var metadata: Value? {
        guard let m = json["metadata"], case .object = m else { return nil }
        return m
    }

    public var name: String { metadata?["name"]?.stringValue ?? "" }
    public var version: String { metadata?["version"]?.stringValue ?? "" }
    public var appVersion: String { metadata?["appVersion"]?.stringValue ?? "" }

    /// The chart's default values (`values`), an empty object when absent.
    public var values: Value {
        if let v = json["values"], case .object = v { return v }
        return .emptyObject
    }

    public var templates: [ChartFile] { (json["templates"]?.arrayValue ?? []).compactMap(ChartFile.init(json:)) }
    public var files: [ChartFile] { (json["files"]?.arrayValue ?? []).compactMap(ChartFile.init(json:)) }

    /// values.schema.json, when the chart has one.
    public var schema: [UInt8]? {
        guard let s = json["schema"]?.stringValue, let d = Data(base64Encoded: s) else { return nil }
        return [UInt8](d)
    }
}

/// A file of a stored chart: `{name, data (base64), modtime}`.
public struct ChartFile: Sendable, Equatable {
    public var name: String
    public var data: [UInt8]
    public var modTime: GoTime?

    public init(name: String, data: [UInt8], modTime: GoTime? = nil) {
        self.name = name
        self.data = data
        self.modTime = modTime
    }

    init?(json: Value) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.name = name
        if let s = json["data"]?.stringValue, let d = Data(base64Encoded: s) { data = [UInt8](d) } else { data = [] }
        modTime = json["modtime"]?.stringValue.flatMap(GoTime.init(rfc3339:))
    }

    var json: Value {
        var o: OrderedDictionary<String, Value> = ["name": .string(name), "data": .string(Data(data).base64EncodedString())]
        if let modTime, !modTime.isZero { o["modtime"] = .string(modTime.rfc3339Nano) }
        return .object(o)
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}
