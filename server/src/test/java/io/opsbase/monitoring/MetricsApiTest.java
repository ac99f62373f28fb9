package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.agents.AgentService;
import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.auth.Role;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.MetricsBatchRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** Signed metric batches from an enrolled, approved agent over real HTTP, then the graph API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class MetricsApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    EnrollmentTokenService tokens;

    @Autowired
    AgentService agentService;

    private final HttpClient http = HttpClient.newHttpClient();
    ApiClient admin;
    ApiClient viewer;

    record Agent(long id, RequestSigner signer) {
    }

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
    }

    @Test
    void anApprovedAgentsBatchIsStoredAndDrawnAsM4Columns() throws Exception {
        long ci = newCi();
        Agent agent = enroll(ci);
        Instant t0 = Instant.now().minusSeconds(600);
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            samples.add(new MetricSample("cpu_used_percent", Map.of("cpu", "total"), t0.plusSeconds(10L * i), i == 30 ? 97.5 : 20 + i % 3));
            samples.add(new MetricSample("memory_used_bytes", Map.of(), t0.plusSeconds(10L * i), 1e9 + i));
        }

        var response = send(agent, new MetricsBatchRequest("batch-" + UUID.randomUUID(), samples), true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"ACCEPTED\"");
        var series = viewer.get("/api/v1/metrics/series?ci=" + ci);
        assertThat(series.status()).isEqualTo(200);
        assertThat(series.json().get("items")).extracting(n -> n.get("series").asString())
                .containsExactly("cpu_used_percent{ci=\"" + ci + "\",cpu=\"total\"}", "memory_used_bytes{ci=\"" + ci + "\"}");

        var graph = viewer.get("/api/v1/metrics/query?series=" + enc("cpu_used_percent{ci=\"" + ci + "\"}") + "&from="
                + t0 + "&to=" + t0.plusSeconds(600) + "&width=30");
        assertThat(graph.status()).as(graph.body()).isEqualTo(200);
        var first = graph.json().get("series").get(0);
        assertThat(first.get("exact").asBoolean()).isTrue();
        double max = 0;
        for (var column : first.get("columns")) {
            max = Math.max(max, column.get("max").asDouble());
        }
        assertThat(max).as("the one-sample peak survives a 30-pixel graph").isEqualTo(97.5);
    }

    @Test
    void aBatchSentAgainIsADuplicateAndStoredOnce() throws Exception {
        long ci = newCi();
        Agent agent = enroll(ci);
        var batch = new MetricsBatchRequest("again-" + UUID.randomUUID(),
                List.of(new MetricSample("system_load1", Map.of(), Instant.now().minusSeconds(5), 0.5)));

        assertThat(send(agent, batch, false).body()).contains("ACCEPTED");
        assertThat(send(agent, batch, true).body()).contains("DUPLICATE");

        var graph = viewer.get("/api/v1/metrics/query?series=" + enc("system_load1{ci=\"" + ci + "\"}") + "&width=10");
        assertThat(graph.json().get("series")).hasSize(1);
    }

    @Test
    void aBadSampleRefusesTheWholeBatchWithEveryProblemListedAndStoresNothing() throws Exception {
        long ci = newCi();
        Agent agent = enroll(ci);
        Instant now = Instant.now();
        var batch = new MetricsBatchRequest("bad-" + UUID.randomUUID(), List.of(
                new MetricSample("good_metric", Map.of(), now, 1),
                new MetricSample("9bad", Map.of(), now, 1),
                new MetricSample("future", Map.of(), now.plusSeconds(3600), 1),
                new MetricSample("labels", Map.of("bad-label", "x"), now, 1)));

        var response = send(agent, batch, true);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(response.body()).contains("samples[1].name", "samples[2].timestamp", "samples[3].labels.bad-label");
        assertThat(viewer.get("/api/v1/metrics/series?ci=" + ci).json().get("items")).isEmpty();
    }

    @Test
    void anAgentNotYetApprovedIsToldSoAndAnUnsignedBatchIsRefused() throws Exception {
        Agent pending = enroll(null);
        var batch = new MetricsBatchRequest("p-" + UUID.randomUUID(), List.of(new MetricSample("x", Map.of(), Instant.now(), 1)));

        var response = send(pending, batch, false);
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("agent-not-approved");

        var unsigned = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/metrics"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(batch))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    @Test
    void anAgentsOwnCiLabelCannotPointItsSamplesAtAnotherCi() throws Exception {
        long ci = newCi();
        long other = newCi();
        Agent agent = enroll(ci);
        send(agent, new MetricsBatchRequest("ci-" + UUID.randomUUID(),
                List.of(new MetricSample("app_up", Map.of("ci", Long.toString(other)), Instant.now().minusSeconds(1), 1))), false);

        assertThat(viewer.get("/api/v1/metrics/series?ci=" + other).json().get("items")).isEmpty();
        assertThat(viewer.get("/api/v1/metrics/series?ci=" + ci).json().get("items").get(0).get("series").asString())
                .isEqualTo("app_up{ci=\"" + ci + "\",exported_ci=\"" + other + "\"}");
    }

    @Test
    void graphQueriesCheckTheirInputAndNeedAuthentication() {
        assertThat(viewer.get("/api/v1/metrics/query?series=" + enc("cpu_used_percent")).status()).isEqualTo(422);
        assertThat(viewer.get("/api/v1/metrics/query?series=" + enc("cpu{ci=\"1\"") ).status()).isEqualTo(422);
        assertThat(viewer.get("/api/v1/metrics/query?series=" + enc("cpu{ci=\"1\"}") + "&width=0").status()).isEqualTo(422);
        assertThat(viewer.get("/api/v1/metrics/query?series=" + enc("cpu{ci=\"1\"}") + "&from=yesterday").status()).isEqualTo(422);
        assertThat(viewer.get("/api/v1/metrics/query?series=" + enc("cpu{ci=\"1\"}") + "&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
                .status()).isEqualTo(422);
        assertThat(ApiClient.at(port).get("/api/v1/metrics/series?ci=1").status()).isEqualTo(401);
    }

    @Test
    void anApprovedAgentGetsTheLinuxTemplateAndAnUnchangedConfigCostsA304() throws Exception {
        Agent agent = enroll(newCi());
        Agent pending = enroll(null);

        var config = getConfig(agent, null);
        assertThat(config.statusCode()).isEqualTo(200);
        var parsed = ProtocolJson.read(config.body().getBytes(StandardCharsets.UTF_8), io.opsbase.protocol.ConfigResponse.class);
        assertThat(parsed.items()).extracting(io.opsbase.protocol.MonitoringItem::key)
                .contains("cpu", "memory", "filesystem", "network", "disk", "system", "tcp", "agent");
        assertThat(config.headers().firstValue("ETag")).hasValue(parsed.etag());

        var again = getConfig(agent, parsed.etag());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        var none = ProtocolJson.read(getConfig(pending, null).body().getBytes(StandardCharsets.UTF_8),
                io.opsbase.protocol.ConfigResponse.class);
        assertThat(none.items()).isEmpty();
        assertThat(none.etag()).isNotEqualTo(parsed.etag());
    }

    private HttpResponse<String> getConfig(Agent agent, String etag) throws Exception {
        String path = "/api/v1/agent/config";
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        agent.signer().sign("GET", path, new byte[0]).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long newCi() {
        var created = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "mon-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private Agent enroll(Long ciId) throws Exception {
        String token = tokens.issue(1, null, false, "metrics test", "admin").token();
        String host = "mon-" + UUID.randomUUID();
        var fingerprint = new HostFingerprint(UUID.randomUUID().toString().replace("-", ""), null, null, null, List.of(), host);
        var request = new EnrollRequest(token, fingerprint, "1.0.0", ProtocolVersion.CURRENT);
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        var enrolled = ProtocolJson.read(r.body(), EnrollResponse.class);
        long id = Long.parseLong(enrolled.agentId());
        if (ciId != null) {
            agentService.bind(id, ciId);
        }
        return new Agent(id, new RequestSigner(enrolled.agentId(), Base64.getDecoder().decode(enrolled.secret()), java.time.Clock.systemUTC()));
    }

    private HttpResponse<String> send(Agent agent, MetricsBatchRequest batch, boolean gzip) throws Exception {
        byte[] body = ProtocolJson.write(batch);
        if (gzip) {
            var out = new ByteArrayOutputStream();
            try (var zip = new GZIPOutputStream(out)) {
                zip.write(body);
            }
            body = out.toByteArray();
        }
        String path = "/api/v1/agent/metrics";
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        agent.signer().sign("POST", path, body).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
