import OrderedCollections
import Structured

public struct Maintainer: Sendable, Hashable {
    public var name = ""
    public var email = ""
    public var url = ""

    public init() {}
}

/// One entry of Chart.yaml `dependencies` (or requirements.yaml for apiVersion v1).
public struct ChartDependency: Sendable, Hashable {
    public var name = ""
    public var version = ""
    public var repository = ""
    public var condition = ""
    public var tags: [String] = []
    public var enabled = false
    /// Raw entries: a string (`exports.X`) or a `{child, parent}` table.
    public var importValues: [Value] = []
    public var alias = ""

    public init() {}
}

/// Chart.yaml, with the field set and the validation rules of Helm's `chart.Metadata`.
public struct ChartMetadata: Sendable, Hashable {
    public var name = ""
    public var home = ""
    public var sources: [String] = []
    public var version = ""
    public var description = ""
    public var keywords: [String] = []
    public var maintainers: [Maintainer] = []
    public var icon = ""
    public var apiVersion = ""
    public var condition = ""
    public var tags = ""
    public var appVersion = ""
    public var deprecated = false
    public var annotations: OrderedDictionary<String, String>? = nil
    public var kubeVersion = ""
    public var dependencies: [ChartDependency]? = nil
    public var type = ""

    public init() {}
}

extension ChartMetadata {
    /// Decode a Chart.yaml (or requirements.yaml) document over `self`, as Go's JSON decoding into
    /// the struct does: unknown keys ignored, null leaves a field alone, wrong types fail.
    mutating func decode(_ document: Value) throws(ChartsError) {
        guard case .object(let object) = document else {
            if document.isNull { return }
            throw ChartsError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(GoJSONType.of(document)) into Go value of type chart.Metadata")
        }
        let d = FieldDecoder(structName: "Metadata")
        for (key, value) in object {
            switch key {
            case "name": name = try d.string(value, key) ?? name
            case "home": home = try d.string(value, key) ?? home
            case "sources": sources = try d.strings(value, key) ?? sources
            case "version": version = try d.string(value, key) ?? version
            case "description": description = try d.string(value, key) ?? description
            case "keywords": keywords = try d.strings(value, key) ?? keywords
            case "icon": icon = try d.string(value, key) ?? icon
            case "apiVersion": apiVersion = try d.string(value, key) ?? apiVersion
            case "condition": condition = try d.string(value, key) ?? condition
            case "tags": tags = try d.string(value, key) ?? tags
            case "appVersion": appVersion = try d.string(value, key) ?? appVersion
            case "deprecated": deprecated = try d.bool(value, key) ?? deprecated
            case "kubeVersion": kubeVersion = try d.string(value, key) ?? kubeVersion
            case "type": type = try d.string(value, key) ?? type
            case "annotations":
                if value.isNull { annotations = nil; continue }
                guard case .object(let o) = value else { throw d.mismatch(value, key, "map[string]string") }
                var out: OrderedDictionary<String, String> = [:]
                for (k, v) in o { out[k] = try d.string(v, key + "." + k) ?? "" }
                annotations = out
            case "maintainers":
                if value.isNull { maintainers = []; continue }
                guard case .array(let items) = value else { throw d.mismatch(value, key, "[]*chart.Maintainer") }
                maintainers = []
                for item in items {
                    var m = Maintainer()
                    if case .object(let o) = item {
                        let md = FieldDecoder(structName: "Maintainer")
                        for (k, v) in o {
                            switch k {
                            case "name": m.name = try md.string(v, "maintainers." + k) ?? ""
                            case "email": m.email = try md.string(v, "maintainers." + k) ?? ""
                            case "url": m.url = try md.string(v, "maintainers." + k) ?? ""
                            default: break
                            }
                        }
                    } else if item.isNull {
                        throw ChartsError("validation: maintainers must not contain empty or null nodes")
                    } else {
                        throw d.mismatch(item, key, "chart.Maintainer")
                    }
                    maintainers.append(m)
                }
            case "dependencies":
                if value.isNull { dependencies = nil; continue }
                guard case .array(let items) = value else { throw d.mismatch(value, key, "[]*chart.Dependency") }
                var out: [ChartDependency] = []
                for item in items {
                    if item.isNull { throw ChartsError("validation: dependencies must not contain empty or null nodes") }
                    out.append(try ChartDependency(decoding: item))
                }
                dependencies = out
            default: break
            }
        }
    }

    /// Helm's `Metadata.Validate`, including its string sanitising.
    mutating func validate() throws(ChartsError) {
        name = sanitize(name)
        description = sanitize(description)
        home = sanitize(home)
        icon = sanitize(icon)
        condition = sanitize(condition)
        tags = sanitize(tags)
        appVersion = sanitize(appVersion)
        kubeVersion = sanitize(kubeVersion)
        sources = sources.map(sanitize)
        keywords = keywords.map(sanitize)
        if apiVersion.isEmpty { throw ChartsError("validation: chart.metadata.apiVersion is required") }
        if name.isEmpty { throw ChartsError("validation: chart.metadata.name is required") }
        if name == "." || name == ".." { throw ChartsError("validation: chart.metadata.name \(goQuote(name)) is not allowed") }
        if name.contains("/") || name.hasSuffix("/") { throw ChartsError("validation: chart.metadata.name \(goQuote(name)) is invalid") }
        if version.isEmpty { throw ChartsError("validation: chart.metadata.version is required") }
        if SemanticVersion(parsing: version) == nil { throw ChartsError("validation: chart.metadata.version \(goQuote(version)) is invalid") }
        if !["", "application", "library"].contains(type) { throw ChartsError("validation: chart.metadata.type must be application or library") }
        for i in maintainers.indices {
            maintainers[i].name = sanitize(maintainers[i].name)
            maintainers[i].email = sanitize(maintainers[i].email)
            maintainers[i].url = sanitize(maintainers[i].url)
        }
        var seen = Set<String>()
        for i in (dependencies ?? []).indices {
            var dep = dependencies![i]
            dep.name = sanitize(dep.name)
            dep.version = sanitize(dep.version)
            dep.repository = sanitize(dep.repository)
            dep.condition = sanitize(dep.condition)
            dep.tags = dep.tags.map(sanitize)
            if !dep.alias.isEmpty && !dep.alias.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                throw ChartsError("validation: dependency \(goQuote(dep.name)) has disallowed characters in the alias")
            }
            let key = dep.alias.isEmpty ? dep.name : dep.alias
            if seen.contains(key) { throw ChartsError("validation: more than one dependency with name or alias \(goQuote(key))") }
            seen.insert(key)
            dependencies![i] = dep
        }
    }

    /// `.Chart` as Helm 4 exposes it: Go field names, every field present.
    var renderMap: OrderedDictionary<String, Value> {
        var m: OrderedDictionary<String, Value> = [:]
        m["Name"] = .string(name)
        m["Home"] = .string(home)
        m["Sources"] = .array(sources.map(Value.string))
        m["Version"] = .string(version)
        m["Description"] = .string(description)
        m["Keywords"] = .array(keywords.map(Value.string))
        m["Maintainers"] = .array(maintainers.map { .object(["Name": .string($0.name), "Email": .string($0.email), "URL": .string($0.url)]) })
        m["Icon"] = .string(icon)
        m["APIVersion"] = .string(apiVersion)
        m["Condition"] = .string(condition)
        m["Tags"] = .string(tags)
        m["AppVersion"] = .string(appVersion)
        m["Deprecated"] = .bool(deprecated)
        m["Annotations"] = annotations.map { .object($0.mapValues(Value.string)) } ?? .object([:])
        m["KubeVersion"] = .string(kubeVersion)
        m["Dependencies"] = .array((dependencies ?? []).map { d in
            .object([
                "Name": .string(d.name), "Version": .string(d.version), "Repository": .string(d.repository),
                "Condition": .string(d.condition), "Tags": .array(d.tags.map(Value.string)), "Enabled": .bool(d.enabled),
                "ImportValues": .array(d.importValues), "Alias": .string(d.alias),
            ])
        })
        m["Type"] = .string(type)
        return m
    }
}

extension ChartDependency {
    init(decoding value: Value) throws(ChartsError) {
        guard case .object(let o) = value else {
            throw ChartsError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(GoJSONType.of(value)) into Go struct field Metadata.dependencies of type chart.Dependency")
        }
        let d = FieldDecoder(structName: "Metadata")
        for (key, v) in o {
            let path = "dependencies." + key
            switch key {
            case "name": name = try d.string(v, path) ?? ""
            case "version": version = try d.string(v, path) ?? ""
            case "repository": repository = try d.string(v, path) ?? ""
            case "condition": condition = try d.string(v, path) ?? ""
            case "tags": tags = try d.strings(v, path) ?? []
            case "enabled": enabled = try d.bool(v, path) ?? false
            case "alias": alias = try d.string(v, path) ?? ""
            case "import-values":
                if v.isNull { importValues = []; continue }
                guard case .array(let items) = v else { throw d.mismatch(v, path, "[]interface {}") }
                importValues = items
            default: break
            }
        }
    }
}

/// A YAML scalar as sigs.k8s.io/yaml hands it to a Go string field; nil for tables and lists.
func stringifiedScalar(_ value: Value) -> String? {
    switch value {
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .double(let d): return GoValueText.float(d)
    case .null: return ""
    case .array, .object: return nil
    }
}

/// Go's JSON type words for error messages.
enum GoJSONType {
    static func of(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// Decodes scalar fields with Go encoding/json's type-mismatch errors.
struct FieldDecoder {
    var structName: String

    func mismatch(_ value: Value, _ path: String, _ goType: String) -> ChartsError {
        ChartsError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(GoJSONType.of(value)) into Go struct field \(structName).\(path) of type \(goType)")
    }

    /// sigs.k8s.io/yaml converts YAML scalars to the string a string field wants:
    /// `version: 1.10` reads as "1.1", `yes` as "true", `0777` as "511".
    func string(_ value: Value, _ path: String) throws(ChartsError) -> String? {
        if value.isNull { return nil }
        guard let s = stringifiedScalar(value) else { throw mismatch(value, path, "string") }
        return s
    }

    func bool(_ value: Value, _ path: String) throws(ChartsError) -> Bool? {
        switch value {
        case .null: return nil
        case .bool(let b): return b
        default: throw mismatch(value, path, "bool")
        }
    }

    func strings(_ value: Value, _ path: String) throws(ChartsError) -> [String]? {
        switch value {
        case .null: return nil
        case .array(let items):
            var out: [String] = []
            for item in items { out.append(try string(item, path) ?? "") }
            return out
        default: throw mismatch(value, path, "[]string")
        }
    }
}

/// Go's `unicode.IsSpace` → ' ', non-printable dropped (Helm's sanitizeString).
func sanitize(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in s.unicodeScalars {
        if scalar.properties.isWhitespace { out.append(" "); continue }
        let category = scalar.properties.generalCategory
        switch category {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: continue
        default: out.append(scalar)
        }
    }
    return String(out)
}
