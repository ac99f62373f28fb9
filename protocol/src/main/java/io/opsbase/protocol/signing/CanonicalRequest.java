package io.opsbase.protocol.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The string an agent request signature covers: seven lines joined by {@code \n}, no trailing
 * newline:
 *
 * <pre>
 * OPSBASE-HMAC-SHA256
 * &lt;agent id&gt;
 * &lt;method, upper case&gt;
 * &lt;path and query exactly as sent, e.g. /api/v1/agent/tasks?wait=30&amp;outboxDropped=0&gt;
 * &lt;timestamp, Unix seconds&gt;
 * &lt;nonce&gt;
 * &lt;lower-case hex SHA-256 of the body bytes as sent, after gzip if compressed (of zero bytes for GET)&gt;
 * </pre>
 */
public record CanonicalRequest(String agentId, String method, String pathAndQuery, long timestamp, String nonce, String bodySha256) {

    public static final String ALGORITHM = "OPSBASE-HMAC-SHA256";

    public static CanonicalRequest of(String agentId, String method, String pathAndQuery, long timestamp, String nonce, byte[] body) {
        return new CanonicalRequest(agentId, method.toUpperCase(Locale.ROOT), pathAndQuery, timestamp, nonce, sha256Hex(body));
    }

    public String text() {
        return String.join("\n", ALGORITHM, agentId, method, pathAndQuery, Long.toString(timestamp), nonce, bodySha256);
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
