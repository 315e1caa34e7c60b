import Structured

extension ResourceHandler {
    /// Unknown fields of a written object under the request's `fieldValidation`: Strict rejects
    /// them (400, the API server's strict decoding message), Warn (the default) returns them for
    /// `Warning` headers, Ignore drops them silently. Either way they are not stored. Subresource writes are not checked.
    func checkFields(_ object: inout Value) throws(APIError) -> [String] {
        let mode = request.query["fieldValidation"] ?? "Warn"
        guard route.subresource == nil, let validator = FieldValidator(type: type) else { return [] }
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
