import Foundation
import Structured

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns
/// `kubectl get` shows for each built-in kind, the CRD's additionalPrinterColumns (default Age), and
/// the server's default (Name, Created At) for everything else.
struct TableConverter {
    let type: ResourceType

    struct Column {
        var name: String
        var type: String
        var format: String = ""
        var description: String = ""
        var priority: Int = 0
        var cell: (Value) -> Value
    }

    static func wanted(_ request: SimRequest) -> Bool {
        guard let accept = request.header("Accept") else { return false }
        // Asked on every response: ASCII headers (all real ones) are searched as bytes.
        if accept.utf8.allSatisfy({ $0 < 0x80 }) {
            let firstMediaType = accept.utf8.split(separator: UInt8(ascii: ",")).first
            return firstMediaType?.contains(subsequence: "as=Table".utf8) ?? false
        }
        return accept.split(separator: ",").first?.contains("as=Table") ?? false
    }

    func table(_ objects: [Value], listMeta: Value?, request: SimRequest) -> Value {
        let columns = self.columns
        let include = request.query["includeObject"] ?? "Metadata"
        let rows: [Value] = objects.map { object in
            var row: Value = ["cells": .array(columns.map { $0.cell(object) })]
            switch include {
            case "None": break
            case "Object": row["object"] = object
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? .object([:])]
            }
            return row
        }
        var table: Value = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMeta ?? .object([:])]
        table["columnDefinitions"] = .array(columns.map {
            ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
             "description": .string($0.description), "priority": .int(Int64($0.priority))]
        })
        table["rows"] = .array(rows)
        return table
    }

    // MARK: - Columns

    static func age(_ o: Value) -> Value {
        guard let created = o[path: "metadata", "creationTimestamp"]?.stringValue, let date = Timestamp.parse(created) else { return "<unknown>" }
        return .string(KubeDuration.humanShort(Date().timeIntervalSince(date)))
    }

    static func name(_ o: Value) -> Value { .string(o.name) }
    static func str(_ v: Value?) -> String {
        switch v {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .bool(let b)?: return b ? "true" : "false"
        case .double(let d)?: return JSON.wireString(.double(d))
        default: return ""
        }
    }
    static func int(_ v: Value?) -> Value { .int(v?.intValue ?? 0) }

    var nameColumn: Column {
        Column(name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", cell: Self.name)
    }
    var ageColumn: Column {
        Column(name: "Age", type: "string", description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", cell: Self.age)
    }

    var columns: [Column] {
        let n = nameColumn, age = ageColumn
        func c(_ name: String, _ type: String = "string", priority: Int = 0, _ cell: @escaping (Value) -> Value) -> Column {
            Column(name: name, type: type, priority: priority, cell: cell)
        }
        if type.isCustom, !type.printerColumns.isEmpty {
            return [n] + type.printerColumns.map { pc in
                Column(name: pc.name, type: pc.type, format: pc.format, description: pc.description, priority: pc.priority) { o in
                    let value = Self.jsonPath(o, pc.jsonPath)
                    if pc.type == "date", let s = value?.stringValue, let t = Timestamp.parse(s) {
                        return .string(KubeDuration.humanShort(Date().timeIntervalSince(t)))
                    }
                    guard let value else { return .null }
                    switch value {
                    case .object, .array: return .string(JSON.wireString(value))
                    default: return value
                    }
                }
            }
        }
        if type.isCustom {
            // The CRD table convertor prints its default Age column (type date) as a duration.
            return [n, Column(name: "Age", type: "date", cell: Self.age)]
        }
        switch (type.group, type.plural) {
        case ("", "pods"):
            return [n,
                    c("Ready") { o in
                        let statuses = o[path: "status", "containerStatuses"]?.arrayValue ?? []
                        let total = o[path: "spec", "containers"]?.arrayValue?.count ?? 0
                        let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
                        return .string("\(ready)/\(total)")
                    },
                    c("Status") { .string(PodStatusPrinter.status($0)) },
                    c("Restarts", "string") { .string(PodStatusPrinter.restarts($0)) },
                    age,
                    c("IP", priority: 1) { .string(Self.str($0[path: "status", "podIP"]).isEmpty ? "<none>" : Self.str($0[path: "status", "podIP"])) },
                    c("Node", priority: 1) { .string(Self.str($0[path: "spec", "nodeName"]).isEmpty ? "<none>" : Self.str($0[path: "spec", "nodeName"])) },
                    c("Nominated Node", priority: 1) { _ in "<none>" },
                    c("Readiness Gates", priority: 1) { _ in "<none>" }]
        case ("apps", "deployments"):
            return [n,
                    c("Ready") { .string("\(Self.str($0[path: "status", "readyReplicas"]).isEmpty ? "0" : Self.str($0[path: "status", "readyReplicas"]))/\(Self.str($0[path: "spec", "replicas"]))") },
                    c("Up-to-date", "integer") { Self.int($0[path: "status", "updatedReplicas"]) },
                    c("Available", "integer") { Self.int($0[path: "status", "availableReplicas"]) },
                    age,
                    c("Containers", priority: 1) { Self.containers($0, \.name) },
                    c("Images", priority: 1) { Self.containers($0, \.image) },
                    c("Selector", priority: 1) { .string(Self.selectorString($0[path: "spec", "selector"])) }]
        case ("apps", "replicasets"):
            return [n,
                    c("Desired", "integer") { Self.int($0[path: "spec", "replicas"]) },
                    c("Current", "integer") { Self.int($0[path: "status", "replicas"]) },
                    c("Ready", "integer") { Self.int($0[path: "status", "readyReplicas"]) },
                    age,
                    c("Containers", priority: 1) { Self.containers($0, \.name) },
                    c("Images", priority: 1) { Self.containers($0, \.image) },
                    c("Selector", priority: 1) { .string(Self.selectorString($0[path: "spec", "selector"])) }]
        case ("apps", "statefulsets"):
            return [n,
                    c("Ready") { .string("\($0[path: "status", "readyReplicas"]?.intValue ?? 0)/\($0[path: "spec", "replicas"]?.intValue ?? 0)") },
                    age,
                    c("Containers", priority: 1) { Self.containers($0, \.name) },
                    c("Images", priority: 1) { Self.containers($0, \.image) }]
        case ("apps", "daemonsets"):
            return [n,
                    c("Desired", "integer") { Self.int($0[path: "status", "desiredNumberScheduled"]) },
                    c("Current", "integer") { Self.int($0[path: "status", "currentNumberScheduled"]) },
                    c("Ready", "integer") { Self.int($0[path: "status", "numberReady"]) },
                    c("Up-to-date", "integer") { Self.int($0[path: "status", "updatedNumberScheduled"]) },
                    c("Available", "integer") { Self.int($0[path: "status", "numberAvailable"]) },
                    c("Node Selector") { o in
                        let sel = o[path: "spec", "template", "spec", "nodeSelector"]?.objectValue ?? [:]
                        return .string(sel.isEmpty ? "<none>" : sel.keys.sorted().map { "\($0)=\(Self.str(sel[$0]))" }.joined(separator: ","))
                    },
                    age]
        case ("batch", "jobs"):
            return [n,
                    c("Status") { o in
                        let conditions = o[path: "status", "conditions"]?.arrayValue ?? []
                        if conditions.contains(where: { $0["type"]?.stringValue == "Complete" && $0["status"]?.stringValue == "True" }) { return "Complete" }
                        if conditions.contains(where: { $0["type"]?.stringValue == "Failed" && $0["status"]?.stringValue == "True" }) { return "Failed" }
                        if o[path: "spec", "suspend"]?.boolValue == true { return "Suspended" }
                        return "Running"
                    },
                    c("Completions") { .string("\($0[path: "status", "succeeded"]?.intValue ?? 0)/\($0[path: "spec", "completions"]?.intValue ?? 1)") },
                    c("Duration") { o in
                        guard let start = o[path: "status", "startTime"]?.stringValue.flatMap(Timestamp.parse) else { return "" }
                        let end = o[path: "status", "completionTime"]?.stringValue.flatMap(Timestamp.parse) ?? Date()
                        return .string(KubeDuration.humanShort(end.timeIntervalSince(start)))
                    },
                    age]
        case ("batch", "cronjobs"):
            return [n,
                    c("Schedule") { .string(Self.str($0[path: "spec", "schedule"])) },
                    c("Timezone") { .string(Self.str($0[path: "spec", "timeZone"]).isEmpty ? "<none>" : Self.str($0[path: "spec", "timeZone"])) },
                    c("Suspend", "boolean") { .bool($0[path: "spec", "suspend"]?.boolValue ?? false) },
                    c("Active", "integer") { .int(Int64($0[path: "status", "active"]?.arrayValue?.count ?? 0)) },
                    c("Last Schedule") { o in
                        guard let t = o[path: "status", "lastScheduleTime"]?.stringValue.flatMap(Timestamp.parse) else { return "<none>" }
                        return .string(KubeDuration.humanShort(Date().timeIntervalSince(t)))
                    },
                    age]
        case ("", "services"):
            return [n,
                    c("Type") { .string(Self.str($0[path: "spec", "type"])) },
                    c("Cluster-IP") { .string(Self.str($0[path: "spec", "clusterIP"]).isEmpty ? "<none>" : Self.str($0[path: "spec", "clusterIP"])) },
                    c("External-IP") { o in
                        let ips = o[path: "spec", "externalIPs"]?.arrayValue?.compactMap(\.stringValue) ?? []
                        if o[path: "spec", "type"]?.stringValue == "LoadBalancer" && ips.isEmpty {
                            let ingress = o[path: "status", "loadBalancer", "ingress"]?.arrayValue?.compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue } ?? []
                            return .string(ingress.isEmpty ? "<pending>" : ingress.joined(separator: ","))
                        }
                        if o[path: "spec", "type"]?.stringValue == "ExternalName" { return .string(Self.str(o[path: "spec", "externalName"])) }
                        return .string(ips.isEmpty ? "<none>" : ips.joined(separator: ","))
                    },
                    c("Port(s)") { o in
                        let ports = (o[path: "spec", "ports"]?.arrayValue ?? []).map { p -> String in
                            let base = "\(p["port"]?.intValue ?? 0)"
                            let node = p["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                            return base + node + "/" + (p["protocol"]?.stringValue ?? "TCP")
                        }
                        return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
                    },
                    age,
                    c("Selector", priority: 1) { o in
                        let sel = o[path: "spec", "selector"]?.objectValue ?? [:]
                        return .string(sel.isEmpty ? "<none>" : sel.keys.sorted().map { "\($0)=\(Self.str(sel[$0]))" }.joined(separator: ","))
                    }]
        case ("", "configmaps"):
            return [n, c("Data", "integer") { .int(Int64(($0["data"]?.objectValue?.count ?? 0) + ($0["binaryData"]?.objectValue?.count ?? 0))) }, age]
        case ("", "secrets"):
            return [n, c("Type") { .string(Self.str($0["type"])) },
                    c("Data", "integer") { .int(Int64($0["data"]?.objectValue?.count ?? 0)) }, age]
        case ("", "namespaces"):
            return [n, c("Status") { .string(Self.str($0[path: "status", "phase"])) }, age]
        case ("", "serviceaccounts"):
            return [n, c("Secrets", "integer") { .int(Int64($0["secrets"]?.arrayValue?.count ?? 0)) }, age]
        case ("", "persistentvolumeclaims"):
            return [n,
                    c("Status") { .string(Self.str($0[path: "status", "phase"])) },
                    c("Volume") { .string(Self.str($0[path: "spec", "volumeName"])) },
                    c("Capacity") { .string(Self.str($0[path: "status", "capacity", "storage"])) },
                    c("Access Modes") { o in .string(Self.accessModes(o[path: "status", "accessModes"])) },
                    c("StorageClass") { .string(Self.str($0[path: "spec", "storageClassName"])) },
                    c("VolumeAttributesClass") { o in .string(Self.str(o[path: "spec", "volumeAttributesClassName"]).isEmpty ? "<unset>" : Self.str(o[path: "spec", "volumeAttributesClassName"])) },
                    age]
        case ("", "events"):
            return [c("Last Seen") { o in
                        let t = (o["lastTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue ?? o[path: "metadata", "creationTimestamp"]?.stringValue).flatMap(Timestamp.parse)
                        return .string(t.map { KubeDuration.humanShort(Date().timeIntervalSince($0)) } ?? "<unknown>")
                    },
                    c("Type") { .string(Self.str($0["type"])) },
                    c("Reason") { .string(Self.str($0["reason"])) },
                    c("Object") { o in .string("\((o[path: "involvedObject", "kind"]?.stringValue ?? "").lowercased())/\(Self.str(o[path: "involvedObject", "name"]))") },
                    c("Message") { .string(Self.str($0["message"])) }]
        case ("", "nodes"):
            return [n,
                    c("Status") { o in
                        let ready = (o[path: "status", "conditions"]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }
                        return .string(ready?["status"]?.stringValue == "True" ? "Ready" : "NotReady")
                    },
                    c("Roles") { o in
                        let roles = o.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
                        return .string(roles.isEmpty ? "<none>" : roles.joined(separator: ","))
                    },
                    age,
                    c("Version") { .string(Self.str($0[path: "status", "nodeInfo", "kubeletVersion"])) }]
        case ("", "endpoints"):
            return [n, c("Endpoints") { o in
                        var items: [String] = []
                        for subset in o["subsets"]?.arrayValue ?? [] {
                            for a in subset["addresses"]?.arrayValue ?? [] {
                                for p in subset["ports"]?.arrayValue ?? [] { items.append("\(Self.str(a["ip"])):\(p["port"]?.intValue ?? 0)") }
                            }
                        }
                        return .string(items.isEmpty ? "<none>" : items.joined(separator: ","))
                    }, age]
        case ("networking.k8s.io", "ingresses"):
            return [n,
                    c("Class") { .string(Self.str($0[path: "spec", "ingressClassName"]).isEmpty ? "<none>" : Self.str($0[path: "spec", "ingressClassName"])) },
                    c("Hosts") { o in
                        let hosts = (o[path: "spec", "rules"]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
                        return .string(hosts.isEmpty ? "*" : hosts.joined(separator: ","))
                    },
                    c("Address") { o in .string((o[path: "status", "loadBalancer", "ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }.joined(separator: ",")) },
                    c("Ports") { o in .string(o[path: "spec", "tls"]?.arrayValue?.isEmpty == false ? "80, 443" : "80") },
                    age]
        case ("rbac.authorization.k8s.io", "rolebindings"), ("rbac.authorization.k8s.io", "clusterrolebindings"):
            return [n, c("Role") { .string("\(Self.str($0[path: "roleRef", "kind"]))/\(Self.str($0[path: "roleRef", "name"]))") }, age]
        case ("policy", "poddisruptionbudgets"):
            return [n,
                    c("Min Available") { .string(Self.str($0[path: "spec", "minAvailable"]).isEmpty ? "N/A" : Self.str($0[path: "spec", "minAvailable"])) },
                    c("Max Unavailable") { .string(Self.str($0[path: "spec", "maxUnavailable"]).isEmpty ? "N/A" : Self.str($0[path: "spec", "maxUnavailable"])) },
                    c("Allowed Disruptions", "integer") { Self.int($0[path: "status", "disruptionsAllowed"]) },
                    age]
        case ("autoscaling", "horizontalpodautoscalers"):
            return [n,
                    c("Reference") { .string("\(Self.str($0[path: "spec", "scaleTargetRef", "kind"]))/\(Self.str($0[path: "spec", "scaleTargetRef", "name"]))") },
                    c("Targets") { _ in "<unknown>" },
                    c("MinPods", "integer") { .int($0[path: "spec", "minReplicas"]?.intValue ?? 1) },
                    c("MaxPods", "integer") { Self.int($0[path: "spec", "maxReplicas"]) },
                    c("Replicas", "integer") { Self.int($0[path: "status", "currentReplicas"]) },
                    age]
        case ("coordination.k8s.io", "leases"):
            return [n, c("Holder") { .string(Self.str($0[path: "spec", "holderIdentity"])) }, age]
        case ("storage.k8s.io", "storageclasses"):
            return [c("Name", "string") { o in .string(o.name + (o.annotations["storageclass.kubernetes.io/is-default-class"] == "true" ? " (default)" : "")) },
                    c("Provisioner") { .string(Self.str($0["provisioner"])) },
                    c("ReclaimPolicy") { .string(Self.str($0["reclaimPolicy"]).isEmpty ? "Delete" : Self.str($0["reclaimPolicy"])) },
                    c("VolumeBindingMode") { .string(Self.str($0["volumeBindingMode"]).isEmpty ? "Immediate" : Self.str($0["volumeBindingMode"])) },
                    c("AllowVolumeExpansion", "boolean") { .bool($0["allowVolumeExpansion"]?.boolValue ?? false) },
                    age]
        case ("scheduling.k8s.io", "priorityclasses"):
            return [n, c("Value", "integer") { Self.int($0["value"]) },
                    c("Global-Default", "boolean") { .bool($0["globalDefault"]?.boolValue ?? false) }, age,
                    c("PreemptionPolicy") { .string(Self.str($0["preemptionPolicy"]).isEmpty ? "PreemptLowerPriority" : Self.str($0["preemptionPolicy"])) }]
        case ("networking.k8s.io", "ingressclasses"):
            return [n, c("Controller") { .string(Self.str($0[path: "spec", "controller"])) },
                    c("Parameters") { o in o[path: "spec", "parameters"] == nil ? "<none>" : .string(Self.str(o[path: "spec", "parameters", "name"])) }, age]
        case ("networking.k8s.io", "networkpolicies"):
            return [n, c("Pod-Selector") { o in
                        let s = Self.selectorString(o[path: "spec", "podSelector"])
                        return .string(s == "<none>" ? "<none>" : s)
                    }, age]
        case ("admissionregistration.k8s.io", "mutatingwebhookconfigurations"), ("admissionregistration.k8s.io", "validatingwebhookconfigurations"):
            return [n, c("Webhooks", "integer") { .int(Int64($0["webhooks"]?.arrayValue?.count ?? 0)) }, age]
        case ("apps", "controllerrevisions"):
            return [n, c("Controller") { o in
                        guard let owner = o.ownerReferences.first(where: { $0["controller"]?.boolValue == true }) else { return "<none>" }
                        let group = ResourceRegistry.split(apiVersion: owner["apiVersion"]?.stringValue ?? "").group
                        return .string("\((owner["kind"]?.stringValue ?? "").lowercased())\(group.isEmpty ? "" : "." + group)/\(owner["name"]?.stringValue ?? "")")
                    },
                    c("Revision", "integer") { Self.int($0["revision"]) }, age]
        case ("", "persistentvolumes"):
            return [n,
                    c("Capacity") { .string(Self.str($0[path: "spec", "capacity", "storage"])) },
                    c("Access Modes") { .string(Self.accessModes($0[path: "spec", "accessModes"])) },
                    c("Reclaim Policy") { .string(Self.str($0[path: "spec", "persistentVolumeReclaimPolicy"])) },
                    c("Status") { .string(Self.str($0[path: "status", "phase"])) },
                    c("Claim") { o in
                        o[path: "spec", "claimRef"] == nil ? "" : .string("\(Self.str(o[path: "spec", "claimRef", "namespace"]))/\(Self.str(o[path: "spec", "claimRef", "name"]))")
                    },
                    c("StorageClass") { .string(Self.str($0[path: "spec", "storageClassName"])) },
                    c("VolumeAttributesClass") { o in .string(Self.str(o[path: "spec", "volumeAttributesClassName"]).isEmpty ? "<unset>" : Self.str(o[path: "spec", "volumeAttributesClassName"])) },
                    c("Reason") { .string(Self.str($0[path: "status", "reason"])) },
                    age]
        case ("apiextensions.k8s.io", "customresourcedefinitions"), ("rbac.authorization.k8s.io", _), ("storage.k8s.io", _),
             ("scheduling.k8s.io", _), ("admissionregistration.k8s.io", _),
             ("apiregistration.k8s.io", _), ("", "limitranges"), ("", "resourcequotas"):
            return [n, Column(name: "Created At", type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
                              cell: { $0[path: "metadata", "creationTimestamp"] ?? .null })]
        default:
            return [n, age]
        }
    }

    /// The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[?(@.k=="v")].b`.
    static func jsonPath(_ object: Value, _ path: String) -> Value? {
        var current: Value? = object
        var rest = Substring(path.hasPrefix("{") ? String(path.dropFirst().dropLast()) : path)
        while !rest.isEmpty, let value = current {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(name.count)
                current = value[String(name)]
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if let index = Int(inner) {
                    current = value.arrayValue.flatMap { index < $0.count ? $0[index] : nil }
                } else if inner.hasPrefix("?(@."), let eq = inner.range(of: "==") {
                    let key = inner[inner.index(inner.startIndex, offsetBy: 4)..<eq.lowerBound]
                    let wanted = inner[eq.upperBound...].dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                    current = value.arrayValue?.first { str($0[String(key)]) == wanted }
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        return current
    }

    static func containers(_ o: Value, _ key: KeyPath<(name: String, image: String), String>) -> Value {
        let list = (o[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []).map {
            (name: $0["name"]?.stringValue ?? "", image: $0["image"]?.stringValue ?? "")
        }
        return .string(list.map { $0[keyPath: key] }.joined(separator: ","))
    }

    static func selectorString(_ selector: Value?) -> String {
        guard let selector else { return "<none>" }
        var parts: [String] = []
        let labels = selector["matchLabels"]?.objectValue ?? [:]
        for key in labels.keys.sorted() { parts.append("\(key)=\(str(labels[key]))") }
        for e in selector["matchExpressions"]?.arrayValue ?? [] {
            let values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            switch e["operator"]?.stringValue {
            case "In": parts.append("\(str(e["key"])) in (\(values))")
            case "NotIn": parts.append("\(str(e["key"])) notin (\(values))")
            case "Exists": parts.append(str(e["key"]))
            case "DoesNotExist": parts.append("!\(str(e["key"]))")
            default: break
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    static func accessModes(_ v: Value?) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        return (v?.arrayValue ?? []).compactMap { $0.stringValue.map { short[$0] ?? $0 } }.joined(separator: ",")
    }
}
