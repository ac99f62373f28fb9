package io.opsbase.cmdb;

import io.opsbase.audit.Auditable;

/** Published for every schema change: a class created or edited, an attribute added or removed. */
public record CiClassChanged(String className, String action, String summary, ChangeContext context) implements Auditable {

    @Override
    public String auditAction() {
        return action;
    }

    @Override
    public String auditTargetType() {
        return "ci-class";
    }

    @Override
    public String auditTargetId() {
        return className;
    }

    @Override
    public String auditSummary() {
        return "[" + context.source() + "] " + summary;
    }

    @Override
    public String auditActor() {
        return context.actor();
    }
}
