package io.opsbase.cmdb;

import io.opsbase.audit.Auditable;

/**
 * Published inside the transaction of every change to a CI (created, updated, transition,
 * retired, component). The audit log records it; other features may listen to it.
 *
 * @param action  {@code ci.created}, {@code ci.updated}, {@code ci.transition}, {@code ci.retired},
 *                {@code ci.component}, …
 * @param summary short before → after description
 */
public record CiChanged(long ciId, String action, String summary, ChangeContext context) implements Auditable {

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
        return Long.toString(ciId);
    }

    @Override
    public String auditSummary() {
        String origin = "[" + context.source() + "] ";
        return context.reason() == null ? origin + summary : origin + summary + " (reason: " + context.reason() + ")";
    }

    @Override
    public String auditActor() {
        return context.actor();
    }
}
