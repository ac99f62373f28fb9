package io.opsbase.jobs.schedule;

import io.opsbase.audit.Auditable;

/**
 * A schedule was created, changed, enabled, disabled or deleted, or it fired (launched, skipped, failed); audited.
 * Fires are recorded with the actor {@code scheduler}.
 */
public record JobScheduleChanged(String action, long scheduleId, String summary, String actor) implements Auditable {

    @Override
    public String auditAction() {
        return "job-schedule." + action;
    }

    @Override
    public String auditTargetType() {
        return "job-schedule";
    }

    @Override
    public String auditTargetId() {
        return Long.toString(scheduleId);
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
