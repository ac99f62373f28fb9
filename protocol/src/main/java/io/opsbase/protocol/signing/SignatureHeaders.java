package io.opsbase.protocol.signing;

import java.util.Map;

/**
 * The four headers that sign an agent request.
 *
 * <ul>
 * <li>{@value #AGENT}: the agent id from enrollment.</li>
 * <li>{@value #TIMESTAMP}: Unix time in whole seconds when the agent signed.</li>
 * <li>{@value #NONCE}: 32 lower-case hex characters (16 random bytes), never reused.</li>
 * <li>{@value #SIGNATURE}: lower-case hex HMAC-SHA256 of {@link CanonicalRequest#text()} with the
 * agent's secret.</li>
 * </ul>
 *
 * <p>A streamed upload ({@link io.opsbase.protocol.AgentEndpoints#FILES}) adds {@value #CONTENT_SHA256}:
 * the lower-case hex SHA-256 of the body, which then stands for the body in the canonical request
 * (see {@link RequestSigner#signStreamed}).
 */
public record SignatureHeaders(String agentId, long timestamp, String nonce, String signature) {

    public static final String AGENT = "X-Opsbase-Agent";
    public static final String TIMESTAMP = "X-Opsbase-Timestamp";
    public static final String NONCE = "X-Opsbase-Nonce";
    public static final String SIGNATURE = "X-Opsbase-Signature";
    /** The declared body digest of a streamed request; not one of the four, so not in {@link #asMap()}. */
    public static final String CONTENT_SHA256 = "X-Opsbase-Content-SHA256";

    public Map<String, String> asMap() {
        return Map.of(AGENT, agentId, TIMESTAMP, Long.toString(timestamp), NONCE, nonce, SIGNATURE, signature);
    }
}
