package io.opsbase.protocol;

/**
 * The RFC 9457 problem body the server answers errors with, as far as the agent reads it.
 * {@code reason} is set on signature rejections (a {@link io.opsbase.protocol.signing.RejectionReason}
 * name) and {@code skewSeconds} on a stale timestamp: request time minus server time.
 */
public record Problem(String type, String title, int status, String detail, String reason, Long skewSeconds) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String SIGNATURE_TYPE = "/problems/agent-signature";
}
