package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.monitoring.internal.AlertEvaluator;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.protocol.MetricSample;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/** The alerts page and the graph JSON behind host pages, over real HTTP with form login. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.evaluate-every=1h")
@Import(TestUsers.class)
class MonitoringPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    IngestQueue ingest;

    @Autowired
    AlertEvaluator evaluator;

    @Test
    void theGraphJsonNeedsALoginAndAnswersM4Columns() throws Exception {
        long ci = newCi();
        ingest.offer(ci, List.of(new MetricSample("memory_used_percent", Map.of(), Instant.now().minusSeconds(30), 42.5)))
                .orElseThrow().get();
        String path = "/monitoring/graph?series=" + URLEncoder.encode("memory_used_percent{ci=\"" + ci + "\"}", StandardCharsets.UTF_8)
                + "&width=20";

        assertThat(WebSession.at(port).get(path).status()).isEqualTo(302);
        WebSession viewer = loggedIn(Role.VIEWER, "en");
        var page = viewer.get(path);
        assertThat(page.status()).isEqualTo(200);
        var columns = ProtocolJson.mapper().readTree(page.body()).get("series").get(0).get("columns");
        assertThat(columns).anySatisfy(c -> assertThat(c.get("max").asDouble()).isEqualTo(42.5));
        assertThat(viewer.get("/monitoring/graph?series=nope").status()).isEqualTo(422);
    }

    @Test
    void theAlertsPageListsFiringAlertsAndOperatorsAcknowledgeThem() throws Exception {
        long ci = newCi();
        String metric = "page_metric_" + UUID.randomUUID().toString().substring(0, 6);
        var admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        assertThat(admin.post("/api/v1/alert-rules", Map.of("name", "page " + metric, "metric", metric, "operator", ">",
                "threshold", 1, "window", "1m", "severity", "disaster")).status()).isEqualTo(201);
        ingest.offer(ci, List.of(new MetricSample(metric, Map.of(), Instant.now(), 7))).orElseThrow().get();
        evaluator.evaluate();
        long alertId = admin.get("/api/v1/alerts?ci=" + ci).json().get("items").get(0).get("id").asLong();

        WebSession viewer = loggedIn(Role.VIEWER, "en");
        var list = viewer.get("/alerts");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("id=\"alert-" + alertId + "\"", "page " + metric).doesNotContain("??");
        assertThat(list.body()).doesNotContain("/alerts/" + alertId + "/acknowledge");
        assertThat(viewer.post("/alerts/" + alertId + "/acknowledge", Map.of(), list.csrfToken()).status()).isEqualTo(403);

        WebSession operator = loggedIn(Role.OPERATOR, "en");
        var form = operator.get("/alerts");
        assertThat(form.body()).contains("/alerts/" + alertId + "/acknowledge");
        var done = operator.post("/alerts/" + alertId + "/acknowledge", Map.of("comment", "paging the DBA"), form.csrfToken());
        assertThat(done.status()).isEqualTo(302);
        assertThat(operator.get("/alerts").body()).contains("Acknowledged");
        assertThat(admin.get("/api/v1/alerts/" + alertId).json().get("acknowledgeComment").asString()).isEqualTo("paging the DBA");

        assertThat(loggedIn(Role.VIEWER, "zh-CN").get("/alerts").body()).contains("告警").doesNotContain("??");
    }

    @Test
    void rulesSilencesTemplatesAndChannelsPagesWorkInBothLanguagesWithFieldErrors() {
        WebSession operator = loggedIn(Role.OPERATOR, "en");
        var rules = operator.get("/monitoring/rules");
        assertThat(rules.status()).isEqualTo(200);
        assertThat(rules.body()).contains("Host down", "id=\"rule-form\"").doesNotContain("??");
        String name = "page rule " + UUID.randomUUID().toString().substring(0, 6);
        var bad = operator.post("/monitoring/rules", Map.of("name", name, "metric", "9bad", "threshold", "x1", "operator", ">"),
                rules.csrfToken());
        assertThat(bad.status()).isEqualTo(422);
        var fields = new java.util.LinkedHashMap<String, String>();
        fields.putAll(Map.of("name", name, "metric", "cpu_used_percent", "labels", "cpu=total", "function", "avg", "window", "5m"));
        fields.putAll(Map.of("operator", ">", "threshold", "95", "for", "2m", "noData", "keep", "severity", "high"));
        fields.put("templateId", "");
        var created = operator.post("/monitoring/rules", fields, rules.csrfToken());
        assertThat(created.status()).isEqualTo(302);
        assertThat(operator.get("/monitoring/rules").body()).contains(name, "avg(cpu_used_percent{cpu=&quot;total&quot;}[5m]) &gt; 95");

        var silences = operator.get("/monitoring/silences");
        assertThat(operator.post("/monitoring/silences", Map.of("matchers", "", "duration", "2h", "comment", "x"), silences.csrfToken())
                .status()).isEqualTo(422);
        assertThat(operator.post("/monitoring/silences", Map.of("matchers", "ci=1", "duration", "2h", "comment", "maintenance"),
                silences.csrfToken()).status()).isEqualTo(302);
        assertThat(operator.get("/monitoring/silences").body()).contains("maintenance");
        assertThat(operator.get("/monitoring/templates").body()).contains("Linux host", "collector");
        assertThat(operator.get("/admin/notification-channels").status()).isEqualTo(403);

        WebSession viewer = loggedIn(Role.VIEWER, "zh-CN");
        var zh = viewer.get("/monitoring/rules");
        assertThat(zh.body()).contains("告警规则").doesNotContain("??").doesNotContain("id=\"rule-form\"");
        assertThat(viewer.post("/monitoring/rules", Map.of("name", "v"), zh.csrfToken()).status()).isEqualTo(403);

        WebSession admin = loggedIn(Role.ADMIN, "en");
        var channels = admin.get("/admin/notification-channels");
        assertThat(channels.body()).contains("id=\"channel-form\"").doesNotContain("??");
        var refused = admin.post("/admin/notification-channels", Map.of("name", "c", "type", "slack", "target", "ftp://x",
                "secret", "s3cret-never-shown"), channels.csrfToken());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).doesNotContain("s3cret-never-shown");
    }

    @Test
    void anyoneComposesDashboardsThatStayPrivateUntilShared() {
        WebSession viewer = loggedIn(Role.VIEWER, "en");
        var page = viewer.get("/dashboards");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("??");
        var bad = viewer.post("/dashboards", Map.of("name", "mine", "panels", "CPU | cpu_used_percent | %"), page.csrfToken());
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("must name the CI");
        var made = viewer.post("/dashboards", Map.of("name", "my board", "panels",
                "CPU | cpu_used_percent{ci=\"1\",cpu=\"total\"} | %\nLoad | system_load1{ci=\"1\"} |"), page.csrfToken());
        assertThat(made.status()).isEqualTo(302);
        var board = viewer.get(made.location());
        assertThat(board.body()).contains("graph-board", "data-series=\"cpu_used_percent{ci=&quot;1&quot;,cpu=&quot;total&quot;}\"", "Load");
        long id = Long.parseLong(made.location().replaceAll("\\D", ""));

        WebSession other = loggedIn(Role.OPERATOR, "en");
        assertThat(other.get("/dashboards/" + id).status()).isEqualTo(404);
        var api = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
        var shared = api.post("/api/v1/dashboards", Map.of("name", "team board", "shared", true,
                "panels", List.of(Map.of("title", "Mem", "series", "memory_used_percent{ci=\"1\"}", "unit", "%"))));
        assertThat(shared.status()).as(shared.body()).isEqualTo(201);
        assertThat(other.get("/dashboards").body()).contains("team board").doesNotContain("my board");
        assertThat(ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR))
                .delete("/api/v1/dashboards/" + shared.json().get("id").asLong()).status()).isEqualTo(403);
    }

    private WebSession loggedIn(Role role, String language) {
        WebSession session = WebSession.at(port).header("Accept-Language", language);
        assertThat(session.login(users.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }

    private long newCi() {
        var admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        var created = admin.post("/api/v1/cis", Map.of("class", "Server", "name", "mp-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }
}
