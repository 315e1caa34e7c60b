import Structured

/// Keeps secrets out of diffs (and so out of CI logs).
///
/// - A resource annotated `werf.io/sensitive: "true"` is hidden whole: the diff says whether it
///   changed, nothing more.
/// - A core Secret's `data` and `stringData` values are replaced pairwise, as kubectl diff does:
///   `***` when both sides agree, `*** (before)` / `*** (after)` when the value changed, so neither
///   the value nor its length shows. `werf.io/sensitive: "false"` on a Secret opts out.
public enum SensitiveRedactor {
    public static let annotation = "werf.io/sensitive"
    static let hidden: Value = "***"
    static let hiddenBefore: Value = "*** (before)"
    static let hiddenAfter: Value = "*** (after)"

    /// The annotation's value on `object` (nil when absent or not a boolean).
    static func annotatedSensitive(_ object: Value?) -> Bool? {
        guard let text = object?[path: "metadata", "annotations", annotation]?.stringValue else { return nil }
        return ResourceMetadata.parseBool(text)
    }

    /// Whether either side asks for the whole resource to be hidden.
    public static func isWhollySensitive(live: Value?, desired: Value?) -> Bool {
        return annotatedSensitive(desired) == true || annotatedSensitive(live) == true
    }

    static func isSecret(_ object: Value?) -> Bool {
        object?["kind"]?.stringValue == "Secret" && object?["apiVersion"]?.stringValue == "v1"
    }

    /// Replaces Secret values on both sides (pairwise, so a changed value still shows as changed).
    public static func redactSecretData(live: inout Value?, desired: inout Value?) {
        guard isSecret(desired ?? live) else { return }
        if annotatedSensitive(desired ?? live) == false { return }
        for field in ["data", "stringData"] {
            let before = live?[field]?.objectValue
            let after = desired?[field]?.objectValue
            if var before {
                for key in before.keys {
                    let changed = after.map { $0[key] != nil && $0[key] != before[key] } ?? false
                    before[key] = changed ? hiddenBefore : hidden
                }
                live?[field] = .object(before)
            }
            if var after {
                for key in after.keys {
                    let old = before?[key]
                    let changed = old != nil && old != after[key]
                    after[key] = changed ? hiddenAfter : hidden
                }
                desired?[field] = .object(after)
            }
        }
    }
}
