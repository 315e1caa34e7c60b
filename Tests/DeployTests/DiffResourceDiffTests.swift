import Foundation
import Structured
import Testing
import TestSupport
@testable import Deploy

/// `ResourceDiffer` against golden files: `Tests/Fixtures/Plan/diff/<case>.yaml` holds three YAML
/// documents (`action:` and optional `note:`, the live object, the desired object; `null` for none),
/// `<case>.expected` the printed diff. `BOSUN_REGENERATE_FIXTURES=1` rewrites the `.expected` files
/// (review them with `git diff` before committing).
@Suite struct DiffResourceDiffTests {
    static let directory = Repository.root + "/Tests/Fixtures/Plan/diff"
    static let regenerate = ProcessInfo.processInfo.environment["BOSUN_REGENERATE_FIXTURES"] == "1"

    static func caseNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func resourceID(of object: Value) -> ResourceID {
        let (group, _) = ResourceID.groupAndVersion(of: object["apiVersion"]?.stringValue ?? "")
        return ResourceID(group: group, kind: object["kind"]?.stringValue ?? "",
                          namespace: object[path: "metadata", "namespace"]?.stringValue,
                          name: object[path: "metadata", "name"]?.stringValue ?? "")
    }

    static func render(_ name: String) throws -> String {
        let text = try String(contentsOfFile: directory + "/" + name + ".yaml", encoding: .utf8)
        let documents = try YAML.decodeAll(text, mode: .manifest, file: name + ".yaml")
        try #require(documents.count == 3, "\(name): expected 3 documents")
        let action = try #require(documents[0]["action"]?.stringValue.flatMap(ResourceAction.init(rawValue:)))
        // `--- null` (decoded as an empty map in manifest mode) stands for "no object".
        // (`Value` is nil-literal expressible, so a ternary with `nil` would yield `.null`.)
        func object(_ document: Value) -> Value? {
            guard let fields = document.objectValue, !fields.isEmpty else { return Optional.none }
            return document
        }
        let live = object(documents[1])
        let desired = object(documents[2])
        let id = resourceID(of: try #require(desired ?? live))
        return ResourceDiffer().diff(id, action: action, live: live, desired: desired,
                                     note: documents[0]["note"]?.stringValue).text
    }

    @Test func fixturesArePresent() {
        #expect(Self.caseNames().count >= 9)
    }

    @Test(arguments: caseNames()) func matchesGolden(_ name: String) throws {
        let output = try Self.render(name)
        let expectedPath = Self.directory + "/" + name + ".expected"
        if Self.regenerate { try output.write(toFile: expectedPath, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(output == expected, "\(name):\n\(output)")
    }

    @Test func secretValuesNeverAppear() throws {
        for name in ["secret-update", "secret-create", "sensitive-configmap"] {
            let output = try Self.render(name)
            for secret in ["c2VjcmV0", "bmV3LXNlY3JldC10aGF0LWlzLWxvbmdlcg==", "plain-text-secret", "user:pass", "YWJj"] {
                #expect(!output.contains(secret), "\(name) leaks \(secret)")
            }
        }
    }

    @Test func changedSecretValuesOfDifferentLengthsLookAlike() {
        let id = ResourceID(kind: "Secret", namespace: "a", name: "s")
        func secret(_ value: String) -> Value {
            ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s", "namespace": "a"], "data": ["k": .string(value)]]
        }
        let short = ResourceDiffer().diff(id, action: .update, live: secret("YQ=="), desired: secret("Yg=="))
        let long = ResourceDiffer().diff(id, action: .update, live: secret("YQ=="), desired: secret(String(repeating: "Q", count: 400)))
        #expect(short.text == long.text)
        #expect(short.text.contains("*** (after)"))
    }

    @Test func secretOptOutShowsValues() {
        let id = ResourceID(kind: "Secret", namespace: "a", name: "s")
        let secret: Value = ["apiVersion": "v1", "kind": "Secret",
                             "metadata": ["name": "s", "namespace": "a", "annotations": ["werf.io/sensitive": "false"]],
                             "data": ["k": "dmFsdWU="]]
        #expect(ResourceDiffer().diff(id, action: .create, live: nil, desired: secret).text.contains("dmFsdWU="))
    }

    @Test func unchangedPrintsOnlyItsHeader() {
        let object: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "namespace": "a"]]
        let diff = ResourceDiffer().diff(ResourceID(kind: "ConfigMap", namespace: "a", name: "c"),
                                         action: .unchanged, live: object, desired: object)
        #expect(diff.text == "unchanged ConfigMap/a/c\n")
    }

    @Test func statusIsComparedWhenTheChartSetsIt() {
        let live: Value = ["kind": "Thing", "metadata": ["name": "t"], "status": ["phase": "a"]]
        let desired: Value = ["kind": "Thing", "metadata": ["name": "t"], "status": ["phase": "b"]]
        let id = ResourceID(group: "example.com", kind: "Thing", name: "t")
        #expect(ResourceDiffer().diff(id, action: .update, live: live, desired: desired).text.contains("note") == false)
        #expect(ResourceDiffer().diff(id, action: .update, live: live, desired: desired, keepStatus: true).text
            .contains("+  phase: b"))
        #expect(ResourceDiffer().diff(id, action: .update, live: live, desired: desired).text
            .contains("no visible change"))
    }

    @Test func projectionKeepsOnlyFieldsTheManifestSets() {
        let live: Value = ["spec": ["backoffLimit": 6, "template": ["spec": ["containers": [["image": "a:1", "imagePullPolicy": "IfNotPresent"], ["image": "side"]]]]]]
        let desired: Value = ["spec": ["template": ["spec": ["containers": [["image": "a:2"]]]]]]
        #expect(DiffNormalizer.project(live, onto: desired)
            == ["spec": ["template": ["spec": ["containers": [["image": "a:1"], ["image": "side"]]]]]])
    }

    @Test func releaseSummaryCountsActions() {
        let id = ResourceID(kind: "ConfigMap", namespace: "a", name: "c")
        let diffs = [ResourceAction.create, .create, .update, .delete, .unchanged].map {
            ResourceDiff(resource: id, action: $0, lines: [DiffLine(.resourceHeader, "\($0.rawValue) \(id)")])
        }
        let release = ReleaseDiff(resources: diffs)
        #expect(release.summary == "Plan: 2 to create, 1 to update, 0 to recreate, 1 to delete, 1 unchanged.")
        #expect(release.hasChanges)
        #expect(!ReleaseDiff(resources: [diffs[4]]).hasChanges)
        #expect(release.text() == """
            create ConfigMap/a/c

            create ConfigMap/a/c

            update ConfigMap/a/c

            delete ConfigMap/a/c

            Plan: 2 to create, 1 to update, 0 to recreate, 1 to delete, 1 unchanged.

            """)
    }
}
