package io.opsbase.protocol;

/**
 * {@code GET /api/v1/agent/config}: carries the ETag of the configuration the agent already holds
 * (sent as {@code If-None-Match}); null the first time. An unchanged configuration answers 304.
 */
public record ConfigRequest(String knownEtag) {
}
