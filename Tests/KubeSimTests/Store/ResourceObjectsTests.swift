import Structured
import Testing
@testable import KubeSim

/// Per-namespace storage with sorted names: key order, pagination starts, removal.
@Suite struct ResourceObjectsTests {
    @Test func keysAreInNamespaceThenNameOrder() {
        var objects = ResourceObjects()
        for (ns, name) in [("b", "z"), ("a", "y"), ("b", "a"), ("", "n"), ("a", "b")] {
            objects[ObjectKey(namespace: ns, name: name)] = .string(name)
        }
        objects[ObjectKey(namespace: "a", name: "b")] = "replaced"
        #expect(objects.count == 5)
        #expect(objects.keys(namespace: nil).map { "\($0.namespace)/\($0.name)" } == ["/n", "a/b", "a/y", "b/a", "b/z"])
        #expect(objects.keys(namespace: "b").map(\.name) == ["a", "z"])
        #expect(objects.keys(namespace: nil, after: ObjectKey(namespace: "a", name: "b")).map(\.name) == ["y", "a", "z"])
        #expect(objects.keys(namespace: "a", after: ObjectKey(namespace: "a", name: "c")).map(\.name) == ["y"])
        #expect(objects[ObjectKey(namespace: "a", name: "b")] == "replaced")
        objects[ObjectKey(namespace: "", name: "n")] = nil
        objects[ObjectKey(namespace: "b", name: "a")] = nil
        objects[ObjectKey(namespace: "b", name: "missing")] = nil
        #expect(objects.count == 3)
        #expect(objects.count(namespace: "b") == 1)
        #expect(objects.map { $0.key.name } == ["b", "y", "z"])
    }
}
