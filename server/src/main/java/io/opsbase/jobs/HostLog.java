package io.opsbase.jobs;

/** One host's output for one step, secrets masked; {@code truncated} when the agent dropped output beyond its limit. */
public record HostLog(long runId, long ciId, int step, HostTaskState state, Integer exitCode, String outcome,
        boolean truncated, String stdout, String stderr) {
}
