import Structured

/// One served resource (a group/version/plural) as discovery describes it.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String
    public var plural: String
    public var singular: String
    public var shortNames: [String]
    public var namespaced: Bool
    public var verbs: [String]
    /// Subresource names: "status", "scale", "log", ...
    public var subresources: [String]
    public var categories: [String]
    /// Created from a CustomResourceDefinition (stored and served as unstructured).
    public var isCustom: Bool
    /// A CRD version's additionalPrinterColumns (empty: the default Age column).
    public var printerColumns: [PrinterColumn] = []
    /// A CRD version's `schema.openAPIV3Schema` (published under /openapi and used for field validation).
    public var schema: Value?

    public init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        shortNames: [String] = [], namespaced: Bool = true, verbs: [String] = ResourceType.allVerbs,
        subresources: [String] = [], categories: [String] = [], isCustom: Bool = false
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.verbs = verbs
        self.subresources = subresources
        self.categories = categories
        self.isCustom = isCustom
    }

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// "apps/v1" or "v1" for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var listKind: String { kind + "List" }
    /// Storage identity: versions of one group/resource share objects.
    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    public var hasStatus: Bool { subresources.contains("status") }
    public var hasScale: Bool { subresources.contains("scale") }
    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }
}

/// A resource independent of version, the key objects are stored under ("deployments.apps").
public struct GroupResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// One of a CRD's `additionalPrinterColumns`.
public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    public var priority: Int
    public var jsonPath: String
    public init(name: String, type: String, format: String = "", description: String = "", priority: Int = 0, jsonPath: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.jsonPath = jsonPath
    }
}
