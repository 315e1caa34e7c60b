import Foundation
import GoTemplate
import Testing
@testable import Charts

/// Helm's own functions that need the engine's context or options.
@Suite struct HelmOnlyFunctionsTests {
    /// A context whose `include` recurses into itself, to reach Helm's nesting limit.
    struct RecursiveContext: TemplateCallContext {
        let functions: FunctionRegistry
        func executeTemplate(named name: String, data: TemplateValue) throws -> String {
            guard case .string(let s) = try functions["include"]!([.string(name), data], self) else { return "" }
            return s
        }
        func executeText(_ text: String, named name: String, data: TemplateValue) throws -> String {
            if text.contains("{{ bad") { throw TemplateFunctionError("template: \(name):1: function \"bad\" not defined") }
            return "rendered <no value>" + text
        }
        var templateName: String { "c/templates/t.yaml" }
    }

    let functions = HelmFunctions.registry()

    @Test func requiredAndFailWrapMessagesForTheRenderer() throws {
        let required = functions["required"]!
        for empty: TemplateValue in [.null, .missing, .string("")] {
            #expect(throws: TemplateFunctionError.self) { try required([.string("need x"), empty], NoContext()) }
        }
        do {
            _ = try required([.string("need x"), .string("")], NoContext())
        } catch let e as TemplateFunctionError {
            #expect(e.message == "HELM_ERR_STARTneed xHELM_ERR_END")
        }
        for present: TemplateValue in [.int(0), .bool(false), .string("v"), .list([])] {
            #expect(GoType.deepEqual(try required([.string("m"), present], NoContext()), present))
        }
        do {
            _ = try functions["fail"]!([.string("boom")], NoContext())
            Issue.record("fail did not throw")
        } catch let e as TemplateFunctionError {
            #expect(e.message == HelmFunctions.errorStart + "boom" + HelmFunctions.errorEnd)
        }
    }

    @Test func includeStopsPastHelmsNestingLimit() throws {
        let context = RecursiveContext(functions: functions)
        do {
            _ = try context.executeTemplate(named: "loop", data: .null)
            Issue.record("unbounded include did not fail")
        } catch let e as TemplateFunctionError {
            #expect(e.message == "rendering template has a nested reference name: loop: unable to execute template")
        }
        // Counts unwind after the failure: a fresh include of another name works from zero.
        let inner = RecursiveContext(functions: functions)
        #expect(throws: TemplateFunctionError.self) { try inner.executeTemplate(named: "other", data: .null) }
    }

    @Test func tplStripsNoValueAndWrapsErrors() throws {
        let context = RecursiveContext(functions: functions)
        let out = try functions["tpl"]!([.string("{{ .x }}"), .map([:])], context)
        guard case .string(let s) = out else { Issue.record("tpl returned \(out)"); return }
        #expect(s == "rendered {{ .x }}")
        do {
            _ = try functions["tpl"]!([.string("{{ bad }}"), .null], context)
            Issue.record("tpl did not fail")
        } catch let e as TemplateFunctionError {
            #expect(e.message.hasPrefix("error during tpl function execution for \"{{ bad }}\": "))
        }
    }

    @Test func lookupAndDNSFollowOptions() throws {
        let offline = functions["lookup"]!
        let result = try offline([.string("v1"), .string("Secret"), .string("ns"), .string("x")], NoContext())
        #expect(GoType.deepEqual(result, .map([:])))
        let online = HelmFunctions.registry(options: HelmFunctionOptions(lookup: { api, kind, ns, name in
            .map(["kind": .string(kind), "name": .string("\(api)/\(ns)/\(name)")])
        }))
        let found = try online["lookup"]!([.string("v1"), .string("Secret"), .string("ns"), .string("x")], NoContext())
        #expect(GoText.value(found) == "map[kind:Secret name:v1/ns/x]")
        // Without --enable-dns helm answers "" and asks no resolver.
        #expect(GoText.value(try functions["getHostByName"]!([.string("example.com")], NoContext())) == "")
        let dns = HelmFunctions.registry(options: HelmFunctionOptions(enableDNS: true))
        #expect(GoText.value(try dns["getHostByName"]!([.string("localhost")], NoContext())).contains(where: { $0 == "." || $0 == ":" }))
    }

    @Test func argumentChecksUseGoMessages() throws {
        #expect(throws: TemplateFunctionError.self) { try functions["upper"]!([.int(1)], NoContext()) }
        do { _ = try functions["upper"]!([.string("a"), .string("b")], NoContext()) } catch let e as TemplateFunctionError {
            // Marked for the renderer, which reports it at the call like Go (ArgumentErrorsTests).
            #expect(e.message == ArgumentErrors.arityMarker + "wrong number of args for upper: want 1 got 2")
        }
        do { _ = try functions["repeat"]!([.float(2), .string("b")], NoContext()) } catch let e as TemplateFunctionError {
            #expect(e.message == ArgumentErrors.marker(index: 0, expected: "int") + "wrong type for value; expected int; got float64")
        }
        do { _ = try functions["mul"]!([], NoContext()) } catch let e as TemplateFunctionError {
            #expect(ArgumentErrors.strippingMarkers(e.message) == "wrong number of args for mul: want at least 1 got 0")
        }
    }

    @Test func goFloatPrintingMatchesFmt() {
        let cases: [(Double, String)] = [(1e6, "1e+06"), (123456, "123456"), (0.0001, "0.0001"), (1e-5, "1e-05"),
                                         (1.5, "1.5"), (-0.0, "-0"), (1e21, "1e+21"), (.infinity, "+Inf"), (.nan, "NaN"),
                                         (1234567.0, "1.234567e+06"), (5e-324, "5e-324"), (0.1 + 0.2, "0.30000000000000004")]
        for (d, s) in cases { #expect(GoText.float(d) == s, "\(d)") }
        #expect(GoText.floatPlain(1e21) == "1000000000000000000000")
        #expect(GoText.floatPlain(1.5e-7) == "0.00000015")
    }
}
