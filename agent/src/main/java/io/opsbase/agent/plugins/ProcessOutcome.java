package io.opsbase.agent.plugins;

import java.time.Duration;

/**
 * How one plugin process ended. {@code exitCode} is meaningful only when {@code status} is
 * {@link Status#EXITED}; {@code problem} says in words what went wrong otherwise.
 */
public record ProcessOutcome(Status status, int exitCode, String stdout, String stderr, Duration elapsed, String problem) {

    public enum Status {
        /** The process ran to its end within the limits. */
        EXITED,
        /** Killed (with its children) when the timeout passed. */
        TIMED_OUT,
        /** Killed (with its children) when its output passed the size limit. */
        OUTPUT_TOO_LARGE,
        /** Could not be started: missing program, account not switchable, no permission. */
        NOT_STARTED,
        /** Every plugin slot stayed busy for the whole timeout, so it did not run this time. */
        BUSY
    }

    static ProcessOutcome failed(Status status, Duration elapsed, String problem) {
        return new ProcessOutcome(status, -1, "", "", elapsed, problem);
    }

    public boolean exited() {
        return status == Status.EXITED;
    }
}
