package io.opsbase.protocol.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.opsbase.protocol.CanonicalJson;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;

/**
 * The server's side of task signatures: Ed25519 over {@link #canonical} for a task signed alone
 * ({@link #sign}), or over the root of the batch's Merkle tree ({@link #signAll}, {@link TaskTree}).
 * Thread-safe.
 */
public final class TaskSigner {

    /** Domain separation: a task signature can never be mistaken for a signature over anything else. */
    static final String PREFIX = "opsbase-task-v1\n";

    private final PrivateKey key;

    public TaskSigner(PrivateKey key) {
        this.key = key;
    }

    public SignedTask sign(Task task) {
        try {
            var signer = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signer.initSign(key);
            signer.update(canonical(task));
            return new SignedTask(task, Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign task " + task.taskId(), e);
        }
    }

    /**
     * Signs a batch with one Ed25519 signature: the Merkle tree over the tasks' canonical forms,
     * the signature over its root, and each task given the signature and its audit path. The
     * result is in the tasks' order; at least one task.
     */
    public List<SignedTask> signAll(List<Task> tasks) {
        List<byte[]> leaves = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            leaves.add(TaskTree.leafHash(canonical(task)));
        }
        TaskTree.Built tree = TaskTree.build(leaves);
        String signature;
        try {
            var signer = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signer.initSign(key);
            signer.update(TaskTree.signedBytes(tasks.size(), tree.root()));
            signature = Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a batch of " + tasks.size() + " tasks", e);
        }
        List<SignedTask> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            out.add(new SignedTask(tasks.get(i), signature, TaskTree.proof(tree, i)));
        }
        return out;
    }

    /** {@code opsbase-task-v1\n} followed by the task's canonical JSON (members sorted, no whitespace). */
    public static byte[] canonical(Task task) {
        var json = CanonicalJson.bytes(task);
        var prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
        var out = new byte[prefix.length + json.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 0, out, prefix.length, json.length);
        return out;
    }
}
