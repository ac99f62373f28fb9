package io.opsbase.jobs.policy;

import io.opsbase.audit.Auditable;

/** A dangerous-command rule was created, changed, enabled, disabled or deleted (audited). */
public record PolicyRuleChanged(String action, long ruleId, String summary) implements Auditable {

    @Override
    public String auditAction() {
        return "job-policy-rule." + action;
    }

    @Override
    public String auditTargetType() {
        return "job-policy-rule";
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
