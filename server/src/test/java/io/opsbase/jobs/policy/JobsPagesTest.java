package io.opsbase.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.jobs.schedule.ScheduleTestConfiguration;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;

/** The {@code /jobs/policy} and {@code /jobs/schedules} pages through a real browser session (form login, CSRF). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.jobs.schedule-poll=PT1H")
@Import({TestUsers.class, ScheduleTestConfiguration.class})
class JobsPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    WebSession as(Role role) {
        WebSession web = WebSession.at(port);
        assertThat(web.login(users.createUser(role), TestUsers.PASSWORD).status()).isEqualTo(302);
        return web;
    }

    @Test
    void adminsEditRulesWithInlineValidationAndTryCommands() {
        WebSession admin = as(Role.ADMIN);
        var page = admin.get("/jobs/policy");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Recursive delete of the root directory", "rule-form", "try-form");

        var invalid = admin.post("/jobs/policy/validate", Map.of("name", "x", "pattern", "(", "verdict", "block"), page.csrfToken());
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.body()).contains("rule-validation", "not a valid regular expression");

        var refused = admin.post("/jobs/policy/rules", Map.of("name", "x", "pattern", "(", "verdict", "block", "language", "bash"),
                page.csrfToken());
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("field-error", "not a valid regular expression");

        String name = "no wget " + UUID.randomUUID();
        var saved = admin.post("/jobs/policy/rules", Map.of("name", name, "pattern", "^wget\\s", "verdict", "require_approval",
                "language", "bash", "description", "downloads"), page.csrfToken());
        assertThat(saved.status()).isEqualTo(302);
        assertThat(admin.get("/jobs/policy").body()).contains(name);

        var tried = admin.post("/jobs/policy/try", Map.of("language", "bash", "script", "sudo mkfs.ext4 /dev/sdb"), page.csrfToken());
        assertThat(tried.status()).isEqualTo(200);
        assertThat(tried.body()).contains("try-verdict", "Make a file system", "blocked");
    }

    @Test
    void viewersReadThePagesButCannotChangeAnything() {
        WebSession viewer = as(Role.VIEWER);
        var page = viewer.get("/jobs/policy");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"rule-form\"");
        assertThat(viewer.post("/jobs/policy/rules", Map.of("name", "x", "pattern", "x", "verdict", "block"), page.csrfToken()).status())
                .isEqualTo(403);
        assertThat(viewer.post("/jobs/policy/try", Map.of("language", "bash", "script", "ls"), page.csrfToken()).status()).isEqualTo(403);
        assertThat(viewer.get("/jobs/schedules").status()).isEqualTo(200);
        assertThat(viewer.post("/jobs/schedules", Map.of("name", "x"), page.csrfToken()).status()).isEqualTo(403);
    }

    @Test
    void operatorsCreateSchedulesThroughTheFormWithAPreview() {
        WebSession operator = as(Role.OPERATOR);
        var page = operator.get("/jobs/schedules");
        assertThat(page.status()).isEqualTo(200);

        var preview = operator.post("/jobs/schedules/preview", Map.of("cron", "0 30 2 * * *", "timeZone", "Europe/Berlin"), page.csrfToken());
        assertThat(preview.body()).contains("schedule-preview", "02:30");
        var badPreview = operator.post("/jobs/schedules/preview", Map.of("cron", "nope", "timeZone", "UTC"), page.csrfToken());
        assertThat(badPreview.body()).contains("field-error");

        var refused = operator.post("/jobs/schedules", Map.of("name", "n", "templateId", "3", "cron", "bad", "timeZone", "UTC",
                "parameters", "", "misfire", "skip"), page.csrfToken());
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("must be a cron expression");

        String name = "weekly " + UUID.randomUUID();
        var saved = operator.post("/jobs/schedules", Map.of("name", name, "templateId", "3", "cron", "0 0 6 * * MON",
                "timeZone", "Asia/Shanghai", "parameters", "env=prod, v=2", "misfire", "run_once"), page.csrfToken());
        assertThat(saved.status()).isEqualTo(302);
        assertThat(operator.get("/jobs/schedules").body()).contains(name, "0 0 6 * * MON", "Asia/Shanghai");
    }
}
