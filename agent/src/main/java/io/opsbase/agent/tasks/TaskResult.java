package io.opsbase.agent.tasks;

import java.time.Instant;

/** What running a task produced. */
public record TaskResult(String stdout, String stderr, int exitCode, Instant startedAt, Instant finishedAt) {
}
