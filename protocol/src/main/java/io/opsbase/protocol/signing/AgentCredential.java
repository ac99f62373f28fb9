package io.opsbase.protocol.signing;

/** What the server holds for one agent: its HMAC secret and whether it was revoked. */
public record AgentCredential(byte[] secret, boolean revoked) {

    public AgentCredential {
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
