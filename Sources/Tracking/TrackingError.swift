/// The one error type of the Tracking module. Messages name the resource and what to fix.
public struct TrackingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func badAnnotation(_ resource: ResourceID, _ key: String, _ value: String, expected: String) -> TrackingError {
        TrackingError("invalid annotation \(key)=\"\(value)\" on \(resource): expected \(expected)")
    }
}
