import Foundation
import OrderedCollections
import Structured

/// The text `helm list`, `helm history`, `helm status` and `helm get` print, from release records.
/// Pure functions so the CLI stays thin and tests compare them with helm byte for byte.
public enum ReleaseReports {
    // MARK: list

    /// One row of `helm list`.
    public struct ListRow: Sendable, Equatable {
        public var name, namespace, revision, updated, status, chart, appVersion: String

        public init(_ r: Release, timeFormat: ((GoTime) -> String)? = nil) {
            name = r.name
            namespace = r.namespace
            revision = String(r.version)
            status = r.status.rawValue
            chart = r.chartReference
            appVersion = r.appVersion
            if let t = r.info.lastDeployed { updated = timeFormat?(t) ?? t.goString } else { updated = "-" }
        }

        var json: Value {
            ["name": .string(name), "namespace": .string(namespace), "revision": .string(revision),
             "updated": .string(updated), "status": .string(status), "chart": .string(chart),
             "app_version": .string(appVersion)]
        }
    }

    public static func listTable(_ rows: [ListRow], headers: Bool = true) -> String {
        var table: [[String]] = headers ? [["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]] : []
        for r in rows { table.append([r.name, r.namespace, r.revision, r.updated, r.status, r.chart, r.appVersion]) }
        return uiTable(table)
    }

    /// `-o json`: Go's json.Encoder output, one line.
    public static func listJSON(_ rows: [ListRow]) -> String {
        JSON.encode(.array(rows.map(\.json)), sortKeys: false) + "\n"
    }

    public static func listYAML(_ rows: [ListRow]) throws(ReleasesError) -> String {
        try yaml(.array(rows.map(\.json)))
    }

    // MARK: history

    public static func historyTable(_ revisions: [Release]) -> String {
        var table = [["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]]
        for r in revisions {
            table.append([String(r.version), (r.info.lastDeployed ?? .zero).ansic, r.status.rawValue, r.chartReference,
                          r.appVersion, r.info.description])
        }
        return uiTable(table)
    }

    static func historyValue(_ revisions: [Release]) -> Value {
        .array(revisions.map { r in
            var o = OrderedDictionary<String, Value>()
            o["revision"] = .int(Int64(r.version))
            if let t = r.info.lastDeployed { o["updated"] = .string(t.rfc3339Nano) }
            o["status"] = .string(r.status.rawValue)
            o["chart"] = .string(r.chartReference)
            o["app_version"] = .string(r.appVersion)
            o["description"] = .string(r.info.description)
            return .object(o)
        })
    }

    public static func historyJSON(_ revisions: [Release]) -> String { JSON.encode(historyValue(revisions), sortKeys: false) + "\n" }

    public static func historyYAML(_ revisions: [Release]) throws(ReleasesError) -> String { try yaml(historyValue(revisions)) }

    /// The revisions `helm history --max N` shows: the newest N, oldest first.
    public static func historyWindow(_ history: [Release], max: Int) -> [Release] {
        Array(history.sorted { $0.version < $1.version }.suffix(Swift.max(0, max)))
    }

    // MARK: status and get

    /// `helm status` (`all: false`) or `helm get all` (`all: true`: metadata, values, hooks, manifest).
    /// `resources` is Bosun's addition: a rendered table of the manifest's live objects.
    public static func status(_ r: Release, all: Bool = false, resources: String? = nil) throws(ReleasesError) -> String {
        var out = "NAME: \(r.name)\n"
        if let t = r.info.lastDeployed { out += "LAST DEPLOYED: \(t.ansic)\n" }
        out += "NAMESPACE: \(r.namespace)\nSTATUS: \(r.status.rawValue)\nREVISION: \(r.version)\n"
        if all {
            out += "CHART: \(r.chart?.name ?? "")\nVERSION: \(r.chart?.version ?? "")\nAPP_VERSION: \(r.chart?.appVersion ?? "")\n"
        }
        out += "DESCRIPTION: \(r.info.description)\n"
        if let resources, !resources.isEmpty { out += "RESOURCES:\n\(resources)\n" }
        let tests = r.hooks.filter { $0.events.contains("test") }
        if tests.isEmpty {
            out += "TEST SUITE: None\n"
        } else {
            for h in tests {
                guard let started = h.lastRun.startedAt else { continue }
                out += "TEST SUITE:     \(h.name)\nLast Started:   \(started.ansic)\n"
                    + "Last Completed: \((h.lastRun.completedAt ?? .zero).ansic)\nPhase:          \(h.lastRun.phase)\n"
            }
        }
        if all {
            out += "USER-SUPPLIED VALUES:\n" + (try yaml(userValues(r))) + "\n"
            out += "COMPUTED VALUES:\n" + (try yaml(computedValues(r))) + "\n"
        }
        if all || r.info.description.lowercased() == "dry run complete" {
            out += "HOOKS:\n" + hooks(r) + "MANIFEST:\n\(r.manifest)\n"
        }
        if !r.info.notes.isEmpty {
            out += "NOTES:\n\(r.info.notes.trimmingCharacters(in: .whitespacesAndNewlines))\n"
        }
        return out
    }

    /// `helm get hooks`.
    public static func hooks(_ r: Release) -> String {
        r.hooks.map { "---\n# Source: \($0.path)\n\($0.manifest)\n" }.joined()
    }

    /// `helm get manifest`.
    public static func manifest(_ r: Release) -> String { r.manifest + "\n" }

    /// `helm get notes`.
    public static func notes(_ r: Release) -> String { r.info.notes.isEmpty ? "" : "NOTES:\n\(r.info.notes)\n" }

    /// `helm get values [--all]` as a table (YAML with a heading), JSON or YAML.
    public static func values(_ r: Release, all: Bool, format: OutputFormat) throws(ReleasesError) -> String {
        let v = all ? computedValues(r) : userValues(r)
        switch format {
        case .json: return JSON.encode(v) + "\n"
        case .yaml: return try yaml(v)
        case .table: return (all ? "COMPUTED VALUES:\n" : "USER-SUPPLIED VALUES:\n") + (try yaml(v))
        }
    }

    public enum OutputFormat: String, Sendable, CaseIterable { case table, json, yaml }

    /// The user-supplied values as Helm shows them: an empty map is not stored, so it reads back as null.
    public static func userValues(_ r: Release) -> Value {
        if let o = r.config.objectValue, o.isEmpty { return .null }
        return r.config
    }

    /// The chart's defaults with the user's values over them, as Helm's CoalesceValues does for a
    /// chart without subcharts (subcharts are not stored in a release): a user null deletes a default,
    /// a user null with no default under it stays null.
    public static func computedValues(_ r: Release) -> Value {
        coalesce(r.config, over: r.chart?.values ?? .emptyObject)
    }

    static func coalesce(_ top: Value, over base: Value) -> Value {
        guard case .object(var merged) = top, case .object(let b) = base else { return top }
        for (k, bv) in b {
            if let tv = merged[k] {
                if tv.isNull {
                    merged[k] = nil
                } else if case .object = tv, case .object = bv {
                    merged[k] = coalesce(tv, over: bv)
                }
            } else {
                merged[k] = bv
            }
        }
        return .object(merged)
    }

    // MARK: formatting

    /// gosuri/uitable as Helm uses it: every cell padded to its column's width, cells joined by a tab,
    /// rows by a newline, plus the final newline Helm adds.
    static func uiTable(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "\n" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { row in
            row.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }.joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
    }

    static func yaml(_ v: Value) throws(ReleasesError) -> String {
        do { return try YAML.encode(v) } catch { throw ReleasesError(.invalid, "cannot print YAML: \(error)") }
    }
}
