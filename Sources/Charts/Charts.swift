/// Charts: chart model and loader, values, Sprig and Helm functions, renderer, manifests.
public enum ChartsModule {}
