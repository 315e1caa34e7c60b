/// Kube: kubeconfig, transport, discovery and operations against a Kubernetes API server.
public enum KubeModule {}
