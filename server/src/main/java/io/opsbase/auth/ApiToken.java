package io.opsbase.auth;

import java.time.Instant;

/** A personal access token's metadata; the secret itself is only in {@link IssuedToken}, once. */
public record ApiToken(long id, long userId, String name, String prefix, Instant createdAt, Instant expiresAt,
        Instant lastUsedAt, Instant revokedAt) {

    public boolean activeAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
