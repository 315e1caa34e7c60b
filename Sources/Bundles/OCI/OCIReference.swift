/// A registry reference: `oci://HOST[:PORT]/PATH/NAME[:TAG][@DIGEST]` (the `oci://` optional).
public struct OCIReference: Sendable, Hashable, CustomStringConvertible {
    public var registry: String
    public var repository: String
    public var tag: String?
    public var digest: String?

    public init(registry: String, repository: String, tag: String? = nil, digest: String? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    public init(parsing text: String) throws(BundlesError) {
        var rest = Substring(text)
        if rest.hasPrefix("oci://") { rest = rest.dropFirst(6) }
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw BundlesError("invalid reference \"\(text)\": missing repository")
        }
        registry = String(rest[..<slash])
        var path = rest[rest.index(after: slash)...]
        var tag: String?
        if let colon = path.lastIndex(of: ":"), !path[colon...].contains("/") {
            tag = String(path[path.index(after: colon)...])
            path = path[..<colon]
        }
        repository = String(path)
        self.tag = tag
        self.digest = digest
        guard !registry.isEmpty, !repository.isEmpty,
              repository.allSatisfy({ $0.isLowercase || $0.isNumber || "._-/".contains($0) }) else {
            throw BundlesError("invalid reference \"\(text)\": repository name must be lowercase")
        }
        if let tag, tag.isEmpty || tag.count > 128 || !tag.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) {
            throw BundlesError("invalid reference \"\(text)\": invalid tag")
        }
        if let digest, !OCIDigest.isValid(digest) {
            throw BundlesError("invalid reference \"\(text)\": invalid digest")
        }
    }

    /// What the manifest is fetched by: the digest when present, else the tag.
    public var reference: String? { digest ?? tag }

    public func with(tag: String?) -> OCIReference { OCIReference(registry: registry, repository: repository, tag: tag) }

    /// Append a path segment (a chart name under `oci://host/path`).
    public func appending(_ name: String) -> OCIReference {
        OCIReference(registry: registry, repository: repository + "/" + name, tag: tag, digest: digest)
    }

    public var description: String {
        var s = registry + "/" + repository
        if let tag { s += ":" + tag }
        if let digest { s += "@" + digest }
        return s
    }
}
