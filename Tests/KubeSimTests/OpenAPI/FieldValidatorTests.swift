import Structured
import Testing
@testable import KubeSim

/// `declaresAll` (the quick pass every write takes) must agree with `prune` on whether anything is
/// undeclared, for built-in kinds and custom resources alike.
@Suite struct FieldValidatorTests {
    let registry = ResourceRegistry.builtIn

    func validator(_ group: String, _ plural: String) throws -> FieldValidator {
        let type = try #require(registry.lookup(group: group, version: "v1", plural: plural))
        return try #require(FieldValidator(type: type))
    }

    static let deployment: Value = [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": "web", "labels": ["app": "web"], "annotations": ["a": "b"]],
        "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]],
                 "template": ["metadata": ["labels": ["app": "web"]],
                              "spec": ["containers": [["name": "web", "image": "nginx", "ports": [["containerPort": 80]],
                                                       "env": [["name": "A", "value": "1"]]]]]]],
    ]

    @Test func agreesWithPruneOnBuiltInKinds() throws {
        let deployments = try validator("apps", "deployments")
        #expect(deployments.declaresAll(Self.deployment))
        #expect(deployments.prune(Self.deployment).1.isEmpty)
        for (path, expected) in [(["spec", "foo"], "spec.foo"), (["metadata", "colour"], "metadata.colour"),
                                 (["spec", "template", "spec", "containers"], "spec.template.spec.containers[0].imagePullPolicyy"),
                                 (["spec", "selector", "matchLabels", "tier"], "")] {
            var object = Self.deployment
            if path.last == "containers" {
                object.set(path: path, to: [["name": "web", "image": "nginx", "imagePullPolicyy": "Always"]])
            } else {
                object.set(path: path, to: "x")
            }
            let unknown = deployments.prune(object).1
            #expect(deployments.declaresAll(object) == unknown.isEmpty, "\(path)")
            #expect(unknown == (expected.isEmpty ? [] : [expected]))
        }
        let configMaps = try validator("", "configmaps")
        let configMap: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "v"], "immutable": true]
        #expect(configMaps.declaresAll(configMap))
        var extra = configMap
        extra["spec"] = ["x": 1]
        #expect(!configMaps.declaresAll(extra))
        #expect(configMaps.prune(extra).1 == ["spec"])
    }

    @Test func agreesWithPruneOnCustomResources() throws {
        var type = ResourceType(group: "example.com", version: "v1", kind: "Widget", plural: "widgets", isCustom: true)
        type.schema = ["type": "object", "properties": [
            "spec": ["type": "object", "properties": ["size": ["type": "integer"],
                                                      "free": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]],
        ]]
        let widgets = try #require(FieldValidator(type: type))
        let good: Value = ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w", "labels": ["a": "b"]],
                           "spec": ["size": 3, "free": ["anything": ["goes": 1]]]]
        #expect(widgets.declaresAll(good))
        #expect(widgets.prune(good).1.isEmpty)
        var badSpec = good
        badSpec.set(path: ["spec", "colour"], to: "red")
        #expect(!widgets.declaresAll(badSpec))
        #expect(widgets.prune(badSpec).1 == ["spec.colour"])
        var badMeta = good
        badMeta.set(path: ["metadata", "colour"], to: "red")
        #expect(!widgets.declaresAll(badMeta))
        #expect(widgets.prune(badMeta).1 == ["metadata.colour"])
    }
}
