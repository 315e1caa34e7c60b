import Foundation
import Structured

/// `bosun-bench yaml FILE [RUNS]`: decode a values file and encode it through toYaml and toJson,
/// printing the best time of each phase in milliseconds.
func runYAMLBench(_ arguments: [String]) -> Int32 {
    guard let path = arguments.first, let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("usage: bosun-bench yaml FILE [RUNS]\n".utf8))
        return 2
    }
    let runs = arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
    let text = String(decoding: data, as: UTF8.self)
    var decodeMs: [Double] = [], yamlMs: [Double] = [], jsonMs: [Double] = []
    var outputBytes = 0
    func ms(_ start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
    do {
        for _ in 0..<runs {
            var t = ContinuousClock.now
            let value = try YAML.decode(text, mode: .values, file: path)
            decodeMs.append(ms(t))
            t = ContinuousClock.now
            let yaml = try YAML.encode(value)
            yamlMs.append(ms(t))
            t = ContinuousClock.now
            let json = JSON.encode(value)
            jsonMs.append(ms(t))
            outputBytes = yaml.utf8.count + json.utf8.count
        }
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 1
    }
    func fmt(_ v: [Double]) -> String {
        let s = v.sorted()
        return String(format: "min %.1f ms, median %.1f ms", s[0], s[s.count / 2])
    }
    print("input: \(data.count) bytes, output: \(outputBytes) bytes, runs: \(runs)")
    print("decode:      \(fmt(decodeMs))")
    print("toYaml:      \(fmt(yamlMs))")
    print("toJson:      \(fmt(jsonMs))")
    let total = zip(zip(decodeMs, yamlMs), jsonMs).map { $0.0 + $0.1 + $1 }
    print("total:       \(fmt(total))")
    return 0
}
