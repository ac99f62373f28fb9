package io.opsbase.monitoring;

import java.time.Instant;
import java.util.Map;

/**
 * A silence: while active, alerts whose labels (with {@code rule}, {@code severity} and {@code ci})
 * include all its matchers notify nobody. They still fire and show, marked silenced.
 */
public record Silence(long id, Map<String, String> matchers, Instant startsAt, Instant endsAt, String comment,
        String createdBy, Instant createdAt) {

    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    public boolean matches(Map<String, String> labels) {
        return labels.entrySet().containsAll(matchers.entrySet());
    }
}
