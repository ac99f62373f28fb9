package io.opsbase.jobs;

import java.time.Instant;
import java.util.List;

/** A saved set of targets: explicit CI ids, or a CMDB query resolved each time a run starts. */
public record HostGroup(long id, String name, String description, List<Long> ciIds, String query, String createdBy,
        Instant createdAt, Instant updatedAt) {
}
