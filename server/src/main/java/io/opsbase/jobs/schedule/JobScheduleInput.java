package io.opsbase.jobs.schedule;

import java.util.Map;

/** A schedule as the API and the form send it; {@code timeZone} defaults to UTC, {@code misfire} to skip. */
public record JobScheduleInput(String name, Long templateId, String cron, String timeZone, Map<String, String> parameters,
        String misfire, Boolean enabled) {
}
