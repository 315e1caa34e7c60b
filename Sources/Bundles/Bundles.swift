/// Bundles: charts as OCI artifacts, chart repositories, dependency resolution.
public enum BundlesModule {}
