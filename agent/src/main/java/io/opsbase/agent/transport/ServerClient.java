package io.opsbase.agent.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsbase.agent.AgentOptions;
import io.opsbase.agent.json.Messages;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.ConfigRequest;
import io.opsbase.protocol.ConfigResponse;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.Problem;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.TaskPollRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.RequestSigner;

/**
 * The agent's HTTP client for the server. Every call but enrollment is signed with {@link
 * RequestSigner} over the exact bytes sent; every rejection is logged with the server's reason and
 * thrown as {@link ServerRejection}; transport failures are thrown as {@link IOException}.
 * Thread-safe.
 */
public final class ServerClient {

    private static final Logger LOG = LoggerFactory.getLogger(ServerClient.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long an upload waits for the server's answer once the whole body is sent (it stores and hashes the file). */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final String JSON = "application/json";
    /** Bodies from this size on are sent gzip-compressed: an inventory with its packages shrinks about tenfold. */
    static final int GZIP_THRESHOLD = 1024;

    private final URI base;
    private final HttpTransport http;
    private final RequestSigner signer;
    private final String userAgent;
    private final ClockSkewWatch skewWatch;

    private ServerClient(URI base, HttpTransport http, RequestSigner signer, String agentVersion, ClockSkewWatch skewWatch) {
        this.base = URI.create(AgentOptions.withoutTrailingSlashes(base.toString()));
        this.http = http;
        this.signer = signer;
        this.userAgent = "opsbase-agent/" + agentVersion;
        this.skewWatch = skewWatch;
    }

    /** A client that can only enroll. */
    public static ServerClient unsigned(URI base, HttpTransport http, String agentVersion) {
        return new ServerClient(base, http, null, agentVersion, new ClockSkewWatch(Clock.systemUTC()));
    }

    /** A client that signs every call; {@code clock} is the one the signer uses, watched against the server's. */
    public static ServerClient signed(URI base, HttpTransport http, RequestSigner signer, String agentVersion, Clock clock) {
        return new ServerClient(base, http, signer, agentVersion, new ClockSkewWatch(clock));
    }

    public ClockSkewWatch skewWatch() {
        return skewWatch;
    }

    public static HttpTransport defaultTransport() {
        return new HttpTransport(Duration.ofSeconds(10));
    }

    public EnrollResponse enroll(EnrollRequest request) throws IOException, InterruptedException, ServerRejection {
        var call = Call.post(AgentEndpoints.ENROLL, Messages.enrollRequest(request), false, null);
        var response = send(call);
        try {
            return Messages.enrollResponse(response.body());
        } catch (RuntimeException e) {
            throw invalidAnswer(call, "EnrollResponse", e);
        }
    }

    /** The configuration, or empty when the server answers 304 to the ETag the agent holds. */
    public Optional<ConfigResponse> config(ConfigRequest request) throws IOException, InterruptedException, ServerRejection {
        var call = Call.get(AgentEndpoints.CONFIG, REQUEST_TIMEOUT, request.knownEtag());
        var response = send(call);
        if (response.status() == 304) {
            return Optional.empty();
        }
        try {
            return Optional.of(io.opsbase.agent.json.Messages.configResponse(response.body()));
        } catch (RuntimeException e) {
            throw invalidAnswer(call, "ConfigResponse", e);
        }
    }

    /** Holds a long-poll for up to the request's wait, plus a margin for the answer to arrive. */
    public TaskPollResponse pollTasks(TaskPollRequest request) throws IOException, InterruptedException, ServerRejection {
        var timeout = Duration.ofSeconds(request.waitSeconds()).plus(REQUEST_TIMEOUT);
        var call = Call.get(request.pathAndQuery(), timeout, null);
        var response = send(call);
        if (response.status() == 204 || response.body().length == 0) {
            return new TaskPollResponse(List.of());
        }
        try {
            return Messages.taskPollResponse(response.body());
        } catch (RuntimeException e) {
            throw invalidAnswer(call, "TaskPollResponse", e);
        }
    }

    /**
     * Posts a report (inventory, metrics batch, task output) and returns the server's
     * acknowledgement, read from the {@code acknowledgement} member every report response has.
     */
    public Acknowledgement report(String path, String idempotencyKey, byte[] body) throws IOException, InterruptedException, ServerRejection {
        var call = Call.post(path, body, true, idempotencyKey);
        var response = send(call);
        Acknowledgement ack;
        try {
            ack = Messages.acknowledgement(response.body());
        } catch (RuntimeException e) {
            throw invalidAnswer(call, "report response", e);
        }
        if (ack == null) {
            throw new IOException("the server answered " + path + " without an acknowledgement");
        }
        return ack;
    }

    /**
     * Opens a download of a file from the server's store, {@code GET /api/v1/agent/files/<sha256>},
     * from byte {@code offset} on ({@code Range: bytes=offset-} when offset is not 0). The answer is
     * 200 (the whole file), 206 (the rest) or 416; any other status is thrown as a rejection.
     * The caller reads and closes the body.
     */
    public HttpTransport.Streamed download(String sha256, long offset, Duration readTimeout)
            throws IOException, InterruptedException, ServerRejection {
        var path = AgentEndpoints.file(sha256);
        var headers = headers();
        headers.put("Accept", "application/octet-stream");
        if (offset > 0) {
            headers.put("Range", "bytes=" + offset + "-");
            // The store's ETag is the content's hash: a server holding other bytes under this name sends them whole.
            headers.put("If-Range", "\"" + sha256 + "\"");
        }
        headers.putAll(signer().sign("GET", path, new byte[0]).asMap());
        var response = http.stream("GET", URI.create(base + path), headers, null, 0, readTimeout);
        response.header("Date").ifPresent(skewWatch::observe);
        var status = response.status();
        if (status == 200 || status == 206 || status == 416) {
            return response;
        }
        throw rejected("GET", path, status, response);
    }

    /**
     * Uploads a file to the server's store as a streamed, signed body ({@code POST
     * /api/v1/agent/files?name=<name>}); the signature covers {@code sha256}, which the server
     * checks against what it receives. Returns the server's answer (JSON).
     */
    public byte[] upload(String name, java.nio.file.Path file, String sha256, long size)
            throws IOException, InterruptedException, ServerRejection {
        if (Thread.interrupted()) {
            throw new InterruptedException("stopping before the upload of " + file);
        }
        var path = AgentEndpoints.FILES + "?name=" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
        var headers = headers();
        headers.put("Content-Type", "application/octet-stream");
        headers.put(io.opsbase.protocol.signing.SignatureHeaders.CONTENT_SHA256, sha256);
        headers.putAll(signer().signStreamed("POST", path, sha256).asMap());
        try (var response = http.stream("POST", URI.create(base + path), headers, file, size, UPLOAD_TIMEOUT)) {
            response.header("Date").ifPresent(skewWatch::observe);
            if (response.status() >= 200 && response.status() < 300) {
                return response.readAll();
            }
            throw rejected("POST", path, response.status(), response);
        }
    }

    private LinkedHashMap<String, String> headers() {
        var headers = new LinkedHashMap<String, String>();
        headers.put("User-Agent", userAgent);
        headers.put("Accept", JSON);
        headers.put(ProtocolVersion.HEADER, ProtocolVersion.CURRENT.toString());
        return headers;
    }

    private RequestSigner signer() {
        if (signer == null) {
            throw new IllegalStateException("this client is not enrolled and cannot sign requests");
        }
        return signer;
    }

    private static ServerRejection rejected(String method, String path, int status, HttpTransport.Streamed response) throws IOException {
        var body = response.readAll();
        var rejection = new ServerRejection(method, path, status, problemOf(new HttpTransport.Response(status, response.header("Date"),
                response.header("Content-Type"), body)));
        LOG.warn(rejection.getMessage());
        return rejection;
    }

    private static IOException invalidAnswer(Call call, String what, RuntimeException e) {
        return new IOException("the server's answer to " + call.method() + " " + call.pathAndQuery() + " is not a valid " + what + ": "
                + e.getMessage(), e);
    }

    /** One HTTP exchange with the server; {@code ifNoneMatch} and {@code idempotencyKey} may be null. */
    private record Call(String method, String pathAndQuery, byte[] body, Duration timeout, boolean signed, String ifNoneMatch,
            String idempotencyKey) {

        static Call get(String pathAndQuery, Duration timeout, String ifNoneMatch) {
            return new Call("GET", pathAndQuery, new byte[0], timeout, true, ifNoneMatch, null);
        }

        static Call post(String path, byte[] body, boolean signed, String idempotencyKey) {
            return new Call("POST", path, body, REQUEST_TIMEOUT, signed, null, idempotencyKey);
        }
    }

    private HttpTransport.Response send(Call call) throws IOException, InterruptedException, ServerRejection {
        if (Thread.interrupted()) {
            throw new InterruptedException("stopping before " + call.method() + " " + call.pathAndQuery());
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("User-Agent", userAgent);
        headers.put("Accept", JSON);
        headers.put(ProtocolVersion.HEADER, ProtocolVersion.CURRENT.toString());
        var body = call.body();
        if (!"GET".equals(call.method())) {
            if (body.length >= GZIP_THRESHOLD) {
                body = gzip(body);
                headers.put("Content-Encoding", "gzip");
            }
            headers.put("Content-Type", JSON);
        }
        if (call.ifNoneMatch() != null) {
            headers.put("If-None-Match", call.ifNoneMatch());
        }
        if (call.idempotencyKey() != null) {
            headers.put(AgentEndpoints.IDEMPOTENCY_KEY_HEADER, call.idempotencyKey());
        }
        if (call.signed()) {
            if (signer == null) {
                throw new IllegalStateException("this client is not enrolled and cannot sign " + call.pathAndQuery());
            }
            headers.putAll(signer.sign(call.method(), call.pathAndQuery(), body).asMap());
        }
        var response = http.exchange(call.method(), URI.create(base + call.pathAndQuery()), headers, body, call.timeout());
        response.date().ifPresent(skewWatch::observe);
        var status = response.status();
        if (status >= 200 && status < 300 || status == 304) {
            return response;
        }
        var rejection = new ServerRejection(call.method(), call.pathAndQuery(), status, problemOf(response));
        LOG.warn(rejection.getMessage());
        throw rejection;
    }

    /** Compresses a request body; the signature covers the compressed bytes, exactly as sent. */
    static byte[] gzip(byte[] body) {
        var out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (var zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static Problem problemOf(HttpTransport.Response response) {
        var contentType = response.contentType().orElse("");
        if (contentType.contains("json") && response.body().length > 0) {
            try {
                return Messages.problem(response.body());
            } catch (RuntimeException e) {
                LOG.debug("the error body is not a problem document", e);
            }
        }
        return new Problem("about:blank", "HTTP " + response.status(), response.status(), null, null, null);
    }
}
