package io.opsbase.jobs.schedule;

import java.time.Instant;
import java.util.Map;

/**
 * A cron schedule that starts runs of a saved job template. {@code nextFireAt} is null while disabled;
 * {@code lastOutcome} is launched, skipped (a misfire under {@link MisfirePolicy#SKIP}) or failed, with
 * {@code lastError} saying why.
 */
public record JobSchedule(long id, String name, long templateId, String cron, String timeZone, Map<String, String> parameters,
        MisfirePolicy misfire, boolean enabled, Instant nextFireAt, Instant lastFireAt, String lastOutcome, Long lastRunId,
        String lastError, Instant updatedAt) {
}
