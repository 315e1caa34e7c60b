import Structured

/// Who a state or error is about: `Deployment/backend (namespace: prod)`.
public struct ResourceID: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String?, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// Identity of a live or manifest object.
    public init(_ object: Value) {
        self.init(
            apiVersion: object["apiVersion"]?.stringValue ?? "",
            kind: object["kind"]?.stringValue ?? "",
            namespace: object[path: "metadata", "namespace"]?.stringValue,
            name: object[path: "metadata", "name"]?.stringValue ?? "")
    }

    /// API group ("" for the core group).
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    public var description: String {
        if let namespace, !namespace.isEmpty { return "\(kind)/\(name) (namespace: \(namespace))" }
        return "\(kind)/\(name)"
    }
}
