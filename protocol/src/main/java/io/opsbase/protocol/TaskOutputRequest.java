package io.opsbase.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code POST /api/v1/agent/tasks/{id}/output}: one chunk of a task's output. Chunks are numbered
 * from 0 per task; the last chunk has {@code last = true} and carries the exit code and timings.
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
        Instant finishedAt) {

    public TaskOutputRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(taskId, "taskId");
        if (last && exitCode == null) {
            throw new IllegalArgumentException("the last output chunk carries the exit code");
        }
    }
}
