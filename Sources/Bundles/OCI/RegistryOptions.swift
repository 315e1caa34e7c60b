/// How to reach registries: TLS, plain HTTP, credentials, upload chunking.
public struct RegistryOptions: Sendable {
    /// Use plain HTTP (`--plain-http` / `--insecure-registry`).
    public var plainHTTP = false
    /// Skip TLS certificate verification (`--insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify = false
    /// PEM file of extra certificate authorities (`--ca-file`).
    public var caFile: String?
    /// Client certificate and key for mutual TLS (`--cert-file`, `--key-file`).
    public var certFile: String?
    public var keyFile: String?
    public var credentials = RegistryCredentials.standard()
    /// Explicit credentials (`--username`/`--password`), winning over config files.
    public var username: String?
    public var password: String?
    /// Blobs larger than this are uploaded in PATCH chunks of this size; 0 means always monolithic.
    public var chunkSize = 8 * 1024 * 1024
    public var requestTimeoutSeconds: Int64 = 300

    public init() {}
}
