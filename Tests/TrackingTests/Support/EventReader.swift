import Structured
@testable import Tracking

/// Reads a session stream step by step, keeping everything seen.
struct EventReader {
    var iterator: AsyncThrowingStream<TrackingEvent, any Error>.AsyncIterator
    var seen = Collected()

    init(_ stream: AsyncThrowingStream<TrackingEvent, any Error>) { iterator = stream.makeAsyncIterator() }

    /// The next event matching `predicate` (nil when the stream ended first).
    @discardableResult
    mutating func next(where predicate: (TrackingEvent) -> Bool) async throws -> TrackingEvent? {
        while let e = try await iterator.next() {
            seen.events.append(e)
            if predicate(e) { return e }
        }
        return nil
    }

    /// The next state of `name`.
    mutating func state(_ name: String, where predicate: (ResourceState) -> Bool = { _ in true }) async throws -> ResourceState? {
        let e = try await next { if case .state(let id, let s) = $0 { return id.name == name && predicate(s) } else { return false } }
        if case .state(_, let s)? = e { return s }
        return nil
    }

    /// Everything up to the end of the stream.
    mutating func rest() async throws -> Collected {
        while let e = try await iterator.next() { seen.events.append(e) }
        return seen
    }
}

/// Requests that block whatever their `werf.io/track-termination-mode` (what most tests track).
func blocking(_ objects: Value...) -> [TrackingRequest] {
    objects.map { TrackingRequest($0, terminationMode: .waitUntilResourceReady) }
}
