package io.opsbase.agents;

import java.time.Instant;

/** An enrollment token's metadata; the secret is shown once, in {@link IssuedEnrollmentToken}. */
public record EnrollmentToken(long id, String prefix, String description, int usesTotal, int usesLeft,
        boolean autoApprove, String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && usesLeft > 0 && expiresAt.isAfter(now);
    }
}
