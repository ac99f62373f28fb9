package io.opsbase.agent.tasks;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

import io.opsbase.agent.json.Messages;
import io.opsbase.protocol.SignedTask;

/**
 * Checks a task's Ed25519 signature against the server key pinned at enrollment — what the protocol's
 * {@code TaskVerifier} does, over the same bytes ({@link Messages#taskSignedBytes}), without loading
 * Jackson into the long-running agent.
 */
public final class TaskSignatures {

    private final PublicKey serverKey;

    public TaskSignatures(PublicKey serverKey) {
        this.serverKey = serverKey;
    }

    /** True only if the signature is well-formed and verifies over the task's canonical form. */
    public boolean verify(SignedTask signed) {
        try {
            var verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(serverKey);
            verifier.update(Messages.taskSignedBytes(signed.task()));
            return verifier.verify(Base64.getDecoder().decode(signed.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
