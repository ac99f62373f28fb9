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
