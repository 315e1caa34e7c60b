import Foundation
import Structured
import Tracking

extension ResourceMetadata {
    /// A parsed document: a resource, or nothing when Helm itself would drop it (unknown hook event).
    public enum ParseOutcome: Sendable, Hashable {
        case resource(ResourceMetadata)
        case dropped(reason: String)
    }

    /// Parses one rendered manifest. Problems are appended to `problems` (each naming the resource)
    /// instead of thrown, so a whole chart is checked in one pass; the outcome is nil when any was found.
    public static func parse(_ manifest: Value, source: String? = nil, releaseNamespace: String,
                             scopes: ResourceScopes = ResourceScopes(),
                             problems: inout [String]) -> ParseOutcome? {
        let startCount = problems.count
        let apiVersion = manifest["apiVersion"]?.stringValue ?? ""
        let kind = manifest["kind"]?.stringValue ?? ""
        let name = manifest[path: "metadata", "name"]?.stringValue ?? ""
        let label = (kind.isEmpty ? "<no kind>" : kind) + "/" + (name.isEmpty ? "<no name>" : name)
            + (source.map { " (\($0))" } ?? "")
        func problem(_ text: String) { problems.append("\(label): \(text)") }

        if manifest.objectValue == nil { problem("manifest is not a mapping"); return nil }
        if apiVersion.isEmpty { problem("apiVersion is missing") }
        if kind.isEmpty { problem("kind is missing") }
        if name.isEmpty { problem("metadata.name is missing") }
        let (group, version) = ResourceID.groupAndVersion(of: apiVersion)
        let clusterScoped = scopes.isClusterScoped(kind: kind)
        let writtenNamespace = manifest[path: "metadata", "namespace"]?.stringValue
        let namespace: String? = clusterScoped ? nil : ((writtenNamespace?.isEmpty == false) ? writtenNamespace : releaseNamespace)
        if !name.isEmpty, let nameProblem = NameRules.problem(name: name, kind: kind) { problem(nameProblem) }
        if let writtenNamespace, !writtenNamespace.isEmpty, !clusterScoped, !NameRules.isDNS1123Label(writtenNamespace) {
            problem("metadata.namespace \(writtenNamespace.debugDescription) is not a valid DNS-1123 label")
        }

        // Annotations must be strings (the API server rejects anything else).
        var annotations: [String: String] = [:]
        if let raw = manifest[path: "metadata", "annotations"], !raw.isNull {
            guard let object = raw.objectValue else { problem("metadata.annotations is not a mapping"); return nil }
            for (key, value) in object {
                guard let text = value.stringValue else {
                    problem("annotation \(key): value must be a string, quote it"); continue
                }
                annotations[key] = text
            }
        }
        func annotationProblem(_ key: String, _ text: String) { problem("annotation \(key): \(text)") }

        // Hooks: unknown events make Helm skip the whole document.
        var hook: HookInfo?
        if let hookText = annotations["helm.sh/hook"] {
            var events: [HookInfo.Event] = []
            // As Helm: every comma-separated entry must be a known event, so an empty entry drops the doc too.
            for raw in hookText.split(separator: ",", omittingEmptySubsequences: false) {
                let word = raw.trimmingCharacters(in: .whitespaces).lowercased()
                let event = word == "test-success" ? HookInfo.Event.test : HookInfo.Event(rawValue: word)
                guard let event else { return .dropped(reason: "\(label): unknown hook event \(word.debugDescription)") }
                if !events.contains(event) { events.append(event) }
            }
            // Helm (strconv.Atoi, no trimming): a weight that is not an integer counts as 0.
            let helmWeight = annotations["helm.sh/hook-weight"].flatMap { Int($0) } ?? 0
            let policies = (annotations["helm.sh/hook-delete-policy"] ?? "").split(separator: ",").compactMap {
                HookInfo.DeletePolicy(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased())
            }
            hook = HookInfo(events: events, weight: helmWeight, deletePolicies: policies)
        }

        var weight = 0
        if let text = annotations["werf.io/weight"] {
            if let w = Int(text.trimmingCharacters(in: .whitespaces)) { weight = w; hook?.weight = w }
            else { annotationProblem("werf.io/weight", "\(text.debugDescription) is not an integer") }
        } else if let hook {
            weight = hook.weight
        }

        var resourcePolicies: Set<ResourcePolicy> = []
        if let text = annotations["helm.sh/resource-policy"], text.trimmingCharacters(in: .whitespaces).lowercased() == "keep" {
            resourcePolicies.insert(.keep)
        }
        if let text = annotations["werf.io/resource-policy"] {
            for raw in text.split(separator: ",") {
                let word = raw.trimmingCharacters(in: .whitespaces)
                if let policy = ResourcePolicy(rawValue: word) { resourcePolicies.insert(policy) }
                else { annotationProblem("werf.io/resource-policy", "\(word.debugDescription) is not keep or skip-create|skip-update|skip-recreate|skip-delete") }
            }
        }

        var deletePolicies: Set<WerfDeletePolicy> = []
        if let text = annotations["werf.io/delete-policy"] {
            for raw in text.split(separator: ",") {
                let word = raw.trimmingCharacters(in: .whitespaces)
                if let policy = WerfDeletePolicy(rawValue: word) { deletePolicies.insert(policy) }
                else { annotationProblem("werf.io/delete-policy", "\(word.debugDescription) is not before-creation, before-creation-if-immutable, succeeded or failed") }
            }
        }

        // Hooks are shared by default (werf); `crds/` CRDs are made shared by ManifestSet.
        var ownership: Ownership = hook != nil ? .anyone : .release
        if let text = annotations["werf.io/ownership"] {
            if let value = Ownership(rawValue: text.trimmingCharacters(in: .whitespaces)) { ownership = value }
            else { annotationProblem("werf.io/ownership", "\(text.debugDescription) is not release or anyone") }
        }

        var sensitive = kind == "Secret" && group.isEmpty
        if let text = annotations["werf.io/sensitive"] {
            if let value = parseBool(text) { sensitive = value }
            else { annotationProblem("werf.io/sensitive", "\(text.debugDescription) is not true or false") }
        }

        var deployDependencies: [DeployDependency] = []
        var externalIDs: Set<String> = []
        for key in annotations.keys.sorted() {
            let value = annotations[key]!
            if key.hasPrefix("werf.io/deploy-dependency-") {
                let id = String(key.dropFirst("werf.io/deploy-dependency-".count))
                switch DeployDependency.parse(id: id, value: value) {
                case .success(let dependency): deployDependencies.append(dependency)
                case .failure(let error): annotationProblem(key, error.message)
                }
            } else if key.hasSuffix(".external-dependency.werf.io/resource") || key.hasSuffix(".external-dependency.werf.io/namespace") {
                externalIDs.insert(String(key[..<key.range(of: ".external-dependency.werf.io/")!.lowerBound]))
            }
        }
        var externalDependencies: [ExternalDependency] = []
        for id in externalIDs.sorted() {
            let resourceKey = "\(id).external-dependency.werf.io/resource"
            guard let value = annotations[resourceKey] else {
                annotationProblem("\(id).external-dependency.werf.io/namespace", "has no matching \(resourceKey)"); continue
            }
            let namespaceText = annotations["\(id).external-dependency.werf.io/namespace"]
            switch ExternalDependency.parse(id: id, value: value, namespace: namespaceText) {
            case .success(let dependency): externalDependencies.append(dependency)
            case .failure(let error): annotationProblem(resourceKey, error.message)
            }
        }

        let (tracking, trackingProblems) = TrackingAnnotations.parse(annotations)
        for bad in trackingProblems { annotationProblem(bad.key, bad.message) }

        guard problems.count == startCount else { return nil }
        return .resource(ResourceMetadata(
            id: ResourceID(group: group, kind: kind, namespace: namespace, name: name),
            apiVersion: apiVersion, version: version, source: source, hook: hook, weight: weight,
            resourcePolicies: resourcePolicies, deletePolicies: deletePolicies, ownership: ownership,
            sensitive: sensitive, deployDependencies: deployDependencies,
            externalDependencies: externalDependencies, tracking: tracking, manifest: manifest))
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    static func parseList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Kubernetes object-name rules (apimachinery's validation).
enum NameRules {
    static func isDNS1123Label(_ s: String) -> Bool {
        s.count <= 63 && s.wholeMatch(of: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/) != nil
    }

    static func isDNS1123Subdomain(_ s: String) -> Bool {
        s.count <= 253 && s.wholeMatch(of: /[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/) != nil
    }

    static func isDNS1035Label(_ s: String) -> Bool {
        s.count <= 63 && s.wholeMatch(of: /[a-z]([-a-z0-9]*[a-z0-9])?/) != nil
    }

    /// The rule for `kind`'s names, or nil when `name` passes it.
    static func problem(name: String, kind: String) -> String? {
        switch kind {
        case "Namespace":
            return isDNS1123Label(name) ? nil : "metadata.name \(name.debugDescription) is not a valid DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)"
        case "Service":
            return isDNS1035Label(name) ? nil : "metadata.name \(name.debugDescription) is not a valid DNS-1035 label (starts with a letter, lower-case alphanumerics and '-', at most 63 characters)"
        default:
            return isDNS1123Subdomain(name) ? nil : "metadata.name \(name.debugDescription) is not a valid DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters)"
        }
    }
}
