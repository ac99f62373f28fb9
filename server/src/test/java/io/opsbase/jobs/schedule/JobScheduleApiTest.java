package io.opsbase.jobs.schedule;

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

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** {@code /api/v1/job-schedules}: every endpoint over real HTTP, with its 401, 403, 404, 409 and 422 paths. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.jobs.schedule-poll=PT1H")
@Import({TestUsers.class, ScheduleTestConfiguration.class})
class JobScheduleApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    ApiClient operator;
    ApiClient viewer;

    @BeforeEach
    void clients() {
        operator = ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR));
        viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
    }

    static Map<String, Object> schedule(String name) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("templateId", 42);
        m.put("cron", "0 30 2 * * *");
        m.put("timeZone", "Europe/Berlin");
        m.put("parameters", Map.of("version", "1.2.3"));
        m.put("misfire", "run_once");
        return m;
    }

    @Test
    void operatorsManageSchedulesViewersReadThemAndEveryChangeIsAudited() {
        var body = schedule("backup " + UUID.randomUUID());
        assertThat(ApiClient.at(port).post("/api/v1/job-schedules", body).status()).isEqualTo(401);
        assertThat(ApiClient.at(port).get("/api/v1/job-schedules").status()).isEqualTo(401);
        assertThat(viewer.post("/api/v1/job-schedules", body).status()).isEqualTo(403);

        var created = operator.post("/api/v1/job-schedules", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("nextFireAt").asString()).isNotEmpty();
        assertThat(created.json().get("misfire").asString()).isEqualTo("RUN_ONCE");
        assertThat(created.json().get("parameters").get("version").asString()).isEqualTo("1.2.3");
        assertThat(operator.post("/api/v1/job-schedules", body).status()).isEqualTo(409);

        assertThat(viewer.get("/api/v1/job-schedules").json().get("items").valueStream()
                .map(n -> n.get("id").asLong()).toList()).contains(id);
        assertThat(viewer.get("/api/v1/job-schedules/" + id).status()).isEqualTo(200);
        var upcoming = viewer.get("/api/v1/job-schedules/" + id + "/upcoming?count=3");
        assertThat(upcoming.status()).isEqualTo(200);
        assertThat(upcoming.json().size()).isEqualTo(3);

        body.put("cron", "0 0 4 * * MON-FRI");
        assertThat(viewer.put("/api/v1/job-schedules/" + id, body).status()).isEqualTo(403);
        var updated = operator.put("/api/v1/job-schedules/" + id, body);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("cron").asString()).isEqualTo("0 0 4 * * MON-FRI");

        var disabled = operator.post("/api/v1/job-schedules/" + id + "/disable", null);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("nextFireAt").isNull()).isTrue();
        assertThat(operator.post("/api/v1/job-schedules/" + id + "/enable", null).json().get("nextFireAt").isNull()).isFalse();

        assertThat(viewer.delete("/api/v1/job-schedules/" + id).status()).isEqualTo(403);
        assertThat(operator.delete("/api/v1/job-schedules/" + id).status()).isEqualTo(204);
        assertThat(operator.get("/api/v1/job-schedules/" + id).status()).isEqualTo(404);
        assertThat(operator.put("/api/v1/job-schedules/" + id, body).status()).isEqualTo(404);

        ApiClient admin = ApiClient.at(port).withBearer(users.tokenFor(Role.ADMIN));
        var audit = admin.get("/api/v1/audit?targetType=job-schedule&targetId=" + id);
        List<String> actions = audit.json().get("items").valueStream().map(n -> n.get("action").asString()).toList();
        assertThat(actions).containsExactly("job-schedule.deleted", "job-schedule.enabled", "job-schedule.disabled",
                "job-schedule.updated", "job-schedule.created");
    }

    @Test
    void aBadCronOrZoneIsA422PerFieldAndChangesNothing() {
        int before = operator.get("/api/v1/job-schedules").json().get("items").size();
        var body = schedule("bad " + UUID.randomUUID());
        body.put("cron", "61 * * * *");
        body.put("timeZone", "Mars/Olympus");
        body.put("misfire", "sometimes");
        body.remove("templateId");
        var r = operator.post("/api/v1/job-schedules", body);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").valueStream().map(n -> n.get("field").asString()).toList())
                .containsExactlyInAnyOrder("cron", "timeZone", "misfire", "templateId");

        var onlyZone = schedule("zone " + UUID.randomUUID());
        onlyZone.put("timeZone", "Europe/Nowhere");
        var z = operator.post("/api/v1/job-schedules", onlyZone);
        assertThat(z.status()).isEqualTo(422);
        assertThat(z.json().get("errors").get(0).get("field").asString()).isEqualTo("timeZone");
        assertThat(operator.post("/api/v1/job-schedules", "[1,").status()).isEqualTo(400);
        assertThat(operator.get("/api/v1/job-schedules").json().get("items").size()).isEqualTo(before);
    }
}
