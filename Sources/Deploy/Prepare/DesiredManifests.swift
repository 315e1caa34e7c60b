import Charts
import Foundation
import Releases
import Structured

/// One rendered document and where it came from (`shop/templates/web.yaml`).
public struct SourcedManifest: Sendable, Hashable {
    public var object: Value
    public var source: String?

    public init(object: Value, source: String? = nil) {
        self.object = object
        self.source = source
    }
}

/// What a deploy wants in the cluster, whatever produced it (a chart render for converge, a stored
/// revision for rollback), plus the pieces the release record keeps.
public struct DesiredManifests: Sendable {
    /// CRDs from `crds/` of every chart (applied first, never stored in the release).
    public var crds: [SourcedManifest]
    /// Rendered templates: main resources and hooks.
    public var templates: [SourcedManifest]
    /// The record's `manifest`: main resources as Helm joins them (`---\n# Source: path\ncontent\n`).
    public var manifestText: String
    /// The record's `hooks`.
    public var hooks: [ReleaseHook]
    public var chart: ReleaseChart?
    /// The user-supplied values (`helm get values`).
    public var config: Value
    public var notes: String

    public init(crds: [SourcedManifest] = [], templates: [SourcedManifest], manifestText: String = "",
                hooks: [ReleaseHook] = [], chart: ReleaseChart? = nil, config: Value = .emptyObject, notes: String = "") {
        self.crds = crds
        self.templates = templates
        self.manifestText = manifestText
        self.hooks = hooks
        self.chart = chart
        self.config = config
        self.notes = notes
    }

    /// From a chart render (`ChartTemplate.render`, the same path as `bosun render`).
    public init(rendered: RenderedRelease, userValues: Value) throws(DeployError) {
        var templates: [SourcedManifest] = []
        var text = ""
        for manifest in rendered.manifests {
            text += "---\n# Source: \(manifest.name)\n\(manifest.content)\n"
            templates += try Self.documents(manifest.content, source: manifest.name)
        }
        var hooks: [ReleaseHook] = []
        for hook in rendered.hooks {
            templates += try Self.documents(hook.manifest, source: hook.path)
            hooks.append(ReleaseHook(name: hook.name, kind: hook.kind, path: hook.path, manifest: hook.manifest,
                                     events: hook.events.map(\.rawValue), weight: hook.weight,
                                     deletePolicies: hook.deletePolicies, outputLogPolicies: hook.outputLogPolicies))
        }
        var crds: [SourcedManifest] = []
        for crd in rendered.crds {
            for document in Structured.ManifestSplitter.split(crd.file.text) {
                crds += try Self.documents(document, source: crd.path)
            }
        }
        self.init(crds: crds, templates: templates, manifestText: text, hooks: hooks,
                  chart: Self.recordChart(rendered.chart), config: userValues, notes: rendered.notes)
    }

    /// From a stored revision (rollback, auto-rollback): its manifest and hooks, as recorded.
    public init(release: Release) throws(DeployError) {
        var templates: [SourcedManifest] = []
        for document in Structured.ManifestSplitter.split(release.manifest) {
            templates += try Self.documents(document, source: Self.sourceComment(document))
        }
        for hook in release.hooks {
            templates += try Self.documents(hook.manifest, source: hook.path)
        }
        self.init(templates: templates, manifestText: release.manifest, hooks: release.hooks, chart: release.chart,
                  config: release.config, notes: release.info.notes)
    }

    /// The main resources of a stored revision (what a later deploy deletes if they left the chart).
    static func mainDocuments(of release: Release) -> [SourcedManifest] {
        Structured.ManifestSplitter.split(release.manifest).flatMap { document in
            (try? documents(document, source: sourceComment(document))) ?? []
        }
    }

    static func documents(_ text: String, source: String?) throws(DeployError) -> [SourcedManifest] {
        do {
            return try YAML.decodeAll(text, mode: .manifest).filter { !$0.isNull }.map { SourcedManifest(object: $0, source: source) }
        } catch {
            throw .invalidManifests(ManifestValidationError(problems: ["\(source ?? "manifest"): \(error)"]))
        }
    }

    /// `# Source: shop/templates/web.yaml` at the head of a stored document.
    static func sourceComment(_ document: String) -> String? {
        guard let range = document.range(of: "# Source: ") else { return nil }
        return String(document[range.upperBound...].prefix { $0 != "\n" })
    }

    /// The chart as Helm stores it in the record: metadata with Chart.yaml's JSON names (empty ones
    /// omitted, as Go's `omitempty`), templates, default values, schema and files.
    static func recordChart(_ chart: Chart) -> ReleaseChart {
        let m = chart.metadata
        var o: Value = .emptyObject
        func put(_ key: String, _ text: String) { if !text.isEmpty { o[key] = .string(text) } }
        put("name", m.name)
        put("home", m.home)
        if !m.sources.isEmpty { o["sources"] = .array(m.sources.map(Value.string)) }
        put("version", m.version)
        put("description", m.description)
        if !m.keywords.isEmpty { o["keywords"] = .array(m.keywords.map(Value.string)) }
        if !m.maintainers.isEmpty {
            o["maintainers"] = .array(m.maintainers.map { person in
                var p: Value = .emptyObject
                if !person.name.isEmpty { p["name"] = .string(person.name) }
                if !person.email.isEmpty { p["email"] = .string(person.email) }
                if !person.url.isEmpty { p["url"] = .string(person.url) }
                return p
            })
        }
        put("icon", m.icon)
        put("apiVersion", m.apiVersion)
        put("condition", m.condition)
        put("tags", m.tags)
        put("appVersion", m.appVersion)
        if m.deprecated { o["deprecated"] = true }
        if let annotations = m.annotations, !annotations.isEmpty { var a: Value = .emptyObject
            for (key, value) in annotations { a[key] = .string(value) }
            o["annotations"] = a }
        put("kubeVersion", m.kubeVersion)
        if let dependencies = m.dependencies, !dependencies.isEmpty {
            o["dependencies"] = .array(dependencies.map { d in
                var e: Value = .emptyObject
                e["name"] = .string(d.name)
                if !d.version.isEmpty { e["version"] = .string(d.version) }
                if !d.repository.isEmpty { e["repository"] = .string(d.repository) }
                if !d.condition.isEmpty { e["condition"] = .string(d.condition) }
                if !d.tags.isEmpty { e["tags"] = .array(d.tags.map(Value.string)) }
                if d.enabled { e["enabled"] = true }
                if !d.importValues.isEmpty { e["import-values"] = .array(d.importValues) }
                if !d.alias.isEmpty { e["alias"] = .string(d.alias) }
                return e
            })
        }
        put("type", m.type)
        return ReleaseChart(
            metadata: o, lock: chart.lock,
            templates: chart.templates.map { Releases.ChartFile(name: $0.name, data: $0.data) },
            values: chart.values, schema: chart.schema,
            files: chart.files.map { Releases.ChartFile(name: $0.name, data: $0.data) })
    }
}
