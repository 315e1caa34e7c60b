import GoTemplate
import Structured

/// The function registry charts render with.
///
/// Until the Sprig/Helm library (Functions/, a parallel branch) is merged this holds a minimal
/// stand-in set so the renderer can be exercised; it goes away with the merge.
public enum ChartFunctions {
    public static func registry() -> FunctionRegistry {
        var r = FunctionRegistry()
        r.register("include") { args, context in
            guard args.count == 2, case .string(let name) = args[0] else { throw TemplateFunctionError("include wants a name and data") }
            return .string(try context.executeTemplate(named: name, data: args[1]))
        }
        r.register("tpl") { args, context in
            guard args.count == 2, case .string(let text) = args[0] else { throw TemplateFunctionError("tpl wants text and data") }
            return .string(try context.executeText(text, named: "gotpl", data: args[1]).replacingAll("<no value>", with: ""))
        }
        r.register("required") { args, _ in
            guard args.count == 2 else { throw TemplateFunctionError("wrong number of args for required: want 2 got \(args.count)") }
            switch args[1] {
            case .null, .missing: break
            case .string(let s) where s.isEmpty: break
            default: return args[1]
            }
            let message = args[0].plainString
            throw TemplateFunctionError(HelmErrorMarkers.start + message + HelmErrorMarkers.end)
        }
        r.register("fail") { args, _ in
            throw TemplateFunctionError(HelmErrorMarkers.start + (args.first?.plainString ?? "") + HelmErrorMarkers.end)
        }
        r.register("toJson") { args, _ in .string(JSON.encode(Value(args.last ?? .null))) }
        r.register("toYaml") { args, _ in
            guard let yaml = try? YAML.encode(Value(args.last ?? .null)) else { return .string("") }
            return .string(yaml.hasSuffix("\n") ? String(yaml.dropLast()) : yaml)
        }
        r.register("quote") { args, _ in
            .string(args.filter { !$0.isNilLike }.map { goQuote($0.plainString) }.joined(separator: " "))
        }
        r.register("indent") { args, _ in
            guard args.count == 2, let n = args[0].intLike else { throw TemplateFunctionError("indent wants a width and text") }
            let pad = String(repeating: " ", count: n)
            return .string(pad + args[1].plainString.replacingAll("\n", with: "\n" + pad))
        }
        r.register("nindent") { args, _ in
            guard args.count == 2, let n = args[0].intLike else { throw TemplateFunctionError("nindent wants a width and text") }
            let pad = String(repeating: " ", count: n)
            return .string("\n" + pad + args[1].plainString.replacingAll("\n", with: "\n" + pad))
        }
        return r
    }
}

extension TemplateValue {
    fileprivate var isNilLike: Bool {
        switch self {
        case .null, .missing: return true
        default: return false
        }
    }

    fileprivate var plainString: String {
        switch self {
        case .string(let s): return s
        default: return GoFormat.sprint([self])
        }
    }

    fileprivate var intLike: Int? {
        switch self {
        case .int(let i): return i
        case .int64(let i): return Int(i)
        case .float(let d): return Int(d)
        default: return nil
        }
    }
}
