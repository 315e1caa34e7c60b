import GoTemplate
import OrderedCollections
import Structured

/// `.Files`: a Go map of path -> bytes with Helm's methods.
public struct FilesObject: TemplateObject {
    let files: [String: [UInt8]]

    init(_ files: [String: [UInt8]]) { self.files = files }

    init(_ list: [ChartFile]) {
        var map: [String: [UInt8]] = [:]
        for f in list { map[f.name] = f.data }
        self.files = map
    }

    public var goTypeName: String { "engine.files" }

    public func field(_ name: String) -> TemplateValue? { nil }

    public func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? {
        func stringArgument() throws -> String {
            guard arguments.count == 1 else {
                throw TemplateFunctionError("wrong number of args for \(name): want 1 got \(arguments.count)")
            }
            guard case .string(let s) = arguments[0] else {
                throw TemplateFunctionError("wrong type for value; expected string; got \(typeWord(arguments[0]))")
            }
            return s
        }
        switch name {
        case "Get": return .string(String(decoding: files[try stringArgument()] ?? [], as: UTF8.self))
        case "GetBytes": return .bytes(files[try stringArgument()] ?? [])
        case "Glob":
            let glob = FilesGlob(try stringArgument())
            return .object(FilesObject(files.filter { glob.matches($0.key) }))
        case "Lines":
            let path = try stringArgument()
            // A Go []string.
            guard let data = files[path] else { return .strings([]) }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            return .strings(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        case "AsConfig", "AsSecrets":
            guard arguments.isEmpty else { throw TemplateFunctionError("wrong number of args for \(name): want 0 got \(arguments.count)") }
            var object: OrderedDictionary<String, Value> = [:]
            for key in files.keys.sorted() {
                let data = files[key]!
                object[basename(key)] = .string(name == "AsConfig" ? String(decoding: data, as: UTF8.self) : base64(data))
            }
            guard let yaml = try? YAML.encode(.object(object)) else { return .string("") }
            return .string(yaml.hasSuffix("\n") ? String(yaml.dropLast()) : yaml)
        default:
            return nil
        }
    }

    public var representation: TemplateValue {
        var map: [String: TemplateValue] = [:]
        for (k, v) in files { map[k] = .bytes(v) }
        return .map(map)
    }
}

/// `.Capabilities.KubeVersion`: prints as its normalised version, `GitVersion` gives the original.
public struct KubeVersion: Sendable, Hashable, TemplateObject, GoJSONEncoded {
    public var version: String
    public var normalized: String
    public var major: String
    public var minor: String

    /// Helm's ParseKubeVersion (k8s.io/apimachinery ParseGeneric: `v`?MAJOR.MINOR[.PATCH][suffix]).
    public init(parsing text: String) throws(ChartsError) {
        var s = Substring(text)
        if s.hasPrefix("v") { s = s.dropFirst() }
        var numbers: [UInt64] = []
        var rest = s
        while numbers.count < 3 {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let n = UInt64(digits) else { break }
            if digits.count > 1 && digits.first == "0" { throw ChartsError("illegal zero-prefixed version component \(goQuote(String(digits))) in \(goQuote(text))") }
            numbers.append(n)
            rest = rest.dropFirst(digits.count)
            if rest.hasPrefix("."), numbers.count < 3 { rest = rest.dropFirst() } else { break }
        }
        guard numbers.count >= 2 else { throw ChartsError("could not parse \(goQuote(text)) as version") }
        if !rest.isEmpty && !(rest.hasPrefix("-") || rest.hasPrefix("+")) {
            throw ChartsError("could not parse \(goQuote(text)) as version")
        }
        version = text.hasPrefix("v") ? text : "v" + text
        normalized = "v\(numbers[0]).\(numbers[1]).\(numbers.count > 2 ? numbers[2] : 0)"
        major = String(numbers[0])
        minor = String(numbers[1])
    }

    public var goTypeName: String { "common.KubeVersion" }

    public func field(_ name: String) -> TemplateValue? {
        switch name {
        case "Version": return .string(version)
        case "Major": return .string(major)
        case "Minor": return .string(minor)
        default: return nil
        }
    }

    public func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? {
        switch name {
        case "String": return .string(normalized)
        case "GitVersion": return .string(version)
        default: return nil
        }
    }

    /// The template engine prints it through String (it takes the field's address).
    public var representation: TemplateValue { .string(normalized) }

    /// By value (quote, toString, printf) Go prints the struct, unexported normalised version included.
    var goValueText: String { "{\(version) \(normalized) \(major) \(minor)}" }
    public var printedByValue: String? { goValueText }

    var jsonValue: Value { .object(["Version": .string(version), "Major": .string(major), "Minor": .string(minor)]) }
}

/// `.Capabilities.APIVersions`: a list of group/versions with `Has`.
public struct VersionSet: Sendable, Hashable, TemplateObject {
    public var versions: [String]

    public init(versions: [String]) { self.versions = versions }

    public var goTypeName: String { "common.VersionSet" }
    public func field(_ name: String) -> TemplateValue? { nil }
    public func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? {
        guard name == "Has" else { return nil }
        guard arguments.count == 1, case .string(let s) = arguments[0] else {
            throw TemplateFunctionError("wrong number of args for Has: want 1 got \(arguments.count)")
        }
        return .bool(versions.contains(s))
    }
    public var representation: TemplateValue { .list(versions.map(TemplateValue.string)) }
}

/// `.Capabilities`.
public struct Capabilities: Sendable, TemplateObject, GoJSONEncoded {
    public var kubeVersion: KubeVersion
    public var apiVersions: VersionSet
    public var helmVersion: OrderedDictionary<String, String>

    public init(kubeVersion: KubeVersion, apiVersions: VersionSet, helmVersion: OrderedDictionary<String, String>) {
        self.kubeVersion = kubeVersion
        self.apiVersions = apiVersions
        self.helmVersion = helmVersion
    }

    /// What `helm template` (4.1.4) uses: Kubernetes v1.35.0 and the client-go API groups.
    public static var helmTemplateDefault: Capabilities {
        Capabilities(
            kubeVersion: try! KubeVersion(parsing: "v1.35.0"),
            apiVersions: VersionSet(versions: defaultAPIVersions),
            helmVersion: [
                "version": "v4.1.4", "git_commit": "05fa37973dc9e42b76e1d2883494c87174b6074f",
                "git_tree_state": "clean", "go_version": "go1.25.9", "kube_client_version": "v1.35",
            ])
    }

    public static let defaultAPIVersions = """
        v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1alpha1 admissionregistration.k8s.io/v1beta1 \
        internal.apiserver.k8s.io/v1alpha1 apps/v1 apps/v1beta1 apps/v1beta2 authentication.k8s.io/v1 \
        authentication.k8s.io/v1alpha1 authentication.k8s.io/v1beta1 authorization.k8s.io/v1 authorization.k8s.io/v1beta1 \
        autoscaling/v1 autoscaling/v2 autoscaling/v2beta1 autoscaling/v2beta2 batch/v1 batch/v1beta1 certificates.k8s.io/v1 \
        certificates.k8s.io/v1beta1 certificates.k8s.io/v1alpha1 coordination.k8s.io/v1alpha2 coordination.k8s.io/v1beta1 \
        coordination.k8s.io/v1 discovery.k8s.io/v1 discovery.k8s.io/v1beta1 events.k8s.io/v1 events.k8s.io/v1beta1 \
        extensions/v1beta1 flowcontrol.apiserver.k8s.io/v1 flowcontrol.apiserver.k8s.io/v1beta1 \
        flowcontrol.apiserver.k8s.io/v1beta2 flowcontrol.apiserver.k8s.io/v1beta3 networking.k8s.io/v1 \
        networking.k8s.io/v1beta1 node.k8s.io/v1 node.k8s.io/v1alpha1 node.k8s.io/v1beta1 policy/v1 policy/v1beta1 \
        rbac.authorization.k8s.io/v1 rbac.authorization.k8s.io/v1beta1 rbac.authorization.k8s.io/v1alpha1 resource.k8s.io/v1 \
        resource.k8s.io/v1beta2 resource.k8s.io/v1beta1 resource.k8s.io/v1alpha3 scheduling.k8s.io/v1alpha1 \
        scheduling.k8s.io/v1beta1 scheduling.k8s.io/v1 storage.k8s.io/v1beta1 storage.k8s.io/v1 storage.k8s.io/v1alpha1 \
        storagemigration.k8s.io/v1beta1 apiextensions.k8s.io/v1beta1 apiextensions.k8s.io/v1
        """.split(separator: " ").map(String.init)

    public var goTypeName: String { "*common.Capabilities" }

    public func field(_ name: String) -> TemplateValue? {
        switch name {
        case "KubeVersion": return .object(kubeVersion)
        case "APIVersions": return .object(apiVersions)
        case "HelmVersion": return helmVersionValue
        default: return nil
        }
    }

    private var helmVersionValue: TemplateValue { .object(BuildInfo(fields: helmVersion)) }

    public func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? { nil }

    /// The struct's fields as `%v` prints them (the template engine dereferences the pointer).
    private var fieldsText: String {
        "{\(kubeVersion.goValueText) [\(apiVersions.versions.joined(separator: " "))] \(BuildInfo(fields: helmVersion).text)}"
    }

    public var representation: TemplateValue { .string(fieldsText) }

    /// Functions get the `*Capabilities` pointer: `&{...}`.
    var goValueText: String { "&" + fieldsText }
    public var printedByValue: String? { goValueText }

    var jsonValue: Value {
        .object([
            "KubeVersion": kubeVersion.jsonValue,
            "APIVersions": .array(apiVersions.versions.map(Value.string)),
            "HelmVersion": BuildInfo(fields: helmVersion).jsonValue,
        ])
    }
}

/// `.Capabilities.HelmVersion`: Go's version.BuildInfo (fields by Go name, prints as a struct).
struct BuildInfo: TemplateObject, GoJSONEncoded {
    /// json name -> value, in struct order.
    var fields: OrderedDictionary<String, String>

    private static let goNames = ["version": "Version", "git_commit": "GitCommit", "git_tree_state": "GitTreeState",
                                  "go_version": "GoVersion", "kube_client_version": "KubeClientVersion"]

    var goTypeName: String { "version.BuildInfo" }

    func field(_ name: String) -> TemplateValue? {
        for (json, value) in fields where BuildInfo.goNames[json] == name { return .string(value) }
        return nil
    }

    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? { nil }

    var text: String { "{" + fields.values.joined(separator: " ") + "}" }

    var representation: TemplateValue { .string(text) }

    var jsonValue: Value {
        var object = Value.emptyObject.objectValue!
        for (key, value) in fields { object[key] = .string(value) }
        return .object(object)
    }
}

/// A Go `map[string]string` (`.Chart.Annotations`): nil when the chart sets none, which prints
/// as `map[]` and encodes as JSON `null`.
struct GoStringMap: TemplateObject, GoJSONEncoded {
    var entries: OrderedDictionary<String, String>?

    init(_ entries: OrderedDictionary<String, String>?) { self.entries = entries }

    var goTypeName: String { "map[string]string" }
    func field(_ name: String) -> TemplateValue? { .string(entries?[name] ?? "") }
    func call(method name: String, arguments: [TemplateValue]) throws -> TemplateValue? { nil }

    var representation: TemplateValue {
        var map: [String: TemplateValue] = [:]
        for (k, v) in entries ?? [:] { map[k] = .string(v) }
        return .map(map)
    }

    var jsonValue: Value {
        guard let entries else { return .null }
        var object = Value.emptyObject.objectValue!
        for key in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { object[key] = .string(entries[key]!) }
        return .object(object)
    }
}

func typeWord(_ v: TemplateValue) -> String {
    switch v {
    case .missing, .null: return "<nil>"
    case .bool: return "bool"
    case .int: return "int"
    case .int64: return "int64"
    case .float: return "float64"
    case .string: return "string"
    case .bytes: return "[]uint8"
    case .list: return "[]interface {}"
    case .map(let m): return m.goTypeName ?? "map[string]interface {}"
    case .object(let o): return o.goTypeName
    }
}

func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var out = ""
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
        let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
        out.append(alphabet[b0 >> 2])
        out.append(alphabet[(b0 & 3) << 4 | b1 >> 4])
        out.append(i + 1 < bytes.count ? alphabet[(b1 & 15) << 2 | b2 >> 6] : "=")
        out.append(i + 2 < bytes.count ? alphabet[b2 & 63] : "=")
        i += 3
    }
    return out
}

/// Helm's named Go types of render data: `.`, `.Values` and `.Template` are `common.Values`
/// (a named `map[string]interface{}`), which `typeOf`, `%T` and `deepEqual` tell apart.
enum HelmTypes {
    static let values = "common.Values"

    /// A new map of type `common.Values`.
    static func valuesMap(_ entries: [String: TemplateValue]) -> TemplateValue {
        let m = TemplateMap(entries)
        m.goTypeName = values
        return .map(m)
    }

    /// A subchart's `.Values`: the very map of its parent's `.Values.<name>` (which is a plain
    /// `map[string]interface {}` there), seen as a `common.Values`.
    static func subchartValues(_ m: TemplateMap) -> TemplateValue {
        .object(TypedContainer(goTypeName: values, value: .map(m), boxesElements: true))
    }
}
