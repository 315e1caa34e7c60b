import Charts
import OrderedCollections
import Structured

/// Chart metadata as Helm marshals `chart.Metadata` (JSON field names and order, `omitempty`):
/// the OCI config blob is its JSON, the packaged Chart.yaml its YAML (keys then sorted).
extension ChartMetadata {
    public var jsonValue: Value {
        var o = OrderedDictionary<String, Value>()
        func put(_ key: String, _ text: String) { if !text.isEmpty { o[key] = .string(text) } }
        func put(_ key: String, _ list: [String]) { if !list.isEmpty { o[key] = .array(list.map { .string($0) }) } }
        put("name", name)
        put("home", home)
        put("sources", sources)
        put("version", version)
        put("description", description)
        put("keywords", keywords)
        if !maintainers.isEmpty {
            o["maintainers"] = .array(maintainers.map { m in
                var entry = OrderedDictionary<String, Value>()
                if !m.name.isEmpty { entry["name"] = .string(m.name) }
                if !m.email.isEmpty { entry["email"] = .string(m.email) }
                if !m.url.isEmpty { entry["url"] = .string(m.url) }
                return .object(entry)
            })
        }
        put("icon", icon)
        put("apiVersion", apiVersion)
        put("condition", condition)
        put("tags", tags)
        put("appVersion", appVersion)
        if deprecated { o["deprecated"] = .bool(true) }
        if let annotations, !annotations.isEmpty {
            // A Go map: encoding/json writes its keys sorted.
            var sorted = OrderedDictionary<String, Value>()
            for key in annotations.keys.sorted() { sorted[key] = .string(annotations[key]!) }
            o["annotations"] = .object(sorted)
        }
        put("kubeVersion", kubeVersion)
        if let dependencies, !dependencies.isEmpty { o["dependencies"] = .array(dependencies.map(\.jsonValue)) }
        put("type", type)
        return .object(o)
    }
}

extension ChartDependency {
    /// `chart.Dependency` as JSON: `name` and `repository` always, the rest when set.
    public var jsonValue: Value {
        var o = OrderedDictionary<String, Value>()
        o["name"] = .string(name)
        if !version.isEmpty { o["version"] = .string(version) }
        o["repository"] = .string(repository)
        if !condition.isEmpty { o["condition"] = .string(condition) }
        if !tags.isEmpty { o["tags"] = .array(tags.map { .string($0) }) }
        if enabled { o["enabled"] = .bool(true) }
        if !importValues.isEmpty { o["import-values"] = .array(importValues) }
        if !alias.isEmpty { o["alias"] = .string(alias) }
        return .object(o)
    }
}
