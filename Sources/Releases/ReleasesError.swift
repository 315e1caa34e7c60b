/// The one error type of the Releases module.
///
/// Messages name the release (and the Secret/ConfigMap holding it when one is involved) so that a
/// user can find the record with kubectl.
public struct ReleasesError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No such release or revision.
        case notFound
        /// A record with this key already exists.
        case alreadyExists
        /// A stored record could not be decoded (bad base64, gzip, JSON, or unknown status).
        case corrupt
        /// Another deploy holds the release.
        case locked
        /// A storage backend (the API server) failed.
        case storage
        /// Bad input from the caller (release name, driver name, flags).
        case invalid
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
