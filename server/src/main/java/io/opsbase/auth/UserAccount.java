package io.opsbase.auth;

import java.time.Instant;

/** A user as other features and the API see it; the password hash never leaves the auth feature. */
public record UserAccount(long id, String username, String displayName, Role role, boolean enabled,
        Instant lockedUntil, Instant createdAt, Instant updatedAt) {
}
