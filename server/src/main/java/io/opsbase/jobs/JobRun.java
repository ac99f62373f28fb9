package io.opsbase.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it. {@code steps} carry placeholders, never secret values;
 * {@code parameters} show secrets as {@code ******}. {@code hold} says what a run
 * {@code awaiting_confirmation} waits for ({@code batch} or {@code step}); {@code counts} are the
 * hosts per state of their latest step ({@code waiting}: not reached yet).
 */
public record JobRun(long id, String name, RunState state, Long templateId, Integer templateVersion, Long parentRunId,
        List<JobStep> steps, Strategy strategy, Map<String, String> parameters, String requestedBy, String approvedBy,
        String cancelledBy, String policyVerdict, String policySummary, int currentStep, int currentBatch, String hold,
        String outcome, int hostCount, Map<String, Integer> counts, Instant createdAt, Instant startedAt,
        Instant finishedAt) {
}
