package io.opsbase.auth;

import java.time.Instant;

/** The answer to creating a token: the only time the secret is shown. */
public record IssuedToken(String token, long id, String name, Instant expiresAt) {
}
