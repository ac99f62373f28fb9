package io.opsbase.agents;

import java.time.Instant;

/**
 * An agent as the registry shows it. {@code status} is derived: {@code revoked}, {@code online}
 * when seen within the online window, else {@code offline}.
 */
public record AgentInfo(long id, Long ciId, String hostname, String version, String address, String status,
        boolean pendingApproval, Instant enrolledAt, Instant lastSeenAt, Instant revokedAt) {
}
