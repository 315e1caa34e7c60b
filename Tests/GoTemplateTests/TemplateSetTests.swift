import Foundation
import GoTemplate
import Testing

/// The public API: function registry, call context, redefinition rules, depth limit, errors.
@Suite struct TemplateSetTests {
    func render(_ text: String, data: TemplateValue = .map([:]), functions: FunctionRegistry = FunctionRegistry(),
                options: ExecutionOptions = ExecutionOptions()) throws -> String {
        var set = TemplateSet(functions: functions)
        try set.parse(name: "t", text: text)
        return try set.execute(name: "t", data: data, options: options)
    }

    @Test func registeredFunctionGetsPipedValueLast() throws {
        var functions = FunctionRegistry()
        functions.register("join") { args, _ in
            .string(args.map { GoFormat.sprint([$0]) }.joined(separator: "+"))
        }
        #expect(try render(#"{{ "c" | join "a" "b" }}"#, functions: functions) == "a+b+c")
    }

    @Test func functionErrorsAreWrappedLikeGo() {
        var functions = FunctionRegistry()
        functions.register("fail") { _, _ in throw TemplateFunctionError("boom") }
        #expect(throws: TemplateError(kind: .execution, message: #"template: t:1:5: executing "t" at <fail "x">: error calling fail: boom"#, templateName: "t")) {
            try render(#"ab{{ fail "x" }}"#, functions: functions)
        }
    }

    @Test func registryOverridesBuiltins() throws {
        var functions = FunctionRegistry()
        functions.register("slice") { args, _ in .list(args) }
        functions.register("len") { _, _ in .int(42) }
        #expect(try render(#"{{ slice 1 "a" }} {{ len "xy" }}"#, functions: functions) == "[1 a] 42")
    }

    @Test func functionsSeeNilForMissingValues() throws {
        var functions = FunctionRegistry()
        functions.register("kind") { args, _ in
            .string(args.map { value -> String in
                switch value {
                case .null: return "nil"
                case .missing: return "missing"
                default: return "v"
                }
            }.joined())
        }
        #expect(try render("{{ kind .missing nil .x }}", data: .map(["x": .int(1)]), functions: functions) == "nilnilv")
    }

    @Test func functionResultNilPrintsNoValue() throws {
        var functions = FunctionRegistry()
        functions.register("nothing") { _, _ in .null }
        #expect(try render("{{ nothing }}|{{ print (nothing) }}", functions: functions) == "<no value>|<nil>")
    }

    @Test func callContextExecutesNamedTemplatesAndText() throws {
        var functions = FunctionRegistry()
        functions.register("include") { args, context in
            guard case .string(let name) = args[0] else { throw TemplateFunctionError("name") }
            return .string(try context.executeTemplate(named: name, data: args[1]))
        }
        functions.register("tpl") { args, context in
            guard case .string(let text) = args[0] else { throw TemplateFunctionError("text") }
            return .string(try context.executeText(text, named: context.templateName, data: args[1]))
        }
        functions.register("current") { _, context in .string(context.templateName) }
        var set = TemplateSet(functions: functions)
        try set.parse(name: "helpers", text: #"{{ define "greet" }}hi {{ . }}{{ end }}"#)
        try set.parse(name: "main", text: #"{{ include "greet" "ann" | printf "%q" }} {{ tpl "{{ define \"local\" }}L{{ end }}{{ template \"greet\" . }}{{ template \"local\" }}" "bob" }} {{ current }}"#)
        #expect(try set.execute(name: "main", data: .null) == #""hi ann" hi bobL main"#)
        // Definitions made by `tpl` text stay local to that call.
        #expect(!set.contains("local"))
    }

    @Test func nestedExecutionErrorsKeepGoMessages() throws {
        var functions = FunctionRegistry()
        functions.register("include") { args, context in
            guard case .string(let name) = args[0] else { throw TemplateFunctionError("name") }
            return .string(try context.executeTemplate(named: name, data: args[1]))
        }
        var set = TemplateSet(name: "gotpl", functions: functions)
        try set.parse(name: "a", text: #"{{ define "inner" }}{{ .x.y }}{{ end }}{{ include "inner" .v }}{{ include "nope" . }}"#)
        #expect(throws: TemplateError(kind: .execution, message: #"template: a:1:42: executing "a" at <include "inner" .v>: error calling include: template: a:1:25: executing "inner" at <.x.y>: nil pointer evaluating interface {}.y"#, templateName: "a")) {
            try set.execute(name: "a", data: .map(["v": .map(["x": .null])]))
        }
        #expect(throws: TemplateError(kind: .execution, message: #"template: a:1:66: executing "a" at <include "nope" .>: error calling include: template: no template "nope" associated with template "gotpl""#, templateName: "a")) {
            try set.execute(name: "a", data: .map(["v": .map(["x": .map(["y": .int(1)])])]))
        }
    }

    /// `include` runs on the calling executor's stacks: its `$`, variables and output are its own,
    /// and the caller's are intact afterwards, also when the nested run fails and a function
    /// recovers from that.
    @Test func nestedExecutionsAreIsolated() throws {
        var functions = FunctionRegistry()
        functions.register("include") { args, context in
            guard case .string(let name) = args[0] else { throw TemplateFunctionError("name") }
            return .string(try context.executeTemplate(named: name, data: args[1]))
        }
        functions.register("attempt") { args, context in
            guard case .string(let name) = args[0] else { throw TemplateFunctionError("name") }
            do { return .string(try context.executeTemplate(named: name, data: args[1])) } catch { return .string("caught") }
        }
        var set = TemplateSet(functions: functions)
        try set.parse(name: "h", text: #"{{ define "dollar" }}{{ $x := "in" }}[{{ $ }}{{ $x }}{{ include "leaf" . }}]{{ end }}{{ define "leaf" }}<{{ $ }}>{{ end }}{{ define "bad" }}partial{{ .a.b }}{{ end }}"#)
        try set.parse(name: "m", text: #"{{ $x := "out" }}{{ range $i, $v := .l }}{{ include "dollar" $v }}{{ $x }}{{ $i }}{{ end }}|{{ attempt "bad" .n }}|{{ $x }}{{ $.k }}{{ template "leaf" $x }}"#)
        let data: TemplateValue = .map(["l": .list([.string("a"), .string("b")]), "n": .map(["a": .null]), "k": .string("K")])
        #expect(try set.execute(name: "m", data: data) == "[ain<a>]out0[bin<b>]out1|caught|outK<out>")
    }

    /// Names resolve at parse time, but as in Go the functions registered when the set executes
    /// are the ones called.
    @Test func functionsRegisteredAfterParsingAreCalled() throws {
        var functions = FunctionRegistry()
        functions.register("f") { _, _ in .string("old") }
        var set = TemplateSet(functions: functions)
        try set.parse(name: "t", text: #"{{ f }} {{ len "ab" }} {{ printf "%d" 1 }}"#)
        #expect(try set.execute(name: "t", data: .null) == "old 2 1")
        set.functions.register("f") { _, _ in .string("new") }
        set.functions.register("len") { _, _ in .int(42) }
        set.functions.register("printf") { _, _ in .string("mine") }
        #expect(try set.execute(name: "t", data: .null) == "new 42 mine")
    }

    @Test func laterParseReplacesDefinitionUnlessEmpty() throws {
        var set = TemplateSet()
        try set.parse(name: "a", text: #"{{ define "x" }}first{{ end }}"#)
        try set.parse(name: "b", text: #"{{ define "x" }}second{{ end }}"#)
        try set.parse(name: "c", text: #"{{ define "x" }}  {{ end }}"#)
        try set.parse(name: "main", text: #"{{ template "x" }}"#)
        #expect(try set.execute(name: "main", data: .null) == "second")
        #expect(set.templateNames == ["a", "b", "c", "main", "x"])
    }

    /// Texts big enough to be spread over threads: each defines "x" (some with empty bodies)
    /// and its own template, so the set only matches sequential parsing if definitions join in order.
    func manyTexts(_ count: Int) -> [(name: String, text: String)] {
        (0..<count).map { i in
            let body = i % 7 == 3 ? "  " : "from \(i)"
            let filler = String(repeating: "{{/* padding */}}text {{ .a }} {{ range $k, $v := .l }}{{ $k }}={{ $v }}{{ end }}\n", count: 20)
            return ("f\(i).yaml", #"{{ define "x" }}\#(body){{ end }}{{ define "own\#(i)" }}\#(i){{ end }}"# + filler + #"{{ template "x" }}"#)
        }
    }

    @Test(arguments: [1, 2, 4])
    func parsingManyTextsMatchesParsingInOrder(threads: Int) throws {
        let texts = manyTexts(100)
        var sequential = TemplateSet(name: "gotpl")
        for (name, text) in texts { try sequential.parse(name: name, text: text) }
        var parallel = TemplateSet(name: "gotpl")
        try parallel.parse(texts, threads: threads)
        #expect(parallel.templateNames == sequential.templateNames)
        let data: TemplateValue = .map(["a": .int(1), "l": .list([.string("p"), .string("q")])])
        for name in ["f0.yaml", "f3.yaml", "f99.yaml", "x", "own17"] {
            #expect(try parallel.execute(name: name, data: data) == sequential.execute(name: name, data: data))
        }
        #expect(try parallel.execute(name: "x", data: .null) == "from 99")
    }

    @Test func parsingManyTextsStopsAtTheFirstFailingText() {
        var texts = manyTexts(120)
        texts[50].text += "{{ if }}"
        texts[90].text += "{{ end }}"
        var set = TemplateSet()
        #expect(throws: TemplateError(kind: .parse, message: "template: f50.yaml:21: missing value for if", templateName: "f50.yaml")) {
            try set.parse(texts, threads: 2)
        }
        // The texts before the failing one joined the set, as parsing them one by one would do.
        #expect(set.contains("own49") && set.contains("f49.yaml") && !set.contains("own50") && !set.contains("f51.yaml"))
        #expect((try? set.execute(name: "x", data: .null)) == "from 49")
    }

    @Test func fileNamesAreTemplatesToo() throws {
        var set = TemplateSet()
        try set.parse(name: "part.tpl", text: "P{{ . }}")
        try set.parse(name: "main", text: #"{{ template "part.tpl" 1 }}"#)
        #expect(try set.execute(name: "main", data: .null) == "P1")
    }

    @Test func unknownTemplateName() {
        let set = TemplateSet(name: "gotpl")
        #expect(throws: TemplateError(kind: .execution, message: #"template: no template "x" associated with template "gotpl""#, templateName: "x")) {
            try set.execute(name: "x", data: .null)
        }
    }

    @Test func parseErrorsHaveParseKind() {
        var set = TemplateSet()
        do {
            try set.parse(name: "bad", text: "{{ if }}")
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.kind == .parse)
            #expect(error.message == "template: bad:1: missing value for if")
            #expect(error.templateName == "bad")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func configurableDepthLimit() {
        #expect(throws: TemplateError(kind: .execution, message: #"template: t:1:31: executing "loop" at <{{template "loop" .}}>: exceeded maximum template depth (50)"#, templateName: "loop")) {
            try render(#"{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" }}"#,
                       options: ExecutionOptions(maxTemplateDepth: 50))
        }
    }

    @Test func deepRecursionEndsInErrorNotCrash() {
        // Deep nesting through if/with/template moves to fresh stacks instead of overflowing.
        #expect(throws: TemplateError.self) {
            try render(#"{{ define "r" }}{{ if true }}{{ with . }}{{ template "r" . }}{{ end }}{{ end }}{{ end }}{{ template "r" 1 }}"#,
                       options: ExecutionOptions(maxTemplateDepth: 30000))
        }
    }

    @Test func deeplyNestedParenthesesAndBlocks() throws {
        let parens = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(try render("{{ print \(parens) }}") == "1")
        let ifs = String(repeating: "{{ if true }}", count: 3000) + "x" + String(repeating: "{{ end }}", count: 3000)
        #expect(try render(ifs) == "x")
        let elseIfs = "{{ if false }}" + String(repeating: "{{ else if false }}", count: 3000) + "{{ else }}y{{ end }}"
        #expect(try render(elseIfs) == "y")
    }

    @Test func tooDeepParenthesesAreAParseError() {
        let parens = String(repeating: "(", count: 10001) + "1" + String(repeating: ")", count: 10001)
        #expect(throws: TemplateError(kind: .parse, message: "template: t:1: max expression depth exceeded", templateName: "t")) {
            try render("{{ \(parens) }}")
        }
    }

    @Test func breakAndContinueAreFunctionsWhenRegistered() throws {
        var functions = FunctionRegistry()
        functions.register("break") { _, _ in .string("B") }
        #expect(try render("{{ break }}", functions: functions) == "B")
        #expect(throws: TemplateError.self) { try render("{{ continue }}", functions: functions) }
    }

    @Test func missingKeyModes() throws {
        let data: TemplateValue = .map(["m": .map([:])])
        #expect(try render("{{ .m.x }}", data: data) == "<no value>")
        #expect(try render("{{ .m.x }}", data: data, options: ExecutionOptions(missingKey: .zero)) == "<no value>")
        #expect(throws: TemplateError.self) { try render("{{ .m.x }}", data: data, options: ExecutionOptions(missingKey: .error)) }
        #expect(try render("{{ .m.x.y }}", data: data) == "<no value>")
        #expect(throws: TemplateError.self) { try render("{{ .m.x.y }}", data: data, options: ExecutionOptions(missingKey: .zero)) }
    }

    @Test func concurrentExecutionsShareOneSet() throws {
        var set = TemplateSet()
        try set.parse(name: "t", text: "{{ range . }}{{ . }}{{ end }}")
        let shared = set
        final class Box: @unchecked Sendable { var outputs = [String](repeating: "", count: 64); let lock = NSLock() }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let out = (try? shared.execute(name: "t", data: .list((0..<i).map { .int($0) }))) ?? "error"
            box.lock.lock(); box.outputs[i] = out; box.lock.unlock()
        }
        for i in 0..<64 { #expect(box.outputs[i] == (0..<i).map(String.init).joined()) }
    }

    @Test func executeTextKeepsSetUnchanged() throws {
        var set = TemplateSet()
        try set.parse(name: "h", text: #"{{ define "d" }}D{{ end }}"#)
        #expect(try set.execute(text: #"{{ template "d" }}{{ . }}"#, name: "inline", data: .int(1)) == "D1")
        #expect(!set.contains("inline"))
    }

    @Test func goFormatPublicHelpers() {
        #expect(GoFormat.sprint([.int(1), .int(2), .string("a"), .float(1e6)]) == "1 2a1e+06")
        #expect(GoFormat.sprintln([.string("a"), .int(1)]) == "a 1\n")
        #expect(GoFormat.sprintf("%05.1f|%-3s|%v", [.float(3.14159), .string("x"), .map(["b": .int(1), "a": .list([])])]) == "003.1|x  |map[a:[] b:1]")
        #expect(GoFormat.typeName(.list([])) == "[]interface {}")
        #expect(GoFormat.sprintf("%v %v %v %.2f %08.3f", [.float(.nan), .float(.infinity), .float(-.infinity), .float(.infinity), .float(-3.5)])
                == "NaN +Inf -Inf +Inf -003.500")
    }
}

