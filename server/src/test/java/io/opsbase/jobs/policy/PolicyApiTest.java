package io.opsbase.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

import io.opsbase.auth.Role;
import io.opsbase.jobs.schedule.ScheduleTestConfiguration;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** {@code /api/v1/job-policy}: every endpoint over real HTTP, with its 401, 403, 404, 409 and 422 paths. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.jobs.schedule-poll=PT1H")
@Import({TestUsers.class, ScheduleTestConfiguration.class})
class PolicyApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    CommandPolicy policy;

    @Autowired
    TransactionTemplate tx;

    ApiClient admin;
    ApiClient operator;
    ApiClient viewer;

    @BeforeEach
    void clients() {
        admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        operator = ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR));
        viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
    }

    static Map<String, Object> rule(String name, String pattern) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("language", "bash");
        m.put("pattern", pattern);
        m.put("verdict", "require_approval");
        m.put("description", "test rule");
        return m;
    }

    @Test
    void everyRoleReadsTheSeededRulesButOnlyAuthenticated() {
        assertThat(ApiClient.at(port).get("/api/v1/job-policy/rules").status()).isEqualTo(401);
        var list = viewer.get("/api/v1/job-policy/rules");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items").size()).isGreaterThanOrEqualTo(12);
        long first = list.json().get("items").get(0).get("id").asLong();
        assertThat(operator.get("/api/v1/job-policy/rules/" + first).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/job-policy/rules/999999").status()).isEqualTo(404);
    }

    @Test
    void onlyAdminsWriteRulesAndEveryChangeIsAudited() {
        String name = "no curl pipe sh " + UUID.randomUUID();
        var body = rule(name, "^curl\\s.*\\|\\s*sh");
        assertThat(ApiClient.at(port).post("/api/v1/job-policy/rules", body).status()).isEqualTo(401);
        assertThat(viewer.post("/api/v1/job-policy/rules", body).status()).isEqualTo(403);
        assertThat(operator.post("/api/v1/job-policy/rules", body).status()).isEqualTo(403);

        var created = admin.post("/api/v1/job-policy/rules", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.header("Location")).endsWith("/api/v1/job-policy/rules/" + id);
        assertThat(admin.post("/api/v1/job-policy/rules", body).status()).isEqualTo(409);

        body.put("verdict", "block");
        assertThat(operator.put("/api/v1/job-policy/rules/" + id, body).status()).isEqualTo(403);
        var updated = admin.put("/api/v1/job-policy/rules/" + id, body);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("verdict").asString()).isEqualTo("BLOCK");

        assertThat(operator.post("/api/v1/job-policy/rules/" + id + "/disable", null).status()).isEqualTo(403);
        assertThat(admin.post("/api/v1/job-policy/rules/" + id + "/disable", null).json().get("enabled").asBoolean()).isFalse();
        assertThat(admin.post("/api/v1/job-policy/rules/" + id + "/enable", null).json().get("enabled").asBoolean()).isTrue();

        assertThat(operator.delete("/api/v1/job-policy/rules/" + id).status()).isEqualTo(403);
        assertThat(admin.delete("/api/v1/job-policy/rules/" + id).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/job-policy/rules/" + id).status()).isEqualTo(404);

        var audit = admin.get("/api/v1/audit?targetType=job-policy-rule&targetId=" + id);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        List<String> actions = audit.json().get("items").valueStream().map(n -> n.get("action").asString()).toList();
        assertThat(actions).containsExactly("job-policy-rule.deleted", "job-policy-rule.enabled", "job-policy-rule.disabled",
                "job-policy-rule.updated", "job-policy-rule.created");
    }

    @Test
    void aBadRegexIsA422NamingTheFieldAndChangesNothing() {
        int before = admin.get("/api/v1/job-policy/rules").json().get("items").size();
        var bad = admin.post("/api/v1/job-policy/rules", rule("broken " + UUID.randomUUID(), "rm -rf (/"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("pattern");
        assertThat(bad.json().get("errors").get(0).get("message").asString()).contains("not a valid regular expression");

        var many = rule("", "x");
        many.put("language", "cobol");
        many.put("verdict", "allow");
        many.put("ciField", "env");
        var invalid = admin.post("/api/v1/job-policy/rules", many);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().get("errors").valueStream().map(n -> n.get("field").asString()).toList())
                .containsExactlyInAnyOrder("name", "language", "verdict", "ciValue");
        assertThat(admin.post("/api/v1/job-policy/rules", "{not json").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/job-policy/rules").json().get("items").size()).isEqualTo(before);
    }

    @Test
    void builtInRulesCanBeDisabledButNotDeleted() {
        var items = admin.get("/api/v1/job-policy/rules").json().get("items");
        long builtin = items.valueStream().filter(n -> n.get("builtin").asBoolean()).findFirst().orElseThrow().get("id").asLong();
        assertThat(admin.delete("/api/v1/job-policy/rules/" + builtin).status()).isEqualTo(409);
    }

    @Test
    void theDryRunReturnsTheDecisionAndItsMatches() {
        Map<String, Object> check = Map.of("language", "bash", "script", "cd /\nsudo rm -rf --no-preserve-root /", "targetCiIds", List.of());
        assertThat(ApiClient.at(port).post("/api/v1/job-policy/check", check).status()).isEqualTo(401);
        assertThat(viewer.post("/api/v1/job-policy/check", check).status()).isEqualTo(403);
        var r = operator.post("/api/v1/job-policy/check", check);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("verdict").asString()).isEqualTo("BLOCK");
        assertThat(r.json().get("matches").get(0).get("ruleName").asString()).isEqualTo("Recursive delete of the root directory");
        assertThat(r.json().get("matches").get(0).get("matched").asString()).contains("rm -rf --no-preserve-root /");

        var ok = operator.post("/api/v1/job-policy/check", Map.of("language", "sh", "script", "rm -rf /tmp/x"));
        assertThat(ok.json().get("verdict").asString()).isEqualTo("ALLOW");

        var bad = operator.post("/api/v1/job-policy/check", Map.of("language", "cobol", "script", " "));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("errors").valueStream().map(n -> n.get("field").asString()).toList())
                .containsExactlyInAnyOrder("language", "script");
    }

    @Test
    void anUnknownTargetLeavesTheCallersTransactionUsable() {
        Boolean rollbackOnly = tx.execute(status -> {
            policy.evaluate(new PolicyRequest("bash", "reboot", List.of(Long.MAX_VALUE), "tester"));
            return status.isRollbackOnly();
        });
        assertThat(rollbackOnly).isFalse();
    }
}
