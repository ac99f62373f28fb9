package io.opsbase.audit.internal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.Auditable;

/**
 * Writes an audit record for every {@link Auditable} event, synchronously: the publisher's
 * transaction carries both the change and its record.
 */
@Component
class AuditListener {

    private final AuditLog auditLog;

    AuditListener(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @EventListener
    void on(Auditable event) {
        auditLog.append(event);
    }
}
