package io.opsbase.protocol.signing;

/** Why a signed agent request was refused; sent as the problem's {@code reason}. */
public enum RejectionReason {
    /** One of the four signature headers is absent or malformed. */
    MISSING_HEADERS,
    /** No agent has this id. */
    UNKNOWN_AGENT,
    /** The HMAC does not match: wrong secret, or the method, path, body or headers were altered. */
    BAD_SIGNATURE,
    /** The timestamp is more than the allowed window away from the server's clock. */
    STALE_TIMESTAMP,
    /** The nonce was already used within the window. */
    REPLAYED_NONCE,
    /** The agent was revoked by an administrator. */
    REVOKED_AGENT
}
