package io.opsbase.agent.tasks;

import java.security.PublicKey;
import java.util.function.Supplier;

import io.opsbase.agent.json.Messages;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.signing.Ed25519Keys;
import io.opsbase.protocol.signing.TaskSignatureCheck;

/**
 * Checks a task's Ed25519 signature against the server key pinned at enrollment — what the protocol's
 * {@code TaskVerifier} does, over the same bytes ({@link Messages#taskSignedBytes}), without loading
 * Jackson into the long-running agent. Both forms are taken: a task signed alone, and a task signed
 * with a batch, whose audit path must lead from the task's own bytes to the signed root
 * ({@link TaskSignatureCheck}). The key is decoded when the first task arrives: an agent that has
 * had no task yet has loaded no EdDSA classes. Thread-safe.
 */
public final class TaskSignatures {

    private final Supplier<PublicKey> decode;
    private PublicKey serverKey;

    /** {@code serverKey}: base64 X.509, as pinned at enrollment (checked there). */
    public TaskSignatures(String serverKey) {
        this.decode = () -> Ed25519Keys.publicKey(serverKey);
    }

    public TaskSignatures(PublicKey serverKey) {
        this.decode = () -> serverKey;
    }

    private synchronized PublicKey serverKey() {
        if (serverKey == null) {
            serverKey = decode.get();
        }
        return serverKey;
    }

    /** True only if the signature (and the batch proof, if any) is well-formed and verifies over the task's canonical form. */
    public boolean verify(SignedTask signed) {
        return TaskSignatureCheck.verifies(serverKey(), Messages.taskSignedBytes(signed.task()), signed);
    }
}
