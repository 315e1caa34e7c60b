import Crypto

/// `sha256:<hex>` content digests.
public enum OCIDigest {
    public static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    public static func isValid(_ digest: String) -> Bool {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        return parts[1].count >= 32 && parts[1].allSatisfy { $0.isHexDigit }
    }

    /// Refuse bytes whose digest (and size, when known) differ from what the manifest promised.
    static func verify(_ bytes: [UInt8], digest: String, size: Int?, what: String) throws(BundlesError) {
        if let size, size != bytes.count {
            throw BundlesError("\(what): size mismatch: expected \(size) bytes, got \(bytes.count)")
        }
        guard digest.hasPrefix("sha256:") else { throw BundlesError("\(what): unsupported digest algorithm in \(digest)") }
        let actual = sha256(bytes)
        if actual != digest {
            throw BundlesError("\(what): digest mismatch: expected \(digest), got \(actual) (content was altered in the registry or in transit)")
        }
    }
}
