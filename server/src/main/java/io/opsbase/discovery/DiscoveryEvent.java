package io.opsbase.discovery;

import io.opsbase.audit.Auditable;

/**
 * An audited discovery decision: a host queued or quarantined, a case approved, rejected, merged
 * or kept separate, an agent taking over the CI of a reinstalled host.
 */
public record DiscoveryEvent(String action, String targetType, String targetId, String summary, String actor)
        implements Auditable {

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
