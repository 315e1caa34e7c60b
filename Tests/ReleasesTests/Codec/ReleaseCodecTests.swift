import Foundation
import Structured
import Testing
import TestSupport
@testable import Releases

@Suite struct ReleaseCodecTests {
    /// Helm 4's own JSON for a release decodes, and re-encodes to the very same bytes.
    @Test func helm4RecordRoundTripsByteForByte() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let chart = try HelmFixtures.makeChart(in: dir)
        let json = try HelmFixtures.installJSON(helm: .helm4, dir: dir, chart: chart)
        let release = try ReleaseCodec.decodeJSON(json)
        #expect(release.name == "rel1" && release.namespace == "ns1" && release.version == 1)
        #expect(release.status == .pendingInstall && release.info.description == "Dry run complete")
        #expect(release.info.firstDeployed != nil && release.info.deleted == nil)
        #expect(release.chart?.name == "mychart" && release.chart?.appVersion == "1.16.0")
        #expect(release.config == ["a": 1, "nested": ["list": ["x", "y"]]])
        #expect(release.applyMethod != nil)
        let hook = try #require(release.hooks.first { $0.name == "rel1-hook" })
        #expect(hook.events == ["pre-install", "pre-upgrade"] && hook.weight == -5)
        #expect(hook.deletePolicies == ["before-hook-creation", "hook-succeeded"])
        #expect(release.chart?.templates.contains { $0.name == "templates/hook.yaml" } == true)
        #expect(ReleaseCodec.json(release) + "\n" == json)
    }

    /// Helm 3 writes "" for zero times and no apply_method. Its `status -o json` re-encodes a record
    /// with Helm 3's own types (chart left out), so Bosun must read that back to the same record.
    @Test func helm3EncodingDecodes() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var original = sampleRelease("rel1", version: 1, status: .deployed, namespace: "ns1")
        original.applyMethod = nil
        original.config = ["a": 1, "b": ["c": "<x>", "d": 2.5, "e": nil]]
        let result = try HelmFixtures.run(.helm3, ["status", "rel1", "-n", "ns1", "-o", "json"], releases: [original], dir: dir)
        #expect(result.succeeded, "\(result.stderr)")
        #expect(result.stdout.contains(#""deleted":"""#) && result.stdout.contains(#""started_at":"""#))
        var decoded = try ReleaseCodec.decodeJSON(result.stdout)
        #expect(decoded.info.deleted == nil && decoded.hooks[0].lastRun.startedAt == nil)
        decoded.chart = original.chart
        #expect(decoded == original)
        let rewritten = ReleaseCodec.json(decoded)
        #expect(!rewritten.contains(#""deleted""#) && !rewritten.contains(#""started_at""#))
    }

    @Test func payloadIsBase64OfGzipThatStandardGzipReads() throws {
        let release = sampleRelease(version: 3, status: .deployed)
        let payload = ReleaseCodec.encode(release)
        let bytes = try #require(Data(base64Encoded: payload))
        #expect(Array(bytes.prefix(3)) == [0x1F, 0x8B, 0x08])
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try bytes.write(to: URL(fileURLWithPath: dir + "/r.gz"))
        let gunzip = try runProcess("/bin/sh", ["-c", "gzip -dc r.gz"], directory: dir)
        #expect(gunzip.succeeded)
        #expect(gunzip.stdout == ReleaseCodec.json(release))
        #expect(try ReleaseCodec.decode(payload) == release)
    }

    @Test func plainJSONPayloadIsAccepted() throws {
        let release = sampleRelease(version: 1, status: .failed)
        let payload = Data(ReleaseCodec.json(release).utf8).base64EncodedString()
        #expect(try ReleaseCodec.decode(payload) == release)
    }

    @Test func corruptPayloadsFailClearly() throws {
        let json = ReleaseCodec.json(sampleRelease(version: 1, status: .deployed))
        #expect(throws: ReleaseCodec.Failure.base64) { try ReleaseCodec.decode("not base64!!") }
        let badGzip = Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04]).base64EncodedString()
        let gzipError = #expect(throws: ReleaseCodec.Failure.self) { try ReleaseCodec.decode(badGzip) }
        #expect(gzipError?.description.hasPrefix("data.release is not valid gzip") == true, "\(String(describing: gzipError))")
        let gzipped = ReleaseCodec.gzip(Array(json.utf8))
        let cut = #expect(throws: ReleaseCodec.Failure.self) { try ReleaseCodec.decodeBytes(Array(gzipped.dropLast(30))) }
        #expect(cut?.description.hasPrefix("data.release is not valid gzip") == true)
        var flipped = gzipped
        flipped[flipped.count - 6] ^= 0xFF
        let crc = #expect(throws: ReleaseCodec.Failure.self) { try ReleaseCodec.decodeBytes(flipped) }
        #expect(crc?.description.hasPrefix("data.release is not valid gzip") == true)
        let truncated = Data(json.utf8.prefix(40)).base64EncodedString()
        let jsonError = #expect(throws: ReleaseCodec.Failure.self) { try ReleaseCodec.decode(truncated) }
        #expect(jsonError?.description.hasPrefix("release JSON is invalid") == true)
        let unknown = json.replacingOccurrences(of: #""status":"deployed""#, with: #""status":"exploded""#)
        let statusError = #expect(throws: ReleaseCodec.Failure.self) { try ReleaseCodec.decodeJSON(unknown) }
        #expect(statusError?.description.contains(#"unknown release status "exploded""#) == true)
    }

    @Test func jsonLayoutFollowsHelm4() throws {
        var r = sampleRelease(version: 2, status: .superseded)
        r.info.deleted = nil
        r.applyMethod = "ssa"
        let json = ReleaseCodec.json(r)
        let top = try JSON.decode(json).objectValue.map { Array($0.keys) }
        #expect(top == ["name", "info", "chart", "config", "manifest", "hooks", "version", "namespace", "apply_method"])
        #expect(json.contains(#""info":{"first_deployed":"2026-01-02T03:04:05Z","last_deployed":"2026-01-02T03:04:07Z","description":"Upgrade complete","status":"superseded","notes":"thanks"}"#))
        #expect(json.contains(#""last_run":{"phase":"Succeeded"},"weight":3,"delete_policies":["hook-succeeded"]"#))
        #expect(json.contains(#""schemamodtime":"0001-01-01T00:00:00Z""#))
        #expect(!json.contains("\"labels\""))
    }
}
