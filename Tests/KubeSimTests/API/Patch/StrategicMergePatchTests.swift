import Testing
import Structured
@testable import KubeSim

@Suite struct StrategicMergePatchTests {
    let smp = StrategicMergePatch(schema: PatchSchema(isCustom: false), kind: "Deployment")

    var live: Value {
        ["spec": ["template": ["spec": [
            "containers": [
                ["name": "web", "image": "nginx:1", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                 "ports": [["containerPort": 80, "protocol": "TCP"]]],
                ["name": "sidecar", "image": "busybox"],
            ],
            "tolerations": [["key": "a", "operator": "Exists"]],
        ]]], "metadata": ["finalizers": ["x"], "labels": ["app": "web", "old": "yes"]]]
    }

    @Test func mergesContainersByNameAndEnvByName() throws {
        let patch: Value = ["spec": ["template": ["spec": ["containers": [
            ["name": "web", "image": "nginx:2", "env": [["name": "B", "value": "3"], ["name": "C", "value": "4"]]],
        ]]]]]
        let result = try smp.apply(patch, to: live)
        let containers = result[path: "spec", "template", "spec", "containers"]!.arrayValue!
        #expect(containers.count == 2)
        #expect(containers[0]["image"] == "nginx:2")
        #expect(containers[0]["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "3"], ["name": "C", "value": "4"]])
        #expect(containers[0]["ports"] == [["containerPort": 80, "protocol": "TCP"]])
    }

    @Test func atomicListsReplaceAndNullDeletes() throws {
        let patch: Value = ["spec": ["template": ["spec": ["tolerations": [["key": "b", "operator": "Exists"]]]]],
                            "metadata": ["labels": ["old": nil]]]
        let result = try smp.apply(patch, to: live)
        #expect(result[path: "spec", "template", "spec", "tolerations"] == [["key": "b", "operator": "Exists"]])
        #expect(result[path: "metadata", "labels"] == ["app": "web"])
    }

    @Test func directives() throws {
        let patch: Value = [
            "spec": ["template": ["spec": [
                "containers": [["name": "sidecar", "$patch": "delete"]],
                "$setElementOrder/containers": [["name": "web"]],
            ]]],
            "metadata": ["$deleteFromPrimitiveList/finalizers": ["x"], "labels": ["$patch": "replace", "new": "1"]],
        ]
        let result = try smp.apply(patch, to: live)
        #expect(result[path: "spec", "template", "spec", "containers"]?.arrayValue?.map { $0["name"] } == ["web"])
        #expect(result[path: "metadata", "finalizers"] == [])
        #expect(result[path: "metadata", "labels"] == ["new": "1"])
    }

    @Test func replaceListDirective() throws {
        let patch: Value = ["spec": ["template": ["spec": ["containers": [["$patch": "replace"], ["name": "only", "image": "x"]]]]]]
        let result = try smp.apply(patch, to: live)
        #expect(result[path: "spec", "template", "spec", "containers"] == [["name": "only", "image": "x"]])
    }

    @Test func mergePatchAndJSONPatch() throws {
        let merged = MergePatch.apply(["a": ["b": nil, "c": 2], "l": [1]], to: ["a": ["b": 1, "d": 3], "l": [0, 0]])
        #expect(merged == ["a": ["d": 3, "c": 2], "l": [1]])
        let patched = try JSONPatch.apply([
            ["op": "add", "path": "/metadata/labels/x~1y", "value": "1"],
            ["op": "replace", "path": "/spec/n", "value": 2],
            ["op": "remove", "path": "/spec/l/0"],
            ["op": "test", "path": "/spec/n", "value": 2],
        ], to: ["metadata": ["labels": .object([:])], "spec": ["n": 1, "l": ["a", "b"]]])
        #expect(patched.sameContent(as: ["metadata": ["labels": ["x/y": "1"]], "spec": ["n": 2, "l": ["b"]]]))
        #expect(throws: APIError.self) { try JSONPatch.apply([["op": "replace", "path": "/nope", "value": 1]], to: .object([:])) }
    }
}
