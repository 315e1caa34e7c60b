import Structured

/// The one error type of KubeSim: a Kubernetes `Status` failure (code, reason, message, details),
/// which the server writes verbatim as the response body.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public struct Cause: Sendable, Hashable {
        public var type: String
        public var message: String
        public var field: String
        public init(type: String, message: String, field: String) {
            self.type = type
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: String
    public var message: String
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [Cause]
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String, message: String, name: String? = nil, group: String? = nil,
                kind: String? = nil, causes: [Cause] = [], retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code) \(reason): \(message)" }

    // Constructors worded exactly as the API server words them.

    public static func notFound(_ resource: GroupResource, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                 name: name, group: resource.group, kind: resource.resource)
    }

    public static func alreadyExists(_ resource: GroupResource, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                 name: name, group: resource.group, kind: resource.resource)
    }

    public static func conflict(_ resource: GroupResource, _ name: String, _ detail: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(detail)",
                 name: name, group: resource.group, kind: resource.resource)
    }

    public static func staleVersion(_ resource: GroupResource, _ name: String) -> APIError {
        conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again")
    }

    public static func invalid(kind: String, group: String, name: String, _ causes: [Cause]) -> APIError {
        let list = causes.map { "\($0.field): \($0.message)" }
        let joined = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return APIError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(joined)",
                        name: name, group: group, kind: kind, causes: causes)
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    public static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource") -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    public static func notFoundPath() -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    public static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
    }

    /// The `Status` object of this failure.
    public var status: Value {
        var status: Value = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]),
            "status": "Failure", "message": .string(message),
        ]
        if !reason.isEmpty { status["reason"] = .string(reason) }  // omitempty, as errors without a reason (500) print
        var details: Value = .object([:])
        if let name { details["name"] = .string(name) }
        if let group, !group.isEmpty { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map { ["reason": .string($0.type), "message": .string($0.message), "field": .string($0.field)] })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        if details.objectValue?.isEmpty == false { status["details"] = details }
        status["code"] = .int(Int64(code))
        return status
    }
}
