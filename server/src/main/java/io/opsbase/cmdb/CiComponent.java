package io.opsbase.cmdb;

import java.time.Instant;
import java.util.Map;

/** A hardware part of a CI with its own identity (serial, slot or MAC). */
public record CiComponent(long id, long ciId, String kind, String identity, Map<String, Object> attributes,
        Instant createdAt, Instant updatedAt) {
}
