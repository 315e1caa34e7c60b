import Structured

/// A user's `exec` credential plugin, as written in the kubeconfig.
public struct ExecConfig: Sendable, Hashable {
    public enum InteractiveMode: String, Sendable {
        case never = "Never", ifAvailable = "IfAvailable", always = "Always"
    }

    public static let v1 = "client.authentication.k8s.io/v1"
    public static let v1beta1 = "client.authentication.k8s.io/v1beta1"

    /// Absolute when the kubeconfig wrote a path with a slash; otherwise looked up on PATH.
    public var command: String
    public var args: [String]
    public var env: [EnvVar]
    public var apiVersion: String
    public var interactiveMode: InteractiveMode
    public var provideClusterInfo: Bool
    public var installHint: String?
    /// The kubeconfig user this plugin belongs to (for messages).
    public var user: String

    public struct EnvVar: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public init(
        command: String, args: [String] = [], env: [EnvVar] = [], apiVersion: String = ExecConfig.v1,
        interactiveMode: InteractiveMode = .never, provideClusterInfo: Bool = false, installHint: String? = nil,
        user: String = ""
    ) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.interactiveMode = interactiveMode
        self.provideClusterInfo = provideClusterInfo
        self.installHint = installHint
        self.user = user
    }

    static func parse(_ value: Value, field: String, user: String, reader: FieldReader) throws(KubeError) -> ExecConfig {
        guard let command = try reader.string(value["command"], field + ".command"), !command.isEmpty else {
            throw reader.fail(field + ".command", "exec plugin for user \"\(user)\" has no command")
        }
        guard let apiVersion = try reader.string(value["apiVersion"], field + ".apiVersion"), !apiVersion.isEmpty else {
            throw reader.fail(field + ".apiVersion", "exec plugin for user \"\(user)\" has no apiVersion")
        }
        guard apiVersion == v1 || apiVersion == v1beta1 else {
            throw reader.fail(
                field + ".apiVersion", "exec plugin for user \"\(user)\": unsupported apiVersion \"\(apiVersion)\" (want \(v1) or \(v1beta1))")
        }
        var mode: InteractiveMode
        if let raw = try reader.string(value["interactiveMode"], field + ".interactiveMode"), !raw.isEmpty {
            guard let parsed = InteractiveMode(rawValue: raw) else {
                throw reader.fail(field + ".interactiveMode", "invalid interactiveMode \"\(raw)\" (Never, IfAvailable or Always)")
            }
            mode = parsed
        } else if apiVersion == v1 {
            // client-go requires the field for v1; v1beta1 defaults to IfAvailable.
            throw reader.fail(field + ".interactiveMode", "interactiveMode must be specified for user \"\(user)\" to use exec authentication plugin")
        } else {
            mode = .ifAvailable
        }
        var args: [String] = []
        for (i, arg) in try reader.list(value["args"], field + ".args").enumerated() {
            args.append(try reader.string(arg, field + ".args[\(i)]") ?? "")
        }
        var env: [EnvVar] = []
        for (i, entry) in try reader.list(value["env"], field + ".env").enumerated() {
            let name = try reader.string(entry["name"], field + ".env[\(i)].name") ?? ""
            let value = try reader.string(entry["value"], field + ".env[\(i)].value") ?? ""
            env.append(EnvVar(name: name, value: value))
        }
        // Only commands written as paths are resolved against the kubeconfig; bare names use PATH.
        let resolved = command.contains("/") ? reader.resolve(command) : command
        return ExecConfig(
            command: resolved, args: args, env: env, apiVersion: apiVersion, interactiveMode: mode,
            provideClusterInfo: try reader.bool(value["provideClusterInfo"], field + ".provideClusterInfo"),
            installHint: try reader.string(value["installHint"], field + ".installHint"), user: user)
    }
}
