package io.opsbase.protocol.signing;

import java.time.Instant;

/**
 * Remembers the nonces of accepted requests for at least the timestamp window, so a replayed
 * request is refused. Implementations must be thread-safe; a shared store (database, cache) lets
 * several server nodes refuse a replay sent to another node.
 */
@FunctionalInterface
public interface NonceStore {

    /**
     * Records the nonce and returns true if this is its first use by this agent; returns false if
     * it was seen, or if the store cannot prove it was not.
     */
    boolean firstUse(String agentId, String nonce, Instant requestTime);
}
