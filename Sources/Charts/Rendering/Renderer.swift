import Dispatch
import Foundation
import GoTemplate
import OrderedCollections
import Structured

/// `.Release` of the render data.
public struct ReleaseOptions: Sendable {
    public var name: String
    public var namespace: String
    public var revision: Int
    public var isInstall: Bool
    public var isUpgrade: Bool

    public init(name: String = "release-name", namespace: String = "default", revision: Int = 1, isUpgrade: Bool = false) {
        self.name = name
        self.namespace = namespace
        self.revision = revision
        self.isUpgrade = isUpgrade
        self.isInstall = !isUpgrade
    }
}

/// Helm's template engine: every template of the chart tree parsed into one namespace (deeper
/// paths first, ties in reverse-lexical order), each non-partial executed with its chart's render
/// data, `<no value>` removed from the output. Pure: chart and values in, file name -> text out.
public enum Renderer {
    struct Renderable {
        var text: String
        var data: [String: TemplateValue]
        var basePath: String
    }

    /// `concurrently`: templates may run on several cores when none of the chart's templates can
    /// change a shared map (see `SharedMapMutation`); the functions must then be thread-safe.
    /// `exitsAfterward`: the process ends after this render, so its parse trees are never freed.
    public static func render(
        _ chart: Chart, values: Value, release: ReleaseOptions, capabilities: Capabilities,
        functions: FunctionRegistry, concurrently: Bool = false, exitsAfterward: Bool = false
    ) throws(ChartsError) -> [String: String] {
        var templates: [String: Renderable] = [:]
        let top: [String: TemplateValue] = [
            "Release": .map([
                "Name": .string(release.name), "Namespace": .string(release.namespace),
                "IsUpgrade": .bool(release.isUpgrade), "IsInstall": .bool(release.isInstall),
                "Revision": .int(release.revision), "Service": .string("Helm"),
            ]),
            "Capabilities": .object(capabilities),
        ]
        let rootValues: TemplateMap
        if case .map(let m) = TemplateValue(values) { rootValues = m } else { rootValues = TemplateMap() }
        rootValues.goTypeName = HelmTypes.values
        _ = collect(chart, parentValues: rootValues, isRoot: true, path: chart.name, top: top, into: &templates)

        let order = parseOrder(Array(templates.keys))
        var engine = TemplateEngine(functions: functions)
        // Files parse independently (on several cores for a large chart); definitions join the
        // set in helm's order, so redefinitions resolve as helm's serial loop does.
        do { try engine.parse(order.map { ($0, templates[$0]!.text) }, threads: ConcurrentWork.workers) } catch {
            throw parseError(error.templateName ?? "", error)
        }
        let names = order.filter { !basename($0).hasPrefix("_") }
        let concurrent = concurrently && ConcurrentWork.workers > 1
            && !templates.values.contains { SharedMapMutation.mayMutate($0.text) }
        let result = Result { () throws(ChartsError) -> [String: String] in
            try execute(names, templates: templates, engine: engine, concurrently: concurrent)
        }
        // The parse trees are the largest structure of a render: free them on another core.
        ConcurrentWork.release(consume engine, exitsAfterward: exitsAfterward)
        ConcurrentWork.release(consume templates, exitsAfterward: exitsAfterward)
        return try result.get()
    }

    /// Execute every non-partial template; the first failure in helm's order is reported, as
    /// helm's serial loop reports it.
    private static func execute(
        _ names: [String], templates: [String: Renderable], engine: TemplateEngine, concurrently: Bool
    ) throws(ChartsError) -> [String: String] {
        func run(_ name: String) throws(TemplateEngine.Failure) -> String {
            let renderable = templates[name]!
            var data = renderable.data
            data["Template"] = HelmTypes.valuesMap(["Name": .string(name), "BasePath": .string(renderable.basePath)])
            return try engine.execute(name: name, data: HelmTypes.valuesMap(data)).replacingAll("<no value>", with: "")
        }
        var rendered: [String: String] = [:]
        rendered.reserveCapacity(names.count)
        if concurrently {
            let results = ConcurrentWork.map(names.count, concurrently: true) { i in
                Result { () throws(TemplateEngine.Failure) -> String in try run(names[i]) }
            }
            for (name, result) in zip(names, results) {
                switch result {
                case .success(let output): rendered[name] = output
                case .failure(let error): throw executionError(name, error) { templates[$0]?.text }
                }
            }
            return rendered
        }
        for name in names {
            do { rendered[name] = try run(name) } catch {
                throw executionError(name, error) { templates[$0]?.text }
            }
        }
        return rendered
    }

    /// recAllTpls: the render data of `chart` and its templates (library charts: partials only).
    private static func collect(
        _ chart: Chart, parentValues: TemplateMap, isRoot: Bool, path: String, top: [String: TemplateValue],
        into templates: inout [String: Renderable]
    ) -> [String: TemplateValue] {
        let chartMap = TemplateValue(.object(chart.metadata.renderMap))
        if case .map(let m) = chartMap {
            m["IsRoot"] = .bool(isRoot)
            m["Annotations"] = .object(GoStringMap(chart.metadata.annotations))
        }
        // A subchart's .Values is the very map of its parent's .Values.<name> (Go maps are
        // references): `set .Values` in one is seen by the other.
        let values: TemplateMap
        if isRoot {
            values = parentValues
        } else if case .map(let table)? = parentValues[chart.name] {
            values = table
        } else {
            values = TemplateMap()
        }
        var subcharts: [String: TemplateValue] = [:]
        for sub in chart.dependencies {
            subcharts[sub.name] = .map(collect(sub, parentValues: values, isRoot: false, path: path + "/charts/" + sub.name, top: top, into: &templates))
        }
        var data = top
        data["Chart"] = chartMap
        data["Files"] = .object(FilesObject(chart.files))
        data["Values"] = isRoot ? .map(values) : HelmTypes.subchartValues(values)
        data["Subcharts"] = .map(subcharts)
        for template in chart.templates {
            if chart.isLibrary && !basename(template.name).hasPrefix("_") { continue }
            templates[path + "/" + template.name] = Renderable(text: template.text, data: data, basePath: path + "/templates")
        }
        return data
    }

    /// sortTemplates: more path segments first, ties in reverse-lexical order.
    /// Keys are compared as byte arrays (String.UTF8View comparisons are not specialised).
    static func parseOrder(_ names: [String]) -> [String] {
        names.map { name -> (name: String, bytes: [UInt8], depth: Int) in
            let bytes = Array(name.utf8)
            return (name, bytes, bytes.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 })
        }
        .sorted { a, b in a.depth != b.depth ? a.depth > b.depth : ByteOrder.precedes(b.bytes, a.bytes) }
        .map(\.name)
    }

    // MARK: Helm's error messages

    private static func parseError(_ name: String, _ failure: TemplateEngine.Failure) -> ChartsError {
        let text = failure.chain.first ?? ""
        let tokens = text.components(separatedBy: ": ")
        if tokens.count == 1 { return ChartsError("parse error in (\(name)): \(text)") }
        return ChartsError("parse error at (\(tokens[1])): \(tokens[tokens.count - 1])")
    }

    /// reformatExecErrorMsg.
    private static func executionError(_ name: String, _ failure: TemplateEngine.Failure, source: (String) -> String?) -> ChartsError {
        var failure = failure
        // Argument errors Go raises before calling a function: reported at the argument.
        failure.chain = failure.chain.filter { !$0.hasPrefix("\u{1}") }.map { ArgumentErrors.rewrite($0, source: source) }
        let text = failure.chain.first ?? ""
        guard failure.isExecution else { return ChartsError(text) }
        let tokens = text.components(separatedBy: ": ")
        guard tokens.count >= 3 else { return ChartsError("execution error in (\(name)): \(text)") }
        let location = tokens[1]
        let rest = tokens[2...].joined(separator: ": ")
        if let start = rest.range(of: HelmErrorMarkers.start), let end = rest.range(of: HelmErrorMarkers.end, options: .backwards),
            start.upperBound <= end.lowerBound {
            return ChartsError("execution error at (\(location)): \(rest[start.upperBound..<end.lowerBound])")
        }
        var traces: [TraceableError] = []
        for message in failure.chain {
            guard let trace = TraceableError(parsing: message) else { return ChartsError(text) }
            if traces.last != trace { traces.append(trace) }
        }
        return ChartsError(traces.map(\.text).joined().goTrimmed())
    }
}

/// The markers Helm's `required` and `fail` wrap their message in.
enum HelmErrorMarkers {
    static let start = "HELM_ERR_START"
    static let end = "HELM_ERR_END"
}

/// One level of a Go template error chain, as Helm reformats it.
struct TraceableError: Equatable {
    var location = ""
    var message = ""
    var executedFunction = ""

    init?(parsing s: String) {
        guard s.hasPrefix("template: ") else { return nil }
        let remainder = String(s.dropFirst("template: ".count))
        if remainder.hasPrefix("no template ") {
            message = s
            return
        }
        if let idx = remainder.range(of: ": executing ") {
            let after = remainder[idx.upperBound...]
            if after.first == "\"", let endQuote = after.dropFirst().firstIndex(of: "\"") {
                let function = after[after.index(after: after.startIndex)..<endQuote]
                let afterFunction = after[after.index(after: endQuote)...]
                if afterFunction.hasPrefix(" at <"), let endLocation = afterFunction.range(of: ">: ") {
                    let locationName = afterFunction[afterFunction.index(afterFunction.startIndex, offsetBy: 5)..<endLocation.lowerBound]
                    var errorMessage = String(afterFunction[endLocation.upperBound...])
                    if let cut = errorMessage.range(of: " template:") { errorMessage = String(errorMessage[..<cut.lowerBound]) }
                    location = String(remainder[..<idx.lowerBound])
                    message = errorMessage
                    executedFunction = "executing \"\(function)\" at <\(locationName)>:"
                    return
                }
            }
        }
        if let sep = remainder.range(of: ": ", options: .backwards) {
            location = String(remainder[..<sep.lowerBound])
            var errorMessage = String(remainder[sep.upperBound...])
            if let cut = errorMessage.range(of: " template:") { errorMessage = String(errorMessage[..<cut.lowerBound]) }
            message = errorMessage
            return
        }
        return nil
    }

    var text: String {
        var out = ""
        if !location.isEmpty { out += location + "\n  " }
        if !executedFunction.isEmpty { out += executedFunction + "\n    " }
        if !message.isEmpty { out += message + "\n" }
        return out
    }
}

extension String {
    /// strings.ReplaceAll, on UTF-8 bytes (Foundation's `contains`/`components` go through
    /// NSString and cost more than rendering for large outputs). No copy when `target` is absent.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard let first = needle.first else { return self }
        var text = self
        return text.withUTF8 { bytes -> String in
            var output: [UInt8] = []
            var copied = 0
            var i = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == first, needle.indices.allSatisfy({ bytes[i + $0] == needle[$0] }) {
                    if output.isEmpty { output.reserveCapacity(bytes.count) }
                    output.append(contentsOf: bytes[copied..<i])
                    output.append(contentsOf: replacement.utf8)
                    i += needle.count
                    copied = i
                } else {
                    i += 1
                }
            }
            if copied == 0 { return self }
            output.append(contentsOf: bytes[copied...])
            return String(decoding: output, as: UTF8.self)
        }
    }
}
