package io.opsbase.monitoring;

import io.opsbase.audit.Auditable;

/** An alert rule was created, changed or deleted (audited). */
public record AlertRuleChanged(String action, long ruleId, String summary) implements Auditable {

    @Override
    public String auditAction() {
        return "alert-rule." + action;
    }

    @Override
    public String auditTargetType() {
        return "alert-rule";
    }

    @Override
    public String auditTargetId() {
        return Long.toString(ruleId);
    }

    @Override
    public String auditSummary() {
        return summary;
    }
}
