import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Manifests, blobs and tags.
extension RegistryClient {
    static let manifestAccept = [
        ImageManifest.mediaType, ImageManifest.dockerMediaType,
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
    ].joined(separator: ", ")

    static func pullScope(_ repository: String) -> String { "repository:\(repository):pull" }
    static func pushScope(_ repository: String) -> String { "repository:\(repository):pull,push" }

    /// `/v2/` ping: checks reachability and credentials (registry login).
    public func ping(_ registry: String) async throws(BundlesError) {
        let response = try await send(.GET, registry: registry, path: "/v2/", scope: "")
        guard response.status == 200 else { throw failure(response, "\(registry)") }
    }

    /// The manifest's descriptor (HEAD), or nil when the reference does not exist.
    public func resolve(_ ref: OCIReference) async throws(BundlesError) -> Descriptor? {
        guard let reference = ref.reference else { throw BundlesError("\(ref): no tag or digest given") }
        let response = try await send(.HEAD, registry: ref.registry, path: "/v2/\(ref.repository)/manifests/\(reference)",
                                      scope: Self.pullScope(ref.repository), headers: ["Accept": Self.manifestAccept])
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, "\(ref)") }
        guard let digest = response.headers.first(name: "Docker-Content-Digest") else {
            // Some registries answer HEAD without a digest; fetch the manifest instead.
            let (bytes, mediaType) = try await fetchManifest(ref)
            return Descriptor(mediaType: mediaType, digest: OCIDigest.sha256(bytes), size: bytes.count)
        }
        let size = Int(response.headers.first(name: "Content-Length") ?? "") ?? 0
        return Descriptor(mediaType: response.headers.first(name: "Content-Type") ?? ImageManifest.mediaType, digest: digest, size: size)
    }

    /// Raw manifest bytes and media type; verified against the digest asked for, or the one the registry claims.
    public func fetchManifest(_ ref: OCIReference) async throws(BundlesError) -> (bytes: [UInt8], mediaType: String) {
        guard let reference = ref.reference else { throw BundlesError("\(ref): no tag or digest given") }
        let response = try await send(.GET, registry: ref.registry, path: "/v2/\(ref.repository)/manifests/\(reference)",
                                      scope: Self.pullScope(ref.repository), headers: ["Accept": Self.manifestAccept], limit: 4 << 20)
        if response.status == 404 { throw BundlesError("\(ref): not found") }
        guard response.status == 200 else { throw failure(response, "\(ref)") }
        if let digest = ref.digest {
            try OCIDigest.verify(response.body, digest: digest, size: nil, what: "manifest \(ref)")
        } else if let claimed = response.headers.first(name: "Docker-Content-Digest"), claimed.hasPrefix("sha256:") {
            try OCIDigest.verify(response.body, digest: claimed, size: nil, what: "manifest \(ref)")
        }
        let mediaType = response.headers.first(name: "Content-Type") ?? ImageManifest.mediaType
        return (response.body, mediaType)
    }

    public func manifest(_ ref: OCIReference) async throws(BundlesError) -> (manifest: ImageManifest, digest: String) {
        let (bytes, _) = try await fetchManifest(ref)
        return (try ImageManifest(bytes: bytes, what: "\(ref)"), ref.digest ?? OCIDigest.sha256(bytes))
    }

    /// PUT a manifest under a tag (or its digest); returns its digest.
    @discardableResult
    public func pushManifest(_ bytes: [UInt8], mediaType: String, to ref: OCIReference) async throws(BundlesError) -> String {
        let digest = OCIDigest.sha256(bytes)
        let reference = ref.tag ?? digest
        let response = try await send(.PUT, registry: ref.registry, path: "/v2/\(ref.repository)/manifests/\(reference)",
                                      scope: Self.pushScope(ref.repository), headers: ["Content-Type": mediaType], body: bytes)
        guard response.status == 201 || response.status == 200 else { throw failure(response, "pushing manifest \(ref)") }
        return digest
    }

    /// A blob's bytes, refused unless they hash to the descriptor's digest and have its size.
    public func fetchBlob(_ descriptor: Descriptor, registry: String, repository: String) async throws(BundlesError) -> [UInt8] {
        let response = try await send(.GET, registry: registry, path: "/v2/\(repository)/blobs/\(descriptor.digest)",
                                      scope: Self.pullScope(repository), limit: max(descriptor.size + 1, 1 << 20))
        guard response.status == 200 else { throw failure(response, "blob \(descriptor.digest) of \(registry)/\(repository)") }
        try OCIDigest.verify(response.body, digest: descriptor.digest, size: descriptor.size,
                             what: "blob \(descriptor.digest) of \(registry)/\(repository)")
        return response.body
    }

    public func blobExists(_ digest: String, registry: String, repository: String) async throws(BundlesError) -> Bool {
        let response = try await send(.HEAD, registry: registry, path: "/v2/\(repository)/blobs/\(digest)", scope: Self.pushScope(repository))
        if response.status == 404 { return false }
        guard response.status == 200 else { throw failure(response, "blob \(digest) of \(registry)/\(repository)") }
        return true
    }

    /// Upload a blob unless the registry has it: cross-repository mount when `mountFrom` is given,
    /// else one PUT, or PATCH chunks when larger than `chunkSize`. Returns its descriptor.
    @discardableResult
    public func pushBlob(
        _ bytes: [UInt8], mediaType: String, registry: String, repository: String, mountFrom: String? = nil,
        chunkSize: Int? = nil
    ) async throws(BundlesError) -> Descriptor {
        let digest = OCIDigest.sha256(bytes)
        let descriptor = Descriptor(mediaType: mediaType, digest: digest, size: bytes.count)
        if try await blobExists(digest, registry: registry, repository: repository) { return descriptor }
        let scope = Self.pushScope(repository)
        var startPath = "/v2/\(repository)/blobs/uploads/"
        if let mountFrom { startPath += "?mount=\(digest)&from=\(Self.escape(mountFrom))" }
        let start = try await send(.POST, registry: registry, path: startPath, scope: scope, headers: ["Content-Length": "0"], body: [])
        if start.status == 201 { return descriptor }  // mounted
        guard start.status == 202, var location = start.headers.first(name: "Location") else {
            throw failure(start, "starting upload to \(registry)/\(repository)")
        }
        let what = "uploading blob \(digest) to \(registry)/\(repository)"
        let chunk = chunkSize ?? options.chunkSize
        var body: [UInt8] = bytes
        if chunk > 0 && bytes.count > chunk {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + chunk, bytes.count)
                let response = try await send(.PATCH, registry: registry, path: absolute(location, registry), scope: scope, headers: [
                    "Content-Type": "application/octet-stream", "Content-Range": "\(offset)-\(end - 1)", "Content-Length": "\(end - offset)",
                ], body: Array(bytes[offset..<end]))
                guard response.status == 202, let next = response.headers.first(name: "Location") else { throw failure(response, what) }
                location = next
                offset = end
            }
            body = []
        }
        let separator = location.contains("?") ? "&" : "?"
        let done = try await send(.PUT, registry: registry, path: absolute(location, registry) + separator + "digest=" + Self.escape(digest),
                                  scope: scope, headers: ["Content-Type": "application/octet-stream", "Content-Length": "\(body.count)"], body: body)
        guard done.status == 201 else { throw failure(done, what) }
        if let stored = done.headers.first(name: "Docker-Content-Digest"), stored != digest {
            throw BundlesError("\(what): registry stored digest \(stored)")
        }
        return descriptor
    }

    private func absolute(_ location: String, _ registry: String) -> String {
        location.hasPrefix("http://") || location.hasPrefix("https://") ? location : baseURL(registry) + location
    }

    /// Tags of a repository (`/v2/<name>/tags/list`), following `Link` pagination.
    public func tags(registry: String, repository: String) async throws(BundlesError) -> [String] {
        var path = "/v2/\(repository)/tags/list"
        var tags: [String] = []
        for _ in 0..<100 {
            let response = try await send(.GET, registry: registry, path: path, scope: Self.pullScope(repository))
            if response.status == 404 { return [] }
            guard response.status == 200 else { throw failure(response, "tags of \(registry)/\(repository)") }
            let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            tags += (json?["tags"] as? [String]) ?? []
            guard let link = response.headers.first(name: "Link"), let open = link.firstIndex(of: "<"),
                  let close = link.firstIndex(of: ">") else { break }
            path = String(link[link.index(after: open)..<close])
        }
        return tags
    }
}
