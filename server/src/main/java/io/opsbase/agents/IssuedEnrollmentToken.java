package io.opsbase.agents;

import java.time.Instant;

/** The answer to creating an enrollment token: the only time its secret is shown. */
public record IssuedEnrollmentToken(String token, long id, int uses, boolean autoApprove, Instant expiresAt) {
}
