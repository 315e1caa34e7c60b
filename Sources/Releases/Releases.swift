/// Releases: Helm-compatible release records, storage drivers, history and locking.
public enum ReleasesModule {}
