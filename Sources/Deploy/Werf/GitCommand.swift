import Foundation

/// Runs `git` (found through PATH) and collects its output. Only `GitSource` uses it.
struct GitCommand: Sendable {
    var directory: String

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    func run(_ arguments: [String], input: Data? = nil) throws(DeployError) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        do { try process.run() } catch {
            throw DeployError.plan(.gitSource("--from-git: cannot run git: \(error.localizedDescription)"))
        }
        // Drain both pipes while feeding stdin, so large outputs cannot block the child.
        let collected = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { collected.stdout = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { collected.stderr = err.fileHandleForReading.readDataToEndOfFile() }
        if let input { try? inp.fileHandleForWriting.write(contentsOf: input) }
        try? inp.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: collected.stdout,
                      stderr: String(decoding: collected.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs and returns stdout as text, throwing git's message on failure.
    func text(_ arguments: [String], failure: String) throws(DeployError) -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw DeployError.plan(.gitSource(result.stderr.isEmpty ? failure : "\(failure): \(result.stderr)"))
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }

    private final class Collected: @unchecked Sendable {
        var stdout = Data()
        var stderr = Data()
    }
}
