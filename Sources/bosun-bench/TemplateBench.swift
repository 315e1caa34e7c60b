// `bosun-bench template DIR [ITERATIONS]`: parse every template under DIR/templates into one set,
// then execute each non-underscore file with DIR/values.json as .Values (Helm's missingkey=zero).
// Registers Helm's `include` (a nested execution returning a string), as bench/go-template does.
// Prints parse and execution times and the output throughput.
import Foundation
import GoTemplate

func runTemplateBench(_ arguments: [String]) -> Int32 {
    guard let dir = arguments.first else {
        FileHandle.standardError.write("usage: bosun-bench template DIR [ITERATIONS]\n".data(using: .utf8)!)
        return 2
    }
    let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 1 : 1
    let templatesDir = dir + "/templates"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: templatesDir).sorted(),
          let valuesText = try? String(contentsOfFile: dir + "/values.json", encoding: .utf8) else {
        FileHandle.standardError.write("bosun-bench: cannot read \(templatesDir) or \(dir)/values.json\n".data(using: .utf8)!)
        return 1
    }
    var files: [(name: String, text: String)] = []
    for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".tpl") {
        guard let text = readFile(templatesDir + "/" + name) else { continue }
        files.append(("bench/templates/" + name, text))
    }
    var reader = BenchJSON(Array(valuesText.utf8))
    guard let values = reader.value() else {
        FileHandle.standardError.write("bosun-bench: values.json is not valid JSON\n".data(using: .utf8)!)
        return 1
    }
    let data = TemplateValue.map(["Values": values])
    // BOSUN_PARSE_THREADS=1 measures the parser alone on one core.
    let parseThreads = ProcessInfo.processInfo.environment["BOSUN_PARSE_THREADS"].flatMap { Int($0) } ?? TemplateSet.defaultParseThreads
    let executed = files.map(\.0).filter { !($0 as NSString).lastPathComponent.hasPrefix("_") }
    // CPU time of the whole process (every thread, as Go's figure counts its GC threads): the
    // machine may be shared, and wall time then measures the run queue.
    func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    var best = (parse: Double.infinity, execute: Double.infinity)
    var bestCPU = (parse: Double.infinity, execute: Double.infinity)
    var bytes = 0, lines = 0
    for _ in 0..<iterations {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        var functions = FunctionRegistry()
        functions.register("include", receivesGoTypes: true) { args, context in
            guard args.count == 2, case .string(let name) = args[0] else {
                throw TemplateFunctionError("include wants a name and a value")
            }
            return .string(try context.executeTemplate(named: name, data: args[1]))
        }
        var set = TemplateSet(name: "gotpl", functions: functions)
        do {
            // Every file at once: parsed on one thread per core, defined in file order.
            try set.parse(files, threads: parseThreads)
        } catch {
            FileHandle.standardError.write("bosun-bench: \(error)\n".data(using: .utf8)!)
            return 1
        }
        let parsed = DispatchTime.now().uptimeNanoseconds
        let cpuParsed = cpuSeconds()
        bytes = 0; lines = 0
        do {
            for name in executed {
                let out = try set.execute(name: name, data: data, options: ExecutionOptions(missingKey: .zero))
                bytes += out.utf8.count
                lines += out.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            }
        } catch {
            FileHandle.standardError.write("bosun-bench: \(error)\n".data(using: .utf8)!)
            return 1
        }
        let done = DispatchTime.now().uptimeNanoseconds
        let cpuDone = cpuSeconds()
        bestCPU.parse = min(bestCPU.parse, cpuParsed - cpuStart)
        bestCPU.execute = min(bestCPU.execute, cpuDone - cpuParsed)
        best.parse = min(best.parse, Double(parsed - start) / 1e9)
        best.execute = min(best.execute, Double(done - parsed) / 1e9)
        // The previous iteration's set is freed here, outside the timed part (Go's harness runs its
        // GC between iterations too), so its memory is reused instead of faulting in fresh pages.
        // The last set stays: like helm's Go process, exit without tearing the parsed trees down.
        lastSet = set
    }
    let total = best.parse + best.execute
    let cpu = bestCPU.parse + bestCPU.execute
    print(String(format: "templates=%d output_bytes=%d output_lines=%d wall: parse=%.4fs execute=%.4fs total=%.4fs cpu: parse=%.4fs execute=%.4fs total=%.4fs throughput=%.1f MB/s (cpu)",
                 files.count, bytes, lines, best.parse, best.execute, total, bestCPU.parse, bestCPU.execute, cpu, Double(bytes) / cpu / 1e6))
    return 0
}

nonisolated(unsafe) var lastSet: TemplateSet? = nil

/// Read a whole file with POSIX calls (cheaper than Foundation's reader for 2,000 small files).
func readFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Minimal JSON reader for the bench's values: every number is a float64, as Helm's values are.
struct BenchJSON {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip() { while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 } }

    mutating func value() -> TemplateValue? {
        skip()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var map: [String: TemplateValue] = [:]
            skip()
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .map(map) }
            while true {
                skip()
                guard case .string(let key)? = value() else { return nil }
                skip(); i += 1 // ':'
                guard let v = value() else { return nil }
                map[key] = v
                skip()
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                i += 1
                return .map(map)
            }
        case UInt8(ascii: "["):
            i += 1
            var list: [TemplateValue] = []
            skip()
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(list) }
            while true {
                guard let v = value() else { return nil }
                list.append(v)
                skip()
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                i += 1
                return .list(list)
            }
        case UInt8(ascii: "\""):
            i += 1
            var out: [UInt8] = []
            while bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    i += 1
                    switch bytes[i] {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    default: out.append(bytes[i])
                    }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            i += 1
            return .string(String(decoding: out, as: UTF8.self))
        case UInt8(ascii: "t"): i += 4; return .bool(true)
        case UInt8(ascii: "f"): i += 5; return .bool(false)
        case UInt8(ascii: "n"): i += 4; return .null
        default:
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            return Double(String(decoding: bytes[start..<i], as: UTF8.self)).map { .float($0) }
        }
    }
}
