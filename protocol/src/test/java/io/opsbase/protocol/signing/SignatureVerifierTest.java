package io.opsbase.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.signing.VerificationResult.Rejected;
import io.opsbase.protocol.signing.VerificationResult.Verified;

class SignatureVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"hostname\":\"web-1\"}".getBytes(StandardCharsets.UTF_8);
    private static final String PATH = "/api/v1/agent/inventory";

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryNonceStore nonces = new InMemoryNonceStore(clock, SignatureVerifier.DEFAULT_WINDOW, 10_000);
    private boolean revoked;
    private final SignatureVerifier verifier = new SignatureVerifier(
            id -> id.equals("agent-1") ? Optional.of(new AgentCredential(SECRET, revoked)) : Optional.empty(), nonces, clock);
    private final RequestSigner signer = new RequestSigner("agent-1", SECRET, clock);

    @Test
    void acceptsAnUntamperedRequest() {
        var headers = signer.sign("POST", PATH, BODY);

        assertThat(verifier.verify("POST", PATH, lookup(headers), BODY)).isEqualTo(new Verified("agent-1"));
    }

    @Test
    void rejectsATamperedBody() {
        var headers = signer.sign("POST", PATH, BODY);
        var tampered = "{\"hostname\":\"web-2\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(reasonOf(verifier.verify("POST", PATH, lookup(headers), tampered))).isEqualTo(RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void acceptsAStreamedRequestSignedOverItsDeclaredDigestAndRejectsAnotherDigest() {
        String digest = CanonicalRequest.sha256Hex(BODY);
        var headers = signer.signStreamed("POST", "/api/v1/agent/files?name=a.log", digest);

        assertThat(verifier.verifyStreamed("POST", "/api/v1/agent/files?name=a.log", lookup(headers), digest))
                .isEqualTo(new Verified("agent-1"));
        var again = signer.signStreamed("POST", "/api/v1/agent/files?name=a.log", digest);
        assertThat(reasonOf(verifier.verifyStreamed("POST", "/api/v1/agent/files?name=a.log", lookup(again),
                CanonicalRequest.sha256Hex(new byte[0])))).isEqualTo(RejectionReason.BAD_SIGNATURE);
        assertThat(reasonOf(verifier.verifyStreamed("POST", "/api/v1/agent/files?name=a.log", lookup(again), "ABC")))
                .isEqualTo(RejectionReason.MISSING_HEADERS);
    }

    @Test
    void aStreamedSignatureEqualsTheBufferedOneForTheSameBody() {
        var buffered = signer.sign("POST", PATH, BODY, 1_000, "0123456789abcdef0123456789abcdef");
        var streamed = signer.signStreamed("POST", PATH, CanonicalRequest.sha256Hex(BODY), 1_000, "0123456789abcdef0123456789abcdef");

        assertThat(streamed).isEqualTo(buffered);
    }

    @Test
    void rejectsATamperedPathOrQuery() {
        var headers = signer.sign("GET", "/api/v1/agent/tasks?wait=30&outboxDropped=0", new byte[0]);

        assertThat(reasonOf(verifier.verify("GET", "/api/v1/agent/tasks?wait=30&outboxDropped=9", lookup(headers), new byte[0])))
                .isEqualTo(RejectionReason.BAD_SIGNATURE);
        assertThat(reasonOf(verifier.verify("GET", "/api/v1/agent/config", lookup(headers), new byte[0])))
                .isEqualTo(RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rejectsATamperedMethod() {
        var headers = signer.sign("POST", PATH, BODY);

        assertThat(reasonOf(verifier.verify("PUT", PATH, lookup(headers), BODY))).isEqualTo(RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rejectsASignatureMadeWithTheWrongSecret() {
        var impostor = new RequestSigner("agent-1", "another-secret-of-32-bytes-xxxxx".getBytes(StandardCharsets.UTF_8), clock);
        var headers = impostor.sign("POST", PATH, BODY);

        assertThat(reasonOf(verifier.verify("POST", PATH, lookup(headers), BODY))).isEqualTo(RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rejectsTheSameRequestSentTwice() {
        var headers = signer.sign("POST", PATH, BODY);
        verifier.verify("POST", PATH, lookup(headers), BODY);

        assertThat(reasonOf(verifier.verify("POST", PATH, lookup(headers), BODY))).isEqualTo(RejectionReason.REPLAYED_NONCE);
    }

    @Test
    void rejectsATimestampMoreThanFiveMinutesBehindAndReportsTheSkew() {
        var headers = signer.sign("POST", PATH, BODY);
        clock.advance(Duration.ofSeconds(301));

        var result = (Rejected) verifier.verify("POST", PATH, lookup(headers), BODY);

        assertThat(result.reason()).isEqualTo(RejectionReason.STALE_TIMESTAMP);
        assertThat(result.skewSeconds()).isEqualTo(-301L);
        assertThat(result.detail()).contains("301 s behind the server clock");
    }

    @Test
    void rejectsATimestampMoreThanFiveMinutesAhead() {
        var fastClock = new MutableClock(NOW.plusSeconds(400));
        var headers = new RequestSigner("agent-1", SECRET, fastClock).sign("POST", PATH, BODY);

        var result = (Rejected) verifier.verify("POST", PATH, lookup(headers), BODY);

        assertThat(result.reason()).isEqualTo(RejectionReason.STALE_TIMESTAMP);
        assertThat(result.skewSeconds()).isEqualTo(400L);
    }

    @Test
    void acceptsATimestampExactlyAtTheEdgeOfTheWindow() {
        var headers = signer.sign("POST", PATH, BODY);
        clock.advance(Duration.ofSeconds(300));

        assertThat(verifier.verify("POST", PATH, lookup(headers), BODY)).isInstanceOf(Verified.class);
    }

    @Test
    void rejectsAnUnknownAgent() {
        var headers = new RequestSigner("agent-2", SECRET, clock).sign("POST", PATH, BODY);

        assertThat(reasonOf(verifier.verify("POST", PATH, lookup(headers), BODY))).isEqualTo(RejectionReason.UNKNOWN_AGENT);
    }

    @Test
    void rejectsARevokedAgentEvenWithAValidSignature() {
        revoked = true;
        var headers = signer.sign("POST", PATH, BODY);

        assertThat(reasonOf(verifier.verify("POST", PATH, lookup(headers), BODY))).isEqualTo(RejectionReason.REVOKED_AGENT);
    }

    @Test
    void rejectsARequestWithoutSignatureHeaders() {
        assertThat(reasonOf(verifier.verify("POST", PATH, name -> null, BODY))).isEqualTo(RejectionReason.MISSING_HEADERS);
    }

    @Test
    void doesNotRecordTheNonceOfARequestWithABadSignature() {
        var headers = signer.sign("POST", PATH, BODY);
        verifier.verify("POST", PATH, lookup(headers), "forged".getBytes(StandardCharsets.UTF_8));

        assertThat(verifier.verify("POST", PATH, lookup(headers), BODY)).isInstanceOf(Verified.class);
    }

    @Test
    void signsTheDocumentedCanonicalString() {
        var canonical = CanonicalRequest.of("agent-1", "get", "/api/v1/agent/tasks?wait=30", 1_700_000_000L,
                "00112233445566778899aabbccddeeff", new byte[0]);

        assertThat(canonical.text()).isEqualTo("""
                OPSBASE-HMAC-SHA256
                agent-1
                GET
                /api/v1/agent/tasks?wait=30
                1700000000
                00112233445566778899aabbccddeeff
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
    }

    private static UnaryOperator<String> lookup(SignatureHeaders headers) {
        Map<String, String> map = headers.asMap();
        return map::get;
    }

    private static RejectionReason reasonOf(VerificationResult result) {
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).reason();
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
