import ArgumentParser
import BosunCLI

/// Entry point. Dispatches by hand rather than through `Bosun.main()`: called from another module,
/// that resolves to ArgumentParser's synchronous entry, which cannot run async subcommands.
@main
struct BosunMain {
    static func main() async {
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
