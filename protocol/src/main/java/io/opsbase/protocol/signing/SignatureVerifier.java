package io.opsbase.protocol.signing;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.opsbase.protocol.signing.VerificationResult.Rejected;
import io.opsbase.protocol.signing.VerificationResult.Verified;

/**
 * Checks a signed agent request on the server. The checks run in this order, and the first that
 * fails decides the reason: headers present, agent known, signature (compared in constant time),
 * timestamp within the window, agent not revoked, nonce unused. The nonce is recorded only for a
 * request whose signature verified, so unsigned junk cannot fill the nonce store; the skew and
 * revocation are told only to a caller who proved it holds the secret. Thread-safe if the nonce
 * store and credentials are.
 */
public final class SignatureVerifier {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(300);

    private static final Pattern NONCE = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    private final AgentCredentials credentials;
    private final NonceStore nonces;
    private final Clock clock;
    private final Duration window;

    public SignatureVerifier(AgentCredentials credentials, NonceStore nonces, Clock clock) {
        this(credentials, nonces, clock, DEFAULT_WINDOW);
    }

    public SignatureVerifier(AgentCredentials credentials, NonceStore nonces, Clock clock, Duration window) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
    }

    /**
     * @param header the request's header values by name (null when absent)
     * @param body   the body bytes exactly as received
     */
    public VerificationResult verify(String method, String pathAndQuery, UnaryOperator<String> header, byte[] body) {
        return verifyDigest(method, pathAndQuery, header, CanonicalRequest.sha256Hex(body));
    }

    /**
     * Verifies a streamed request, whose body the server cannot hold before deciding: the
     * signature covers the body digest the agent declared in {@value SignatureHeaders#CONTENT_SHA256}
     * (see {@link RequestSigner#signStreamed}). A {@link Verified} result only proves who sent the
     * request; the caller must hash the body while reading it and refuse it, keeping nothing, if
     * the hash differs from {@code declaredBodySha256}.
     *
     * @param declaredBodySha256 64 lower-case hex characters
     */
    public VerificationResult verifyStreamed(String method, String pathAndQuery, UnaryOperator<String> header,
            String declaredBodySha256) {
        if (declaredBodySha256 == null || !SIGNATURE.matcher(declaredBodySha256).matches()) {
            return reject(RejectionReason.MISSING_HEADERS, SignatureHeaders.CONTENT_SHA256
                    + " must be the 64 lower-case hex characters of the body's SHA-256");
        }
        return verifyDigest(method, pathAndQuery, header, declaredBodySha256);
    }

    private VerificationResult verifyDigest(String method, String pathAndQuery, UnaryOperator<String> header,
            String bodySha256) {
        var agentId = header.apply(SignatureHeaders.AGENT);
        var timestampText = header.apply(SignatureHeaders.TIMESTAMP);
        var nonce = header.apply(SignatureHeaders.NONCE);
        var signature = header.apply(SignatureHeaders.SIGNATURE);
        if (agentId == null || agentId.isBlank() || timestampText == null || nonce == null || signature == null) {
            return reject(RejectionReason.MISSING_HEADERS, "the request lacks one of the headers " + SignatureHeaders.AGENT
                    + ", " + SignatureHeaders.TIMESTAMP + ", " + SignatureHeaders.NONCE + ", " + SignatureHeaders.SIGNATURE);
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampText);
        } catch (NumberFormatException e) {
            return reject(RejectionReason.MISSING_HEADERS, SignatureHeaders.TIMESTAMP + " must be Unix seconds");
        }
        if (!NONCE.matcher(nonce).matches() || !SIGNATURE.matcher(signature).matches()) {
            return reject(RejectionReason.MISSING_HEADERS, SignatureHeaders.NONCE + " must be 32 and "
                    + SignatureHeaders.SIGNATURE + " 64 lower-case hex characters");
        }
        var credential = credentials.find(agentId);
        if (credential.isEmpty()) {
            return reject(RejectionReason.UNKNOWN_AGENT, "no agent has the id " + agentId);
        }
        var expected = Hmac.sign(credential.get().secret(), new CanonicalRequest(agentId,
                method.toUpperCase(java.util.Locale.ROOT), pathAndQuery, timestamp, nonce, bodySha256));
        var presented = HexFormat.of().parseHex(signature);
        if (!MessageDigest.isEqual(expected, presented)) {
            return reject(RejectionReason.BAD_SIGNATURE, "the signature does not match the request");
        }
        var now = clock.instant();
        var skew = timestamp - now.getEpochSecond();
        if (Math.abs(skew) > window.toSeconds()) {
            return new Rejected(RejectionReason.STALE_TIMESTAMP, "the request timestamp is " + Math.abs(skew) + " s "
                    + (skew < 0 ? "behind" : "ahead of") + " the server clock (" + now + "); at most "
                    + window.toSeconds() + " s are allowed: check the agent host's time synchronisation", skew);
        }
        if (credential.get().revoked()) {
            return reject(RejectionReason.REVOKED_AGENT, "agent " + agentId + " was revoked");
        }
        if (!nonces.firstUse(agentId, nonce, Instant.ofEpochSecond(timestamp))) {
            return reject(RejectionReason.REPLAYED_NONCE, "the nonce " + nonce + " was already used");
        }
        return new Verified(agentId);
    }

    private static Rejected reject(RejectionReason reason, String detail) {
        return new Rejected(reason, detail, null);
    }

}
