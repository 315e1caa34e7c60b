import ArgumentParser
import KubeSim

/// `kubesim`: runs the simulated API server. Commands are added with the server itself.
struct KubeSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubesim",
        abstract: "A simulated Kubernetes API server for tests and demos.")
}

await KubeSimCommand.main()
