import ArgumentParser

/// `bosun yaml`: show a YAML file the way Helm's templates see it (through toYaml or toJson).
struct YAMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yaml", abstract: "Decode a YAML file as Helm does and print it through toYaml or toJson.")

    @Argument(help: "The YAML file.") var file: String

    func run() async throws {
        throw ValidationError("yaml is not implemented yet")
    }
}
