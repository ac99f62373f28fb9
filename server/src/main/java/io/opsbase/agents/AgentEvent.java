package io.opsbase.agents;

import io.opsbase.audit.Auditable;

/**
 * Published for every change in the agents feature: a token issued or revoked, an agent
 * enrolled or revoked, a request rejected for a bad signature. Audited.
 */
public record AgentEvent(String action, String targetType, String targetId, String summary, String actor)
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
