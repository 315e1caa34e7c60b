import ArgumentParser
import Foundation
import Structured

/// `bosun yaml`: show a YAML file the way Helm's templates see it (through toYaml or toJson).
struct YAMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yaml", abstract: "Decode a YAML file as Helm does and print it through toYaml or toJson.")

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case yaml, json, prettyJSON = "pretty-json", prettyYAML = "pretty-yaml"
    }

    enum Mode: String, ExpressibleByArgument, CaseIterable { case values, manifest }

    @Argument(help: "The YAML file.") var file: String
    @Option(name: .customLong("to"), help: "Output: yaml (toYaml), json (toJson), pretty-json (toPrettyJson), pretty-yaml (toYamlPretty).")
    var output: Output = .yaml
    @Option(help: "Typing: values (values files, fromYaml) or manifest (rendered Kubernetes objects).")
    var mode: Mode = .values

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("\(file): cannot read file\n".utf8))
            throw ExitCode(1)
        }
        do {
            let value = try YAML.decode(String(decoding: data, as: UTF8.self), mode: mode == .values ? .values : .manifest, file: file)
            let text: String
            switch output {
            case .yaml: text = try YAML.encode(value)
            case .prettyYAML: text = try YAML.encodePretty(value)
            case .json: text = try JSON.encodeChecked(value) + "\n"
            case .prettyJSON: text = try JSON.encodeChecked(value, indent: "  ") + "\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
