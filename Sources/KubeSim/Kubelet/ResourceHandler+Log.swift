import Structured

extension ResourceHandler {
    /// `GET .../pods/{name}/log`: served by the simulated kubelet's runtime.
    func podLog() async throws(APIError) -> SimResponse {
        let pod = try await store.get(type, namespace: namespace, name: route.name!)
        guard let kubelet else {
            throw APIError.badRequest("pod \(pod.name) does not have a host assigned")
        }
        return try PodLogs(runtime: kubelet, store: store).respond(pod: pod, query: .init(request.query))
    }
}
