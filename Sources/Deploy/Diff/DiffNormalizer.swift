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

    /// True when the two objects differ only in what `normalize` strips: a dry-run result equal to
    /// the live object in this sense means the apply would change nothing the chart controls.
    public static func isSignificantlyEqual(_ live: Value, _ dryRun: Value, keepStatus: Bool = false) -> Bool {
        normalize(live, keepStatus: keepStatus) == normalize(dryRun, keepStatus: keepStatus)
    }
}
