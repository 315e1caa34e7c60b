import Structured

/// Validation rules with the real server's messages (field paths and wording match, so clients and
/// users see the same 422 causes).
enum Validation {
    /// Content inequality (key order ignored).
    static func differs(_ a: Value?, _ b: Value?) -> Bool { !ServerSideApply.same(a, b) }

    static func dns1123Label(_ s: String) -> String? {
        if s.utf8.count > 63 { return "must be no more than 63 characters" }
        if !isLabel(s, firstAlpha: false) {
            return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        }
        return nil
    }

    static func dns1035Label(_ s: String) -> String? {
        if s.utf8.count > 63 { return "must be no more than 63 characters" }
        if !isLabel(s, firstAlpha: true) {
            return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        }
        return nil
    }

    static func dns1123Subdomain(_ s: String) -> String? {
        if s.utf8.count > 253 { return "must be no more than 253 characters" }
        // Split as bytes: a valid name is ASCII, and any other fails either way.
        let parts = s.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if parts.contains(where: { !isLabel($0, firstAlpha: false) }) {
            return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        }
        return nil
    }

    /// Names of RBAC objects and custom resources only need to be valid path segments.
    static func pathSegment(_ s: String) -> String? {
        if s == "." || s == ".." { return "may not be '\(s)'" }
        if s.contains("/") { return "may not contain '/'" }
        if s.contains("%") { return "may not contain '%'" }
        return nil
    }

    private static func isLabel(_ s: String, firstAlpha: Bool) -> Bool { isLabel(s.utf8[...], firstAlpha: firstAlpha) }

    private static func isLabel(_ bytes: Substring.UTF8View, firstAlpha: Bool) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        if firstAlpha ? !(first >= 0x61 && first <= 0x7A) : !alnum(first) { return false }
        if !alnum(last) { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Go's %#v of a map[string]string, as messages quote label maps.
    static func goMap(_ value: Value?) -> String {
        guard let object = value?.objectValue, !object.isEmpty else { return "map[string]string(nil)" }
        let items = object.keys.sorted().map { "\"\($0)\":\"\(object[$0]?.stringValue ?? "")\"" }
        return "map[string]string{" + items.joined(separator: ", ") + "}"
    }

    static func goSelector(_ value: Value?) -> String {
        let labels = goMap(value?["matchLabels"])
        let expressions = value?["matchExpressions"]?.arrayValue?.isEmpty == false ? "[]v1.LabelSelectorRequirement{...}" : "[]v1.LabelSelectorRequirement(nil)"
        return "v1.LabelSelector{MatchLabels:\(labels), MatchExpressions:\(expressions)}"
    }

    /// Deployments, ReplicaSets, StatefulSets, DaemonSets: selector present, matching the template,
    /// and (apps/v1) immutable.
    static func workload(_ object: Value, old: Value?, type: ResourceType) throws(APIError) {
        var causes: [APIError.Cause] = []
        let selector = object[path: "spec", "selector"]
        let templateLabels = object[path: "spec", "template", "metadata", "labels"]
        if selector == nil || selector?.isNull == true {
            causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.selector"))
        } else if let matchLabels = selector?["matchLabels"]?.objectValue, selector?["matchExpressions"] == nil {
            let labels = templateLabels?.objectValue ?? [:]
            if matchLabels.contains(where: { labels[$0.key] != $0.value }) {
                causes.append(.init(type: "FieldValueInvalid",
                                    message: "Invalid value: \(goMap(templateLabels)): `selector` does not match template `labels`",
                                    field: "spec.template.metadata.labels"))
            }
        }
        if (object[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []).isEmpty {
            causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers"))
        }
        for (i, c) in (object[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []).enumerated() {
            if (c["name"]?.stringValue ?? "").isEmpty {
                causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers[\(i)].name"))
            }
            if (c["image"]?.stringValue ?? "").isEmpty {
                causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers[\(i)].image"))
            }
        }
        if let old, let oldSelector = old[path: "spec", "selector"], differs(selector, oldSelector) {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \(goSelector(selector)): field is immutable", field: "spec.selector"))
        }
        if !causes.isEmpty { throw APIError.invalid(kind: type.kind, group: type.group, name: object.name, causes) }
    }

    static func job(_ object: Value, old: Value?, type: ResourceType) throws(APIError) {
        var causes: [APIError.Cause] = []
        let restart = object[path: "spec", "template", "spec", "restartPolicy"]?.stringValue
        if old == nil, restart != "Never", restart != "OnFailure" {
            causes.append(.init(type: "FieldValueNotSupported",
                                message: "Unsupported value: \"\(restart ?? "")\": supported values: \"OnFailure\", \"Never\"",
                                field: "spec.template.spec.restartPolicy"))
        }
        if let old {
            if differs(object[path: "spec", "selector"], old[path: "spec", "selector"]) {
                causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \(goSelector(object[path: "spec", "selector"])): field is immutable", field: "spec.selector"))
            }
            if differs(object[path: "spec", "template"], old[path: "spec", "template"]) {
                causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: core.PodTemplateSpec{...}: field is immutable", field: "spec.template"))
            }
            if differs(object[path: "spec", "completions"], old[path: "spec", "completions"]) {
                causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \(object[path: "spec", "completions"]?.intValue ?? 0): field is immutable", field: "spec.completions"))
            }
        }
        if !causes.isEmpty { throw APIError.invalid(kind: type.kind, group: type.group, name: object.name, causes) }
    }

    static func crd(_ object: Value, old: Value?) throws(APIError) {
        var causes: [APIError.Cause] = []
        let group = object[path: "spec", "group"]?.stringValue ?? ""
        let plural = object[path: "spec", "names", "plural"]?.stringValue ?? ""
        if group.isEmpty { causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.group")) }
        if plural.isEmpty { causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.names.plural")) }
        if (object[path: "spec", "names", "kind"]?.stringValue ?? "").isEmpty {
            causes.append(.init(type: "FieldValueRequired", message: "Required value", field: "spec.names.kind"))
        }
        if !group.isEmpty, !plural.isEmpty, object.name != "\(plural).\(group)" {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\(object.name)\": must be spec.names.plural+\".\"+spec.group", field: "metadata.name"))
        }
        if (object[path: "spec", "versions"]?.arrayValue ?? []).isEmpty {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: []apiextensions.CustomResourceDefinitionVersion(nil): must have exactly one version marked as storage version", field: "spec.versions"))
        }
        if let old, old[path: "spec", "scope"] != object[path: "spec", "scope"] {
            causes.append(.init(type: "FieldValueInvalid", message: "Invalid value: \"\(object[path: "spec", "scope"]?.stringValue ?? "")\": field is immutable", field: "spec.scope"))
        }
        if !causes.isEmpty { throw APIError.invalid(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: object.name, causes) }
    }
}
