/// Deploy: planner and executor of converge, plan, dismiss and rollback.
public enum DeployModule {}
