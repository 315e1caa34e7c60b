import Charts
import Foundation
import Structured

/// `chart lint`: helm lint's common checks, with its severities and messages: Chart.yaml fields,
/// values.yaml syntax, rendering, rendered YAML, object names, missing dependencies.
public enum ChartLinter {
    public enum Severity: Int, Sendable, Comparable {
        case info = 1, warning = 2, error = 4
        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
        public var label: String {
            switch self {
            case .info: return "INFO"
            case .warning: return "WARNING"
            case .error: return "ERROR"
            }
        }
    }

    public struct Message: Sendable, Equatable, CustomStringConvertible {
        public var severity: Severity
        public var path: String
        public var text: String
        public var description: String { "[\(severity.label)] \(path): \(text)" }
    }

    public struct Result: Sendable {
        public var chartPath: String
        public var messages: [Message]
        /// helm fails a chart on errors, and on warnings with `--strict`.
        public func failed(strict: Bool) -> Bool { messages.contains { $0.severity == .error || (strict && $0.severity == .warning) } }
    }

    public static func lint(chartPath: String, values: ValueOptions = ValueOptions(), namespace: String = "default") -> Result {
        var messages: [Message] = []
        func add(_ severity: Severity, _ path: String, _ text: String) { messages.append(Message(severity: severity, path: path, text: text)) }

        // Chart.yaml
        let chartYAMLPath = chartPath + "/Chart.yaml"
        var isDirectory: ObjCBool = false
        let isDir = FileManager.default.fileExists(atPath: chartPath, isDirectory: &isDirectory) && isDirectory.boolValue
        if isDir {
            if let data = FileManager.default.contents(atPath: chartYAMLPath) {
                do {
                    let doc = try YAML.decode(String(decoding: data, as: UTF8.self), file: "Chart.yaml")
                    chartYAMLChecks(doc, add: add)
                } catch {
                    add(.error, "Chart.yaml", "unable to parse YAML\n\t\(error.message)")
                }
            } else {
                add(.error, "Chart.yaml", "file does not exist")
            }
            // values.yaml
            if let data = FileManager.default.contents(atPath: chartPath + "/values.yaml") {
                do { _ = try YAML.decodeAll(String(decoding: data, as: UTF8.self), mode: .values, file: "values.yaml") } catch {
                    add(.error, "values.yaml", "unable to parse YAML: \(error.message)")
                }
            }
        }

        // Loading: a chart that does not load fails the template and dependency checks both.
        let chart: Chart
        do { chart = try ChartLoader.load(path: chartPath) } catch {
            add(.error, "templates/", error.message)
            add(.error, "", "unable to load chart\n\t" + error.message)
            return Result(chartPath: chartPath, messages: messages)
        }
        var missingDependencies = false
        if let declared = chart.metadata.dependencies {
            let present = Set(chart.dependencies.map(\.name))
            let missing = declared.map(\.name).filter { !present.contains($0) }
            if !missing.isEmpty {
                missingDependencies = true
                add(.warning, chartPath, "chart directory is missing these dependencies: " + missing.joined(separator: ","))
            }
        }

        // Rendering, then each rendered manifest.
        var options = TemplateOptions()
        options.namespace = namespace
        options.values = values
        options.releaseName = "test-release"
        do {
            let rendered = try ChartTemplate.render(chartPath: chartPath, options: options)
            let rootPrefix = rendered.chart.name + "/"
            for manifest in rendered.manifests {
                let path = manifest.name.hasPrefix(rootPrefix) ? String(manifest.name.dropFirst(rootPrefix.count)) : manifest.name
                let name = manifest.head.name
                if !name.isEmpty, let problem = nameProblem(name) {
                    add(.warning, path, "object name does not conform to Kubernetes naming requirements: \(goQuote(name)): metadata.name: Invalid value: \(goQuote(name)): \(problem)")
                }
            }
        } catch {
            var text = error.message
            // helm lint renders charts whose dependencies are missing; we cannot, and say so once above.
            if missingDependencies && text.contains("checking for chart dependencies") {
                return Result(chartPath: chartPath, messages: messages)
            }
            if text.hasPrefix("template: ") { text.removeFirst("template: ".count) }
            for suffix in ["\nUse --debug flag to render out invalid YAML", "\n\nUse --debug flag to render out invalid YAML"] where text.hasSuffix(suffix) {
                text.removeLast(suffix.count)
            }
            if let range = text.range(of: "YAML parse error on ") {
                let rest = text[range.upperBound...]
                if let colon = rest.range(of: ": ") {
                    var file = String(rest[..<colon.lowerBound])
                    if let slash = file.firstIndex(of: "/") { file = String(file[file.index(after: slash)...]) }
                    add(.error, file, "unable to parse YAML: " + rest[colon.upperBound...])
                    return Result(chartPath: chartPath, messages: messages)
                }
            }
            while text.hasSuffix("\n") { text.removeLast() }
            add(.error, "templates/", text)
        }
        return Result(chartPath: chartPath, messages: messages)
    }

    private static func chartYAMLChecks(_ doc: Value, add: (Severity, String, String) -> Void) {
        let name = doc["name"]?.stringValue ?? ""
        let version = doc["version"].map(scalarText) ?? ""
        let apiVersion = doc["apiVersion"]?.stringValue ?? ""
        if name.isEmpty { add(.error, "Chart.yaml", "name is required") }
        if !name.isEmpty, name != (name as NSString).lastPathComponent || name == "." || name == ".." {
            add(.error, "Chart.yaml", "chart name \(goQuote(name)) is invalid")
        }
        if apiVersion.isEmpty {
            add(.error, "Chart.yaml", "apiVersion is required. The value must be either \"v1\" or \"v2\"")
        } else if apiVersion != "v1" && apiVersion != "v2" {
            add(.error, "Chart.yaml", "apiVersion '\(apiVersion)' is not valid. The value must be either \"v1\" or \"v2\"")
        }
        if version.isEmpty {
            add(.error, "Chart.yaml", "version is required")
        } else if SemanticVersion(parsing: version) == nil {
            add(.error, "Chart.yaml", "version '\(version)' is not a valid SemVer")
        }
        if (doc["icon"]?.stringValue ?? "").isEmpty { add(.info, "Chart.yaml", "icon is recommended") }
        if !version.isEmpty, !isStrictSemVer(version) {
            add(.warning, "Chart.yaml", "version '\(version)' is not a valid SemVerV2")
        }
        if let type = doc["type"]?.stringValue, !type.isEmpty {
            if apiVersion == "v1" {
                add(.error, "Chart.yaml", "chart type is not valid in apiVersion 'v1'. It is valid in apiVersion 'v2'")
            }
        }
    }

    private static func scalarText(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d ? String(Int64(d)) : String(d)
        default: return ""
        }
    }

    /// SemVer 2 without Masterminds' leniency (no `v`, all three parts).
    static func isStrictSemVer(_ version: String) -> Bool {
        guard !version.hasPrefix("v") else { return false }
        let core = version.split(separator: "+", maxSplits: 1)[0].split(separator: "-", maxSplits: 1)[0]
        return core.split(separator: ".", omittingEmptySubsequences: false).count == 3 && SemanticVersion(parsing: version) != nil
    }

    /// Kubernetes' RFC 1123 subdomain check (metadata.name of most kinds).
    static func nameProblem(_ name: String) -> String? {
        if name.count > 253 { return "must be no more than 253 characters" }
        let labelOK: (Substring) -> Bool = { label in
            guard let first = label.first, let last = label.last else { return false }
            let alnum: (Character) -> Bool = { ($0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) }
            return alnum(first) && alnum(last) && label.allSatisfy { alnum($0) || $0 == "-" }
        }
        if name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(labelOK) { return nil }
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    }
}
