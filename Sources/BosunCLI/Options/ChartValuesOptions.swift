import ArgumentParser
import Charts

/// The values flags of `bosun render`, shared by every command that renders a chart for a cluster.
struct ChartValuesOptions: ParsableArguments, Sendable {
    @Option(name: [.customShort("f"), .customLong("values")], help: "Values file (repeatable, comma-separated).")
    var valueFiles: [String] = []

    @Option(name: .customLong("set"), help: "Set values: a.b=1,c={x,y} (repeatable).")
    var set: [String] = []

    @Option(name: .customLong("set-string"), help: "Set STRING values (repeatable).")
    var setString: [String] = []

    @Option(name: .customLong("set-file"), help: "Set values from files: key=path (repeatable).")
    var setFile: [String] = []

    @Option(name: .customLong("set-json"), help: "Set JSON values: key=<json> or a JSON object (repeatable).")
    var setJSON: [String] = []

    @Option(name: .customLong("set-literal"), help: "Set a literal STRING value: key=everything after = (repeatable).")
    var setLiteral: [String] = []

    var flags: ValueFlags {
        ValueFlags(valueFiles: valueFiles, set: set, setString: setString, setFile: setFile, setJSON: setJSON, setLiteral: setLiteral)
    }

    var valueOptions: ValueOptions { flags.valueOptions }
}

/// The values flags as given, however they were parsed (ArgumentParser or `RenderRequest`'s shortcut).
struct ValueFlags: Equatable, Sendable {
    var valueFiles: [String] = []
    var set: [String] = []
    var setString: [String] = []
    var setFile: [String] = []
    var setJSON: [String] = []
    var setLiteral: [String] = []

    var valueOptions: ValueOptions {
        var options = ValueOptions()
        options.valueFiles = valueFiles.flatMap { $0.split(separator: ",").map(String.init) }
        options.values = set
        options.stringValues = setString
        options.fileValues = setFile
        options.jsonValues = setJSON
        options.literalValues = setLiteral
        return options
    }
}
