package io.opsbase.agent.tasks;

import java.util.Objects;

import io.opsbase.protocol.TaskOutputRequest;

/**
 * How a task ended: one of the protocol's {@code OUTCOME_} names, the exit code the last output
 * chunk carries, and a message for the operator (appended to standard error; may be empty).
 */
public record TaskEnd(String outcome, int exitCode, String message) {

    /** The exit code of a task that never ran a process: the shell's "command not found". */
    public static final int NOT_RUN = 127;
    /** The exit code of a process the agent killed (timeout, cancel): there is no status of its own. */
    public static final int KILLED = -1;

    public TaskEnd {
        Objects.requireNonNull(outcome, "outcome");
        message = message == null ? "" : message;
    }

    public static TaskEnd exited(int exitCode) {
        return new TaskEnd(TaskOutputRequest.OUTCOME_EXITED, exitCode, "");
    }

    public static TaskEnd exited(int exitCode, String message) {
        return new TaskEnd(TaskOutputRequest.OUTCOME_EXITED, exitCode, message);
    }

    public static TaskEnd timedOut(String message) {
        return new TaskEnd(TaskOutputRequest.OUTCOME_TIMED_OUT, KILLED, message);
    }

    public static TaskEnd cancelled(String message) {
        return new TaskEnd(TaskOutputRequest.OUTCOME_CANCELLED, KILLED, message);
    }

    public static TaskEnd failedToStart(String message) {
        return new TaskEnd(TaskOutputRequest.OUTCOME_FAILED_TO_START, NOT_RUN, message);
    }

    public static TaskEnd refused(String message) {
        return new TaskEnd(TaskOutputRequest.OUTCOME_REFUSED, NOT_RUN, message);
    }
}
