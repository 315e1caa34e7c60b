import Structured
import Testing

@testable import Charts

/// Conditions, tags, aliases and import-values on in-memory chart trees.
@Suite struct DependenciesTests {
    static func dependency(_ name: String, alias: String = "", condition: String = "", tags: [String] = [], imports: [Value] = []) -> ChartDependency {
        var d = ChartDependency()
        d.name = name
        d.version = "1.0.0"
        d.alias = alias
        d.condition = condition
        d.tags = tags
        d.importValues = imports
        return d
    }

    static func tree(_ requirements: [ChartDependency], parentValues: Value = [:], subValues: Value = ["x": 1.0]) -> Chart {
        var top = CoalesceTests.chart("top", parentValues, [CoalesceTests.chart("sub", subValues)])
        top.metadata.dependencies = requirements
        return top
    }

    @Test func aliasesMakeRenamedCopies() throws {
        var c = Self.tree([Self.dependency("sub", alias: "one"), Self.dependency("sub", alias: "two")])
        try DependencyProcessor.process(&c, values: [:])
        #expect(c.dependencies.map(\.name) == ["one", "two"])
        #expect(c.metadata.dependencies?.map(\.name) == ["one", "two"])
    }

    @Test func conditionsReadCoalescedValues() throws {
        var c = Self.tree([Self.dependency("sub", condition: "sub.enabled,global.sub")], parentValues: ["sub": ["enabled": false]])
        try DependencyProcessor.process(&c, values: [:])
        #expect(c.dependencies.isEmpty)
        var d = Self.tree([Self.dependency("sub", condition: "sub.enabled")], parentValues: ["sub": ["enabled": false]])
        try DependencyProcessor.process(&d, values: ["sub": ["enabled": true]])
        #expect(d.dependencies.map(\.name) == ["sub"])
    }

    @Test func nonBoolConditionFallsThrough() throws {
        var c = Self.tree([Self.dependency("sub", condition: "sub.enabled,other")], parentValues: ["sub": ["enabled": "yes"], "other": false])
        try DependencyProcessor.process(&c, values: [:])
        #expect(c.dependencies.isEmpty)
    }

    @Test func tagsAnyTrueEnablesAllFalseDisables() throws {
        var c = Self.tree([Self.dependency("sub", tags: ["a", "b"])])
        try DependencyProcessor.process(&c, values: ["tags": ["a": false, "b": false]])
        #expect(c.dependencies.isEmpty)
        var d = Self.tree([Self.dependency("sub", tags: ["a", "b"])])
        try DependencyProcessor.process(&d, values: ["tags": ["a": false, "b": true]])
        #expect(d.dependencies.count == 1)
        var e = Self.tree([Self.dependency("sub", condition: "sub.on", tags: ["a"])])
        try DependencyProcessor.process(&e, values: ["tags": ["a": false], "sub": ["on": true]])
        #expect(e.dependencies.count == 1, "conditions override tags")
    }

    @Test func importValuesBothForms() throws {
        var c = Self.tree(
            [Self.dependency("sub", imports: ["data", ["child": "cfg", "parent": "imported.cfg"]])],
            parentValues: ["own": 1.0, "k": "parent"],
            subValues: ["exports": ["data": ["k": "child", "fromExports": true]], "cfg": ["a": 1.0]])
        try DependencyProcessor.process(&c, values: [:])
        #expect(c.values["fromExports"] == true)
        #expect(c.values["k"] == "parent", "the parent's own values win over imports")
        #expect(sameValue(c.values["imported"], ["cfg": ["a": 1.0]]))
        #expect(c.metadata.dependencies?.first?.importValues == [
            ["child": "exports.data", "parent": "."], ["child": "cfg", "parent": "imported.cfg"],
        ])
    }

    @Test func missingBundledChartIsReported() {
        var top = CoalesceTests.chart("top", [:])
        top.metadata.dependencies = [Self.dependency("absent"), Self.dependency("gone")]
        #expect(throws: ChartsError("found in Chart.yaml, but missing in charts/ directory: absent, gone")) {
            try DependencyProcessor.checkDependencies(top)
        }
    }
}
