package io.opsbase.jobs;

import java.time.Instant;

/**
 * One host's latest step in a run: its state, exit code, how it ended and how long it took; its CI
 * name; for a file step, the latest transfer progress the agent reported ({@code progressBytes} of
 * {@code progressTotal}, and as a whole percentage), null before any.
 */
public record HostResult(long ciId, String ciName, int step, int batch, HostTaskState state, Integer exitCode, String outcome,
        boolean truncated, long outputBytes, String outputHash, Instant startedAt, Instant finishedAt, Long durationMs,
        Long progressBytes, Long progressTotal, Integer progressPercent) {
}
