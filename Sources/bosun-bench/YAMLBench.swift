/// Decode and re-encode a large values file; prints timings. Implemented with Structured.
func runYAMLBench(_ arguments: [String]) -> Int32 {
    print("yaml bench not implemented yet")
    return 1
}
