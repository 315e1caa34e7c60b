/// The one error type of the Bundles module: registry, repository, archive and dependency failures.
/// Messages name the reference, URL or file involved, phrased like Helm's where Helm has one.
public struct BundlesError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    func wrapped(_ context: String) -> BundlesError { BundlesError(context + ": " + message) }
}
