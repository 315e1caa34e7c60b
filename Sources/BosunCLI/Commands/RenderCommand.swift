import ArgumentParser

/// `bosun render`: what `helm template` prints. Implemented with the Charts module.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a chart locally and print the manifests, like `helm template`.")

    @Argument(help: "Chart directory or .tgz archive.") var chart: String

    func run() async throws {
        throw ValidationError("render is not implemented yet")
    }
}
