package io.opsbase.protocol.signing;

import java.security.PublicKey;

import io.opsbase.protocol.SignedTask;

/**
 * The agent's side of task signatures: checks against the server key pinned at enrollment, a task
 * signed alone or with a batch ({@link TaskSignatureCheck}).
 */
public final class TaskVerifier {

    private final PublicKey serverKey;

    public TaskVerifier(PublicKey serverKey) {
        this.serverKey = serverKey;
    }

    /** True only if the signature (and batch proof, if any) is well-formed and verifies over the task's canonical form. */
    public boolean verify(SignedTask signed) {
        return TaskSignatureCheck.verifies(serverKey, TaskSigner.canonical(signed.task()), signed);
    }
}
