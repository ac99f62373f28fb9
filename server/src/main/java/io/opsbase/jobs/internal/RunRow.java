package io.opsbase.jobs.internal;

import java.time.Instant;

import io.opsbase.jobs.RunState;

/** A job_runs row as stored: plan, parameters (secrets sealed) and targets are JSON. */
public record RunRow(long id, String name, RunState state, Long templateId, Integer templateVersion, Long parentRunId,
        String plan, String parameters, String targets, String requestedBy, String approvedBy, String cancelledBy,
        String policyVerdict, String policySummary, int currentStep, int currentBatch, String hold, Instant resumeAt,
        String outcome, int hostCount, Instant createdAt, Instant startedAt, Instant finishedAt) {
}
