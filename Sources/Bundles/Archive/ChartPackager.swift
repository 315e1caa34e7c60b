import Charts
import Foundation
import Structured

/// A packaged chart: `NAME-VERSION.tgz` bytes as `helm package` writes them.
public struct PackagedChart: Sendable {
    public var metadata: ChartMetadata
    public var archive: [UInt8]
    public var name: String { metadata.name }
    public var version: String { metadata.version }
    public var fileName: String { "\(metadata.name)-\(metadata.version).tgz" }
}

/// `helm package`: Chart.yaml re-marshalled from the parsed metadata, Chart.lock (v2) re-marshalled,
/// the raw values.yaml, values.schema.json, templates, other files, then every subchart expanded
/// under `charts/<name>/` (archived subcharts unpacked), all mode 0644, in a gzip stream with Helm's
/// header. File times are the files' own; Chart.yaml, Chart.lock and unpacked subcharts get `now`.
public enum ChartPackager {
    public struct Options: Sendable {
        /// Replace the root chart's values.yaml (bundle publish with baked-in values).
        public var values: Value?
        /// `--version` / `--app-version`.
        public var version: String?
        public var appVersion: String?
        /// `helm package` refuses charts whose Chart.yaml dependencies are missing from charts/.
        public var checkDependencies = true
        public var now = Date()
        public init() {}
    }

    public static func package(directory: String, options: Options = Options()) throws(BundlesError) -> PackagedChart {
        let files: [ChartFile]
        let chart: Chart
        do {
            files = try ChartLoader.directoryFiles(directory)
            chart = try ChartLoader.load(files: files)
        } catch {
            throw BundlesError(error.message)
        }
        var times: [String: Int64] = [:]
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        for file in files {
            if let date = (try? FileManager.default.attributesOfItem(atPath: root + "/" + file.name))?[.modificationDate] as? Date {
                times[file.name] = Int64(date.timeIntervalSince1970.rounded(.down))
            }
        }
        return try package(files: files, chart: chart, times: times, options: options)
    }

    /// Re-package a chart archive (`bundle copy` to a .tgz with new values, version overrides).
    public static func package(archive: [UInt8], options: Options = Options()) throws(BundlesError) -> PackagedChart {
        do {
            let files = try ChartArchive.files(fromGzip: archive)
            return try package(files: files, chart: try ChartLoader.load(files: files), times: [:], options: options)
        } catch let error as ChartsError {
            throw BundlesError(error.message)
        } catch let error as BundlesError {
            throw error
        } catch {
            throw BundlesError("\(error)")
        }
    }

    static func package(files: [ChartFile], chart: Chart, times: [String: Int64], options: Options) throws(BundlesError) -> PackagedChart {
        var metadata = chart.metadata
        if let version = options.version { metadata.version = version }
        if let appVersion = options.appVersion { metadata.appVersion = appVersion }
        if options.checkDependencies, let missing = missingDependencies(chart), !missing.isEmpty {
            throw BundlesError("found in Chart.yaml, but missing in charts/ directory: " + missing.joined(separator: ", "))
        }
        if metadata.name.isEmpty || metadata.name != (metadata.name as NSString).lastPathComponent {
            throw BundlesError("chart name \"\(metadata.name)\" is invalid")
        }
        let now = Int64(options.now.timeIntervalSince1970.rounded(.down))
        var tar = TarWriter()
        try write(files: files, metadata: metadata, lock: chart.lock, values: options.values, base: metadata.name,
                  times: times, now: now, into: &tar)
        return PackagedChart(metadata: metadata, archive: try Gzip.compress(tar.finished()))
    }

    private static func missingDependencies(_ chart: Chart) -> [String]? {
        guard let declared = chart.metadata.dependencies else { return nil }
        let present = Set(chart.dependencies.map(\.name))
        return declared.filter { !present.contains($0.name) }.map(\.name)
    }

    /// Sorts `files` the way the loader does and writes them in `Save`'s order, recursing into subcharts.
    private static func write(
        files: [ChartFile], metadata: ChartMetadata, lock: Value?, values: Value?, base: String,
        times: [String: Int64], now: Int64, into tar: inout TarWriter
    ) throws(BundlesError) {
        var md = metadata
        if md.apiVersion == "v1" { md.dependencies = nil }
        let chartYAML: String
        do { chartYAML = try YAML.encode(md.jsonValue) } catch { throw BundlesError("marshalling Chart.yaml: \(error.message)") }
        tar.addFile(name: base + "/Chart.yaml", data: Array(chartYAML.utf8), modificationTime: now)
        if metadata.apiVersion == "v2", let lock {
            do {
                tar.addFile(name: base + "/Chart.lock", data: Array(try YAML.encode(lockValue(lock)).utf8), modificationTime: now)
            } catch { throw BundlesError("marshalling Chart.lock: \(error.message)") }
        }
        func time(_ name: String) -> Int64 { times[name] ?? now }
        if let values {
            do { tar.addFile(name: base + "/values.yaml", data: Array(try YAML.encode(values).utf8), modificationTime: now) } catch {
                throw BundlesError("marshalling values.yaml: \(error.message)")
            }
        } else if let raw = files.first(where: { $0.name == "values.yaml" }) {
            tar.addFile(name: base + "/values.yaml", data: raw.data, modificationTime: time(raw.name))
        }
        if let schema = files.last(where: { $0.name == "values.schema.json" }) {
            guard (try? JSON.decode(schema.text)) != nil else { throw BundlesError("Invalid JSON in values.schema.json") }
            tar.addFile(name: base + "/values.schema.json", data: schema.data, modificationTime: time(schema.name))
        }
        let special: Set<String> = ["Chart.yaml", "Chart.lock", "values.yaml", "values.schema.json", "requirements.yaml", "requirements.lock"]
        for file in files where file.name.hasPrefix("templates/") {
            tar.addFile(name: base + "/" + file.name, data: file.data, modificationTime: time(file.name))
        }
        for file in files where !file.name.hasPrefix("templates/") && !special.contains(file.name) {
            if file.name.hasPrefix("charts/") && !file.name.hasSuffix(".prov") { continue }
            tar.addFile(name: base + "/" + file.name, data: file.data, modificationTime: time(file.name))
        }
        if metadata.apiVersion == "v1" {
            for file in files where file.name == "requirements.yaml" || file.name == "requirements.lock" {
                tar.addFile(name: base + "/" + file.name, data: file.data, modificationTime: time(file.name))
            }
        }
        // Subcharts, in the loader's order of first appearance.
        var order: [String] = []
        var grouped: [String: [ChartFile]] = [:]
        for file in files where file.name.hasPrefix("charts/") && !file.name.hasSuffix(".prov") {
            let rest = String(file.name.dropFirst("charts/".count))
            let sub = String(rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0])
            if sub.hasPrefix("_") || sub.hasPrefix(".") { continue }
            if grouped[sub] == nil { order.append(sub) }
            grouped[sub, default: []].append(ChartFile(name: rest, data: file.data))
        }
        for sub in order {
            let group = grouped[sub]!
            var inner: [ChartFile] = []
            var innerTimes: [String: Int64] = [:]
            if sub.hasSuffix(".tgz") {
                do { inner = try ChartArchive.files(fromGzip: group[0].data) } catch { throw BundlesError("error unpacking subchart \(sub): \(error.message)") }
            } else {
                for f in group {
                    let parts = f.name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts.count == 2 else { continue }
                    inner.append(ChartFile(name: String(parts[1]), data: f.data))
                    if let t = times["charts/" + f.name] { innerTimes[String(parts[1])] = t }
                }
            }
            let subchart: Chart
            do { subchart = try ChartLoader.load(files: inner) } catch { throw BundlesError("error unpacking subchart \(sub) in \(metadata.name): \(error.message)") }
            try write(files: inner, metadata: subchart.metadata, lock: subchart.lock, values: nil,
                      base: base + "/charts/" + subchart.metadata.name, times: innerTimes, now: now, into: &tar)
        }
    }

    /// `chart.Lock` re-marshalled: dependencies as `chart.Dependency`, digest, generated.
    static func lockValue(_ lock: Value) -> Value {
        var out: Value = .emptyObject
        let deps = (lock["dependencies"]?.arrayValue ?? []).map { dep -> Value in
            var d = ChartDependency()
            d.name = dep["name"]?.stringValue ?? ""
            d.version = dep["version"]?.stringValue ?? ""
            d.repository = dep["repository"]?.stringValue ?? ""
            d.condition = dep["condition"]?.stringValue ?? ""
            d.alias = dep["alias"]?.stringValue ?? ""
            return d.jsonValue
        }
        out["dependencies"] = lock["dependencies"]?.isNull == false ? .array(deps) : .null
        out["digest"] = .string(lock["digest"]?.stringValue ?? "")
        out["generated"] = lock["generated"] ?? .string("0001-01-01T00:00:00Z")
        return out
    }
}
