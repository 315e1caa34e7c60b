import GoTemplate
import Testing

/// Maps are references (`TemplateMap`), typed containers (`TypedContainer`) keep their Go type
/// only for functions registered with `receivesGoTypes`.
@Suite struct TemplateMapTests {
    /// Sprig's `set` and `dict`, written against the public API as Charts does.
    static let functions: FunctionRegistry = {
        var r = FunctionRegistry()
        r.register("set") { a, _ in
            guard case .map(let m) = a[0], case .string(let k) = a[1] else { throw TemplateFunctionError("set wants a map and a key") }
            m[k] = a[2]
            return a[0]
        }
        r.register("dict") { a, _ in
            let m = TemplateMap()
            for i in stride(from: 0, to: a.count - 1, by: 2) { if case .string(let k) = a[i] { m[k] = a[i + 1] } }
            return .map(m)
        }
        r.register("strings") { a, _ in
            .object(TypedContainer(goTypeName: "[]string", value: .list(a)))
        }
        r.register("plainType") { a, _ in .string(GoFormat.typeName(a[0])) }
        // Sprig's `default`: returns an argument as it is.
        r.register("default") { a, _ in a.count > 1 && a[1].isTruthyForTests ? a[1] : a[0] }
        // Makes a new list from its argument (Sprig's `reverse`).
        r.register("reverse") { a, _ in
            guard case .list(let l) = a[0] else { throw TemplateFunctionError("reverse wants a list") }
            return .list(l.reversed())
        }
        r.register("ints") { a, _ in .object(TypedContainer(goTypeName: "[]int", value: .list(a))) }
        r.register("pairs") { a, _ in
            .object(TypedContainer(goTypeName: "map[string]string", value: .map(["_0": a[0]]), zero: .string("")))
        }
        r.register("goType", receivesGoTypes: true) { a, _ in .string(GoFormat.typeName(a[0])) }
        return r
    }()

    func render(_ text: String, data: TemplateValue = .map([:])) throws -> String {
        var set = TemplateSet(functions: Self.functions)
        try set.parse(name: "t", text: text)
        return try set.execute(name: "t", data: data, options: ExecutionOptions(missingKey: .zero))
    }

    @Test func variablesShareTheMap() throws {
        #expect(try render(#"{{ $a := dict "x" 1 }}{{ $b := $a }}{{ $_ := set $b "y" 2 }}{{ $a }}"#) == "map[x:1 y:2]")
    }

    @Test func nestedFieldsShareTheMap() throws {
        #expect(try render(#"{{ $a := dict "n" (dict) }}{{ $_ := set $a.n "k" 1 }}{{ with $a.n }}{{ $_ := set . "w" 2 }}{{ end }}{{ $a }}"#)
                == "map[n:map[k:1 w:2]]")
    }

    @Test func templateCallsMutateTheCallersMap() throws {
        #expect(try render(#"{{ define "m" }}{{ $_ := set . "in" 1 }}{{ end }}{{ $d := dict }}{{ template "m" $d }}{{ $d }}"#)
                == "map[in:1]")
    }

    @Test func dataMutationsOutliveTheExecution() throws {
        let values = TemplateMap(["a": .int(1)])
        let data: TemplateValue = .map(["Values": .map(values)])
        _ = try render(#"{{ $_ := set .Values "b" 2 }}"#, data: data)
        #expect(try render(#"{{ .Values.b }}"#, data: data) == "2")
        #expect(values["b"] != nil)
    }

    @Test func rangeIteratesASnapshot() throws {
        #expect(try render(#"{{ $d := dict "a" 1 "b" 2 }}{{ range $k, $v := $d }}{{ $_ := set $d "z" 0 }}{{ $k }};{{ end }}{{ len $d }}"#)
                == "a;b;3")
    }

    @Test func deepCopyBreaksSharing() {
        let inner = TemplateMap(["k": .int(1)])
        let value: TemplateValue = .map(["n": .map(inner), "l": .list([.map(inner)])])
        guard case .map(let copy) = value.deepCopy(), case .map(let copiedInner)? = copy["n"],
              case .list(let l)? = copy["l"], case .map(let listInner) = l[0] else {
            Issue.record("deepCopy changed the shape"); return
        }
        copiedInner["k"] = .int(2)
        listInner["k"] = .int(3)
        #expect(GoFormat.sprint([.map(inner)]) == "map[k:1]")
        #expect(copiedInner !== inner && listInner !== inner)
    }

    @Test func typedContainersKeepTheirTypeOnlyWhereAsked() throws {
        #expect(try render(#"{{ $s := strings "a" "b" }}{{ printf "%T" $s }} {{ goType $s }} {{ plainType $s }} {{ $s }} {{ len $s }} {{ index $s 1 }} {{ range $s }}{{ . }}{{ end }}"#)
                == "[]string []string []interface {} [a b] 2 b ab")
    }

    /// Helm: `typeOf (default (list 1) (splitList "," "a"))` is `[]string`: a function that
    /// returns its argument returns the Go value it was given, type included.
    @Test func argumentsPassedThroughKeepTheirType() throws {
        #expect(try render(#"{{ printf "%T" (default 1 (strings "a")) }} {{ printf "%T" (default (ints 1 2) nil) }} {{ printf "%T" (pairs "x" | default 0) }}"#)
                == "[]string []int map[string]string")
        #expect(try render(#"{{ printf "%T" (reverse (strings "a" "b")) }} {{ printf "%T" (default 1 (strings)) }} {{ default 1 (strings) }}"#)
                == "[]interface {} int 1")
    }

    @Test func namedMapTypesPrintTheirName() throws {
        let values = TemplateMap(["a": .map(["b": .int(1)])])
        values.goTypeName = "common.Values"
        #expect(try render(#"{{ printf "%T %T %v" .Values .Values.a .Values }}"#, data: .map(["Values": .map(values)]))
                == "common.Values map[string]interface {} map[a:map[b:1]]")
    }

    @Test func typedMapFieldsReadTheElementZeroValue() throws {
        let typed = TypedContainer(goTypeName: "map[string]string", value: .map(["_0": .string("a")]), zero: .string(""))
        #expect(try render(#"{{ .m._0 }}|{{ .m._9 }}|{{ printf "%T" .m._9 }}"#, data: .map(["m": .object(typed)])) == "a||string")
    }
}

private extension TemplateValue {
    var isTruthyForTests: Bool {
        switch self {
        case .missing, .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.isEmpty
        default: return true
        }
    }
}
