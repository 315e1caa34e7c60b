import Structured

/// The schemas kubesim publishes for built-in kinds: enough for `kubectl explain` and for the
/// server's strict field validation (`fieldValidation=Strict|Warn`). Each modelled type lists every
/// field the 1.35 API has; deep types not modelled here are `.open` (any content accepted, shown as
/// `<Object>`), so validation never rejects a real field. Kinds without an entry keep an open schema.
indirect enum FieldType: Sendable {
    case string, int32, int64, bool, number, quantity, time, intOrString, bytes
    case ref(String)
    case array(FieldType)
    case map(FieldType)
    /// An object whose fields kubesim does not model: anything goes.
    case open
}

struct FieldSpec: Sendable {
    var name: String
    var type: FieldType
    var description: String
}

struct TypeSchema: Sendable {
    var name: String
    var description: String
    var fields: [FieldSpec]
    var required: [String] = []
    /// group, version, kind of a top-level kind.
    var gvk: (String, String, String)?

    func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

enum SchemaCatalog {
    static let meta = "io.k8s.apimachinery.pkg.apis.meta.v1."
    static let core = "io.k8s.api.core.v1."
    static let apps = "io.k8s.api.apps.v1."

    static let apiVersionDoc = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
    static let kindDoc = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
    static let metadataDoc = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    static func f(_ name: String, _ type: FieldType, _ description: String = "") -> FieldSpec {
        FieldSpec(name: name, type: type, description: description)
    }

    /// apiVersion, kind, metadata, then the kind's own fields.
    static func kind(_ group: String, _ version: String, _ kind: String, name: String, _ description: String, _ fields: [FieldSpec]) -> TypeSchema {
        TypeSchema(name: name, description: description,
                   fields: [f("apiVersion", .string, apiVersionDoc), f("kind", .string, kindDoc),
                            f("metadata", .ref(meta + "ObjectMeta"), metadataDoc)] + fields,
                   gvk: (group, version, kind))
    }

    static let types: [String: TypeSchema] = {
        var all: [TypeSchema] = [
            TypeSchema(name: meta + "ObjectMeta", description: "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.", fields: [
                f("annotations", .map(.string), "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations"),
                f("creationTimestamp", .time), f("deletionGracePeriodSeconds", .int64), f("deletionTimestamp", .time),
                f("finalizers", .array(.string)), f("generateName", .string), f("generation", .int64),
                f("labels", .map(.string), "Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels"),
                f("managedFields", .array(.open)),
                f("name", .string, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
                f("namespace", .string), f("ownerReferences", .array(.open)), f("resourceVersion", .string),
                f("selfLink", .string), f("uid", .string),
            ]),
            TypeSchema(name: meta + "LabelSelector", description: "A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.", fields: [
                f("matchExpressions", .array(.ref(meta + "LabelSelectorRequirement")), "matchExpressions is a list of label selector requirements. The requirements are ANDed."),
                f("matchLabels", .map(.string), "matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is \"key\", the operator is \"In\", and the values array contains only \"value\". The requirements are ANDed."),
            ]),
            TypeSchema(name: meta + "LabelSelectorRequirement", description: "A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.", fields: [
                f("key", .string), f("operator", .string), f("values", .array(.string)),
            ], required: ["key", "operator"]),
            kind("apps", "v1", "Deployment", name: apps + "Deployment", "Deployment enables declarative updates for Pods and ReplicaSets.", [
                f("spec", .ref(apps + "DeploymentSpec"), "Specification of the desired behavior of the Deployment."),
                f("status", .open, "Most recently observed status of the Deployment."),
            ]),
            TypeSchema(name: apps + "DeploymentSpec", description: "DeploymentSpec is the specification of the desired behavior of the Deployment.", fields: [
                f("minReadySeconds", .int32, "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)"),
                f("paused", .bool, "Indicates that the deployment is paused."),
                f("progressDeadlineSeconds", .int32, "The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s."),
                f("replicas", .int32, "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."),
                f("revisionHistoryLimit", .int32, "The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10."),
                f("selector", .ref(meta + "LabelSelector"), "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
                f("strategy", .ref(apps + "DeploymentStrategy"), "The deployment strategy to use to replace existing pods with new ones."),
                f("template", .ref(core + "PodTemplateSpec"), "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\"."),
            ], required: ["selector", "template"]),
            TypeSchema(name: apps + "DeploymentStrategy", description: "DeploymentStrategy describes how to replace existing pods with new ones.", fields: [
                f("rollingUpdate", .ref(apps + "RollingUpdateDeployment"), "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."),
                f("type", .string, "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate."),
            ]),
            TypeSchema(name: apps + "RollingUpdateDeployment", description: "Spec to control the desired behavior of rolling update.", fields: [
                f("maxSurge", .intOrString), f("maxUnavailable", .intOrString),
            ]),
            TypeSchema(name: core + "PodTemplateSpec", description: "PodTemplateSpec describes the data a pod should have when created from a template", fields: [
                f("metadata", .ref(meta + "ObjectMeta"), metadataDoc),
                f("spec", .ref(core + "PodSpec"), "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            ]),
            kind("", "v1", "Pod", name: core + "Pod", "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.", [
                f("spec", .ref(core + "PodSpec"), "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
                f("status", .open, "Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            ]),
            TypeSchema(name: core + "PodSpec", description: "PodSpec is a description of a pod.", fields: [
                f("activeDeadlineSeconds", .int64), f("affinity", .open), f("automountServiceAccountToken", .bool),
                f("containers", .array(.ref(core + "Container")), "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated."),
                f("dnsConfig", .open), f("dnsPolicy", .string), f("enableServiceLinks", .bool), f("ephemeralContainers", .array(.open)),
                f("hostAliases", .array(.open)), f("hostIPC", .bool), f("hostNetwork", .bool), f("hostPID", .bool), f("hostUsers", .bool),
                f("hostname", .string), f("hostnameOverride", .string), f("imagePullSecrets", .array(.open)),
                f("initContainers", .array(.ref(core + "Container"))), f("nodeName", .string), f("nodeSelector", .map(.string)),
                f("os", .open), f("overhead", .map(.quantity)), f("preemptionPolicy", .string), f("priority", .int32),
                f("priorityClassName", .string), f("readinessGates", .array(.open)), f("resourceClaims", .array(.open)),
                f("resources", .open), f("restartPolicy", .string), f("runtimeClassName", .string), f("schedulerName", .string),
                f("schedulingGates", .array(.open)), f("securityContext", .open), f("serviceAccount", .string),
                f("serviceAccountName", .string), f("setHostnameAsFQDN", .bool), f("shareProcessNamespace", .bool),
                f("subdomain", .string), f("terminationGracePeriodSeconds", .int64), f("tolerations", .array(.open)),
                f("topologySpreadConstraints", .array(.open)), f("volumes", .array(.open)), f("workloadRef", .open),
            ], required: ["containers"]),
            TypeSchema(name: core + "Container", description: "A single application container that you want to run within a pod.", fields: [
                f("args", .array(.string)), f("command", .array(.string)), f("env", .array(.ref(core + "EnvVar"))),
                f("envFrom", .array(.open)),
                f("image", .string, "Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets."),
                f("imagePullPolicy", .string), f("lifecycle", .open), f("livenessProbe", .open),
                f("name", .string, "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated."),
                f("ports", .array(.ref(core + "ContainerPort"))), f("readinessProbe", .open), f("resizePolicy", .array(.open)),
                f("resources", .open), f("restartPolicy", .string), f("restartPolicyRules", .array(.open)),
                f("securityContext", .open), f("startupProbe", .open), f("stdin", .bool), f("stdinOnce", .bool),
                f("terminationMessagePath", .string), f("terminationMessagePolicy", .string), f("tty", .bool),
                f("volumeDevices", .array(.open)), f("volumeMounts", .array(.open)), f("workingDir", .string),
            ], required: ["name"]),
            TypeSchema(name: core + "ContainerPort", description: "ContainerPort represents a network port in a single container.", fields: [
                f("containerPort", .int32), f("hostIP", .string), f("hostPort", .int32), f("name", .string), f("protocol", .string),
            ], required: ["containerPort"]),
            TypeSchema(name: core + "EnvVar", description: "EnvVar represents an environment variable present in a Container.", fields: [
                f("name", .string), f("value", .string), f("valueFrom", .open),
            ], required: ["name"]),
            kind("", "v1", "ConfigMap", name: core + "ConfigMap", "ConfigMap holds configuration data for pods to consume.", [
                f("binaryData", .map(.bytes), "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet."),
                f("data", .map(.string), "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
                f("immutable", .bool, "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil."),
            ]),
            kind("", "v1", "Secret", name: core + "Secret", "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.", [
                f("data", .map(.bytes)), f("immutable", .bool), f("stringData", .map(.string)), f("type", .string),
            ]),
            kind("", "v1", "ServiceAccount", name: core + "ServiceAccount", "ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets", [
                f("automountServiceAccountToken", .bool), f("imagePullSecrets", .array(.open)), f("secrets", .array(.open)),
            ]),
            kind("", "v1", "Namespace", name: core + "Namespace", "Namespace provides a scope for Names. Use of multiple namespaces is optional.", [
                f("spec", .open), f("status", .open),
            ]),
            kind("", "v1", "Service", name: core + "Service", "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.", [
                f("spec", .ref(core + "ServiceSpec"), "Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
                f("status", .open),
            ]),
            TypeSchema(name: core + "ServiceSpec", description: "ServiceSpec describes the attributes that a user creates on a service.", fields: [
                f("allocateLoadBalancerNodePorts", .bool), f("clusterIP", .string), f("clusterIPs", .array(.string)),
                f("externalIPs", .array(.string)), f("externalName", .string), f("externalTrafficPolicy", .string),
                f("healthCheckNodePort", .int32), f("internalTrafficPolicy", .string), f("ipFamilies", .array(.string)),
                f("ipFamilyPolicy", .string), f("loadBalancerClass", .string), f("loadBalancerIP", .string),
                f("loadBalancerSourceRanges", .array(.string)), f("ports", .array(.ref(core + "ServicePort"))),
                f("publishNotReadyAddresses", .bool), f("selector", .map(.string)), f("sessionAffinity", .string),
                f("sessionAffinityConfig", .open), f("trafficDistribution", .string), f("type", .string),
            ]),
            TypeSchema(name: core + "ServicePort", description: "ServicePort contains information on service's port.", fields: [
                f("appProtocol", .string), f("name", .string), f("nodePort", .int32), f("port", .int32), f("protocol", .string),
                f("targetPort", .intOrString),
            ], required: ["port"]),
        ]
        all.sort { $0.name < $1.name }
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }()

    /// The modelled schema of a built-in kind, nil when kubesim publishes it open.
    static func schema(group: String, version: String, kind: String) -> TypeSchema? {
        byKind[group + "/" + version + "/" + kind]
    }

    private static let byKind: [String: TypeSchema] = Dictionary(uniqueKeysWithValues: types.values.compactMap { t in
        t.gvk.map { ("\($0.0)/\($0.1)/\($0.2)", t) }
    })
}
