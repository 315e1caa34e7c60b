import Foundation

/// Result of running a child process to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var succeeded: Bool { status == 0 }
}

/// Run `executable` with `arguments`, feeding `input` on stdin, and collect its output.
/// Output is drained on background threads so large outputs cannot deadlock the pipe.
public func runProcess(
    _ executable: String, _ arguments: [String], input: String? = nil,
    environment: [String: String]? = nil, directory: String? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    let outData = DrainBox(), errData = DrainBox()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
    if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
    try? inp.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData.data, as: UTF8.self),
        stderr: String(decoding: errData.data, as: UTF8.self))
}

private final class DrainBox: @unchecked Sendable { var data = Data() }

/// A fresh temporary directory, removed by the caller when done.
public func makeTemporaryDirectory(_ prefix: String = "bosun-test") throws -> String {
    let path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
