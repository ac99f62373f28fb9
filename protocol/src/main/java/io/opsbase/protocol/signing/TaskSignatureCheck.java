package io.opsbase.protocol.signing;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

import io.opsbase.protocol.SignedTask;

/**
 * Verifies a {@link SignedTask} in either form against the server key, given the task's canonical
 * bytes ({@link TaskSigner#canonical}, or the agent's own Jackson-free copy of them). Signed alone:
 * the signature covers those bytes. Signed with a batch: the bytes, the proof's leaf index, tree
 * size and audit path must lead to a root ({@link TaskTree#rootOf}) that the signature covers with
 * that tree size — one
 * Ed25519 check and about log2(batch size) SHA-256 hashes, whatever the batch size.
 * Stateless and thread-safe; no Jackson.
 */
public final class TaskSignatureCheck {

    private TaskSignatureCheck() {
    }

    /** True only if the signature (and the batch proof, if any) is well-formed and verifies. */
    public static boolean verifies(PublicKey serverKey, byte[] canonicalTask, SignedTask signed) {
        byte[] message;
        if (signed.batch() == null) {
            message = canonicalTask;
        } else {
            var root = TaskTree.rootOf(canonicalTask, signed.batch());
            if (root.isEmpty()) {
                return false;
            }
            message = TaskTree.signedBytes(signed.batch().treeSize(), root.get());
        }
        return verifiesSignature(serverKey, message, signed.signature());
    }

    /** The bare Ed25519 check of a base64 signature over {@code message}. */
    public static boolean verifiesSignature(PublicKey serverKey, byte[] message, String signatureBase64) {
        try {
            var verifier = Signature.getInstance(Ed25519Keys.ALGORITHM);
            verifier.initVerify(serverKey);
            verifier.update(message);
            return verifier.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
