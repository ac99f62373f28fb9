package io.opsbase.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code POST /api/v1/agent/tasks/{id}/output}: one chunk of a task's output. Chunks are numbered
 * from 0 per task; the last chunk has {@code last = true} and carries the exit code and timings.
 * {@code truncated} says the agent dropped output beyond the task's limit (from this chunk on);
 * {@code outcome} on the last chunk says how the task ended, one of the {@code OUTCOME_} names
 * (null means {@link #OUTCOME_EXITED}). {@code progressBytes} and {@code progressTotal}, when not
 * null, say how far a file transfer has come (bytes received of the file's size); the agent sends
 * them at most about once a second, on a chunk that may carry no output at all.
 */
public record TaskOutputRequest(
        String idempotencyKey,
        String taskId,
        int sequence,
        String stdout,
        String stderr,
        boolean last,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        boolean truncated,
        String outcome,
        Long progressBytes,
        Long progressTotal) {

    /** The process ran and exited; {@code exitCode} is its status. */
    public static final String OUTCOME_EXITED = "exited";
    /** The task's timeout passed and the agent killed its process tree. */
    public static final String OUTCOME_TIMED_OUT = "timed-out";
    /** A cancel task arrived and the agent killed its process tree. */
    public static final String OUTCOME_CANCELLED = "cancelled";
    /** The agent could not start the task (no interpreter, unknown account, bad parameters). */
    public static final String OUTCOME_FAILED_TO_START = "failed-to-start";
    /** The agent refused the task (bad signature, expired, not for this agent, refused by policy). */
    public static final String OUTCOME_REFUSED = "refused";

    /** A chunk without truncation or outcome: the form older callers use. */
    public TaskOutputRequest(String idempotencyKey, String taskId, int sequence, String stdout, String stderr,
            boolean last, Integer exitCode, Instant startedAt, Instant finishedAt) {
        this(idempotencyKey, taskId, sequence, stdout, stderr, last, exitCode, startedAt, finishedAt, false, null);
    }

    /** A chunk without progress: what every task but a file transfer sends. */
    public TaskOutputRequest(String idempotencyKey, String taskId, int sequence, String stdout, String stderr,
            boolean last, Integer exitCode, Instant startedAt, Instant finishedAt, boolean truncated, String outcome) {
        this(idempotencyKey, taskId, sequence, stdout, stderr, last, exitCode, startedAt, finishedAt, truncated, outcome, null, null);
    }

    public TaskOutputRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(taskId, "taskId");
        if (last && exitCode == null) {
            throw new IllegalArgumentException("the last output chunk carries the exit code");
        }
        if ((progressBytes == null) != (progressTotal == null)
                || progressBytes != null && (progressBytes < 0 || progressTotal < 0 || progressBytes > progressTotal)) {
            throw new IllegalArgumentException("progressBytes and progressTotal come together, with 0 <= progressBytes <= progressTotal");
        }
    }
}
