package io.opsbase.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.InventoryResponse;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.inventory.InventoryHash;
import io.opsbase.protocol.signing.RequestSigner;

/**
 * Agents over real HTTP with real signatures: enroll with a token, report inventories. A bean of
 * {@link DiscoveryTestConfiguration} only (not a component: the application's scan would find it).
 */
class SimulatedAgents {

    private final EnrollmentTokenService tokens;
    private final MutableClock clock;
    private final HttpClient http = HttpClient.newHttpClient();

    SimulatedAgents(EnrollmentTokenService tokens, MutableClock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    record Agent(long id, RequestSigner signer, int port) {
    }

    record Report(int status, String body, InventoryResponse response) {
    }

    Agent enroll(int port, HostSpec host, boolean autoApprove) throws Exception {
        String token = tokens.issue(1, null, autoApprove, "discovery test", "admin").token();
        var request = new EnrollRequest(token, host.fingerprint(), "1.0.0", ProtocolVersion.CURRENT);
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        var enrolled = ProtocolJson.read(r.body(), EnrollResponse.class);
        return new Agent(Long.parseLong(enrolled.agentId()),
                new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), clock), port);
    }

    /** Reports the host's inventory under a fresh idempotency key and expects it accepted. */
    Report report(Agent agent, HostSpec host) throws Exception {
        Report r = report(agent, "inv-" + UUID.randomUUID(), host);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    Report report(Agent agent, String idempotencyKey, HostSpec host) throws Exception {
        var inventory = host.inventory();
        var request = new InventoryRequest(idempotencyKey, clock.instant(), InventoryHash.of(inventory), inventory);
        return send(agent, ProtocolJson.write(request));
    }

    Report send(Agent agent, byte[] body) throws Exception {
        return send(agent, body, false);
    }

    /** Like the real agent, optionally gzipped with {@code Content-Encoding: gzip}; the signature covers the bytes sent. */
    Report send(Agent agent, byte[] json, boolean gzip) throws Exception {
        if (!gzip) {
            return sendEncoded(agent, json, null);
        }
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(json);
        }
        return sendEncoded(agent, out.toByteArray(), "gzip");
    }

    /** The body exactly as given, with {@code Content-Encoding} when non-null. */
    Report sendEncoded(Agent agent, byte[] body, String contentEncoding) throws Exception {
        String path = "/api/v1/agent/inventory";
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        if (contentEncoding != null) {
            b.header("Content-Encoding", contentEncoding);
        }
        agent.signer().sign("POST", path, body).asMap().forEach(b::header);
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        InventoryResponse parsed = r.statusCode() == 200
                ? ProtocolJson.read(r.body().getBytes(StandardCharsets.UTF_8), InventoryResponse.class) : null;
        return new Report(r.statusCode(), r.body(), parsed);
    }
}
