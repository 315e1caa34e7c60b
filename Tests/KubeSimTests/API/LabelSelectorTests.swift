import Testing
import Structured
@testable import KubeSim

@Suite struct LabelSelectorTests {
    let labels = ["app": "web", "tier": "front", "env": "prod"]

    @Test(arguments: [
        ("app=web", true), ("app==web", true), ("app!=web", false), ("app=db", false),
        ("tier in (front,back)", true), ("tier in (back)", false), ("tier notin (back)", true), ("tier notin (front)", false),
        ("env", true), ("missing", false), ("!missing", true), ("!env", false),
        ("app=web,tier=front", true), ("app=web, env!=prod", false), ("missing notin (x)", true), ("", true),
    ])
    func matches(selector: String, expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(labels) == expected)
    }

    @Test func objectForm() {
        let selector = LabelSelector(object: ["matchLabels": ["app": "web"],
                                              "matchExpressions": [["key": "env", "operator": "In", "values": ["prod", "stage"]]]])
        #expect(selector.matches(labels))
        #expect(!selector.matches(["app": "web"]))
        #expect(!LabelSelector(object: nil).matches(labels))
        #expect(LabelSelector(object: .object([:])).matches(labels))
    }

    @Test func fieldSelectors() throws {
        let pods = ResourceRegistry.builtIn.lookup(group: "", version: "v1", plural: "pods")!
        let pod: Value = ["metadata": ["name": "p", "namespace": "default"], "status": ["phase": "Running"]]
        #expect(try FieldSelector(parsing: "metadata.name=p,status.phase!=Pending", type: pods).matches(pod))
        #expect(try !FieldSelector(parsing: "status.phase=Pending", type: pods).matches(pod))
        #expect(throws: APIError.self) { try FieldSelector(parsing: "spec.bogus=1", type: pods) }
    }
}
