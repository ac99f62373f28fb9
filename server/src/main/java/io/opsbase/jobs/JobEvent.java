package io.opsbase.jobs;

import io.opsbase.audit.Auditable;

/**
 * Published for every decision in the jobs feature: a run created, approved, confirmed, cancelled,
 * stopped by its failure policy or finished; a policy verdict; a template or host group changed.
 * Audited in the same transaction.
 */
public record JobEvent(String action, String targetType, String targetId, String summary, String actor)
        implements Auditable {

    public static JobEvent run(String action, long runId, String summary, String actor) {
        return new JobEvent(action, "job-run", Long.toString(runId), summary, actor);
    }

    @Override
    public String auditAction() {
        return action;
    }

    @Override
    public String auditTargetType() {
        return targetType;
    }

    @Override
    public String auditTargetId() {
        return targetId;
    }

    @Override
    public String auditSummary() {
        return summary;
    }

    @Override
    public String auditActor() {
        return actor;
    }
}
