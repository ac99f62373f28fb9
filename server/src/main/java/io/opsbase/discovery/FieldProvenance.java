package io.opsbase.discovery;

import java.time.Instant;

/** Where a CI field came from and when discovery last saw it; {@code removedAt} for a component that disappeared. */
public record FieldProvenance(String field, String source, Instant firstSeenAt, Instant lastSeenAt, Instant removedAt) {
}
