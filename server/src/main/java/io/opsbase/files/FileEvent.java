package io.opsbase.files;

import io.opsbase.audit.Auditable;

/** A file uploaded (also when its content was already stored) or deleted. Audited. */
public record FileEvent(String action, String sha256, String summary, String actor) implements Auditable {

    @Override
    public String auditAction() {
        return action;
    }

    @Override
    public String auditTargetType() {
        return "file";
    }

    @Override
    public String auditTargetId() {
        return sha256;
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
