import Foundation
import Structured
import Testing
import TestSupport

@testable import Charts

/// `--set*` parsing, compared with helm's own parse of the same flags (`{{ toJson .Values }}`).
@Suite struct SetParserTests {
    /// (flag, value) cases run through both helm and our parser on a chart with no defaults.
    static let cases: [[(String, String)]] = [
        [("--set", "a=1")],
        [("--set", "a.b=c,d=e")],
        [("--set", "name=value,other=0,neg=-12,plus=+7,zero=0,lead=012,float=1.5")],
        [("--set", "t=true,f=FALSE,n=null,s=True")],
        [("--set", "big=9223372036854775807,over=9223372036854775808")],
        [("--set", "list={a,b,c}")],
        [("--set", "list={a}"), ("--set", "e=")],
        [("--set", "l[0]=x,l[2]=z")],
        [("--set", "l[1].name=n,l[1].v=2")],
        [("--set", "nested[0][1]=deep")],
        [("--set", "a\\.b=dotted,c=x\\,y")],
        [("--set", "a.b.c.d=1"), ("--set", "a.b.e=2")],
        [("--set", "x=1"), ("--set-string", "x=2,y=true")],
        [("--set-string", "n=007,b=false,l={1,2}")],
        [("--set-json", "j={\"a\":[1,2.5,{\"b\":null}],\"c\":\"d\"}")],
        [("--set-json", "{\"top\":1,\"m\":{\"x\":true}}")],
        [("--set-json", "a=1,b=\"two\",c=[3]")],
        [("--set-literal", "lit=a,b=c{d}")],
        [("--set", "a=1"), ("--set-json", "a=2"), ("--set-string", "b=3")],
        [("--set", "key=with spaces,url=http://x.y/z?q=1")],
        [("--set", "ünïcode=välue")],
        [("--set", "a={x,y}"), ("--set", "a[3]=w")],
        [("--set", "m.k=v"), ("--set", "m.l={1,2}")],
        [("--set", "first=\\{not,list\\}")],
    ]

    @Test func matchesHelm() throws {
        let chart = try HelmOracle.valuesProbeChart()
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        let cases = Self.cases
        let helmOutputs = try concurrently(cases.count) { i in
            try HelmOracle.template([chart] + cases[i].flatMap { [$0.0, $0.1] })
        }
        for (i, flags) in cases.enumerated() {
            var options = ValueOptions()
            for (flag, value) in flags {
                switch flag {
                case "--set": options.values.append(value)
                case "--set-string": options.stringValues.append(value)
                case "--set-json": options.jsonValues.append(value)
                case "--set-literal": options.literalValues.append(value)
                default: Issue.record("unknown flag \(flag)")
                }
            }
            let helm = helmOutputs[i]
            #expect(helm.succeeded, "helm failed for \(flags): \(helm.stderr)")
            let ours = try options.merged()
            #expect(GoJSON.encode(ours) == HelmOracle.valuesJSON(helm.stdout), "case \(flags)")
        }
    }

    @Test(arguments: [
        ("a", "key \"a\" has no value"),
        ("a,b=1", "key \"a\" has no value (cannot end with ,)"),
        ("a.=1", "key map \"a\" has no value"),
        ("a[x]=1", "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"),
        ("a[-1]=1", "negative -1 index not allowed"),
        ("a[70000]=1", "index of 70000 is greater than maximum supported index of 65536"),
        ("a={b,c", "list must terminate with '}'"),
        ("a[0]x=1", "unexpected data at end of array index: \"x\""),
    ])
    func errorsLikeHelm(input: String, message: String) throws {
        var values = Value.emptyObject
        #expect(throws: ChartsError(message)) { try SetParser.parse(input, into: &values, mode: .typed) }
    }

    @Test func errorMessagesMatchHelm() throws {
        let chart = try HelmOracle.valuesProbeChart()
        defer { try? FileManager.default.removeItem(atPath: (chart as NSString).deletingLastPathComponent) }
        let inputs = ["a", "a,b=1", "a[x]=1", "a={b,c", "a=1,a.b=2", "a.b=1,a[0]=2", "list={}", (0..<32).map { "k\($0)" }.joined(separator: ".") + "=1"]
        let results = try concurrently(inputs.count) { i in try HelmOracle.template([chart, "--set", inputs[i]]) }
        for (input, helm) in zip(inputs, results) {
            var options = ValueOptions()
            options.values = [input]
            #expect(!helm.succeeded)
            do {
                _ = try options.merged()
                Issue.record("no error for \(input)")
            } catch {
                #expect("Error: \(error.message)\n" == helm.stderr, "input \(input)")
            }
        }
    }

    @Test func nestingDepthIsLimited() throws {
        var values = Value.emptyObject
        let deep = (0..<32).map { "k\($0)" }.joined(separator: ".") + "=1"
        #expect(throws: ChartsError("value name nested level is greater than maximum supported nested level of 30")) {
            try SetParser.parse(deep, into: &values, mode: .typed)
        }
        var shallower = Value.emptyObject
        try SetParser.parse((0..<31).map { "k\($0)" }.joined(separator: ".") + "=1", into: &shallower, mode: .typed)
    }

    @Test func fileValuesReadThroughReader() throws {
        var values = Value.emptyObject
        try SetParser.parse("cfg=/some/path,x.y=other", into: &values, mode: .file({ "content of \($0)" }))
        #expect(sameValue(values, ["cfg": "content of /some/path", "x": ["y": "content of other"]]))
    }
}
