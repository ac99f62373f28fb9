package io.opsbase.protocol.signing;

/** The outcome of {@link SignatureVerifier#verify}. */
public sealed interface VerificationResult {

    /** The request comes from this agent and was not seen before. */
    record Verified(String agentId) implements VerificationResult {
    }

    /**
     * The request is refused. {@code skewSeconds} (request time minus server time) is set for
     * {@link RejectionReason#STALE_TIMESTAMP}, null otherwise.
     */
    record Rejected(RejectionReason reason, String detail, Long skewSeconds) implements VerificationResult {
    }
}
