@testable import Bundles
import Testing

@Suite struct OCIReferenceTests {
    @Test func parsesHostPortPathTagDigest() throws {
        let ref = try OCIReference(parsing: "oci://127.0.0.1:5000/a/b/chart:1.2.3_meta")
        #expect(ref.registry == "127.0.0.1:5000")
        #expect(ref.repository == "a/b/chart")
        #expect(ref.tag == "1.2.3_meta")
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let pinned = try OCIReference(parsing: "registry.example.com/charts/x@" + digest)
        #expect(pinned.tag == nil && pinned.digest == digest && pinned.reference == digest)
        #expect(try OCIReference(parsing: "oci://h:1/x").tag == nil)
        #expect(try OCIReference(parsing: "oci://h/base").appending("web").with(tag: "1").description == "h/base/web:1")
    }

    @Test func refusesBadReferences() {
        #expect(throws: BundlesError.self) { try OCIReference(parsing: "oci://justahost") }
        #expect(throws: BundlesError.self) { try OCIReference(parsing: "oci://h/Upper/case") }
        #expect(throws: BundlesError.self) { try OCIReference(parsing: "oci://h/x:bad+tag") }
        #expect(throws: BundlesError.self) { try OCIReference(parsing: "oci://h/x@sha256:short") }
    }

    @Test func tagsReplacePlusWithUnderscore() {
        #expect(HelmChartArtifact.tag(forVersion: "1.0.0+build.5") == "1.0.0_build.5")
    }

    @Test func authChallenges() {
        let c = AuthChallenge(parsing: #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push""#)
        #expect(c.scheme == "Bearer")
        #expect(c.parameters["realm"] == "https://auth.example.com/token")
        #expect(c.parameters["service"] == "registry.example.com")
        #expect(c.parameters["scope"] == "repository:a/b:pull,push")
        let b = AuthChallenge(parsing: #"Basic realm="basic-realm""#)
        #expect(b.scheme == "Basic" && b.parameters["realm"] == "basic-realm")
    }

    @Test func digestsVerify() throws {
        let bytes: [UInt8] = Array("hello".utf8)
        let digest = OCIDigest.sha256(bytes)
        #expect(digest == "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        try OCIDigest.verify(bytes, digest: digest, size: 5, what: "x")
        #expect(throws: BundlesError("x: size mismatch: expected 6 bytes, got 5")) { try OCIDigest.verify(bytes, digest: digest, size: 6, what: "x") }
    }

    @Test func lockTimestampsAreGoRFC3339Nano() {
        #expect(ChartLock.timestamp(.init(timeIntervalSince1970: 1_700_000_000)) == "2023-11-14T22:13:20Z")
        #expect(ChartLock.timestamp(.init(timeIntervalSince1970: 1_700_000_000.5)) == "2023-11-14T22:13:20.5Z")
    }
}
