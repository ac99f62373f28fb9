package io.opsbase.agent.tasks;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.function.Supplier;

import io.opsbase.agent.json.Messages;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.signing.Ed25519Keys;

/**
 * Checks a task's Ed25519 signature against the server key pinned at enrollment — what the protocol's
 * {@code TaskVerifier} does, over the same bytes ({@link Messages#taskSignedBytes}), without loading
 * Jackson into the long-running agent. The key is decoded when the first task arrives: an agent
 * that has had no task yet has loaded no EdDSA classes. Thread-safe.
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

    /** True only if the signature is well-formed and verifies over the task's canonical form. */
    public boolean verify(SignedTask signed) {
        try {
            var verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(serverKey());
            verifier.update(Messages.taskSignedBytes(signed.task()));
            return verifier.verify(Base64.getDecoder().decode(signed.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
