import Structured

/// A `metav1.Status`: what the API server returns for failures (and some deletes).
public struct APIStatus: Sendable, Hashable {
    public struct Cause: Sendable, Hashable {
        public var reason: String
        public var message: String
        public var field: String
    }

    public var status: String
    public var message: String
    public var reason: String
    public var code: Int
    public var name: String
    public var group: String
    public var kind: String
    public var uid: String
    public var causes: [Cause]
    public var retryAfterSeconds: Int?

    public init(
        status: String = "Failure", message: String, reason: String, code: Int,
        name: String = "", group: String = "", kind: String = "", causes: [Cause] = [], retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = ""
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Decode a Status object; nil when `value` is not one (client-go's rule: `status` must be set).
    public init?(_ value: Value) {
        guard value["kind"]?.stringValue == "Status" || value["status"]?.stringValue != nil,
            let status = value["status"]?.stringValue, !status.isEmpty
        else { return nil }
        self.status = status
        message = value["message"]?.stringValue ?? ""
        reason = value["reason"]?.stringValue ?? ""
        code = Int(value["code"]?.intValue ?? 0)
        let details = value["details"]
        name = details?["name"]?.stringValue ?? ""
        group = details?["group"]?.stringValue ?? ""
        kind = details?["kind"]?.stringValue ?? ""
        uid = details?["uid"]?.stringValue ?? ""
        causes = (details?["causes"]?.arrayValue ?? []).map {
            Cause(
                reason: $0["reason"]?.stringValue ?? "", message: $0["message"]?.stringValue ?? "",
                field: $0["field"]?.stringValue ?? "")
        }
        retryAfterSeconds = details?["retryAfterSeconds"]?.intValue.map(Int.init)
    }

    /// The error client-go builds when a failed response carries no Status
    /// (`NewGenericServerResponse`): a fixed message per code, then `(verb resource name)`.
    static func generic(
        code: Int, method: String, resource: String, group: String, name: String, serverMessage: String
    ) -> APIStatus {
        var reason = "Unknown"
        var message = "the server responded with the status code \(code) but did not return more information"
        switch code {
        case 409:
            reason = method == "POST" ? "AlreadyExists" : "Conflict"
            message = "the server reported a conflict"
        case 404:
            reason = "NotFound"
            message = "the server could not find the requested resource"
        case 400:
            reason = "BadRequest"
            message = "the server rejected our request for an unknown reason"
        case 401:
            reason = "Unauthorized"
            message = "the server has asked for the client to provide credentials"
        case 403:
            reason = "Forbidden"
            message = serverMessage
        case 405:
            reason = "MethodNotAllowed"
            message = "the server does not allow this method on the requested resource"
        case 410:
            reason = "Gone"
            message = serverMessage.isEmpty || serverMessage == "unknown" ? "the resource is gone" : serverMessage
        case 415:
            reason = "UnsupportedMediaType"
            message = serverMessage
        case 422:
            reason = "Invalid"
            message = "the server rejected our request due to an error in our request"
        case 429:
            reason = "TooManyRequests"
            message = "the server has received too many requests and has asked us to try again later"
        case 503:
            reason = "ServiceUnavailable"
            message = "the server is currently unable to handle the request"
        case 504:
            reason = "Timeout"
            message = "the server was unable to return a response in the time allotted, but may still be processing the request"
        default:
            if code >= 500 {
                reason = "InternalError"
                message = "an error on the server (\(goQuote(serverMessage))) has prevented the request from succeeding"
            }
        }
        if !resource.isEmpty {
            let qualified = group.isEmpty ? resource : resource + "." + group
            message += name.isEmpty ? " (\(method.lowercased()) \(qualified))" : " (\(method.lowercased()) \(qualified) \(name))"
        }
        return APIStatus(message: message, reason: reason, code: code, name: name, group: group, kind: resource)
    }
}


extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
