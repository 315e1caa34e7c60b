/// Tracking: readiness and failure rules, watch-driven trackers, progress output model.
public enum TrackingModule {}
