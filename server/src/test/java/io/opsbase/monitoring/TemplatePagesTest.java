package io.opsbase.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

import tools.jackson.databind.JsonNode;

/** The templates editor and a host's monitoring page, over real HTTP with form login. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.evaluate-every=1h")
@Import(TestUsers.class)
class TemplatePagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Test
    void anOperatorCreatesATemplateWithRowsFromTheFormAndSeesTheServicesMessagesBesideEachField() {
        WebSession operator = loggedIn(Role.OPERATOR, "en");
        var blank = operator.get("/monitoring/templates/new");
        assertThat(blank.status()).isEqualTo(200);
        assertThat(blank.body()).contains("id=\"template-form\"", "name=\"items[0].key\"", "id=\"add-item\"", "Server")
                .doesNotContain("??");
        var row = operator.get("/monitoring/templates/rows/item");
        assertThat(row.body()).startsWith("<tr").containsPattern("name=\"items\\[\\d+]\\.target\"");

        String name = "page template " + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> bad = new LinkedHashMap<>(Map.of("name", name, "bindClasses", "Server", "bindAttributes", "env=prod"));
        bad.putAll(Map.of("items[3].key", "cpu", "items[3].type", "collector", "items[3].target", "gpu", "items[3].interval", "1m"));
        bad.putAll(Map.of("items[1000001].key", "load", "items[1000001].type", "check", "items[1000001].target", "/usr/lib/nagios/plugins/check_load",
                "items[1000001].interval", "1s"));
        bad.putAll(Map.of("macros[2].name", "lower", "macros[2].value", "5"));
        var refused = operator.post("/monitoring/templates/new", bad, blank.csrfToken());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("must be a built-in collector", "must be between 5s and 1d", "must be named like")
                .contains("name=\"items[0].target\" value=\"gpu\"", "name=\"items[1].interval\" value=\"1s\"");
        assertThat(ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN)).get("/api/v1/templates").body()).doesNotContain(name);

        Map<String, String> good = new LinkedHashMap<>(bad);
        good.put("items[3].target", "cpu");
        good.put("items[1000001].interval", "2m");
        good.put("items[1000001].arguments", "-w {$LOAD_WARN} -c \"10, 8, 6\"");
        good.put("macros[2].name", "{$LOAD_WARN}");
        var saved = operator.post("/monitoring/templates/new", good, blank.csrfToken());
        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        long id = Long.parseLong(saved.location().replaceAll("\\D", ""));

        JsonNode t = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN)).get("/api/v1/templates/" + id).json();
        assertThat(t.get("bindClasses")).extracting(JsonNode::asString).containsExactly("Server");
        assertThat(t.get("bindAttributes").get("env").asString()).isEqualTo("prod");
        assertThat(t.get("macros").get("{$LOAD_WARN}").asString()).isEqualTo("5");
        JsonNode load = t.get("items").valueStream().filter(i -> i.get("key").asString().equals("load")).findFirst().orElseThrow();
        assertThat(load.get("arguments")).extracting(JsonNode::asString).containsExactly("-w", "{$LOAD_WARN}", "-c", "10, 8, 6");
        assertThat(operator.get("/monitoring/templates/" + id).body()).contains("value=\"-w {$LOAD_WARN} -c &quot;10, 8, 6&quot;\"");
        assertThat(operator.get("/monitoring/templates").body()).contains(name, "/monitoring/templates/" + id);
    }

    @Test
    void aHostsMacrosOverrideItsTemplatesAndViewersOnlyRead() {
        var api = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        long ci = api.post("/api/v1/cis", Map.of("class", "Application", "name", "hp-" + suffix)).json().get("id").asLong();
        var created = api.post("/api/v1/templates", Map.of("name", "host page " + suffix, "macros", Map.of("{$PROCS}", "500"),
                "items", java.util.List.of(Map.of("key", "procs", "type", "check", "target", "/usr/lib/nagios/plugins/check_procs",
                        "arguments", java.util.List.of("-w", "{$PROCS}")))));
        long template = created.json().get("id").asLong();

        WebSession operator = loggedIn(Role.OPERATOR, "en");
        var edit = operator.get("/monitoring/templates/" + template);
        Map<String, String> form = new LinkedHashMap<>(Map.of("name", "host page " + suffix, "hosts", "#" + ci,
                "items[0].key", "procs", "items[0].type", "check", "items[0].target", "/usr/lib/nagios/plugins/check_procs",
                "items[0].arguments", "-w {$PROCS}", "macros[0].name", "{$PROCS}", "macros[0].value", "500"));
        assertThat(operator.post("/monitoring/templates/" + template, Map.of("name", "x " + suffix, "hosts", "999999999"), edit.csrfToken())
                .body()).contains("CI 999999999 does not exist");
        assertThat(operator.post("/monitoring/templates/" + template, form, edit.csrfToken()).status()).isEqualTo(302);

        var page = operator.get("/monitoring/hosts/" + ci);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("host page " + suffix, "{$PROCS}", "-w 500").doesNotContain("??");
        assertThat(operator.post("/monitoring/hosts/" + ci, Map.of("macros[7].name", "{$procs}", "macros[7].value", "9"), page.csrfToken())
                .status()).isEqualTo(422);
        assertThat(operator.post("/monitoring/hosts/" + ci, Map.of("macros[7].name", "{$PROCS}", "macros[7].value", "900"), page.csrfToken())
                .status()).isEqualTo(302);
        assertThat(api.get("/api/v1/cis/" + ci + "/monitoring").json().get("items").get(0).get("arguments").get(1).asString()).isEqualTo("900");

        WebSession viewer = loggedIn(Role.VIEWER, "zh-CN");
        var zh = viewer.get("/monitoring/templates/" + template);
        assertThat(zh.body()).contains("监控项", "宏").doesNotContain("??").doesNotContain("id=\"template-save\"");
        assertThat(viewer.get("/monitoring/hosts/" + ci).body()).contains("的监控").doesNotContain("??");
        assertThat(viewer.post("/monitoring/templates/" + template, form, zh.csrfToken()).status()).isEqualTo(403);
        assertThat(viewer.post("/monitoring/hosts/" + ci, Map.of(), zh.csrfToken()).status()).isEqualTo(403);
    }

    private WebSession loggedIn(Role role, String language) {
        WebSession session = WebSession.at(port).header("Accept-Language", language);
        assertThat(session.login(users.createUser(role), TestUsers.PASSWORD).location()).isEqualTo("/");
        return session;
    }
}
