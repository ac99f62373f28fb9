package io.opsbase.cmdb;

import io.opsbase.audit.Auditable;

/**
 * Published once per committed CSV import, in its transaction. Each created or updated CI also
 * has its own history rows (source {@code import}); updated CIs additionally publish their own
 * {@link CiChanged}. One audit record stands for the CIs the import created, so a 100,000-row
 * import does not serialise 100,000 appends on the audit chain.
 */
public record CiImportCommitted(String className, int created, int updated, ChangeContext context)
        implements Auditable {

    @Override
    public String auditAction() {
        return "ci.imported";
    }

    @Override
    public String auditTargetType() {
        return "class";
    }

    @Override
    public String auditTargetId() {
        return className;
    }

    @Override
    public String auditSummary() {
        return "CSV import into " + className + ": " + created + " created, " + updated + " updated";
    }

    @Override
    public String auditActor() {
        return context.actor();
    }
}
