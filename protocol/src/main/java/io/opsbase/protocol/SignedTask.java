package io.opsbase.protocol;

import java.util.Objects;

/**
 * A task and the base64 Ed25519 signature that vouches for it, in one of two forms:
 * <ul>
 * <li>{@code batch} null — signed alone: the signature covers the task's canonical form
 * ({@code opsbase-task-v1\n} ‖ canonical JSON);</li>
 * <li>{@code batch} set — signed with a batch: the signature covers {@code opsbase-task-batch-v1\n} ‖
 * the tree size ‖ the root of the Merkle tree over the batch's tasks, and {@code batch} is this task's audit path
 * to that root. Every task of the batch carries the same signature.</li>
 * </ul>
 * Protocol 1.1 added the batch form; an agent of protocol 1.0 ignores {@code batch} and refuses such
 * a task (its signature does not cover the task alone), so nothing runs unverified; the server
 * therefore sends the tasks of a poll announcing 1.0 signed alone.
 */
public record SignedTask(Task task, String signature, TaskBatchProof batch) {

    public SignedTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(signature, "signature");
    }

    /** A task signed alone. */
    public SignedTask(Task task, String signature) {
        this(task, signature, null);
    }
}
