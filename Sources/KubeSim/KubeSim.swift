/// KubeSim: a simulated Kubernetes API server for tests, benchmarks and `--sim`.
public enum KubeSimModule {}
