package io.opsbase.protocol.signing;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

import io.opsbase.protocol.SignedTask;

/** The agent's side of task signatures: checks against the server key pinned at enrollment. */
public final class TaskVerifier {

    private final PublicKey serverKey;

    public TaskVerifier(PublicKey serverKey) {
        this.serverKey = serverKey;
    }

    /** True only if the signature is well-formed and verifies over the task's canonical form. */
    public boolean verify(SignedTask signed) {
        try {
            var verifier = Signature.getInstance(Ed25519Keys.ALGORITHM);
            verifier.initVerify(serverKey);
            verifier.update(TaskSigner.canonical(signed.task()));
            return verifier.verify(Base64.getDecoder().decode(signed.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
