import Foundation

/// Result of running a child process to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var succeeded: Bool { status == 0 }
}

/// Run `executable` with `arguments`, feeding `input` on stdin, and collect its output.
///
/// The child's stdin, stdout and stderr are temporary files, not pipes: tests start processes from
/// many threads at once, and a pipe end inherited by a sibling child (Foundation does not mark them
/// close-on-exec) would hold back end-of-file until that sibling exits — a deadlock when the sibling
/// talks to an in-process kubesim that waits on this thread. The wait uses the termination handler:
/// `waitUntilExit` spins a run loop at full CPU off the main thread.
public func runProcess(
    _ executable: String, _ arguments: [String], input: String? = nil,
    environment: [String: String]? = nil, directory: String? = nil
) throws -> ProcessResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let inPath = scratch.appendingPathComponent("stdin").path
    let outPath = scratch.appendingPathComponent("stdout").path
    let errPath = scratch.appendingPathComponent("stderr").path
    FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    guard let stdin = FileHandle(forReadingAtPath: inPath), let stdout = FileHandle(forWritingAtPath: outPath),
          let stderr = FileHandle(forWritingAtPath: errPath) else {
        throw CocoaError(.fileWriteUnknown)
    }
    defer {
        try? stdin.close()
        try? stdout.close()
        try? stderr.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    exited.wait()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
        stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller when done.
public func makeTemporaryDirectory(_ prefix: String = "bosun-test") throws -> String {
    let path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
