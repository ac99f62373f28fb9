package io.opsbase.audit;

import java.time.Instant;

/** One link of the audit chain as stored. */
public record AuditRecord(long id, Instant occurredAt, String actor, String action, String targetType,
        String targetId, String summary, String requestId, String sourceIp, String prevHash, String hash) {
}
