package io.opsbase.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import com.sun.net.httpserver.HttpServer;

import io.opsbase.auth.Role;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

import tools.jackson.databind.JsonNode;

/**
 * An alert from end to end: the real server and a real agent process on this machine; a rule on
 * the host's CPU with a threshold it always passes fires, and a local HTTP receiver gets the signed
 * webhook (its HMAC checked here as a receiver would); then the threshold is raised past 100 %,
 * the alert resolves and the resolve notification arrives. The graph query answers the machine's
 * own CPU figures on the way.
 */
// Its own context and database, like the other end-to-end tests that enroll this machine.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.monitoring.evaluate-every=2s", "opsbase.monitoring.notify-every=1s"})
@Import(TestUsers.class)
class AlertEndToEndTest {

    private static final String SECRET = "e2e-webhook-secret";

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @TempDir
    Path stateDir;

    /** What the receiver got: the signature headers and the body, in arrival order. */
    record Received(String timestamp, String signature, byte[] body) {

        JsonNode json() {
            return ProtocolJson.mapper().readTree(body);
        }
    }

    @Test
    void aLowCpuThresholdFiresASignedWebhookAndRaisingItResolvesTheAlert() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Opsbase-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Opsbase-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        try (AgentProcess agent = startAgent(admin)) {
            var channel = admin.post("/api/v1/notification-channels", Map.of("name", "e2e receiver", "type", "webhook",
                    "target", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts", "secret", SECRET,
                    "groupWait", "0s", "repeatEvery", "0"));
            assertThat(channel.status()).as(channel.body()).isEqualTo(201);
            String agentId = await().atMost(Duration.ofSeconds(60)).until(() -> {
                var m = java.util.regex.Pattern.compile("enrolled as agent (\\d+)").matcher(agent.log());
                return m.find() ? m.group(1) : null;
            }, id -> id != null);
            long ci = await().atMost(Duration.ofSeconds(60)).until(
                    () -> admin.get("/api/v1/agents/" + agentId).json().get("ciId"), n -> n != null && !n.isNull()).asLong();

            Instant started = Instant.now();
            JsonNode cpu = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(
                    () -> query(admin, "cpu_used_percent{ci=\"" + ci + "\",cpu=\"total\"}", started.minusSeconds(120)),
                    g -> g.get("series").size() == 1 && !g.get("series").get(0).get("columns").isEmpty());
            assertThat(cpu.get("series").get(0).get("columns")).allSatisfy(c -> {
                assertThat(c.get("min").asDouble()).isBetween(0.0, 100.0);
                assertThat(c.get("max").asDouble()).isBetween(c.get("min").asDouble(), 100.0);
            });

            Map<String, Object> rule = new java.util.LinkedHashMap<>(Map.of("name", "e2e CPU", "metric", "cpu_used_percent",
                    "labels", Map.of("cpu", "total"), "function", "max", "window", "1m", "operator", ">=", "threshold", 0,
                    "severity", "high", "ciId", ci));
            var created = admin.post("/api/v1/alert-rules", rule);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long ruleId = created.json().get("rule").get("id").asLong();

            Received fired = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> first(received, "firing"), r -> r != null);
            assertSigned(fired);
            JsonNode firedAlert = fired.json().get("alerts").get(0);
            assertThat(firedAlert.get("rule").asString()).isEqualTo("e2e CPU");
            assertThat(firedAlert.get("ciId").asLong()).isEqualTo(ci);
            assertThat(firedAlert.get("state").asString()).isEqualTo("firing");
            long alertId = firedAlert.get("id").asLong();
            assertThat(admin.get("/api/v1/alerts/" + alertId).json().get("state").asString()).isEqualTo("firing");

            rule.put("threshold", 1000);
            var raised = admin.put("/api/v1/alert-rules/" + ruleId, rule);
            assertThat(raised.status()).as(raised.body()).isEqualTo(200);

            Received resolved = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> first(received, "resolved"), r -> r != null);
            assertSigned(resolved);
            assertThat(resolved.json().get("alerts").get(0).get("id").asLong()).isEqualTo(alertId);
            assertThat(admin.get("/api/v1/alerts/" + alertId).json().get("state").asString()).isEqualTo("resolved");
            assertThat(received).as("one firing and one resolved message").hasSize(2);
        } finally {
            receiver.stop(0);
        }
    }

    private AgentProcess startAgent(ApiClient admin) throws Exception {
        String enrollToken = admin.post("/api/v1/enrollment-tokens", "{\"uses\": 1, \"autoApprove\": true}").json().get("token").asString();
        return AgentProcess.start("http://127.0.0.1:" + port, stateDir, enrollToken);
    }

    private static Received first(List<Received> received, String kind) {
        return received.stream().filter(r -> r.json().get("kind").asString().equals(kind)).findFirst().orElse(null);
    }

    /** The receiver's side of the contract: HMAC-SHA256 of "timestamp.body" with the shared secret, compared in constant time. */
    private static void assertSigned(Received r) throws Exception {
        assertThat(r.timestamp()).isNotBlank();
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(r.timestamp()))).isLessThan(300);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((r.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body()))).getBytes(StandardCharsets.US_ASCII);
        assertThat(MessageDigest.isEqual(expected, r.signature().getBytes(StandardCharsets.US_ASCII))).as(r.signature()).isTrue();
        byte[] tampered = r.body().clone();
        tampered[tampered.length / 2] ^= 1;
        mac.update((r.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(mac.doFinal(tampered))).isNotEqualTo(r.signature().substring("sha256=".length()));
    }

    private JsonNode query(ApiClient admin, String selector, Instant from) {
        var r = admin.get("/api/v1/metrics/query?series=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&from=" + from + "&to=" + Instant.now().plusSeconds(60) + "&width=100");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }
}
