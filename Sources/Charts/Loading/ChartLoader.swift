import Foundation
import Structured

/// Loads charts from a directory, a `.tgz` archive, or in-memory files, the way Helm's v2 loader does.
public enum ChartLoader {
    /// Load a chart directory or packaged chart (`helm template CHART`'s local forms).
    public static func load(path: String) throws(ChartsError) -> Chart {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ChartsError("path \(goQuote(path)) not found")
        }
        if isDirectory.boolValue { return try loadDirectory(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ChartsError("file '\(path)' cannot be read")
        }
        let bytes = [UInt8](data)
        guard ChartArchive.isGzip(bytes) else {
            if path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
                throw ChartsError("file '\(path)' seems to be a YAML file, but expected a gzipped archive")
            }
            throw ChartsError("file '\(path)' does not appear to be a gzipped archive; got '\(sniffContentType(bytes))'")
        }
        let files: [ChartFile]
        do { files = try ChartArchive.files(fromGzip: bytes) } catch {
            if error.message.hasPrefix("gzip:") {
                throw ChartsError("file '\(path)' does not appear to be a valid chart file (details: \(error.message))")
            }
            throw ChartsError("unable to load chart archive")
        }
        guard files.contains(where: { $0.name == "Chart.yaml" }) else {
            throw ChartsError("unable to detect chart version, no Chart.yaml found")
        }
        return try load(files: files)
    }

    /// Load a chart packed as gzip'd tar bytes (subcharts under charts/*.tgz, pulled bundles).
    public static func loadArchive(_ bytes: [UInt8]) throws(ChartsError) -> Chart {
        let files: [ChartFile]
        do { files = try ChartArchive.files(fromGzip: bytes) } catch {
            if error.message.hasPrefix("gzip:") {
                throw ChartsError("stream does not appear to be a valid chart file (details: \(error.message))")
            }
            throw error.wrapped("unable to load chart archive")
        }
        return try load(files: files)
    }

    /// Walk a chart directory honouring .helmignore, then sort the files into a chart.
    public static func loadDirectory(_ directory: String) throws(ChartsError) -> Chart {
        try load(files: directoryFiles(directory))
    }

    /// The files of a chart directory that `.helmignore` keeps, in walk (lexical) order, BOMs stripped.
    public static func directoryFiles(_ directory: String) throws(ChartsError) -> [ChartFile] {
        let root = absolutePath(directory)
        let chartYAML = root + "/Chart.yaml"
        guard ChartDirectory.exists(chartYAML) else {
            throw ChartsError("unable to detect chart at \(chartYAML): open \(chartYAML): no such file or directory")
        }
        var rules = HelmIgnore()
        if let data = ChartDirectory.contents(root + "/.helmignore") {
            rules = try HelmIgnore(parsing: String(decoding: data, as: UTF8.self))
        }
        rules.addDefaults()
        return try ChartDirectory.files(root: root, rules: rules)
    }

    /// Go's filepath.Abs, as Helm's loader calls it: joined to the working directory when
    /// relative, then lexically cleaned (no symlinks resolved).
    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return cleanPath(path) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? FileManager.default.currentDirectoryPath
        return cleanPath(cwd + "/" + path)
    }

    /// Go's path.Clean for an absolute path: repeated slashes, `.` and `..` removed lexically.
    static func cleanPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        if parts.isEmpty { return "/" }
        var clean = ""
        for part in parts {
            clean += "/"
            clean += part
        }
        return clean
    }

    /// Sort chart files into Chart.yaml, values, schema, templates, subcharts and Files.
    public static func load(files: [ChartFile]) throws(ChartsError) -> Chart {
        var metadata: ChartMetadata?
        for file in files where file.name == "Chart.yaml" {
            var md = metadata ?? ChartMetadata()
            do {
                let doc = try YAML.decodeAll(file.text, mode: .values, file: "Chart.yaml").first ?? .null
                try md.decode(doc)
            } catch let error as ChartsError {
                throw error.wrapped("cannot load Chart.yaml")
            } catch let error as StructuredError {
                throw ChartsError("cannot load Chart.yaml: \(error.message)")
            } catch {
                throw ChartsError("cannot load Chart.yaml: \(error)")
            }
            if md.apiVersion.isEmpty { md.apiVersion = "v1" }
            metadata = md
        }
        var chart = Chart(metadata: metadata ?? ChartMetadata())
        var subchartFiles: [String: [ChartFile]] = [:]
        var subchartOrder: [String] = []
        for file in files {
            switch file.name {
            case "Chart.yaml":
                continue
            case "Chart.lock", "requirements.lock":
                chart.lock = try decodeAux(file)
                if file.name == "requirements.lock" {
                    if metadata == nil { metadata = ChartMetadata() }
                    if metadata?.apiVersion == "v1" { chart.files.append(file) }
                }
            case "values.yaml":
                do { chart.values = try ValuesFile.parse(file.text, name: "values.yaml") } catch {
                    throw error.wrapped("cannot load values.yaml")
                }
            case "values.schema.json":
                chart.schema = file.data
            case "requirements.yaml":
                var md = metadata ?? ChartMetadata()
                do {
                    let doc = try YAML.decodeAll(file.text, mode: .values, file: file.name).first ?? .null
                    try md.decode(doc)
                } catch let error as ChartsError {
                    throw error.wrapped("cannot load requirements.yaml")
                } catch let error as StructuredError {
                    throw ChartsError("cannot load requirements.yaml: \(error.message)")
                } catch {
                    throw ChartsError("cannot load requirements.yaml: \(error)")
                }
                metadata = md
                if md.apiVersion == "v1" { chart.files.append(file) }
            default:
                if file.name.hasPrefix("templates/") {
                    chart.templates.append(file)
                } else if file.name.hasPrefix("charts/") {
                    if file.name.hasSuffix(".prov") {
                        chart.files.append(file)
                        continue
                    }
                    let rest = String(file.name.dropFirst("charts/".count))
                    let sub = String(rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0])
                    if subchartFiles[sub] == nil { subchartOrder.append(sub) }
                    subchartFiles[sub, default: []].append(ChartFile(name: rest, data: file.data))
                } else {
                    chart.files.append(file)
                }
            }
        }
        guard var md = metadata else { throw ChartsError("Chart.yaml file is missing") }
        try md.validate()
        chart.metadata = md

        for sub in subchartOrder {
            if sub.hasPrefix("_") || sub.hasPrefix(".") { continue }
            let subFiles = subchartFiles[sub]!
            do throws(ChartsError) {
                if sub.hasSuffix(".tgz") {
                    let file = subFiles[0]
                    if file.name != sub {
                        throw ChartsError("error unpacking subchart tar in \(chart.name): expected \(sub), got \(file.name)")
                    }
                    chart.dependencies.append(try loadArchive(file.data))
                } else {
                    var inner: [ChartFile] = []
                    for f in subFiles {
                        let parts = f.name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                        if parts.count < 2 { continue }
                        inner.append(ChartFile(name: String(parts[1]), data: f.data))
                    }
                    chart.dependencies.append(try load(files: inner))
                }
            } catch {
                if error.message.hasPrefix("error unpacking subchart tar") { throw error }
                throw error.wrapped("error unpacking subchart \(sub) in \(chart.name)")
            }
        }
        return chart
    }

    private static func decodeAux(_ file: ChartFile) throws(ChartsError) -> Value {
        do { return try YAML.decodeAll(file.text, mode: .values, file: file.name).first ?? .null } catch {
            throw ChartsError("cannot load \(file.name): \(error.message)")
        }
    }

    /// What Go's http.DetectContentType says for common non-gzip files (for the error message).
    private static func sniffContentType(_ bytes: [UInt8]) -> String {
        // Helm sniffs a zero-filled 512-byte buffer, so short files always look binary.
        var head = Array(bytes.prefix(512))
        if head.count < 512 { head += [UInt8](repeating: 0, count: 512 - head.count) }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
        let binary = head.contains { $0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains($0) }
        return binary ? "application/octet-stream" : "text/plain; charset=utf-8"
    }
}
