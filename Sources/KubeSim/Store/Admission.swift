import Foundation
import Structured

/// Built-in defaulting and validation, run by the store on every create and update, like the real
/// server's registry strategies: the defaults clients read back, names, required fields, and the
/// fields that may not change.
struct Admission {
    private var nextServiceIP = 10
    private var nextNodePort = 30000
    private var usedIPs: Set<String> = ["10.96.0.1"]

    static let generationKinds: Set<String> = [
        "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs", "replicationcontrollers",
        "horizontalpodautoscalers", "poddisruptionbudgets", "customresourcedefinitions", "ingresses", "networkpolicies",
        "pods", "services", "persistentvolumeclaims", "persistentvolumes", "namespaces", "nodes",
        "validatingadmissionpolicies", "apiservices",
    ]

    /// Whether `metadata.generation` is maintained (kinds with a spec; every custom resource).
    static func tracksGeneration(_ type: ResourceType) -> Bool {
        type.isCustom || generationKinds.contains(type.plural)
    }

    mutating func admit(_ object: inout Value, old: Value?, type: ResourceType, store: ObjectStore) throws(APIError) {
        if old == nil { try validateName(object, type: type) }
        if object.uid.isEmpty, old == nil { object.setMetadata("uid", .string(UUIDSource.next())) }
        switch (type.group, type.plural) {
        case ("", "namespaces"): Defaults.namespace(&object)
        case ("", "pods"): Defaults.pod(&object)
        case ("", "services"): try service(&object, old: old, type: type)
        case ("", "secrets"): try Defaults.secret(&object); try immutableData(object, old: old, type: type)
        case ("", "configmaps"): try immutableData(object, old: old, type: type)
        case ("", "persistentvolumeclaims"): Defaults.pvc(&object)
        case ("apps", "deployments"): Defaults.deployment(&object); try Validation.workload(object, old: old, type: type)
        case ("apps", "replicasets"): Defaults.replicaSet(&object); try Validation.workload(object, old: old, type: type)
        case ("apps", "statefulsets"): Defaults.statefulSet(&object); try Validation.workload(object, old: old, type: type)
        case ("apps", "daemonsets"): Defaults.daemonSet(&object); try Validation.workload(object, old: old, type: type)
        case ("batch", "jobs"): Defaults.job(&object, old: old); try Validation.job(object, old: old, type: type)
        case ("batch", "cronjobs"): Defaults.cronJob(&object)
        case ("apiextensions.k8s.io", "customresourcedefinitions"): try Validation.crd(object, old: old)
        default: break
        }
    }

    static func crdStatus(_ crd: Value) -> Value {
        let names = crd[path: "spec", "names"] ?? .object([:])
        var accepted: Value = .object([:])
        for key in ["categories", "kind", "listKind", "plural", "shortNames", "singular"] {
            if let v = names[key] { accepted[key] = v }
        }
        if accepted["listKind"] == nil, let kind = names["kind"]?.stringValue { accepted["listKind"] = .string(kind + "List") }
        if accepted["singular"] == nil, let kind = names["kind"]?.stringValue { accepted["singular"] = .string(kind.lowercased()) }
        let existing = crd[path: "status", "conditions"]?.arrayValue ?? []
        func time(_ type: String) -> Value {
            existing.first { $0["type"]?.stringValue == type }?["lastTransitionTime"] ?? .string(Timestamp.now())
        }
        let stored = (crd[path: "spec", "versions"]?.arrayValue ?? []).filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
        return [
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "lastTransitionTime": time("NamesAccepted"), "reason": "NoConflicts", "message": "no conflicts found"],
                ["type": "Established", "status": "True", "lastTransitionTime": time("Established"), "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"],
            ],
            "acceptedNames": accepted,
            "storedVersions": .array(stored),
        ]
    }

    private func validateName(_ object: Value, type: ResourceType) throws(APIError) {
        let name = object.name
        if name.isEmpty {
            throw APIError.invalid(kind: type.kind, group: type.group, name: "", [
                APIError.Cause(type: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        let message: String?
        switch type.plural {
        case "namespaces": message = Validation.dns1123Label(name)
        case "services": message = Validation.dns1035Label(name)
        default: message = type.isCustom || type.group.hasPrefix("rbac") ? Validation.pathSegment(name) : Validation.dns1123Subdomain(name)
        }
        if let message {
            throw APIError.invalid(kind: type.kind, group: type.group, name: name, [
                APIError.Cause(type: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \(message)", field: "metadata.name")])
        }
    }

    private func immutableData(_ object: Value, old: Value?, type: ResourceType) throws(APIError) {
        guard let old, old["immutable"]?.boolValue == true else { return }
        var causes: [APIError.Cause] = []
        if object["immutable"]?.boolValue != true {
            causes.append(.init(type: "FieldValueForbidden", message: "Forbidden: field is immutable when `immutable` is set", field: "immutable"))
        }
        for field in ["data", "binaryData"] where !(object[field] ?? .object([:])).sameContent(as: old[field] ?? .object([:])) {
            causes.append(.init(type: "FieldValueForbidden", message: "Forbidden: field is immutable when `immutable` is set", field: field))
        }
        if !causes.isEmpty { throw APIError.invalid(kind: type.kind, group: type.group, name: object.name, causes) }
    }

    /// ClusterIP and node-port allocation; allocated values survive updates that omit them.
    private mutating func service(_ object: inout Value, old: Value?, type: ResourceType) throws(APIError) {
        var spec = object["spec"] ?? .object([:])
        let serviceType = spec["type"]?.stringValue ?? "ClusterIP"
        spec["type"] = .string(serviceType)
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if let old {
            let oldIP = old[path: "spec", "clusterIP"]
            if spec["clusterIP"] == nil || spec["clusterIP"]?.stringValue == "" { spec["clusterIP"] = oldIP; spec["clusterIPs"] = old[path: "spec", "clusterIPs"] }
            if let oldIP, spec["clusterIP"] != oldIP, serviceType != "ExternalName" {
                throw APIError.invalid(kind: type.kind, group: type.group, name: object.name, [
                    .init(type: "FieldValueInvalid", message: "Invalid value: \(JSON.wireString(.array([spec["clusterIP"] ?? .null]))): may not change once set", field: "spec.clusterIPs[0]")])
            }
        }
        if serviceType != "ExternalName" {
            if spec["clusterIP"] == nil || spec["clusterIP"]?.stringValue == "" {
                var ip: String
                repeat {
                    ip = "10.96.\(nextServiceIP / 250).\(nextServiceIP % 250 + 2)"
                    nextServiceIP += 1
                } while usedIPs.contains(ip)
                spec["clusterIP"] = .string(ip)
            }
            if let ip = spec["clusterIP"]?.stringValue { usedIPs.insert(ip) }
            if spec["clusterIPs"] == nil { spec["clusterIPs"] = .array([spec["clusterIP"]!]) }
            if spec["ipFamilies"] == nil, spec["clusterIP"]?.stringValue != "None" || true { spec["ipFamilies"] = ["IPv4"] }
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
            if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
        }
        let oldPorts = old?[path: "spec", "ports"]?.arrayValue ?? []
        if var ports = spec["ports"]?.arrayValue {
            for i in ports.indices {
                if ports[i]["protocol"] == nil { ports[i]["protocol"] = "TCP" }
                if ports[i]["targetPort"] == nil, let port = ports[i]["port"] { ports[i]["targetPort"] = port }
                if serviceType == "NodePort" || serviceType == "LoadBalancer", ports[i]["nodePort"] == nil {
                    if let previous = oldPorts.first(where: { $0["port"] == ports[i]["port"] })?["nodePort"] {
                        ports[i]["nodePort"] = previous
                    } else {
                        ports[i]["nodePort"] = .int(Int64(nextNodePort))
                        nextNodePort += 1
                    }
                }
            }
            spec["ports"] = .array(ports)
        }
        if serviceType == "NodePort" || serviceType == "LoadBalancer", spec["externalTrafficPolicy"] == nil { spec["externalTrafficPolicy"] = "Cluster" }
        if serviceType == "LoadBalancer", spec["allocateLoadBalancerNodePorts"] == nil { spec["allocateLoadBalancerNodePorts"] = true }
        object["spec"] = spec
        if object["status"] == nil { object["status"] = ["loadBalancer": .object([:])] }
    }
}
