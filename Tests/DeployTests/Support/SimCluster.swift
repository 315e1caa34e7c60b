import Deploy
import Kube
import KubeSim
import Releases
import SimClusterSupport
import TestSupport

/// Deploy tests run on the shared in-process kubesim with controllers and kubelet on.
extension SimCluster {
    /// `scale`: simulated seconds per real second (pods start after 0.5 simulated seconds).
    static func with(scale: Double = 4, _ body: (SimCluster) async throws -> Void) async throws {
        try await with(simulated(scale: scale), body)
    }

    func store(namespace: String = "default") -> ReleaseStore {
        ReleaseStore(driver: ObjectDriver(.secret, api: KubeClusterObjects(client: client), namespace: namespace))
    }

    static func chart(_ name: String) -> String { Repository.root + "/Tests/Fixtures/Deploy/charts/" + name }
}
