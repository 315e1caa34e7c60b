import Charts
import Foundation

/// What `bosun render` was asked to do, however its arguments were parsed: `RenderCommand`
/// (ArgumentParser) and `init?(fastParsing:)` both build one, and `run()` does the work.
struct RenderRequest: Equatable, Sendable {
    var arguments: [String] = []
    var release: String?
    var namespace = "default"
    var values = ValueFlags()
    var showOnly: [String] = []
    var outputDirectory: String?
    var useReleaseName = false
    var includeCRDs = false
    var skipTests = false
    var noHooks = false
    var skipSchemaValidation = false
    var kubeVersion: String?
    var apiVersions: [String] = []
    var isUpgrade = false
    var nameTemplate: String?
    var generateName = false
    var skipCRDs = false
    var renderSubchartNotes = false
    var enableDNS = false

    /// Prints the manifests (or the error, on stderr); the process exit status.
    func run() -> Int32 {
        var options = TemplateOptions()
        let chart: String
        do {
            let resolved = try ChartTemplate.nameAndChart(arguments, generateName: generateName, nameTemplate: nameTemplate)
            chart = resolved.chart
            options.releaseName = release ?? resolved.name ?? "release-name"
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            return 1
        }
        options.nameTemplate = nameTemplate
        options.enableDNS = enableDNS
        options.namespace = namespace
        options.values = values.valueOptions
        options.showOnly = showOnly
        options.outputDirectory = outputDirectory
        options.useReleaseName = useReleaseName
        options.includeCRDs = includeCRDs
        options.skipTests = skipTests
        options.noHooks = noHooks
        options.skipSchemaValidation = skipSchemaValidation
        options.kubeVersion = kubeVersion
        options.apiVersions = apiVersions.flatMap { $0.split(separator: ",").map(String.init) }
        options.isUpgrade = isUpgrade
        options.exitsAfterward = true  // the command ends the process
        do {
            let output = try ChartTemplate.run(chartPath: chart, options: options)
            Self.writeStandardOutput(output)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            return 1
        }
        return 0
    }

    /// The whole text on stdout with write(2): Data's generic initialiser and FileHandle cost
    /// more than the write itself for a render's output.
    static func writeStandardOutput(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

extension RenderRequest {
    /// `render ARGUMENTS...` read without ArgumentParser, whose set-up (the command tree, the
    /// completion-script check, reflection over every option) costs more CPU than rendering a
    /// small chart. Only the plain forms are taken: `--long value`, `--long=value`, `-x value`,
    /// flags, and one or two positionals, each option and flag at most once for single values.
    /// Anything else (help, `--`, grouped short flags, values that start with `-`, repeats,
    /// unknown names, argument-count errors) returns nil, and ArgumentParser parses it and
    /// reports any error in its own words. `RenderRequestTests` checks both parsers agree.
    init?(fastParsing arguments: [String]) {
        guard arguments.first == "render" else { return nil }
        var request = RenderRequest()
        var seen = Set<String>()
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-") else {
                request.arguments.append(argument)
                continue
            }
            var name = argument
            var attached: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                attached = String(argument[argument.index(after: equals)...])
            }
            guard let option = Self.options[name] else { return nil }
            if case .flag(_, let set) = option {
                guard attached == nil, seen.insert(option.key).inserted else { return nil }
                set(&request)
                continue
            }
            let value: String
            if let attached {
                value = attached
            } else {
                guard index < arguments.count else { return nil }
                value = arguments[index]
                index += 1
            }
            guard !value.isEmpty, !value.hasPrefix("-") else { return nil }
            switch option {
            case .single(_, let set):
                guard seen.insert(option.key).inserted else { return nil }
                set(&request, value)
            case .multiple(_, let append):
                append(&request, value)
            case .flag:
                return nil
            }
        }
        guard (1...2).contains(request.arguments.count) else { return nil }
        self = request
    }

    private enum Option: Sendable {
        case flag(key: String, @Sendable (inout RenderRequest) -> Void)
        case single(key: String, @Sendable (inout RenderRequest, String) -> Void)
        case multiple(key: String, @Sendable (inout RenderRequest, String) -> Void)

        var key: String {
            switch self {
            case .flag(let key, _), .single(let key, _), .multiple(let key, _): key
            }
        }
    }

    /// Every spelling of `RenderCommand`'s options (and `ChartValuesOptions`'), by name.
    private static let options: [String: Option] = {
        let list: [([String], Option)] = [
            (["-r", "--release"], .single(key: "release") { $0.release = $1 }),
            (["-n", "--namespace"], .single(key: "namespace") { $0.namespace = $1 }),
            (["--output-dir"], .single(key: "output-dir") { $0.outputDirectory = $1 }),
            (["--kube-version"], .single(key: "kube-version") { $0.kubeVersion = $1 }),
            (["--name-template"], .single(key: "name-template") { $0.nameTemplate = $1 }),
            (["-f", "--values"], .multiple(key: "values") { $0.values.valueFiles.append($1) }),
            (["--set"], .multiple(key: "set") { $0.values.set.append($1) }),
            (["--set-string"], .multiple(key: "set-string") { $0.values.setString.append($1) }),
            (["--set-file"], .multiple(key: "set-file") { $0.values.setFile.append($1) }),
            (["--set-json"], .multiple(key: "set-json") { $0.values.setJSON.append($1) }),
            (["--set-literal"], .multiple(key: "set-literal") { $0.values.setLiteral.append($1) }),
            (["-s", "--show-only"], .multiple(key: "show-only") { $0.showOnly.append($1) }),
            (["-a", "--api-versions"], .multiple(key: "api-versions") { $0.apiVersions.append($1) }),
            (["--release-name"], .flag(key: "release-name") { $0.useReleaseName = true }),
            (["--include-crds"], .flag(key: "include-crds") { $0.includeCRDs = true }),
            (["--skip-tests"], .flag(key: "skip-tests") { $0.skipTests = true }),
            (["--no-hooks"], .flag(key: "no-hooks") { $0.noHooks = true }),
            (["--skip-schema-validation"], .flag(key: "skip-schema-validation") { $0.skipSchemaValidation = true }),
            (["--is-upgrade"], .flag(key: "is-upgrade") { $0.isUpgrade = true }),
            (["-g", "--generate-name"], .flag(key: "generate-name") { $0.generateName = true }),
            (["--skip-crds"], .flag(key: "skip-crds") { $0.skipCRDs = true }),
            (["--render-subchart-notes"], .flag(key: "render-subchart-notes") { $0.renderSubchartNotes = true }),
            (["--enable-dns"], .flag(key: "enable-dns") { $0.enableDNS = true }),
        ]
        var table: [String: Option] = [:]
        for (names, option) in list {
            for name in names { table[name] = option }
        }
        return table
    }()
}

/// The entry point's shortcut: `bosun render ...` in its plain forms runs without ArgumentParser.
public enum RenderShortcut {
    /// The exit status when `arguments` (without the program name) is a plain `render`
    /// invocation that has run; nil when ArgumentParser must handle them.
    public static func run(_ arguments: [String]) -> Int32? {
        guard let request = RenderRequest(fastParsing: arguments) else { return nil }
        return request.run()
    }
}
