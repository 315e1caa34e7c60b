import ArgumentParser
import BosunCLI
import Foundation

/// Entry point. Dispatches by hand rather than through `Bosun.main()`: called from another module,
/// that resolves to ArgumentParser's synchronous entry, which cannot run async subcommands.
/// Plain `bosun render` invocations skip ArgumentParser (`RenderShortcut`): its set-up costs more
/// than rendering a small chart.
@main
struct BosunMain {
    static func main() async {
        if let status = RenderShortcut.run(Array(CommandLine.arguments.dropFirst())) { exit(status) }
        do {
            var command = try Bosun.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Bosun.exit(withError: error)
        }
    }
}
