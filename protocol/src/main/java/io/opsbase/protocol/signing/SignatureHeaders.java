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
 */
public record SignatureHeaders(String agentId, long timestamp, String nonce, String signature) {

    public static final String AGENT = "X-Opsbase-Agent";
    public static final String TIMESTAMP = "X-Opsbase-Timestamp";
    public static final String NONCE = "X-Opsbase-Nonce";
    public static final String SIGNATURE = "X-Opsbase-Signature";

    public Map<String, String> asMap() {
        return Map.of(AGENT, agentId, TIMESTAMP, Long.toString(timestamp), NONCE, nonce, SIGNATURE, signature);
    }
}
