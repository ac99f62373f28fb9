package io.opsbase.monitoring;

import io.opsbase.audit.Auditable;

/** Someone acknowledged an alert, or created or expired a silence (audited). */
public record AlertActionTaken(String action, String targetType, long targetId, String summary) implements Auditable {

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
        return Long.toString(targetId);
    }

    @Override
    public String auditSummary() {
        return summary;
    }
}
