package io.opsbase.jobs.internal;

import java.time.Instant;

import io.opsbase.jobs.HostTaskState;

public record HostTaskRow(long id, long runId, int step, long ciId, int batch, int position, HostTaskState state,
        Long agentId, Long agentTaskId, Integer exitCode, String outcome, boolean truncated, String outputHash,
        long outputBytes, Instant dispatchedAt, Instant startedAt, Instant finishedAt, Instant deadlineAt,
        Long progressBytes, Long progressTotal) {
}
