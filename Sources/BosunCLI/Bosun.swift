import ArgumentParser

/// The `bosun` command and its subcommands; each subcommand lives in Commands/.
public struct Bosun: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bosun",
        abstract: "Deploy Helm charts to Kubernetes with werf's ordering, tracking and Helm-compatible releases.",
        version: BosunVersion.current,
        subcommands: [
            RenderCommand.self, ListCommand.self, HistoryCommand.self, StatusCommand.self, GetCommand.self,
            YAMLCommand.self, ConvergeCommand.self, PlanCommand.self, DismissCommand.self, RollbackCommand.self,
            BundleCommand.self, ChartCommand.self, RepoCommand.self, RegistryCommand.self,
        ]
    )

    public init() {}
}

public enum BosunVersion {
    public static let current = "0.1.0"
}
