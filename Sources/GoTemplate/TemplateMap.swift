import Synchronization

/// A Go `map[string]interface{}`: a reference, as Go maps are. Every variable, field and list
/// element holding a map shares it, so Sprig's `set`, `unset` and `merge` change it for all of
/// them (bitnami's `common` relies on this), and `set .Values "x" 1` is seen by later templates.
///
/// Like a Go map it is not safe to mutate from several threads: a map belongs to one render.
/// Data shared by concurrent executions must not be mutated by their templates.
public final class TemplateMap: @unchecked Sendable, Sequence, ExpressibleByDictionaryLiteral {
    // Unchecked: a map belongs to one render (see above), and the checks cost every field read.
    @exclusivity(unchecked) public var entries: [String: TemplateValue] { didSet { sortedCache.withLock { $0 = nil } } }
    /// The entries in Go's key order, kept until the next change: charts range over the same
    /// values maps once per template. Behind a lock: ranging is a read, and renders that only
    /// read may share a map across threads.
    /// Go type name when the map has a named type (Helm's `.Values` is `common.Values`), for `%T`;
    /// nil for a plain `map[string]interface {}`. Copies are plain maps.
    public var goTypeName: String?
    private let sortedCache = Mutex<[(key: String, value: TemplateValue)]?>(nil)

    public init(_ entries: [String: TemplateValue] = [:]) { self.entries = entries }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        entries = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    @inline(__always)
    public subscript(key: String) -> TemplateValue? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    public var keys: Dictionary<String, TemplateValue>.Keys { entries.keys }
    public var values: Dictionary<String, TemplateValue>.Values { entries.values }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> Dictionary<String, TemplateValue>.Iterator { entries.makeIterator() }

    /// The entries sorted bytewise by key (Go's `fmtsort` order for strings), as a snapshot.
    public func sortedEntries() -> [(key: String, value: TemplateValue)] {
        if let cached = sortedCache.withLock({ $0 }) { return cached }
        let sorted = entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        sortedCache.withLock { $0 = sorted }
        return sorted
    }

    /// A new map with the same entries (nested maps stay shared), like Go's `maps.Clone`.
    public func copy() -> TemplateMap { TemplateMap(entries) }

    /// A copy sharing nothing mutable with this map (Sprig's `deepCopy`).
    public func deepCopy() -> TemplateMap {
        TemplateMap(entries.mapValues { $0.deepCopy() })
    }
}

extension TemplateValue {
    /// A new Go map holding `entries`.
    public static func map(_ entries: [String: TemplateValue]) -> TemplateValue { .map(TemplateMap(entries)) }

    /// The value with every map inside it copied (copystructure.Copy, as Sprig's `deepCopy`).
    public func deepCopy() -> TemplateValue {
        switch self {
        case .map(let m): return .map(m.deepCopy())
        case .list(let l): return .list(l.map { $0.deepCopy() })
        default: return self
        }
    }
}
