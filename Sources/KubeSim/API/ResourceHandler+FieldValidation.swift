import Structured

extension ResourceHandler {
    /// Unknown fields of a written object under the request's `fieldValidation`: Strict rejects
    /// them (400, the API server's strict decoding message), Warn (the default) returns them for
    /// `Warning` headers, Ignore drops them silently. Either way they are not stored. Subresource writes are not checked.
    func checkFields(_ object: inout Value) throws(APIError) -> [String] {
        let mode = request.query["fieldValidation"] ?? "Warn"
        guard route.subresource == nil, let validator = FieldValidator(type: type), !validator.declaresAll(object) else { return [] }
        let (pruned, paths) = validator.prune(object)
        guard !paths.isEmpty else { return [] }
        let unknown = paths.map { "unknown field \"\($0)\"" }
        if mode == "Strict" {
            throw APIError.badRequest("\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict decoding error: "
                                      + unknown.joined(separator: ", "))
        }
        object = pruned  // as the server drops unknown fields it does not reject
        return mode == "Ignore" ? [] : unknown
    }
}

extension ResourceHandler {
    /// Server-side apply converts the applied configuration to its schema type before merging, and
    /// a field the schema does not declare fails that conversion whatever `fieldValidation` says.
    /// Kubernetes 1.35 reports it as a plain error, so the client sees 500 with no reason
    /// (kubernetes/kubernetes#122480, #139253): `failed to create typed patch object
    /// (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema`; several
    /// fields come as `errors:` and one indented line each. Custom resources the same way against
    /// their CRD's openAPIV3Schema (fields under `x-kubernetes-preserve-unknown-fields` or
    /// `additionalProperties` are declared; metadata is ObjectMeta).
    func checkAppliedFields(_ applied: Value, name: String) throws(APIError) {
        guard let validator = FieldValidator(type: type) else { return }
        let paths = validator.undeclaredFieldsForApply(applied, kind: type.kind)
        guard !paths.isEmpty else { return }
        let errors = paths.map { "\($0): field not declared in schema" }
        let detail = errors.count == 1 ? errors[0] : (["errors:"] + errors.map { "  " + $0 }).joined(separator: "\n")
        let namespace = applied[path: "metadata", "namespace"]?.stringValue ?? ""
        let objectName = applied.name.isEmpty ? name : applied.name
        let gvk = "\(type.group)/\(type.version), Kind=\(type.kind)"
        throw APIError(code: 500, reason: "", message: "failed to create typed patch object (\(namespace)/\(objectName); \(gvk)): \(detail)")
    }
}
