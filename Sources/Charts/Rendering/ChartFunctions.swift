import GoTemplate
import Structured

/// The function registry charts render with: Go builtins are GoTemplate's, the rest are Sprig
/// v3.3.0 and Helm's own (Functions/).
public enum ChartFunctions {
    /// Name of the engine's root template (the template set's name; `tpl` parses under it).
    static let rootTemplateName = HelmOnlyFunctions.rootTemplateName

    /// Offline (`helm template`): `lookup` gives empty maps. With a provider, `lookup` asks it.
    public static func registry(lookup provider: (any LookupProvider)? = nil, enableDNS: Bool = false) -> FunctionRegistry {
        var options = HelmFunctionOptions(enableDNS: enableDNS)
        if let provider {
            options.lookup = { apiVersion, kind, namespace, name in
                do {
                    return TemplateValue(try provider.lookup(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
                } catch let error as TemplateFunctionError {
                    throw error
                } catch {
                    throw TemplateFunctionError(String(describing: error))
                }
            }
        }
        return HelmFunctions.registry(options: options)
    }
}

/// What `lookup apiVersion kind namespace name` reads from a cluster (`helm install`/`upgrade`
/// and server dry-runs); `helm template` has none and gets `{}`. Rendering is synchronous, so an
/// implementation over an async client must block: run the render off the cooperative pool.
public protocol LookupProvider: Sendable {
    /// The object (name given) or the list `{apiVersion, kind, metadata, items: [...]}` (name
    /// empty; cluster-wide when `namespace` is empty or the kind is cluster-scoped), as the API
    /// returns it. Not found: an empty object. Other failures throw; the render fails with
    /// `error calling lookup: <message>`.
    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value
}
