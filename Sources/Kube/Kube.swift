/// Kube: kubeconfig, transport, discovery and operations against a Kubernetes API server.
/// Entry points: `KubeConfigLoader` -> `ClusterConnection` -> `HTTPKubeClient` (a `KubeClient`).
public enum KubeModule {}
