import Structured
import Testing
@testable import KubeSim

/// `recordUpdate` on a create takes the new object's field set as it is; it must record exactly what
/// the general diff against an object with no fields records.
@Suite struct FieldManagerTests {
    let registry = ResourceRegistry.builtIn

    static let objects: [(String, String, Value)] = [
        ("", "configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "labels": ["a": "b"], "annotations": [:]],
                            "data": ["k": "v", "empty": ""], "immutable": false]),
        ("apps", "deployments", ["apiVersion": "apps/v1", "kind": "Deployment",
                                 "metadata": ["name": "web", "finalizers": ["x", "y", "x"], "ownerReferences": [["uid": "u1", "name": "o"]]],
                                 "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]],
                                          "template": ["metadata": ["labels": ["app": "web"]], "spec": [
                                              "containers": [
                                                  ["name": "web", "image": "nginx", "ports": [["containerPort": 80], ["containerPort": 80, "protocol": "UDP"]],
                                                   "env": [["name": "A", "value": "1"], ["name": "A", "value": "2"]], "args": ["a", "a"]],
                                                  ["name": "web", "resources": [:]],
                                              ],
                                              "volumes": [["name": "v", "emptyDir": [:]]],
                                          ]]],
                                 "status": ["replicas": 1]]),
        ("", "services", ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "s"],
                          "spec": ["selector": ["app": "web"], "ports": [["port": 80], ["port": 80, "protocol": "TCP", "name": "b"]]]]),
    ]

    @Test func createRecordsWhatTheDiffAgainstNothingRecords() throws {
        for (group, plural, object) in Self.objects {
            let type = try #require(registry.lookup(group: group, version: "v1", plural: plural))
            // (Creates write the main resource; for the status subresource an empty old object is
            // not "nothing": it has a null status.)
            var created = object, diffed = object
            FieldManager(type: type).recordUpdate(old: nil, new: &created, manager: "m", subresource: nil)
            FieldManager(type: type).recordUpdate(old: .object([:]), new: &diffed, manager: "m", subresource: nil)
            let fields = { (v: Value) in FieldManager.entries(v).map { JSON.wireString($0.fields.fieldsV1) } }
            #expect(fields(created) == fields(diffed), "\(plural)")
            #expect(fields(created).count == 1)
            #expect(FieldManager.entries(created).map(\.manager) == ["m"])
        }
    }

    @Test func createOfAConfigMapOwnsItsFields() throws {
        let type = try #require(registry.lookup(group: "", version: "v1", plural: "configmaps"))
        var object = Self.objects[0].2
        FieldManager(type: type).recordUpdate(old: nil, new: &object, manager: "kubectl", subresource: nil)
        let entry = try #require(FieldManager.entries(object).first)
        #expect(entry.manager == "kubectl" && entry.operation == "Update" && entry.apiVersion == "v1" && !entry.time.isEmpty)
        #expect(JSON.wireString(entry.fields.fieldsV1)
                == #"{"f:data":{"f:empty":{},"f:k":{}},"f:immutable":{},"f:metadata":{"f:annotations":{},"f:labels":{"f:a":{}}}}"#)
    }
}
