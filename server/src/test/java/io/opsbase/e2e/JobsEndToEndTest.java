package io.opsbase.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.opsbase.agents.AgentService;
import io.opsbase.auth.Role;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Jobs end to end: the real server and two real agent processes on this machine running real
 * scripts — output and exit codes, grouping, a timeout, cancel killing a process tree, the failure
 * policy stopping a rolling run, a duplicate delivery run once, an agent killed mid-task ending lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.jobs.lost-grace=10s", "opsbase.jobs.sweep-every=200ms"})
@Import(TestUsers.class)
class JobsEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    AgentService agents;

    @Autowired
    CiService cis;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.opsbase.files.FileStore files;

    @TempDir
    Path dir;

    ApiClient operator;

    @Test
    void runsScriptsOnTwoRealAgents() throws Exception {
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        operator = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
        String server = "http://127.0.0.1:" + port;
        String token = admin.post("/api/v1/enrollment-tokens", "{\"uses\": 2}").json().get("token").asString();
        try (AgentProcess first = AgentProcess.start(server, Files.createDirectories(dir.resolve("a")), token);
                AgentProcess second = AgentProcess.start(server, Files.createDirectories(dir.resolve("b")), token)) {
            long a = bind(first);
            long b = bind(second);
            String hosts = "[" + a + "," + b + "]";

            // Real output and exit codes; identical output groups together.
            long same = start("{\"script\": \"echo same output\\nexit 0\", \"targets\": {\"ciIds\": " + hosts + "}}");
            JsonNode done = finished(same);
            assertThat(done.get("run").get("state").asString()).as(first.log() + second.log()).isEqualTo("succeeded");
            assertThat(done.get("groups")).hasSize(1);
            assertThat(done.get("groups").get(0).get("count").asInt()).isEqualTo(2);
            assertThat(done.get("groups").get(0).get("sample").asString()).isEqualTo("same output\n");

            long differs = start("{\"language\": \"sh\", \"script\": \"echo out; echo err >&2; exit 3\", \"targets\": {\"ciIds\": [" + a + "]}}");
            done = finished(differs);
            assertThat(done.get("run").get("state").asString()).isEqualTo("failed");
            assertThat(done.get("hosts").get(0).get("exitCode").asInt()).isEqualTo(3);
            var log = operator.get("/api/v1/runs/" + differs + "/hosts/" + a + "/log").json();
            assertThat(log.get("stdout").asString()).isEqualTo("out\n");
            assertThat(log.get("stderr").asString()).isEqualTo("err\n");

            // A timeout: the agent kills the script and reports timed-out.
            long slow = start("{\"command\": \"sleep 30\", \"timeoutSeconds\": 1, \"targets\": {\"ciIds\": [" + a + "]}}");
            assertThat(finished(slow).get("hosts").get(0).get("state").asString()).isEqualTo("timed_out");

            // Cancel kills the whole process tree, children included.
            String marker = "4" + (System.nanoTime() % 1000);
            long cancel = start("{\"command\": \"sleep " + marker + " & sleep " + marker + "; wait\", \"targets\": {\"ciIds\": [" + b + "]}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> sleeping(marker) == 2);
            assertThat(operator.post("/api/v1/runs/" + cancel + "/cancel", "{}").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> sleeping(marker) == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> run(cancel).get("hosts").get(0).get("state").asString(),
                    "cancelled"::equals);

            // The failure policy stops a rolling run after the first failing batch.
            long rolling = start("{\"command\": \"exit 1\", \"targets\": {\"ciIds\": " + hosts + "},"
                    + " \"strategy\": {\"mode\": \"rolling\", \"batchSize\": 1, \"stopAbovePercent\": 0}}");
            done = finished(rolling);
            assertThat(done.get("run").get("outcome").asString()).startsWith("stopped by the failure policy");
            assertThat(done.get("run").get("counts").get("skipped").asInt()).isEqualTo(1);

            // A task delivered twice runs once.
            Path counter = dir.resolve("counter-" + UUID.randomUUID());
            long once = start("{\"command\": \"echo ran >> " + counter + "; sleep 3; cat " + counter + "\", \"targets\": {\"ciIds\": [" + a + "]}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(counter));
            long agentTask = jdbc.sql("select agent_task_id from job_host_tasks where run_id = :r").param("r", once)
                    .query(Long.class).single();
            jdbc.sql("update agent_tasks set delivered_at = null where id = :id").param("id", agentTask).update();
            done = finished(once);
            assertThat(done.get("run").get("state").asString()).isEqualTo("succeeded");
            assertThat(Files.readAllLines(counter)).containsExactly("ran");
            assertThat(operator.get("/api/v1/runs/" + once + "/hosts/" + a + "/log").json().get("stdout").asString())
                    .isEqualTo("ran\n");

            // A multi-step job: a file from the store put in place on a host, then a script that
            // verifies its checksum there; deleting the file is refused while the template names it.
            byte[] content = ("release " + UUID.randomUUID() + "\n").repeat(20_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String sha = files.store(new java.io.ByteArrayInputStream(content), "release.txt", "text/plain", "test").file().sha256();
            String template = operator.post("/api/v1/job-templates", """
                    {"name": "deploy-%s", "definition": {"steps": [
                      {"kind": "file", "name": "put", "file": {"sha256": "%s", "size": %d, "path": "%s/deploy/release.txt", "mode": "0640"}},
                      {"kind": "script", "name": "verify", "language": "sh", "script": "test \\"$(sha256sum %s/deploy/release.txt | cut -d' ' -f1)\\" = %s && echo verified"}]}}""".formatted(UUID.randomUUID(), sha, content.length, dir, dir, sha)).json().get("id").asString();
            assertThat(template).isNotBlank();
            String deployTemplate = template;
            Files.createDirectories(dir.resolve("deploy"));
            long deploy = start("{\"templateId\": " + deployTemplate + ", \"targets\": {\"ciIds\": [" + a + "]}}");
            done = finished(deploy);
            assertThat(done.get("run").get("state").asString()).as(done.toString() + first.log() + second.log()).isEqualTo("succeeded");
            Path placed = dir.resolve("deploy/release.txt");
            assertThat(Files.readAllBytes(placed)).isEqualTo(content);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(placed))).isEqualTo("rw-r-----");
            assertThat(operator.get("/api/v1/runs/" + deploy + "/hosts/" + a + "/log").body()).contains("verified");
            var admin2 = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
            assertThat(admin2.delete("/api/v1/files/" + sha).status()).isEqualTo(409);

            // An agent killed mid-task: the host ends lost after the step timeout and grace, never hanging.
            long lost = start("{\"command\": \"sleep 30\", \"timeoutSeconds\": 8, \"targets\": {\"ciIds\": [" + b + "]}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                    "select count(*) from agent_tasks t join job_host_tasks h on h.agent_task_id = t.id"
                            + " where h.run_id = :r and t.delivered_at is not null")
                    .param("r", lost).query(Long.class).single() == 1);
            second.kill();
            done = finished(lost);
            assertThat(done.get("hosts").get(0).get("state").asString()).isEqualTo("lost");
        }
    }

    private long bind(AgentProcess agent) {
        String id = await().atMost(Duration.ofSeconds(90)).until(() -> {
            var m = java.util.regex.Pattern.compile("enrolled as agent (\\d+)").matcher(agent.log());
            return m.find() ? m.group(1) : null;
        }, v -> v != null);
        long ci = cis.create(new CreateCi("Server", "e2e-" + UUID.randomUUID().toString().substring(0, 8), Map.of("env", "dev"),
                null, List.of(), null), ChangeContext.api("test", null)).id();
        agents.bind(Long.parseLong(id), ci);
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.log().contains("agent " + id + " running"));
        return ci;
    }

    private long start(String json) {
        var r = operator.post("/api/v1/runs", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private JsonNode run(long id) {
        return operator.get("/api/v1/runs/" + id).json();
    }

    private JsonNode finished(long id) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> run(id),
                r -> List.of("succeeded", "failed", "cancelled").contains(r.get("run").get("state").asString()));
    }

    private static long sleeping(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith("sleep " + marker)).count();
    }
}
