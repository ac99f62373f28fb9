package io.opsbase.jobs;

import java.time.Instant;

/** One host's latest step in a run: its state, exit code, how it ended and how long it took. */
public record HostResult(long ciId, int step, int batch, HostTaskState state, Integer exitCode, String outcome,
        boolean truncated, long outputBytes, String outputHash, Instant startedAt, Instant finishedAt, Long durationMs) {
}
