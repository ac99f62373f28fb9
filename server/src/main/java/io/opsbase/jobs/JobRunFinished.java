package io.opsbase.jobs;

/** A run reached succeeded, failed or cancelled. */
public record JobRunFinished(long runId, RunState state, String outcome) {
}
