package io.opsbase.jobs;

import java.time.Instant;

/** A saved job and its current version's definition. */
public record JobTemplate(long id, String name, String description, int version, JobDefinition definition,
        String createdBy, Instant createdAt, Instant updatedAt) {
}
