package io.opsbase.audit;

import java.time.Instant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.opsbase.platform.BadRequestException;
import io.opsbase.platform.Page;

/** {@code /api/v1/audit}: readable by admins and auditors (see the security configuration). */
@RestController
@RequestMapping("/api/v1/audit")
class AuditApiController {

    private final AuditLog auditLog;

    AuditApiController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GetMapping
    Page<AuditRecord> list(@RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String targetType,
            @RequestParam(required = false) String targetId,
            @RequestParam(required = false) String requestId,
            @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        Long before = null;
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new BadRequestException("cursor is not one this API issued");
            }
        }
        return auditLog.list(new AuditQuery(actor, action, targetType, targetId, requestId, from, to, before, limit));
    }

    @GetMapping("/verify")
    AuditVerification verify() {
        return auditLog.verify();
    }
}
