package io.opsbase.protocol;

import java.util.Objects;

/**
 * The agent's identity: its id, the base64 HMAC secret it signs every later request with, and the
 * server's Ed25519 public key (base64 X.509 SubjectPublicKeyInfo) that every task must verify
 * against. {@code approval} tells whether the host still waits in the approval queue; the agent
 * behaves the same either way.
 */
public record EnrollResponse(String agentId, String secret, String serverPublicKey, Approval approval, ProtocolVersion protocolVersion) {

    public enum Approval { APPROVED, PENDING }

    public EnrollResponse {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(serverPublicKey, "serverPublicKey");
    }

    @Override
    public String toString() {
        return "EnrollResponse[agentId=" + agentId + ", secret=(hidden), approval=" + approval + "]";
    }
}
