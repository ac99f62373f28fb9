package io.opsbase.agent.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One report waiting for the server: the path it is posted to, its idempotency key (also inside
 * the body) and the JSON body. {@code sequence} orders the entries; it only grows.
 */
public record OutboxEntry(long sequence, String idempotencyKey, String path, Instant createdAt, byte[] body) {

    public OutboxEntry {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(body, "body");
    }
}
