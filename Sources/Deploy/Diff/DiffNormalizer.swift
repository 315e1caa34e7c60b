import Structured

/// Strips what the API server writes on its own, so a diff shows only what the chart controls.
public enum DiffNormalizer {
    /// Metadata fields owned by the server.
    public static let serverMetadataFields = [
        "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink",
    ]
    /// Annotations written by clients or controllers, not by charts.
    public static let noiseAnnotations = [
        "kubectl.kubernetes.io/last-applied-configuration",
        "deployment.kubernetes.io/revision",
    ]

    /// `object` without server-managed metadata, noise annotations (an emptied `annotations` map
    /// goes too) and, unless `keepStatus` (the chart itself sets `status`), without `status`.
    public static func normalize(_ object: Value, keepStatus: Bool = false) -> Value {
        guard case .object(var fields) = object else { return object }
        if !keepStatus { fields.removeValue(forKey: "status") }
        if case .object(var metadata)? = fields["metadata"] {
            for field in serverMetadataFields { metadata.removeValue(forKey: field) }
            if case .object(var annotations)? = metadata["annotations"] {
                for key in noiseAnnotations { annotations.removeValue(forKey: key) }
                metadata["annotations"] = annotations.isEmpty ? nil : .object(annotations)
            }
            fields["metadata"] = .object(metadata)
        }
        return .object(fields)
    }

    /// `live` reduced to the fields `desired` sets (objects key by key, lists item by item; extra
    /// list items stay). For a recreate or a blind apply the desired side is the bare manifest, and
    /// without this every field the server defaulted would show as removed.
    public static func project(_ live: Value, onto desired: Value) -> Value {
        switch (live, desired) {
        case (.object(let fields), .object(let wanted)):
            var kept = fields
            for key in fields.keys where wanted[key] == nil { kept.removeValue(forKey: key) }
            for (key, value) in kept { kept[key] = project(value, onto: wanted[key]!) }
            return .object(kept)
        case (.array(let items), .array(let wanted)):
            return .array(items.enumerated().map { index, item in index < wanted.count ? project(item, onto: wanted[index]) : item })
        default:
            return live
        }
    }

    /// True when the two objects differ only in what `normalize` strips: a dry-run result equal to
    /// the live object in this sense means the apply would change nothing the chart controls.
    public static func isSignificantlyEqual(_ live: Value, _ dryRun: Value, keepStatus: Bool = false) -> Bool {
        normalize(live, keepStatus: keepStatus) == normalize(dryRun, keepStatus: keepStatus)
    }
}
