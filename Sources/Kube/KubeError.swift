import Structured

/// The one error type of the Kube module.
///
/// `description` is what a user should read: API failures print the server's `Status` message
/// exactly as kubectl does (`configmaps "x" not found`); transport failures name the server and
/// the kubeconfig context; kubeconfig failures name the file and the field.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The kubeconfig (or in-cluster config) could not be loaded or is inconsistent.
        case config
        /// Reading certificates, keys or token files, or building the TLS context failed.
        case credentials
        /// An exec credential plugin failed or printed something unusable.
        case execPlugin
        /// The server could not be reached, or TLS / the connection failed.
        case transport
        /// The API server answered with a failure `Status` (see `status`).
        case api
        /// The server's answer could not be understood (bad JSON, missing fields).
        case decoding
        /// A kind is not served by the cluster (discovery found no resource for it).
        case unknownKind
        /// The caller asked for something impossible (bad object, missing name).
        case invalidRequest
        /// A request took longer than its timeout.
        case timeout
    }

    public var kind: Kind
    public var message: String
    /// The decoded API `Status` for `.api` failures.
    public var status: APIStatus?

    public init(_ kind: Kind, _ message: String, status: APIStatus? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
    }

    public var description: String { message }

    /// HTTP code of an API failure (404, 409, 422...), nil for other failures.
    public var code: Int? { status?.code }
    /// `Status.reason` of an API failure (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`...).
    public var reason: String? { status?.reason }

    public var isNotFound: Bool { status?.reason == "NotFound" || (status?.reason.isEmpty == true && code == 404) }
    public var isAlreadyExists: Bool { status?.reason == "AlreadyExists" }
    public var isConflict: Bool { status?.reason == "Conflict" || (status?.reason.isEmpty == true && code == 409) }
    public var isInvalid: Bool { status?.reason == "Invalid" || code == 422 }
    public var isGone: Bool { status?.reason == "Gone" || status?.reason == "Expired" || code == 410 }
    public var isUnauthorized: Bool { code == 401 }
    public var isForbidden: Bool { code == 403 }
    public var isTooManyRequests: Bool { code == 429 }

    /// The line kubectl prints for this error (`Error from server (NotFound): ...`).
    public var kubectlLine: String {
        guard kind == .api, let status else { return "error: " + message }
        if status.code == 401 { return "error: You must be logged in to the server (\(message))" }
        let reason = status.reason.isEmpty ? "" : " (\(status.reason))"
        return "Error from server\(reason): \(message)"
    }
}
