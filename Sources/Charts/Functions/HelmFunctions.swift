import GoTemplate
import Structured

/// What Helm's extra functions need from the outside world.
public struct HelmFunctionOptions: Sendable {
    /// `lookup apiVersion kind namespace name`: the object (or a `{items: [...]}` list when name is
    /// empty) as a map; Helm without a cluster (template, lint, client dry-run) gives an empty map.
    public var lookup: @Sendable (_ apiVersion: String, _ kind: String, _ namespace: String, _ name: String) throws -> TemplateValue
    /// `--enable-dns`: whether `getHostByName` resolves names (otherwise it returns "").
    public var enableDNS: Bool

    public init(
        lookup: @escaping @Sendable (String, String, String, String) throws -> TemplateValue = { _, _, _, _ in .map([:]) },
        enableDNS: Bool = false
    ) {
        self.lookup = lookup
        self.enableDNS = enableDNS
    }
}

/// Every function a Helm 4.1.4 template can call beyond Go's builtins: Sprig v3.3.0's
/// TxtFuncMap without env/expandenv, then Helm's own, which win on name clashes.
public enum HelmFunctions {
    /// Markers around `required`/`fail` messages; the renderer reports the text between them
    /// as `execution error at (file:line:col): message`.
    public static let errorStart = HelmOnlyFunctions.errorStart
    public static let errorEnd = HelmOnlyFunctions.errorEnd

    public static func register(into registry: inout FunctionRegistry, options: HelmFunctionOptions = HelmFunctionOptions()) {
        StringFunctions.register(into: &registry)
        StringListFunctions.register(into: &registry)
        MathFunctions.register(into: &registry)
        FloatMathFunctions.register(into: &registry)
        DefaultFunctions.register(into: &registry)
        EncodingFunctions.register(into: &registry)
        HashFunctions.register(into: &registry)
        CryptoFunctions.register(into: &registry)
        UUIDFunctions.register(into: &registry)
        DateFunctions.register(into: &registry)
        DictFunctions.register(into: &registry)
        ListFunctions.register(into: &registry)
        ReflectionFunctions.register(into: &registry)
        RegexFunctions.register(into: &registry)
        SemVerFunctions.register(into: &registry)
        PathFunctions.register(into: &registry)
        URLFunctions.register(into: &registry)
        YAMLJSONFunctions.register(into: &registry)
        TOMLFunctions.register(into: &registry)
        HelmOnlyFunctions.register(into: &registry, options: options)
    }

    /// A registry holding just these functions.
    public static func registry(options: HelmFunctionOptions = HelmFunctionOptions()) -> FunctionRegistry {
        var r = FunctionRegistry()
        register(into: &r, options: options)
        return r
    }
}
