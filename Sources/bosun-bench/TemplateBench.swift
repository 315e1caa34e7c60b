/// Parse and execute a template workload; prints throughput. Implemented with GoTemplate.
func runTemplateBench(_ arguments: [String]) -> Int32 {
    print("template bench not implemented yet")
    return 1
}
