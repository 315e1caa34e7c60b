import Foundation
import GoTemplate
import Structured

/// What `helm template` takes besides the chart.
public struct TemplateOptions: Sendable {
    public var releaseName = "release-name"
    public var namespace = "default"
    public var values = ValueOptions()
    public var showOnly: [String] = []
    public var outputDirectory: String?
    public var useReleaseName = false
    public var includeCRDs = false
    public var skipTests = false
    public var noHooks = false
    public var kubeVersion: String?
    public var apiVersions: [String] = []
    public var isUpgrade = false
    /// `.Release.Revision`: 1 for `helm template`; the revision being written for install/upgrade.
    public var revision = 1
    public var skipSchemaValidation = false
    /// `--name-template`: the release name is this Go template's output (Sprig functions, no data).
    public var nameTemplate: String?
    /// `--enable-dns`: `getHostByName` resolves names (otherwise it returns "").
    public var enableDNS = false
    /// The cluster `lookup` reads (converge, server dry-runs); nil renders offline like `helm
    /// template`, where every lookup gives an empty map.
    public var lookup: (any LookupProvider)?
    /// The cluster's capabilities (version, API groups and group/version/Kinds); nil uses
    /// `helm template`'s defaults. `kubeVersion`/`apiVersions` still apply on top.
    public var capabilities: Capabilities?
    /// Render independent templates and parse the output on several cores (when no template can
    /// change a shared map, and `lookup` is nil); the output is the same either way.
    public var concurrently = true
    /// The process ends right after this render (the `bosun render` command): the render's
    /// large structures are left for the exit to reclaim instead of being freed piece by piece
    /// (milliseconds on charts of hundreds of templates). Never set it in a long-lived process.
    public var exitsAfterward = false

    public init() {}
}

/// A rendered release, before printing: the pieces `helm template` assembles.
public struct RenderedRelease: Sendable {
    public var chart: Chart
    public var manifests: [Manifest]
    public var hooks: [Hook]
    public var notes: String
    /// CRDs of the tree (`crds/`), root first, as `(path, file)`.
    public var crds: [(path: String, file: ChartFile)]
}

/// `helm template` as one action: load, resolve values and dependencies, validate, render, sort.
public enum ChartTemplate {
    /// Everything up to sorted manifests and hooks. Errors carry Helm's messages.
    /// `render` with the chart functions, `lookup` answered by `options.lookup`.
    /// The function table is built on another core meanwhile the chart loads.
    public static func render(chartPath: String, options: TemplateOptions) throws(ChartsError) -> RenderedRelease {
        let functions = chartFunctions(options)
        return try render(chartPath: chartPath, options: options, functions: functions.get)
    }

    public static func render(chartPath: String, options: TemplateOptions, functions: FunctionRegistry) throws(ChartsError) -> RenderedRelease {
        try render(chartPath: chartPath, options: options, functions: { functions })
    }

    /// `Pending` chart functions for `options`, started now.
    private static func chartFunctions(_ options: TemplateOptions) -> Pending<FunctionRegistry> {
        let lookup = options.lookup, enableDNS = options.enableDNS
        return Pending { ChartFunctions.registry(lookup: lookup, enableDNS: enableDNS) }
    }

    /// `functions` is called once, when the templates are about to be parsed.
    private static func render(
        chartPath: String, options: TemplateOptions, functions: () -> FunctionRegistry
    ) throws(ChartsError) -> RenderedRelease {
        var options = options
        if let nameTemplate = options.nameTemplate { options.releaseName = try releaseName(from: nameTemplate) }
        var capabilities = options.capabilities ?? Capabilities.helmTemplateDefault
        if let kubeVersion = options.kubeVersion {
            do { capabilities.kubeVersion = try KubeVersion(parsing: kubeVersion) } catch {
                throw ChartsError("invalid kube version '\(kubeVersion)': \(error.message)")
            }
        }
        capabilities.apiVersions.versions += options.apiVersions

        let userValues = try options.values.merged()
        var chart = try load(chartPath)
        if !["", "application"].contains(chart.metadata.type) {
            throw ChartsError("\(chart.metadata.type) charts are not installable")
        }
        do { try DependencyProcessor.checkDependencies(chart) } catch {
            throw error.wrapped("an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies")
        }
        try validateReleaseName(options.releaseName)
        do { try DependencyProcessor.process(&chart, values: userValues) } catch {
            throw error.wrapped("chart dependencies processing failed")
        }
        let values = try Coalesce.values(chart, userValues)
        if !options.skipSchemaValidation, let report = try JSONSchema.validate(chart: chart, values: values) {
            throw ChartsError("values don't meet the specifications of the schema(s) in the following chart(s):\n" + report)
        }

        // From here on Helm has a release record, so its CLI adds the --debug hint to errors.
        do throws(ChartsError) {
            if !chart.metadata.kubeVersion.isEmpty, !isCompatibleRange(chart.metadata.kubeVersion, capabilities.kubeVersion.normalized) {
                throw ChartsError("chart requires kubeVersion: \(chart.metadata.kubeVersion) which is incompatible with Kubernetes \(capabilities.kubeVersion.version)")
            }
            let release = ReleaseOptions(name: options.releaseName, namespace: options.namespace, revision: options.revision, isUpgrade: options.isUpgrade)
            let concurrently = options.concurrently && options.lookup == nil
            var files = try Renderer.render(
                chart, values: values, release: release, capabilities: capabilities, functions: functions(),
                concurrently: concurrently, exitsAfterward: options.exitsAfterward)
            ConcurrentWork.release(consume values, exitsAfterward: options.exitsAfterward)
            var notes = ""
            for name in files.keys.sorted() where name.hasSuffix("NOTES.txt") {
                if name == chart.name + "/templates/NOTES.txt" {
                    if !notes.isEmpty { notes += "\n" }
                    notes += files[name]!
                }
                files.removeValue(forKey: name)
            }
            let (hooks, manifests) = try ManifestSorter.sort(files, concurrently: concurrently)
            ConcurrentWork.release(consume files, exitsAfterward: options.exitsAfterward)
            return RenderedRelease(chart: chart, manifests: manifests, hooks: hooks, notes: notes, crds: chart.crdObjects())
        } catch {
            throw ChartsError(error.message + "\n\nUse --debug flag to render out invalid YAML")
        }
    }

    /// The text `helm template` prints (or, with an output directory, writes and the lines it prints).
    /// The function table is built on another core meanwhile the chart loads.
    public static func run(chartPath: String, options: TemplateOptions) throws(ChartsError) -> String {
        let functions = chartFunctions(options)
        return try run(chartPath: chartPath, options: options, functions: functions.get)
    }

    public static func run(chartPath: String, options: TemplateOptions, functions: FunctionRegistry) throws(ChartsError) -> String {
        try run(chartPath: chartPath, options: options, functions: { functions })
    }

    private static func run(chartPath: String, options: TemplateOptions, functions: () -> FunctionRegistry) throws(ChartsError) -> String {
        var options = options
        if let nameTemplate = options.nameTemplate {
            options.releaseName = try releaseName(from: nameTemplate)
            options.nameTemplate = nil
        }
        let release = try render(chartPath: chartPath, options: options, functions: functions)
        var manifestText = ""
        var stdout = ""
        var written = Set<String>()
        let outputDirectory = options.outputDirectory.map { options.useReleaseName ? $0 + "/" + options.releaseName : $0 }
        if options.includeCRDs {
            for crd in release.crds {
                if let dir = options.outputDirectory {
                    stdout += try write(dir, crd.path, crd.file.text, append: written.contains(crd.path))
                    written.insert(crd.path)
                } else {
                    manifestText += "---\n# Source: \(crd.path)\n\(crd.file.text)\n"
                }
            }
        }
        for manifest in release.manifests {
            if let dir = outputDirectory {
                stdout += try write(dir, manifest.name, manifest.content, append: written.contains(manifest.name))
                written.insert(manifest.name)
            } else {
                manifestText += "---\n# Source: \(manifest.name)\n\(manifest.content)\n"
            }
        }
        var output = manifestText.goTrimmed() + "\n"
        if !options.noHooks {
            var hookFiles = Set<String>()
            for hook in release.hooks {
                if options.skipTests && hook.isTest { continue }
                if let dir = outputDirectory {
                    let exists = FileManager.default.fileExists(atPath: dir + "/" + hook.path)
                    if exists { hookFiles.insert(hook.path) }
                    stdout += try write(dir, hook.path, hook.manifest, append: hookFiles.contains(hook.path))
                } else {
                    output += "---\n# Source: \(hook.path)\n\(hook.manifest)\n"
                }
            }
        }
        ConcurrentWork.release(consume release, exitsAfterward: options.exitsAfterward)
        if !options.showOnly.isEmpty {
            let documents = ManifestSplitter.split(output)
            var selected: [String] = []
            for pattern in options.showOnly {
                let matcher = try? PathPattern(pattern)
                var found = false
                for document in documents {
                    guard let path = sourcePath(document) else { continue }
                    guard matcher?.matches(path) == true else { continue }
                    selected.append(document)
                    found = true
                }
                if !found { throw ChartsError("could not find template \(pattern) in chart") }
            }
            return stdout + selected.map { "---\n\($0)\n" }.joined()
        }
        return stdout + output
    }

    /// `# Source: chart/(rest)`: the path after the first segment, as Helm's --show-only regex.
    private static func sourcePath(_ document: String) -> String? {
        guard let range = document.range(of: "# Source: ") else { return nil }
        let after = document[range.upperBound...]
        let line = after.prefix { $0 != "\n" }
        guard let slash = line.firstIndex(of: "/"), slash != line.startIndex else { return nil }
        let rest = line[line.index(after: slash)...]
        return rest.isEmpty ? nil : String(rest)
    }

    private static func write(_ dir: String, _ name: String, _ data: String, append: Bool) throws(ChartsError) -> String {
        let path = dir + "/" + name
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let text = "---\n# Source: \(name)\n\(data)\n"
            if append, let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(Data(text.utf8))
                handle.closeFile()
            } else {
                try text.write(toFile: path, atomically: false, encoding: .utf8)
            }
        } catch {
            throw ChartsError("open \(path): \(error.localizedDescription)")
        }
        return "wrote \(path)\n"
    }

    /// helm's NameAndChart for `template [NAME] CHART`: the chart, and the release name when one
    /// is given (the default stays "release-name", with `--generate-name` too).
    public static func nameAndChart(_ arguments: [String], generateName: Bool, nameTemplate: String?) throws(ChartsError) -> (name: String?, chart: String) {
        guard let chart = arguments.last else { throw ChartsError("\"bosun render\" requires at least 1 argument") }
        guard arguments.count == 2 else { return (nil, chart) }
        if generateName { throw ChartsError("cannot set --generate-name and also specify a name") }
        if nameTemplate != nil { throw ChartsError("cannot set --name-template and also specify a name") }
        return (arguments[0], chart)
    }

    /// Sprig's own map (no Helm extras, `env`/`expandenv` included): what name templates get.
    static var sprigFunctions: FunctionRegistry {
        let helmOnly: Set = [
            "include", "tpl", "required", "fail", "lookup", "toYaml", "mustToYaml", "toYamlPretty", "fromYaml",
            "fromYamlArray", "fromJsonArray", "toToml", "fromToml",
        ]
        var registry = FunctionRegistry()
        for (name, function) in HelmFunctions.registry().functions where !helmOnly.contains(name) {
            registry.register(name, function)
        }
        registry.register("env") { arguments, _ in
            guard arguments.count == 1 else { throw TemplateFunctionError("wrong number of args for env: want 1 got \(arguments.count)") }
            guard case .string(let name) = arguments[0] else { throw TemplateFunctionError("wrong type for value; expected string; got \(typeWord(arguments[0]))") }
            return .string(ProcessInfo.processInfo.environment[name] ?? "")
        }
        return registry
    }

    /// `--name-template`: Helm executes it with Sprig's functions and no data.
    static func releaseName(from text: String) throws(ChartsError) -> String {
        var set = TemplateSet(name: "name-template", functions: sprigFunctions)
        do {
            try set.parse(name: "name-template", text: text)
            // Helm passes nil data; an empty map reads the same for `.Field` (`<no value>`).
            return try set.execute(name: "name-template", data: .map([:]), options: ExecutionOptions())
        } catch {
            throw ChartsError(ArgumentErrors.rewrite(String(describing: error)) { $0 == "name-template" ? text : nil })
        }
    }

    /// Helm's LocateChart for local paths, then the loader.
    static func load(_ path: String) throws(ChartsError) -> Chart {
        if !FileManager.default.fileExists(atPath: path) {
            if path.hasPrefix("/") || path.hasPrefix(".") { throw ChartsError("path \(goQuote(path)) not found") }
            throw ChartsError("non-absolute URLs should be in form of repo_name/path_to_chart, got: \(path)")
        }
        return try ChartLoader.load(path: path)
    }

    /// `pattern` above without a regex engine (compiling one costs more than a small render):
    /// dot-separated labels of [a-z0-9-], each non-empty, starting and ending alphanumeric.
    static func isDNS1123Subdomain(_ name: String) -> Bool {
        for label in name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
            guard let first = label.first, let last = label.last, isAlphanumeric(first), isAlphanumeric(last),
                label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    static func validateReleaseName(_ name: String) throws(ChartsError) {
        let pattern = #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#
        if name.isEmpty { throw ChartsError("release name check failed: release name \(goQuote(name)): no name provided") }
        if name.utf8.count > 53 || !isDNS1123Subdomain(name) {
            throw ChartsError("release name check failed: release name \(goQuote(name)): invalid release name, must match regex \(pattern) and the length must not be longer than 53")
        }
    }
}
