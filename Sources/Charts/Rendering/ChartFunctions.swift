import Structured
import Foundation
import GoTemplate

/// The function registry charts render with: Go builtins are GoTemplate's, the rest are Sprig
/// v3.3.0 and Helm's own (Functions/).
public enum ChartFunctions {
    /// Name of the engine's root template; Helm parses `tpl` text under it (errors say `gotpl`).
    static let rootTemplateName = "gotpl"

    public static func registry() -> FunctionRegistry {
        var registry = HelmFunctions.registry()
        // Helm parses `tpl` text as the set's root template ("gotpl"). Using the calling file's
        // name instead would make an empty text keep the file's own body (Go keeps a template
        // when a later definition is empty) and re-execute the file forever.
        // receivesGoTypes: the data keeps its Go type (`[]string`, ...) as in Helm.
        registry.register("tpl", receivesGoTypes: true) { arguments, context in
            guard arguments.count == 2 else {
                throw TemplateFunctionError("wrong number of args for tpl: want 2 got \(arguments.count)")
            }
            guard case .string(let text) = arguments[0] else {
                throw TemplateFunctionError("wrong type for value; expected string; got \(typeWord(arguments[0]))")
            }
            let output: String
            do {
                output = try context.executeText(text, named: rootTemplateName, data: arguments[1])
            } catch let error as TemplateError where error.kind == .parse {
                throw TemplateFunctionError("cannot parse template \(goQuote(text)): \(error)")
            } catch {
                throw TemplateFunctionError("error during tpl function execution for \(goQuote(text)): \(error)")
            }
            return .string(output.replacingAll("<no value>", with: ""))
        }
        return registry
    }
}
