package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.monitoring.internal.AlertEvaluator;
import io.opsbase.monitoring.internal.IngestQueue;
import io.opsbase.protocol.MetricSample;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

import tools.jackson.databind.JsonNode;

/** Templates bound by CMDB query and by link, inherited, with macros, and their triggers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.evaluate-every=1h")
@Import(TestUsers.class)
class TemplatesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    IngestQueue ingest;

    @Autowired
    AlertEvaluator evaluator;

    ApiClient admin;

    @BeforeEach
    void setUp() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
    }

    @Test
    void everyServerGetsTheBuiltInLinuxTemplateAndOtherClassesDoNot() {
        JsonNode server = admin.get("/api/v1/cis/" + newCi("Server", List.of()) + "/monitoring").json();
        assertThat(server.get("templates")).extracting(JsonNode::asString).contains("Linux host");
        assertThat(server.get("items")).extracting(i -> i.get("key").asString())
                .contains("cpu", "memory", "filesystem", "network", "disk", "system", "tcp", "agent");
        JsonNode app = admin.get("/api/v1/cis/" + newCi("Application", List.of()) + "/monitoring").json();
        assertThat(app.get("items")).isEmpty();
    }

    @Test
    void aChildTemplateInheritsOverridesAndTakesMacrosFromTheHostFirst() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        long parent = template(Map.of("name", "base " + suffix, "macros", Map.of("{$LOAD_WARN}", "5,4,3", "{$LOAD_CRIT}", "10,8,6"),
                "items", List.of(
                        item("load", "check", "/usr/lib/nagios/plugins/check_load", List.of("-w", "{$LOAD_WARN}", "-c", "{$LOAD_CRIT}")),
                        item("procs", "check", "/usr/lib/nagios/plugins/check_procs", List.of("-w", "500")))));
        long child = template(Map.of("name", "child " + suffix, "parentId", parent, "macros", Map.of("{$LOAD_CRIT}", "20,16,12"),
                "items", List.of(item("procs", "check", "/usr/lib/nagios/plugins/check_procs", List.of("-w", "900")))));
        long ci = newCi("Application", List.of());
        assertThat(admin.put("/api/v1/templates/" + child + "/hosts/" + ci, Map.of()).status()).isEqualTo(204);
        assertThat(admin.put("/api/v1/cis/" + ci + "/macros", Map.of("{$LOAD_WARN}", "2,2,2")).status()).isEqualTo(200);

        JsonNode items = admin.get("/api/v1/cis/" + ci + "/monitoring").json().get("items");

        assertThat(items).hasSize(2);
        JsonNode load = find(items, "load");
        assertThat(load.get("arguments")).extracting(JsonNode::asString).containsExactly("-w", "2,2,2", "-c", "20,16,12");
        assertThat(find(items, "procs").get("arguments")).extracting(JsonNode::asString).containsExactly("-w", "900");

        assertThat(admin.put("/api/v1/templates/" + parent, Map.of("name", "base " + suffix, "parentId", child)).status())
                .as("a cycle").isEqualTo(422);
        assertThat(admin.delete("/api/v1/templates/" + child + "/hosts/" + ci).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/cis/" + ci + "/monitoring").json().get("items")).isEmpty();
    }

    @Test
    void aCmdbQueryBindsByClassAttributesAndTags() {
        String tag = "prod-" + UUID.randomUUID().toString().substring(0, 6);
        long t = template(Map.of("name", "prod db " + tag, "bindClasses", List.of("Database"), "bindTags", List.of(tag),
                "bindAttributes", Map.of("engine", "postgresql"),
                "items", List.of(item("pg", "prometheus", "http://127.0.0.1:9187/metrics", List.of()))));
        long untagged = newCi("Database", List.of(), Map.of("engine", "postgresql"));
        long mysql = newCi("Database", List.of(tag), Map.of("engine", "mysql"));
        long tagged = newCi("Database", List.of(tag), Map.of("engine", "postgresql"));

        assertThat(admin.get("/api/v1/cis/" + untagged + "/monitoring").json().get("templates")).isEmpty();
        assertThat(admin.get("/api/v1/cis/" + mysql + "/monitoring").json().get("templates")).isEmpty();
        assertThat(admin.get("/api/v1/cis/" + tagged + "/monitoring").json().get("templates")).extracting(JsonNode::asString)
                .containsExactly("prod db " + tag);
        assertThat(admin.get("/api/v1/templates/" + t).json().get("bindTags").get(0).asString()).isEqualTo(tag);
    }

    @Test
    void aTemplatesTriggerFiresOnlyOnItsHosts() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        long t = template(Map.of("name", "trigger " + suffix));
        long bound = newCi("Application", List.of());
        long other = newCi("Application", List.of());
        admin.put("/api/v1/templates/" + t + "/hosts/" + bound, Map.of());
        String metric = "queue_" + suffix;
        var rule = admin.post("/api/v1/alert-rules", Map.of("name", "queue " + suffix, "metric", metric, "operator", ">",
                "threshold", 10, "window", "1m", "templateId", t));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        for (long ci : List.of(bound, other)) {
            ingest.offer(ci, List.of(new MetricSample(metric, Map.of(), Instant.now(), 50))).orElseThrow().get();
        }

        evaluator.evaluate();

        assertThat(admin.get("/api/v1/alerts?ci=" + bound).json().get("items")).hasSize(1);
        assertThat(admin.get("/api/v1/alerts?ci=" + other).json().get("items")).isEmpty();
    }

    @Test
    void aParentTemplatesTriggerFiresOnHostsBoundToItsChild() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        long parent = template(Map.of("name", "parent trigger " + suffix));
        long child = template(Map.of("name", "child trigger " + suffix, "parentId", parent));
        long host = newCi("Application", List.of());
        admin.put("/api/v1/templates/" + child + "/hosts/" + host, Map.of());
        String metric = "inherited_" + suffix;
        var rule = admin.post("/api/v1/alert-rules", Map.of("name", "inherited " + suffix, "metric", metric, "operator", ">",
                "threshold", 10, "window", "1m", "templateId", parent));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        ingest.offer(host, List.of(new MetricSample(metric, Map.of(), Instant.now(), 50))).orElseThrow().get();

        evaluator.evaluate();

        assertThat(admin.get("/api/v1/alerts?ci=" + host).json().get("items")).extracting(a -> a.get("state").asString())
                .containsExactly("firing");
    }

    @Test
    void triggerThresholdsComeFromTheHostsMacroThenTheTemplatesThenTheDefault() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        long parent = template(Map.of("name", "macro parent " + suffix, "macros", Map.of("{$Q_HIGH}", "100")));
        long child = template(Map.of("name", "macro child " + suffix, "parentId", parent));
        long ownValue = newCi("Application", List.of());
        long templateValue = newCi("Application", List.of());
        for (long ci : List.of(ownValue, templateValue)) {
            admin.put("/api/v1/templates/" + child + "/hosts/" + ci, Map.of());
        }
        assertThat(admin.put("/api/v1/cis/" + ownValue + "/macros", Map.of("{$Q_HIGH}", "20")).status()).isEqualTo(200);
        String metric = "macro_q_" + suffix;
        var rule = admin.post("/api/v1/alert-rules", Map.of("name", "macro " + suffix, "metric", metric, "operator", ">",
                "threshold", 1000, "thresholdMacro", "{$Q_HIGH}", "window", "1m", "templateId", child));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        assertThat(rule.json().get("rule").get("thresholdMacro").asString()).isEqualTo("{$Q_HIGH}");
        assertThat(rule.json().get("expression").asString()).endsWith("> {$Q_HIGH}");
        long anywhere = newCi("Application", List.of());
        var everyCi = admin.post("/api/v1/alert-rules", Map.of("name", "macro default " + suffix, "metric", metric, "operator", ">",
                "threshold", 40, "thresholdMacro", "{$Q_HIGH}", "window", "1m", "ciId", anywhere));
        assertThat(everyCi.status()).as(everyCi.body()).isEqualTo(201);
        for (long ci : List.of(ownValue, templateValue, anywhere)) {
            ingest.offer(ci, List.of(new MetricSample(metric, Map.of(), Instant.now(), 50))).orElseThrow().get();
        }

        evaluator.evaluate();

        assertThat(admin.get("/api/v1/alerts?ci=" + ownValue).json().get("items")).as("50 > the host's 20").hasSize(1);
        assertThat(admin.get("/api/v1/alerts?ci=" + templateValue).json().get("items")).as("50 < the template's 100").isEmpty();
        assertThat(admin.get("/api/v1/alerts?ci=" + anywhere).json().get("items")).as("no macro: 50 > the default 40").hasSize(1);
        var bad = admin.post("/api/v1/alert-rules", Map.of("name", "bad macro " + suffix, "metric", metric, "threshold", 1,
                "thresholdMacro", "q_high", "recoveryMacro", "{$OK}", "operator", "=="));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("thresholdMacro", "recoveryMacro");
    }

    @Test
    void aRecoveryMacroOnTheBreachingSideIsIgnored() {
        AlertRule rule = new AlertRule(1, "r", AlertRule.Kind.METRIC, "m", Map.of(), null, AlertFunction.LAST, java.time.Duration.ofMinutes(1),
                AlertRule.Operator.GT, 90, 80.0, java.time.Duration.ZERO, AlertRule.NoData.KEEP, AlertRule.Severity.HIGH, true, Instant.now(),
                null, "{$HIGH}", "{$OK}");
        AlertRule resolved = rule.resolved(Map.of("{$HIGH}", "70", "{$OK}", "75"));
        assertThat(resolved.threshold()).isEqualTo(70);
        assertThat(resolved.recoveryThreshold()).isNull();
        assertThat(resolved.expression()).endsWith("> 70");
        assertThat(rule.resolved(Map.of("{$HIGH}", "not a number")).threshold()).isEqualTo(90);
        assertThat(rule.resolved(Map.of("{$HIGH}", "95", "{$OK}", "85")).recoveryThreshold()).isEqualTo(85);
    }

    @Test
    void templateInputIsCheckedAndTheBuiltInOneStays() {
        var bad = admin.post("/api/v1/templates", Map.of("name", "bad " + UUID.randomUUID(), "macros", Map.of("lower", "x"),
                "items", List.of(Map.of("key", "a", "type", "collector", "target", "gpu"),
                        Map.of("key", "b", "type", "check", "target", "check_load"),
                        Map.of("key", "c", "type", "prometheus", "target", "ftp://x", "interval", "1s"),
                        Map.of("key", "d", "type", "telnet", "target", "x"))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("items[0].target", "items[1].target", "items[2].target", "items[3].type", "macros.lower");
        long builtin = admin.get("/api/v1/templates").json().get("items").valueStream()
                .filter(n -> n.get("builtin").asBoolean()).findFirst().orElseThrow().get("id").asLong();
        assertThat(admin.delete("/api/v1/templates/" + builtin).status()).isEqualTo(409);
        assertThat(ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER)).post("/api/v1/templates", Map.of("name", "v")).status())
                .isEqualTo(403);
    }

    private static Map<String, Object> item(String key, String type, String target, List<String> args) {
        return Map.of("key", key, "type", type, "target", target, "arguments", args, "interval", "1m");
    }

    private static JsonNode find(JsonNode items, String key) {
        return items.valueStream().filter(i -> i.get("key").asString().equals(key)).findFirst().orElseThrow();
    }

    private long template(Map<String, Object> body) {
        var r = admin.post("/api/v1/templates", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private long newCi(String className, List<String> tags) {
        return newCi(className, tags, Map.of());
    }

    private long newCi(String className, List<String> tags, Map<String, Object> attributes) {
        var created = admin.post("/api/v1/cis", Map.of("class", className, "name", "tp-" + UUID.randomUUID().toString().substring(0, 8),
                "tags", tags, "attributes", attributes));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }
}
