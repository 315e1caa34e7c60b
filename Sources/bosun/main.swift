import ArgumentParser
import BosunCLI

// Dispatch explicitly: a bare `Bosun.main()` resolves to ParsableCommand's synchronous entry
// point, which refuses an async root command on this platform.
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
