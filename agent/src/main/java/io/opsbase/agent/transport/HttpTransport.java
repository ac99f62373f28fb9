package io.opsbase.agent.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Blocking HTTP/1.1 exchanges over the JDK's {@link HttpURLConnection}, with keep-alive.
 *
 * <p>Why not {@code java.net.http.HttpClient}: for an agent that sends one request at a time it
 * costs about 20 MB of resident memory more (a selector thread, worker threads, an eagerly built
 * TLS context and some 450 more classes — measured in docs/benchmarks.md, "Agent footprint").
 * HTTPS works the same way ({@code HttpsURLConnection} with the JVM's default trust store).
 *
 * <p>POST requests are never retried silently ({@code sun.net.http.retryPost=false}): a retry
 * would reuse the signed request's nonce, which the server refuses as a replay. Thread-safe.
 */
public final class HttpTransport {

    static {
        // Read once, when HttpURLConnection's implementation initialises: set it before any connection.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    /** A finished exchange: the status, the headers the agent reads, and the whole body. */
    public record Response(int status, Optional<String> date, Optional<String> contentType, byte[] body) {
    }

    private final Duration connectTimeout;

    public HttpTransport(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends one request and reads the whole answer. {@code timeout} bounds the wait for each read,
     * so a long-poll passes its wait plus a margin. Redirects are not followed.
     */
    public Response exchange(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) throws IOException {
        var connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
            connection.setReadTimeout(Math.toIntExact(timeout.toMillis()));
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(method);
            headers.forEach(connection::setRequestProperty);
            if (!"GET".equals(method)) {
                connection.setDoOutput(true);
                // Not in streaming mode: there, a 401 hides its body, and the body says why (a clock off, a revoked agent).
                try (var out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            var status = connection.getResponseCode();
            byte[] answer;
            try (var in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = readAll(in);
            }
            return new Response(status, Optional.ofNullable(connection.getHeaderField("Date")),
                    Optional.ofNullable(connection.getContentType()), answer);
        } catch (IOException | RuntimeException e) {
            // A connection in an unknown state must not go back to the keep-alive cache.
            connection.disconnect();
            throw e;
        }
    }

    /**
     * An answer whose body is read as a stream (a file download): close it to give the connection
     * back, or drop it when the body was not read to the end.
     */
    public static final class Streamed implements java.io.Closeable {
        private final HttpURLConnection connection;
        private final int status;
        private final InputStream body;

        Streamed(HttpURLConnection connection, int status, InputStream body) {
            this.connection = connection;
            this.status = status;
            this.body = body == null ? InputStream.nullInputStream() : body;
        }

        public int status() {
            return status;
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(connection.getHeaderField(name));
        }

        /** The declared length of the body, or -1 when the server did not say. */
        public long contentLength() {
            return connection.getContentLengthLong();
        }

        public InputStream body() {
            return body;
        }

        /** For an error answer: the whole (small) body. */
        public byte[] readAll() throws IOException {
            return body.readAllBytes();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }

        /** Closes the connection itself: its body was not read to the end, so it cannot be reused. */
        public void abort() {
            connection.disconnect();
        }
    }

    /**
     * Sends a request whose body, if any, streams from {@code bodyFile} ({@code bodyLength} bytes,
     * sent in fixed-length streaming mode, so a file of any size passes without being held in
     * memory) and returns the answer with its body unread.
     */
    public Streamed stream(String method, URI uri, Map<String, String> headers, java.nio.file.Path bodyFile, long bodyLength,
            Duration timeout) throws IOException {
        var connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
            connection.setReadTimeout(Math.toIntExact(timeout.toMillis()));
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestMethod(method);
            headers.forEach(connection::setRequestProperty);
            if (bodyFile != null) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bodyLength);
                try (var out = connection.getOutputStream(); var in = java.nio.file.Files.newInputStream(bodyFile)) {
                    in.transferTo(out);
                }
            }
            var status = connection.getResponseCode();
            return new Streamed(connection, status, status >= 400 ? connection.getErrorStream() : connection.getInputStream());
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in == null ? new byte[0] : in.readAllBytes();
    }
}
