package io.opsbase.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * The server's receipt for a report. The agent removes a report from its outbox only when it holds
 * an acknowledgement with the report's idempotency key. {@link Status#DUPLICATE} means the server
 * had already stored a report with this key (a retry after a lost response) and stored nothing new.
 */
public record Acknowledgement(String idempotencyKey, Status status, Instant receivedAt) {

    public enum Status { ACCEPTED, DUPLICATE }

    public Acknowledgement {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(status, "status");
    }

    public boolean acknowledges(String key) {
        return idempotencyKey.equals(key);
    }
}
