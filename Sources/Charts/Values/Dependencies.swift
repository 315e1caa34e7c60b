import OrderedCollections
import Structured

/// Helm's dependency processing before rendering: aliases become renamed copies, tags and
/// conditions (read from the coalesced values) enable or disable subcharts, disabled ones are
/// removed recursively, then `import-values` copy child values into the parent's defaults.
public enum DependencyProcessor {
    /// `found in Chart.yaml, but missing in charts/ directory: a, b` when a declared dependency
    /// has no bundled chart of that name.
    public static func checkDependencies(_ chart: Chart) throws(ChartsError) {
        guard let requirements = chart.metadata.dependencies, !requirements.isEmpty else { return }
        let present = Set(chart.dependencies.map(\.name))
        let missing = requirements.map(\.name).filter { !present.contains($0) }
        if !missing.isEmpty {
            throw ChartsError("found in Chart.yaml, but missing in charts/ directory: \(missing.joined(separator: ", "))")
        }
    }

    public static func process(_ chart: inout Chart, values: Value) throws(ChartsError) {
        try processEnabled(&chart, values: values, path: "")
        processImportValues(&chart)
    }

    static func processEnabled(_ chart: inout Chart, values: Value, path: String) throws(ChartsError) {
        guard var requirements = chart.metadata.dependencies else { return }
        // Bundled charts that no requirement claims stay as they are.
        var charts = chart.dependencies.filter { existing in
            !requirements.contains { $0.name == existing.name && isCompatibleRange($0.version, existing.metadata.version) }
        }
        for i in requirements.indices {
            let requirement = requirements[i]
            if var copy = chart.dependencies.first(where: { $0.name == requirement.name && isCompatibleRange(requirement.version, $0.metadata.version) }) {
                if !requirement.alias.isEmpty { copy.metadata.name = requirement.alias }
                charts.append(copy)
            }
            if !requirement.alias.isEmpty { requirements[i].name = requirement.alias }
        }
        chart.dependencies = charts
        for i in requirements.indices { requirements[i].enabled = true }
        chart.metadata.dependencies = requirements

        let coalesced = try Coalesce.values(chart, values)
        applyTags(&requirements, coalesced)
        applyConditions(&requirements, coalesced, path: path)

        let disabled = Set(requirements.filter { !$0.enabled }.map(\.name))
        var kept = chart.dependencies.filter { !disabled.contains($0.metadata.name) }
        for i in kept.indices {
            try processEnabled(&kept[i], values: coalesced, path: path + kept[i].metadata.name + ".")
        }
        chart.metadata.dependencies = requirements.filter { !disabled.contains($0.name) }
        chart.dependencies = kept
    }

    private static func applyTags(_ requirements: inout [ChartDependency], _ values: Value) {
        guard let tags = values["tags"]?.objectValue else { return }
        for i in requirements.indices {
            var hasTrue = false, hasFalse = false
            for tag in requirements[i].tags {
                if case .bool(let b) = tags[tag] { if b { hasTrue = true } else { hasFalse = true } }
            }
            if !hasTrue && hasFalse {
                requirements[i].enabled = false
            } else {
                requirements[i].enabled = true
            }
        }
    }

    private static func applyConditions(_ requirements: inout [ChartDependency], _ values: Value, path: String) {
        for i in requirements.indices {
            for condition in requirements[i].condition.trimmingGoSpace().split(separator: ",", omittingEmptySubsequences: false) where !condition.isEmpty {
                if case .bool(let b)? = pathValue(values, path + condition) {
                    requirements[i].enabled = b
                    break
                }
            }
        }
    }

    /// Values.PathValue: a dotted path whose last element must exist in a table.
    static func pathValue(_ values: Value, _ path: String) -> Value? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var current = values
        for part in parts.dropLast() {
            guard let next = current[part], case .object = next else { return nil }
            current = next
        }
        guard let last = parts.last, let object = current.objectValue, let value = object[last] else { return nil }
        return value
    }

    /// Values.Table: a dotted path to a table.
    static func table(_ values: Value, _ path: String) -> Value? {
        var current = values
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = current[String(part)], case .object = next else { return nil }
            current = next
        }
        return current
    }

    static func processImportValues(_ chart: inout Chart) {
        for i in chart.dependencies.indices { processImportValues(&chart.dependencies[i]) }
        guard var requirements = chart.metadata.dependencies else { return }
        guard let merged = try? Coalesce.merged(chart, .emptyObject) else { return }
        var imported = Value.emptyObject
        for r in requirements.indices {
            var normalized: [Value] = []
            for entry in requirements[r].importValues {
                switch entry {
                case .object(let o):
                    let child = GoValueText.value(o["child"] ?? .null)
                    let parent = GoValueText.value(o["parent"] ?? .null)
                    normalized.append(.object(["child": .string(child), "parent": .string(parent)]))
                    guard let table = table(merged, requirements[r].name + "." + child) else { continue }
                    imported = Coalesce.tables(imported, pathToMap(parent, table), merge: true)
                case .string(let name):
                    let child = "exports." + name
                    normalized.append(.object(["child": .string(child), "parent": .string(".")]))
                    guard let table = table(merged, requirements[r].name + "." + child) else { continue }
                    imported = Coalesce.tables(imported, table, merge: true)
                default:
                    continue
                }
            }
            requirements[r].importValues = normalized
        }
        chart.metadata.dependencies = requirements
        chart.values = Coalesce.tables(merged, imported, merge: true)
    }

    private static func pathToMap(_ path: String, _ data: Value) -> Value {
        if path == "." { return data }
        var current = data
        for part in path.split(separator: ".", omittingEmptySubsequences: false).reversed() {
            current = .object([String(part): current])
        }
        return current
    }
}
