package io.opsbase.agent.state;

import java.util.Base64;
import java.util.Objects;

/**
 * The agent's identity after enrollment: the server it enrolled with, its id, its base64 HMAC
 * secret and the server's base64 Ed25519 public key that every task must verify against.
 */
public record AgentState(String serverUrl, String agentId, String secret, String serverPublicKey) {

    public AgentState {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(serverPublicKey, "serverPublicKey");
    }

    public byte[] secretBytes() {
        return Base64.getDecoder().decode(secret);
    }

    @Override
    public String toString() {
        return "AgentState[serverUrl=" + serverUrl + ", agentId=" + agentId + ", secret=(hidden)]";
    }
}
