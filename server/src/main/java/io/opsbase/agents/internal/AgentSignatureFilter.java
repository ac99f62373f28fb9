package io.opsbase.agents.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.opsbase.agents.AgentEvent;
import io.opsbase.platform.Problems;
import io.opsbase.platform.RequestIds;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.Problem;
import io.opsbase.protocol.signing.AgentCredentials;
import io.opsbase.protocol.signing.NonceStore;
import io.opsbase.protocol.signing.SignatureHeaders;
import io.opsbase.protocol.signing.SignatureVerifier;
import io.opsbase.protocol.signing.VerificationResult;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies the HMAC signature of every agent request except enrollment (see
 * {@link SignatureVerifier} for the checks and their order). The body is read once, bounded, and
 * handed on to the controller unchanged. A rejected request gets a 401 problem with a machine
 * readable {@code reason} (and {@code skewSeconds} for a clock problem), a WARN log line and an
 * audit record. The agent file upload is the one route whose body is not read here: it is signed
 * over its declared digest and streamed on to the files feature, which checks the digest. An
 * accepted request runs as principal {@code agent:<id>} with role AGENT.
 */
public class AgentSignatureFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AgentSignatureFilter.class);
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SignatureVerifier verifier;
    private final LastSeenRecorder lastSeen;
    private final ApplicationEventPublisher events;
    private final java.time.Clock clock;

    /** {@code credentials} caches decrypted secrets and {@code lastSeen} batches its writes: no database work per request. */
    public AgentSignatureFilter(AgentCredentials credentials, NonceStore nonces, LastSeenRecorder lastSeen,
            ApplicationEventPublisher events, java.time.Clock clock) {
        this.lastSeen = lastSeen;
        this.events = events;
        this.clock = clock;
        this.verifier = new SignatureVerifier(credentials, nonces, clock);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/v1/agent/") || path.equals(AgentEndpoints.ENROLL);
    }

    /**
     * Request attribute: {@link System#nanoTime} when this filter took the request. A long-poll
     * counts its wait from here, so time spent before the controller (a busy CPU, a wait for a
     * database connection) does not push its answer past the agent's own timeout.
     */
    public static final String RECEIVED_AT_NANOS = "io.opsbase.agents.receivedAtNanos";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(RECEIVED_AT_NANOS, System.nanoTime());
        String pathAndQuery = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        VerificationResult result;
        HttpServletRequest forwarded;
        if (isStreamedUpload(request)) {
            // The body may be gigabytes: the signature covers the digest the agent declared, and the
            // files feature hashes the body as it streams to disk and refuses it on a mismatch.
            result = verifier.verifyStreamed(request.getMethod(), pathAndQuery, request::getHeader,
                    request.getHeader(SignatureHeaders.CONTENT_SHA256));
            forwarded = request;
        } else {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                        "agent requests are limited to " + MAX_BODY_BYTES + " bytes");
                return;
            }
            byte[] body = readBounded(request.getInputStream(), request.getContentLengthLong(), MAX_BODY_BYTES);
            if (body.length > MAX_BODY_BYTES) {
                Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                        "agent requests are limited to " + MAX_BODY_BYTES + " bytes");
                return;
            }
            result = verifier.verify(request.getMethod(), pathAndQuery, request::getHeader, body);
            forwarded = new CachedBodyRequest(request, body);
        }
        switch (result) {
            case VerificationResult.Rejected rejected -> reject(request, response, rejected);
            case VerificationResult.Verified verified -> {
                long agentId = Long.parseLong(verified.agentId());
                lastSeen.seen(agentId, request.getRemoteAddr(), request.getHeader("User-Agent") == null ? null
                        : versionFrom(request.getHeader("User-Agent")), clock.instant());
                var auth = UsernamePasswordAuthenticationToken.authenticated("agent:" + agentId, null,
                        List.of(new SimpleGrantedAuthority("ROLE_AGENT")));
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(auth);
                SecurityContextHolder.setContext(context);
                try {
                    chain.doFilter(forwarded, response);
                } finally {
                    SecurityContextHolder.clearContext();
                }
            }
        }
    }

    /**
     * Only the agent file upload is signed over a declared digest ({@link SignatureVerifier#verifyStreamed});
     * every other route keeps the digest of the bytes actually received, because its controller
     * does not re-check it.
     */
    private static boolean isStreamedUpload(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return "POST".equals(request.getMethod()) && path.equals(AgentEndpoints.FILES);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, VerificationResult.Rejected rejected)
            throws IOException {
        String claimed = request.getHeader(io.opsbase.protocol.signing.SignatureHeaders.AGENT);
        String claimedId = claimed != null && claimed.matches("\\d{1,18}") ? claimed : null;
        log.warn("Rejected agent request {} {} from {} (agent {}): {} — {}", request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr(), claimedId, rejected.reason(), rejected.detail());
        events.publishEvent(new AgentEvent("agent.request-rejected", "agent", claimedId,
                rejected.reason() + ": " + rejected.detail(), claimedId == null ? "anonymous" : "agent:" + claimedId));
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", Problem.SIGNATURE_TYPE);
        body.put("title", "Unauthorized");
        body.put("status", 401);
        body.put("detail", rejected.detail());
        body.put("reason", rejected.reason().name());
        if (rejected.skewSeconds() != null) {
            body.put("skewSeconds", rejected.skewSeconds());
        }
        body.put("requestId", RequestIds.current());
        response.setStatus(401);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body);
    }

    /**
     * The body, or {@code max + 1} bytes when it is longer than {@code max}. {@code readNBytes(n)}
     * allocates {@code min(n, 16 KB)} before its first read, which for the bodiless long-poll every
     * agent renews every 30 s was 16 KB of garbage per poll; so the first read is sized by the
     * declared length, or 512 bytes when none is declared (chunked, HTTP/2, a GET).
     */
    static byte[] readBounded(InputStream in, long declaredLength, int max) throws IOException {
        int first = declaredLength >= 0 ? (int) Math.min(declaredLength, max) : Math.min(512, max);
        byte[] head = in.readNBytes(first);
        if (head.length < first) {
            return head;
        }
        int next = in.read();
        if (next < 0) {
            return head;
        }
        byte[] rest = in.readNBytes(max - head.length);
        byte[] all = new byte[head.length + 1 + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) next;
        System.arraycopy(rest, 0, all, head.length + 1, rest.length);
        return all;
    }

    /** {@code opsbase-agent/1.2.3 (…)} → {@code 1.2.3}. */
    static String versionFrom(String userAgent) {
        if (!userAgent.startsWith("opsbase-agent/")) {
            return null;
        }
        String rest = userAgent.substring("opsbase-agent/".length());
        int space = rest.indexOf(' ');
        String v = space < 0 ? rest : rest.substring(0, space);
        return v.length() > 50 ? v.substring(0, 50) : v;
    }

    /** The request with its body already read, so the controller can read it again. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return false;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("synchronous reads only");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
