import Structured

/// A file of a chart: its path relative to the chart root (always `/`-separated) and its bytes.
public struct ChartFile: Sendable, Hashable {
    public var name: String
    public var data: [UInt8]

    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// A loaded chart and its bundled subcharts, as Helm's `chart.Chart` (API v1/v2).
public struct Chart: Sendable {
    public var metadata: ChartMetadata
    /// Chart.lock / requirements.lock content, when present.
    public var lock: Value?
    /// Default values (values.yaml, all documents deep-merged); always an object.
    public var values: Value
    /// Raw values.schema.json.
    public var schema: [UInt8]?
    /// Everything under templates/.
    public var templates: [ChartFile]
    /// What `.Files` sees: every file that is none of the special ones.
    public var files: [ChartFile]
    /// Bundled subcharts (charts/<dir> and charts/*.tgz).
    public var dependencies: [Chart]

    public init(metadata: ChartMetadata, values: Value = .emptyObject) {
        self.metadata = metadata
        self.values = values
        self.templates = []
        self.files = []
        self.dependencies = []
    }

    public var name: String { metadata.name }
    public var isLibrary: Bool { metadata.type == "library" }

    /// CRD files of this chart (`crds/*.yaml|yml|json`), without descending into subcharts.
    public var ownCRDs: [ChartFile] {
        files.filter { file in
            guard file.name.hasPrefix("crds/") else { return false }
            return file.name.hasSuffix(".yaml") || file.name.hasSuffix(".yml") || file.name.hasSuffix(".json")
        }
    }

    /// CRDs of the whole tree with their full path (`root/charts/sub/crds/x.yaml`), parents first.
    public func crdObjects(path: String? = nil) -> [(path: String, file: ChartFile)] {
        let base = path ?? name
        var result = ownCRDs.map { (path: base + "/" + $0.name, file: $0) }
        for dependency in dependencies {
            result += dependency.crdObjects(path: base + "/charts/" + dependency.name)
        }
        return result
    }
}
