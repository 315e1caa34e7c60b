import Structured
import Testing

@testable import Charts

/// Coalescing rules on in-memory charts (the differential suite checks them against helm too).
@Suite struct CoalesceTests {
    static func chart(_ name: String, _ values: Value, _ dependencies: [Chart] = []) -> Chart {
        var md = ChartMetadata()
        md.name = name
        md.version = "1.0.0"
        md.apiVersion = "v2"
        var c = Chart(metadata: md, values: values)
        c.dependencies = dependencies
        return c
    }

    @Test func userValuesWinAndTablesMerge() throws {
        let c = Self.chart("top", ["a": 1.0, "t": ["x": 1.0, "y": 2.0], "l": [1.0, 2.0]])
        let v = try Coalesce.values(c, ["t": ["y": 3.0, "z": 4.0], "l": [9.0]])
        #expect(sameValue(v, ["t": ["y": 3.0, "z": 4.0, "x": 1.0], "l": [9.0], "a": 1.0]))
    }

    @Test func nullDeletesDefaults() throws {
        let c = Self.chart("top", ["a": 1.0, "t": ["x": 1.0, "y": 2.0]])
        let v = try Coalesce.values(c, ["a": nil, "t": ["x": nil], "n": nil])
        #expect(sameValue(v, ["n": nil, "t": ["y": 2.0]]))
    }

    @Test func scalarDoesNotReplaceTableAndViceVersa() throws {
        let c = Self.chart("top", ["t": ["x": 1.0], "s": "str"])
        let v = try Coalesce.values(c, ["t": "scalar", "s": ["k": "v"]])
        #expect(sameValue(v, ["t": "scalar", "s": ["k": "v"]]))
    }

    @Test func subchartDefaultsGlobalsAndParentOverrides() throws {
        let sub = Self.chart("sub", ["port": 80.0, "global": ["g": "child", "only": "child"], "keep": true])
        let top = Self.chart("top", ["sub": ["port": 8080.0], "global": ["g": "parent", "t": ["a": 1.0]]], [sub])
        let v = try Coalesce.values(top, [:])
        #expect(v["sub"]?["port"] == 8080.0)
        #expect(v["sub"]?["keep"] == true)
        #expect(sameValue(v["sub"]?["global"], ["g": "parent", "only": "child", "t": ["a": 1.0]]))
        #expect(sameValue(v["global"], ["g": "parent", "t": ["a": 1.0]]))
    }

    @Test func nullInParentTableDeletesSubchartDefault() throws {
        let sub = Self.chart("sub", ["port": 80.0, "name": "x"])
        let top = Self.chart("top", [:], [sub])
        let v = try Coalesce.values(top, ["sub": ["port": nil]])
        #expect(sameValue(v["sub"], ["name": "x", "global": [:]]))
    }

    @Test func subchartValueMustBeTable() {
        let top = Self.chart("top", [:], [Self.chart("sub", [:])])
        #expect(throws: ChartsError("type mismatch on sub: %!t(string=oops)")) { try Coalesce.values(top, ["sub": "oops"]) }
    }

    @Test func mergeKeepsNulls() throws {
        let c = Self.chart("top", ["a": 1.0])
        #expect(try Coalesce.merged(c, ["a": nil]) == ["a": nil])
    }
}
