/// The one error type of the Charts module. `message` is already phrased the way Helm phrases it,
/// so the CLI can print `Error: <message>` and match `helm template`.
public struct ChartsError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// Prefix the message with context, as Go's `fmt.Errorf("ctx: %w", err)` does.
    func wrapped(_ context: String) -> ChartsError { ChartsError(context + ": " + message) }
}
