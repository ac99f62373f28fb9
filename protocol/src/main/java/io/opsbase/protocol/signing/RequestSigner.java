package io.opsbase.protocol.signing;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Signs the agent's requests. Thread-safe: each call draws its own nonce.
 */
public final class RequestSigner {

    private static final int NONCE_BYTES = 16;

    private final String agentId;
    private final byte[] secret;
    private final Clock clock;
    private final SecureRandom random;

    public RequestSigner(String agentId, byte[] secret, Clock clock) {
        this(agentId, secret, clock, new SecureRandom());
    }

    public RequestSigner(String agentId, byte[] secret, Clock clock, SecureRandom random) {
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.secret = secret.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (this.secret.length < 16) {
            throw new IllegalArgumentException("an agent secret has at least 16 bytes");
        }
    }

    public SignatureHeaders sign(String method, String pathAndQuery, byte[] body) {
        var nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return sign(method, pathAndQuery, body, clock.instant().getEpochSecond(), HexFormat.of().formatHex(nonce));
    }

    /** Signs with a given timestamp and nonce; for tests and for a caller that must reproduce a signature. */
    public SignatureHeaders sign(String method, String pathAndQuery, byte[] body, long timestamp, String nonce) {
        var canonical = CanonicalRequest.of(agentId, method, pathAndQuery, timestamp, nonce, body);
        return new SignatureHeaders(agentId, timestamp, nonce, HexFormat.of().formatHex(Hmac.sign(secret, canonical)));
    }

    /**
     * Signs a request whose body is streamed (a file upload): the signature covers
     * {@code bodySha256}, which the caller sends as {@value SignatureHeaders#CONTENT_SHA256}; the
     * server hashes the body as it arrives and refuses it if the digest differs.
     *
     * @param bodySha256 lower-case hex SHA-256 of the exact body bytes that will be sent
     */
    public SignatureHeaders signStreamed(String method, String pathAndQuery, String bodySha256) {
        var nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return signStreamed(method, pathAndQuery, bodySha256, clock.instant().getEpochSecond(), HexFormat.of().formatHex(nonce));
    }

    /** {@link #signStreamed(String, String, String)} with a given timestamp and nonce. */
    public SignatureHeaders signStreamed(String method, String pathAndQuery, String bodySha256, long timestamp, String nonce) {
        var canonical = new CanonicalRequest(agentId, method.toUpperCase(java.util.Locale.ROOT), pathAndQuery, timestamp,
                nonce, bodySha256);
        return new SignatureHeaders(agentId, timestamp, nonce, HexFormat.of().formatHex(Hmac.sign(secret, canonical)));
    }

    public String agentId() {
        return agentId;
    }
}
