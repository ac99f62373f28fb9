package io.opsbase.bench.agents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.signing.RequestSigner;

/**
 * The HTTP side of the simulated agents, shared by all of them: one JDK {@link HttpClient} over
 * HTTP/1.1 (each concurrent request, so each held long-poll, gets its own connection, as with
 * real agents), requests signed exactly as the real agent signs them and bodies of 1 KiB or more
 * gzipped as the real agent does. Thread-safe.
 *
 * <p>With {@code -Dbench.http2=true} the agents speak HTTP/2 over cleartext (h2c) instead, spread
 * over {@code -Dbench.http2.connections} clients (default 64), each client one connection: an
 * agent always uses the same one, and its requests are streams of it. That is for fleets larger
 * than this machine's open-files limit (20,000 per process) allows as one connection per agent
 * on both sides; the JDK client opens no second connection when the server's stream limit is
 * reached (JDK-8225647), so the agents per connection must stay below
 * {@code opsbase.http2.max-concurrent-streams} / 2 (a poll and an output report at once).
 */
final class AgentTransport {

    static final String USER_AGENT = "opsbase-agent/0.1.0-sim (agent-load)";
    private static final int GZIP_FROM = 1024;

    private final HttpClient http;
    private final List<HttpClient> multiplexed;
    private final AtomicInteger enrolments = new AtomicInteger();
    private final URI base;

    AgentTransport(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
        this.multiplexed = Boolean.getBoolean("bench.http2") ? h2cClients(Integer.getInteger("bench.http2.connections", 64)) : null;
    }

    private static List<HttpClient> h2cClients(int n) {
        var clients = new ArrayList<HttpClient>(n);
        for (int i = 0; i < n; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(30))
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build());
        }
        System.out.println("agents speak h2c over " + n + " connections (-Dbench.http2=true)");
        return List.copyOf(clients);
    }

    private HttpClient enrolmentClient() {
        return multiplexed == null ? http : multiplexed.get(Math.floorMod(enrolments.getAndIncrement(), multiplexed.size()));
    }

    /** The client for an agent's request: always the same one for the same agent (its signer). */
    private HttpClient client(Object agent) {
        return multiplexed == null ? http : multiplexed.get(Math.floorMod(System.identityHashCode(agent), multiplexed.size()));
    }

    record Answer(int status, byte[] body, java.net.http.HttpHeaders headers) {

        Answer(int status, byte[] body) {
            this(status, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        }

        java.util.Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The unsigned enrollment call. */
    Answer enroll(byte[] json) throws IOException, InterruptedException {
        return send(enrolmentClient(), builder("/api/v1/agent/enroll").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** A signed POST of a JSON body, gzipped from 1 KiB on; the signature covers the bytes sent. */
    Answer post(RequestSigner signer, String path, byte[] json, String idempotencyKey) throws IOException, InterruptedException {
        byte[] body = json.length >= GZIP_FROM ? gzip(json) : json;
        var b = builder(path).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != json) {
            b.header("Content-Encoding", "gzip");
        }
        signer.sign("POST", path, body).asMap().forEach(b::header);
        return send(client(signer), b);
    }

    /** A signed GET; {@code timeout} bounds the whole exchange (a long-poll's wait plus slack). */
    Answer get(RequestSigner signer, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        var b = builder(pathAndQuery).timeout(timeout).GET();
        signer.sign("GET", pathAndQuery, new byte[0]).asMap().forEach(b::header);
        return send(client(signer), b);
    }

    /** A signed GET with {@code If-None-Match} when an ETag is known (the configuration call). */
    Answer getIfNoneMatch(RequestSigner signer, String pathAndQuery, String etag, Duration timeout)
            throws IOException, InterruptedException {
        var b = builder(pathAndQuery).timeout(timeout).GET();
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        signer.sign("GET", pathAndQuery, new byte[0]).asMap().forEach(b::header);
        return send(client(signer), b);
    }

    private HttpRequest.Builder builder(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).header("User-Agent", USER_AGENT)
                .header(ProtocolVersion.HEADER, ProtocolVersion.CURRENT.toString());
    }

    private static Answer send(HttpClient http, HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    private static byte[] gzip(byte[] json) {
        var out = new ByteArrayOutputStream(json.length / 4);
        try (var zip = new GZIPOutputStream(out)) {
            zip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
