package io.opsbase.agent.tasks.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opsbase.agent.transport.ServerClient;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.signing.AgentCredential;
import io.opsbase.protocol.signing.InMemoryNonceStore;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.protocol.signing.SignatureHeaders;
import io.opsbase.protocol.signing.SignatureVerifier;
import io.opsbase.protocol.signing.VerificationResult;

/**
 * The server's agent file endpoints, small and real: ranged downloads of stored content (which can
 * cut a download after a number of bytes, once) and streamed uploads, every request's signature
 * checked with the protocol's verifier.
 */
final class FileStoreTestServer implements AutoCloseable {

    static final String AGENT = "agent-files";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** A download request: the Range header (or null) and how many body bytes were sent. */
    record Served(String range, long bytes) {
    }

    private final HttpServer http;
    private final SignatureVerifier verifier;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Served> served = new ArrayList<>();
    private volatile long cutAfter = -1;
    private volatile boolean ignoreRanges;
    final Map<String, byte[]> uploads = new ConcurrentHashMap<>();

    FileStoreTestServer() throws IOException {
        var clock = Clock.systemUTC();
        verifier = new SignatureVerifier(id -> AGENT.equals(id) ? Optional.of(new AgentCredential(SECRET, false)) : Optional.empty(),
                new InMemoryNonceStore(clock, Duration.ofMinutes(10), 10_000), clock);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(AgentEndpoints.FILES, this::handle);
        http.start();
    }

    ServerClient client() {
        return ServerClient.signed(URI.create("http://127.0.0.1:" + http.getAddress().getPort()), ServerClient.defaultTransport(),
                new RequestSigner(AGENT, SECRET, Clock.systemUTC()), "test", Clock.systemUTC());
    }

    /** Stores content; returns its SHA-256. */
    String store(byte[] content) {
        var sha = sha256(content);
        files.put(sha, content);
        return sha;
    }

    /** Stores content under a name that is not its hash (a corrupt store). */
    void storeAs(String sha256, byte[] content) {
        files.put(sha256, content);
    }

    /** The next download sends only this many body bytes, then drops the connection. */
    void cutNextDownloadAfter(long bytes) {
        cutAfter = bytes;
    }

    void ignoreRanges() {
        ignoreRanges = true;
    }

    synchronized List<Served> served() {
        return List.copyOf(served);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getRawPath();
            var query = exchange.getRequestURI().getRawQuery();
            var pathAndQuery = query == null ? path : path + "?" + query;
            var method = exchange.getRequestMethod();
            var headers = exchange.getRequestHeaders();
            var result = "POST".equals(method)
                    ? verifier.verifyStreamed(method, pathAndQuery, headers::getFirst, headers.getFirst(SignatureHeaders.CONTENT_SHA256))
                    : verifier.verify(method, pathAndQuery, headers::getFirst, new byte[0]);
            if (!(result instanceof VerificationResult.Verified)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if ("POST".equals(method)) {
                upload(exchange, headers.getFirst(SignatureHeaders.CONTENT_SHA256));
            } else {
                download(exchange, path.substring(AgentEndpoints.FILES.length() + 1));
            }
        }
    }

    private void upload(HttpExchange exchange, String declared) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        var actual = sha256(body);
        if (!actual.equals(declared)) {
            exchange.sendResponseHeaders(422, -1);
            return;
        }
        uploads.put(actual, body);
        var answer = ("{\"sha256\":\"" + actual + "\",\"size\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(201, answer.length);
        exchange.getResponseBody().write(answer);
    }

    private void download(HttpExchange exchange, String sha256) throws IOException {
        var content = files.get(sha256);
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        var range = exchange.getRequestHeaders().getFirst("Range");
        var ifRange = exchange.getRequestHeaders().getFirst("If-Range");
        if (range != null && !("\"" + sha256 + "\"").equals(ifRange)) {
            range = null; // as the server does: a resume must name the content it continues (the ETag is the hash)
        }
        long from = 0;
        if (range != null && !ignoreRanges) {
            from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            if (from >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                record(range, 0);
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        var length = content.length - from;
        exchange.sendResponseHeaders(range != null && !ignoreRanges ? 206 : 200, length);
        var send = cutAfter >= 0 ? Math.min(cutAfter, length) : length;
        cutAfter = -1;
        record(range, send);
        var out = exchange.getResponseBody();
        out.write(content, (int) from, (int) send);
        out.flush();
        if (send < length) {
            throw new IOException("cutting the download after " + send + " bytes");
        }
    }

    private synchronized void record(String range, long bytes) {
        served.add(new Served(range, bytes));
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
