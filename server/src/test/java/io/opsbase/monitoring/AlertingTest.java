package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;

import io.opsbase.agents.AgentService;
import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.auth.Role;
import io.opsbase.monitoring.internal.AlertEvaluator;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.MutableClock;
import io.opsbase.testing.TestUsers;

/**
 * Alert rules evaluated with an injected clock over samples in the real store: pending, firing,
 * hysteresis, resolved, no data, flapping, silences, maintenance, host down and suppression through
 * the CMDB graph, and the API's validation and authorisation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.monitoring.evaluate-every=1h", "opsbase.monitoring.flap-firings=3"})
@Import({TestUsers.class, AlertingTest.Config.class})
class AlertingTest {

    static final Instant START = Instant.parse("2026-11-28T08:00:00Z");

    @TestConfiguration(proxyBeanMethods = false)
    static class Config {
        @Bean
        @Primary
        MutableClock alertingClock() {
            return new MutableClock(START);
        }

        @Bean
        Notified notified() {
            return new Notified();
        }
    }

    static class Notified {
        final List<AlertFired> fired = new CopyOnWriteArrayList<>();
        final List<AlertResolved> resolved = new CopyOnWriteArrayList<>();

        @EventListener
        void on(AlertFired e) {
            fired.add(e);
        }

        @EventListener
        void on(AlertResolved e) {
            resolved.add(e);
        }

        List<AlertFired> firedFor(long ci) {
            return fired.stream().filter(e -> e.alert().ciId() == ci).toList();
        }

        List<AlertResolved> resolvedFor(long ci) {
            return resolved.stream().filter(e -> e.alert().ciId() == ci).toList();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    MutableClock clock;

    @Autowired
    IngestQueue ingest;

    @Autowired
    AlertEvaluator evaluator;

    @Autowired
    Notified notified;

    @Autowired
    EnrollmentTokenService tokens;

    @Autowired
    AgentService agents;

    ApiClient admin;
    ApiClient viewer;

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
    }

    @Test
    void firesAfterItsForDurationAndResolvesOnlyPastTheRecoveryThreshold() throws Exception {
        long ci = newCi("Server");
        rule(map("name", "cpu high " + ci, "metric", "cpu_used_percent", "labels", Map.of("cpu", "total"), "ciId", ci,
                "function", "avg", "window", "1m", "operator", ">", "threshold", 90, "recoveryThreshold", 80, "for", "2m",
                "severity", "high"));

        sample(ci, "cpu_used_percent", 95);
        evaluator.evaluate();
        assertThat(openAlerts(ci)).singleElement().satisfies(a -> assertThat(a.get("state").asString()).isEqualTo("pending"));

        advance(Duration.ofMinutes(1), ci, 96);
        assertThat(openAlerts(ci).get(0).get("state").asString()).isEqualTo("pending");
        advance(Duration.ofSeconds(61), ci, 97);
        assertThat(openAlerts(ci).get(0).get("state").asString()).as(openAlerts(ci).toString() + " at " + clock.instant()).isEqualTo("firing");
        assertThat(notified.firedFor(ci)).singleElement().satisfies(e -> {
            assertThat(e.tellPeople()).isTrue();
            assertThat(e.expression()).isEqualTo("avg(cpu_used_percent{cpu=\"total\"}[1m]) > 90");
        });

        advance(Duration.ofMinutes(2), ci, 85); // under 90 but over the recovery threshold: still firing
        assertThat(openAlerts(ci).get(0).get("state").asString()).isEqualTo("firing");
        advance(Duration.ofMinutes(2), ci, 70);
        assertThat(openAlerts(ci)).isEmpty();
        assertThat(notified.resolvedFor(ci)).hasSize(1);
        assertThat(viewer.get("/api/v1/alerts?state=resolved&ci=" + ci).json().get("items").get(0).get("value").asDouble()).isEqualTo(70);
    }

    @Test
    void aConditionThatStopsBeforeItsForDurationNeverFires() throws Exception {
        long ci = newCi("Server");
        rule(map("name", "load " + ci, "metric", "system_load1", "ciId", ci, "operator", ">", "threshold", 4, "for", "5m"));

        sample(ci, "system_load1", 9);
        evaluator.evaluate();
        advance(Duration.ofMinutes(1), ci, 1);

        assertThat(openAlerts(ci)).isEmpty();
        assertThat(viewer.get("/api/v1/alerts?state=all&ci=" + ci).json().get("items")).isEmpty();
        assertThat(notified.firedFor(ci)).isEmpty();
    }

    @Test
    void aSeriesThatStopsReportingFiresWhenTheRuleSaysNoDataIsAnAlert() throws Exception {
        long ci = newCi("Server");
        rule(map("name", "scrape gone " + ci, "metric", "up", "ciId", ci, "operator", "<", "threshold", 1, "window", "1m",
                "noData", "alert"));

        sample(ci, "up", 1);
        evaluator.evaluate();
        assertThat(openAlerts(ci)).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        evaluator.evaluate();
        assertThat(openAlerts(ci)).singleElement().satisfies(a -> {
            assertThat(a.get("state").asString()).isEqualTo("firing");
            assertThat(a.get("noData").asBoolean()).isTrue();
        });

        advance(Duration.ofSeconds(10), ci, 1);
        assertThat(openAlerts(ci)).isEmpty();
    }

    @Test
    void anAlertThatKeepsFiringAndResolvingIsMarkedFlappingAndNotToldAnyMore() throws Exception {
        long ci = newCi("Server");
        rule(map("name", "flappy " + ci, "metric", "queue_depth", "ciId", ci, "operator", ">", "threshold", 10, "window", "10s"));

        sample(ci, "queue_depth", 0);
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofMinutes(1), ci, 50);
            advance(Duration.ofMinutes(1), ci, 0);
        }

        assertThat(notified.firedFor(ci)).hasSize(3);
        assertThat(notified.firedFor(ci)).extracting(AlertFired::tellPeople).containsExactly(true, true, false);
        assertThat(notified.firedFor(ci).get(2).alert().flapping()).isTrue();
    }

    @Test
    void silencesAndMaintenanceKeepPeopleFromBeingToldButTheAlertStillShows() throws Exception {
        long silenced = newCi("Server");
        long maintained = newCi("Server");
        rule(map("name", "disk full " + silenced, "metric", "filesystem_used_percent", "operator", ">", "threshold", 95,
                "window", "1m"));
        var silence = admin.post("/api/v1/silences", Map.of("matchers", Map.of("ci", Long.toString(silenced)), "duration", "2h",
                "comment", "disk being replaced"));
        assertThat(silence.status()).as(silence.body()).isEqualTo(201);
        assertThat(admin.post("/api/v1/cis/" + maintained + "/transitions", Map.of("to", "maintenance", "reason", "patching")).status())
                .isEqualTo(200);

        sample(silenced, "filesystem_used_percent", 99);
        sample(maintained, "filesystem_used_percent", 99);
        evaluator.evaluate();

        assertThat(notified.firedFor(silenced)).singleElement().satisfies(e -> {
            assertThat(e.tellPeople()).isFalse();
            assertThat(e.alert().silencedBy()).isEqualTo(silence.json().get("id").asLong());
        });
        assertThat(notified.firedFor(maintained)).singleElement().satisfies(e -> assertThat(e.tellPeople()).isFalse());
        assertThat(openAlerts(silenced).get(0).get("silencedBy").asLong()).isEqualTo(silence.json().get("id").asLong());

        assertThat(admin.delete("/api/v1/silences/" + silence.json().get("id").asLong()).status()).isEqualTo(204);
        assertThat(openAlerts(silenced).get(0).get("silencedBy").isNull()).isTrue();
    }

    @Test
    void aHostBehindAFailedSwitchRaisesOneToldAlertNotTwo() throws Exception {
        long switchCi = newCi("NetworkDevice");
        long hostCi = newCi("Server");
        var link = admin.post("/api/v1/cis/" + hostCi + "/relations", Map.of("type", "connects_to", "target", switchCi));
        assertThat(link.status()).as(link.body()).isEqualTo(201);
        enrollAndBind(switchCi);
        enrollAndBind(hostCi);

        clock.advance(Duration.ofMinutes(5));
        evaluator.evaluate();

        AlertFired switchDown = notified.firedFor(switchCi).getFirst();
        assertThat(switchDown.tellPeople()).isTrue();
        assertThat(switchDown.alert().rule()).isEqualTo("Host down");
        assertThat(notified.firedFor(hostCi)).singleElement().satisfies(e -> {
            assertThat(e.tellPeople()).isFalse();
            assertThat(e.alert().suppressedBy()).isEqualTo(switchDown.alert().id());
        });
    }

    @Test
    void acknowledgingNeedsAFiringAlertAndIsAudited() throws Exception {
        long ci = newCi("Server");
        rule(map("name", "ack " + ci, "metric", "tcp_connections", "labels", Map.of("state", "time_wait"), "ciId", ci,
                "operator", ">", "threshold", 1000, "window", "1m"));
        sample(ci, "tcp_connections", 5000, Map.of("state", "time_wait"));
        evaluator.evaluate();
        long alertId = openAlerts(ci).get(0).get("id").asLong();

        assertThat(viewer.post("/api/v1/alerts/" + alertId + "/acknowledge", Map.of("comment", "x")).status()).isEqualTo(403);
        var ack = admin.post("/api/v1/alerts/" + alertId + "/acknowledge", Map.of("comment", "looking into it"));
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        assertThat(ack.json().get("acknowledgeComment").asString()).isEqualTo("looking into it");
        assertThat(admin.get("/api/v1/audit?action=alert.acknowledged").body()).contains("looking into it");

        advance(Duration.ofMinutes(2), ci, 10, Map.of("state", "time_wait"));
        assertThat(admin.post("/api/v1/alerts/" + alertId + "/acknowledge", Map.of()).status()).isEqualTo(409);
    }

    @Test
    void ruleInputIsCheckedFieldByFieldAndNamesAreUnique() {
        var bad = admin.post("/api/v1/alert-rules", Map.of("name", "", "metric", "9x", "function", "median", "window", "5 minutes",
                "operator", "=~", "recoveryThreshold", 95, "noData", "maybe"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("\"name\"", "\"metric\"", "\"function\"", "\"window\"", "\"operator\"", "\"threshold\"", "\"noData\"");

        var ok = Map.<String, Object>of("name", "unique " + UUID.randomUUID(), "metric", "m", "operator", ">", "threshold", 1);
        assertThat(admin.post("/api/v1/alert-rules", ok).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/alert-rules", ok).status()).isEqualTo(409);
        assertThat(viewer.post("/api/v1/alert-rules", Map.of("name", "v", "metric", "m", "threshold", 1)).status()).isEqualTo(403);
        assertThat(viewer.get("/api/v1/alert-rules").json().get("items")).anySatisfy(r ->
                assertThat(r.get("rule").get("name").asString()).isEqualTo("Host down"));
        assertThat(ApiClient.at(port).get("/api/v1/alerts").status()).isEqualTo(401);
    }

    // --- fixtures

    private void advance(Duration by, long ci, double value) throws Exception {
        clock.advance(by);
        sample(ci, metricOf(ci), value);
        evaluator.evaluate();
    }

    private void advance(Duration by, long ci, double value, Map<String, String> labels) throws Exception {
        clock.advance(by);
        sample(ci, metricOf(ci), value, labels);
        evaluator.evaluate();
    }

    private final Map<Long, String> lastMetric = new java.util.concurrent.ConcurrentHashMap<>();

    private String metricOf(long ci) {
        return lastMetric.get(ci);
    }

    private void sample(long ci, String metric, double value) throws Exception {
        sample(ci, metric, value, metric.equals("cpu_used_percent") ? Map.of("cpu", "total") : Map.of());
    }

    private void sample(long ci, String metric, double value, Map<String, String> labels) throws Exception {
        lastMetric.put(ci, metric);
        ingest.offer(ci, List.of(new MetricSample(metric, labels, clock.instant(), value))).orElseThrow().get();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private void rule(Map<String, Object> body) {
        var r = admin.post("/api/v1/alert-rules", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private List<tools.jackson.databind.JsonNode> openAlerts(long ci) {
        var r = viewer.get("/api/v1/alerts?ci=" + ci);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<tools.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        r.json().get("items").forEach(out::add);
        return out;
    }

    private long newCi(String className) {
        var created = admin.post("/api/v1/cis", Map.of("class", className, "name", "al-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        // The default lifecycle starts at planned; monitored hosts are in use.
        for (String to : List.of("in_stock", "deployed", "in_use")) {
            admin.post("/api/v1/cis/" + id + "/transitions", Map.of("to", to, "reason", "test"));
        }
        return id;
    }

    private void enrollAndBind(long ciId) throws Exception {
        String token = tokens.issue(1, null, false, "alerting test", "admin").token();
        var fingerprint = new HostFingerprint(UUID.randomUUID().toString().replace("-", ""), null, null, null, List.of(),
                "al-" + UUID.randomUUID());
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(
                        new EnrollRequest(token, fingerprint, "1.0.0", ProtocolVersion.CURRENT)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        agents.bind(Long.parseLong(ProtocolJson.read(r.body(), EnrollResponse.class).agentId()), ciId);
    }
}
