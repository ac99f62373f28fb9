package io.opsbase.audit;

import java.time.Instant;

/** Filters for listing audit records; every field is optional. {@code after} is a cursor (an id). */
public record AuditQuery(String actor, String action, String targetType, String targetId, String requestId,
        Instant from, Instant to, Long before, int limit) {

    public AuditQuery {
        limit = limit <= 0 ? 50 : Math.min(limit, 500);
    }

    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, null, limit);
    }
}
