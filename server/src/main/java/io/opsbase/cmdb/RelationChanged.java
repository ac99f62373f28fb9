package io.opsbase.cmdb;

import io.opsbase.audit.Auditable;

/**
 * Published inside the transaction that adds or removes a relation; the audit log records it in
 * that same transaction. {@code action} is {@code relation.added} or {@code relation.removed}.
 */
public record RelationChanged(String action, long relationId, String type, long sourceId, long targetId,
        ChangeContext context) implements Auditable {

    @Override
    public String auditAction() {
        return action;
    }

    @Override
    public String auditTargetType() {
        return "ci";
    }

    @Override
    public String auditTargetId() {
        return Long.toString(sourceId);
    }

    @Override
    public String auditSummary() {
        return (action.endsWith("added") ? "added " : "removed ") + "relation " + relationId + ": ci " + sourceId
                + " " + type + " ci " + targetId + " (source " + context.source() + ")";
    }

    @Override
    public String auditActor() {
        return context.actor();
    }
}
