package io.opsbase.discovery.internal;

import java.time.Instant;
import java.util.List;

import io.opsbase.discovery.IdentityMatch;

/** A row of discovery_cases. */
public record StoredCase(long id, long agentId, String kind, String reason, String status, Long ciId, Long otherAgentId,
        int score, String confidence, List<IdentityMatch> candidates, String detail, Instant createdAt, Instant updatedAt,
        Instant resolvedAt, String resolvedBy, String resolution) {

    public static final String NEW_HOST = "new-host";
    public static final String CONFLICT = "conflict";
    public static final String OPEN = "open";

    public boolean open() {
        return OPEN.equals(status);
    }
}
