package io.opsbase.auth;

import io.opsbase.audit.Auditable;

/** Published for every change to a user or a token: created, re-roled, disabled, token issued or revoked. */
public record UserChanged(String action, long userId, String summary, String actor) implements Auditable {

    @Override
    public String auditAction() {
        return action;
    }

    @Override
    public String auditTargetType() {
        return "user";
    }

    @Override
    public String auditTargetId() {
        return Long.toString(userId);
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
