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

/** The rules and silences editors: every field of a rule set through the form, edited, switched off; refusals explained per field. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.evaluate-every=1h")
@Import(TestUsers.class)
class RulePagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Test
    void anOperatorSetsEveryFieldOfARuleEditsItAndSwitchesItOff() {
        var api = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        long ci = api.post("/api/v1/cis", Map.of("class", "Server", "name", "rp-" + UUID.randomUUID().toString().substring(0, 6)))
                .json().get("id").asLong();
        WebSession operator = WebSession.at(port).header("Accept-Language", "en");
        operator.login(users.createUser(Role.OPERATOR), TestUsers.PASSWORD);
        var page = operator.get("/monitoring/rules?templateId=1");
        assertThat(page.body()).contains("<option value=\"1\" selected=\"selected\">", "id=\"rule-thresholdMacro\"", "id=\"rule-ciId\"");

        String name = "load " + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> form = new LinkedHashMap<>(Map.of("name", name, "metric", "system_load1", "function", "rate", "window", "10m",
                "operator", ">=", "threshold", "4", "thresholdMacro", "{$LOAD_HIGH}", "recoveryThreshold", "3", "recoveryMacro", "{$LOAD_OK}"));
        form.putAll(Map.of("for", "2m", "noData", "alert", "severity", "disaster", "ciId", "#" + ci, "templateId", "", "enabled", "on",
                "_enabled", "on"));
        Map<String, String> bad = new LinkedHashMap<>(form);
        bad.putAll(Map.of("recoveryThreshold", "5", "thresholdMacro", "{$lower}", "window", "1s", "ciId", "999999999"));
        var refused = operator.post("/monitoring/rules", bad, page.csrfToken());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("must be on the healthy side", "must be a macro such as", "must be between 10s and 1d",
                "CI 999999999 does not exist");

        assertThat(operator.post("/monitoring/rules", form, page.csrfToken()).status()).isEqualTo(302);
        JsonNode rule = api.get("/api/v1/alert-rules").json().get("items").valueStream()
                .filter(r -> r.get("rule").get("name").asString().equals(name)).findFirst().orElseThrow().get("rule");
        assertThat(rule.get("function").asString()).isEqualTo("rate");
        assertThat(rule.get("noData").asString()).isEqualTo("alert");
        assertThat(rule.get("ciId").asLong()).isEqualTo(ci);
        assertThat(rule.get("recoveryMacro").asString()).isEqualTo("{$LOAD_OK}");
        long id = rule.get("id").asLong();

        var edit = operator.get("/monitoring/rules/" + id);
        assertThat(edit.body()).contains("action=\"/monitoring/rules/" + id + "\"", "value=\"{$LOAD_HIGH}\"", "value=\"10m\"");
        form.remove("enabled");
        form.put("threshold", "6");
        assertThat(operator.post("/monitoring/rules/" + id, form, edit.csrfToken()).status()).isEqualTo(302);
        JsonNode saved = api.get("/api/v1/alert-rules/" + id).json().get("rule");
        assertThat(saved.get("threshold").asDouble()).isEqualTo(6);
        assertThat(saved.get("enabled").asBoolean()).isFalse();
        assertThat(operator.get("/monitoring/rules").body()).contains(name, "rate(system_load1[10m]) &gt;= {$LOAD_HIGH}");
    }

    @Test
    void aRefusedSilenceKeepsWhatWasTypedAndSaysWhyBesideTheField() {
        WebSession operator = WebSession.at(port).header("Accept-Language", "en");
        operator.login(users.createUser(Role.OPERATOR), TestUsers.PASSWORD);
        var page = operator.get("/monitoring/silences");
        var refused = operator.post("/monitoring/silences", Map.of("matchers", "ci=42", "duration", "soon", "comment", "disk swap"),
                page.csrfToken());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("must be a duration such as 2h", "value=\"ci=42\"", "value=\"disk swap\"");
    }
}
