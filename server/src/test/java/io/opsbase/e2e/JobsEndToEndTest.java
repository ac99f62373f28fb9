package io.opsbase.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.filter.OncePerRequestFilter;

import io.opsbase.agents.AgentService;
import io.opsbase.auth.Role;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import tools.jackson.databind.JsonNode;

/**
 * Jobs end to end: the real server and two real agent processes on this machine running real
 * scripts — output and exit codes, grouping, a timeout, cancel killing a process tree, the failure
 * policy stopping a rolling run, a duplicate delivery run once, a file from the store and a file
 * from one agent's host to the other's (with progress), a download cut once by the server and
 * resumed, an agent killed mid-task ending lost, and a task altered in the database refused.
 * The agents are shared by every step to keep the run short.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.jobs.lost-grace=10s", "opsbase.jobs.sweep-every=200ms"})
@Import({TestUsers.class, JobsEndToEndTest.CutDownloads.class})
class JobsEndToEndTest {

    /**
     * Test-only: cuts the first agent download of one chosen file after {@link #CUT_AFTER} bytes, as
     * a dropped connection would, and records the Range header of every download of it. Runs after
     * the agent signature filter; turns Tomcat's sendfile off for that request so the body passes
     * through the cutting stream, and drops its Content-Length so the body ends (or the connection
     * breaks) at the cut instead of the client waiting for the rest.
     */
    @TestConfiguration
    static class CutDownloads {

        static final long CUT_AFTER = 3_000_000;
        final AtomicReference<String> watched = new AtomicReference<>();
        final AtomicBoolean cutPending = new AtomicBoolean();
        final List<String> ranges = new CopyOnWriteArrayList<>();

        @Bean
        FilterRegistrationBean<OncePerRequestFilter> cutDownloadsFilter() {
            var filter = new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws ServletException, IOException {
                    String sha = watched.get();
                    if (sha == null || !"GET".equals(request.getMethod()) || !request.getRequestURI().endsWith("/agent/files/" + sha)) {
                        chain.doFilter(request, response);
                        return;
                    }
                    ranges.add(String.valueOf(request.getHeader("Range")));
                    if (!cutPending.compareAndSet(true, false)) {
                        chain.doFilter(request, response);
                        return;
                    }
                    var noSendfile = new HttpServletRequestWrapper(request) {
                        @Override
                        public Object getAttribute(String name) {
                            return "org.apache.tomcat.sendfile.support".equals(name) ? null : super.getAttribute(name);
                        }
                    };
                    var out = cutting(response.getOutputStream());
                    chain.doFilter(noSendfile, new HttpServletResponseWrapper(response) {
                        @Override
                        public ServletOutputStream getOutputStream() {
                            return out;
                        }

                        // Without a length the body goes chunked, so the cut ends it early whether or not
                        // the container closes the connection: the agent sees a short body either way.
                        @Override
                        public void setContentLength(int length) {
                        }

                        @Override
                        public void setContentLengthLong(long length) {
                        }
                    });
                }
            };
            var registration = new FilterRegistrationBean<OncePerRequestFilter>(filter);
            registration.addUrlPatterns("/api/v1/agent/files/*");
            return registration;
        }

        /** Passes {@link #CUT_AFTER} bytes, flushes them, then fails the write: Tomcat drops the connection mid-body. */
        private static ServletOutputStream cutting(ServletOutputStream out) {
            return new ServletOutputStream() {
                long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (written >= CUT_AFTER) {
                        throw new IOException("test: the connection was cut at byte " + written);
                    }
                    int pass = (int) Math.min(len, CUT_AFTER - written);
                    out.write(b, off, pass);
                    written += pass;
                    if (pass < len) {
                        out.flush();
                        throw new IOException("test: the connection is cut at byte " + written);
                    }
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }
    }

    @Autowired
    CutDownloads cuts;

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

            fileFromOneHostToAnother(a, b, first, second);
            downloadCutOnceResumes(a, first);

            // An agent killed mid-task: the host ends lost after the step timeout and grace, never hanging.
            long lost = start("{\"command\": \"sleep 30\", \"timeoutSeconds\": 8, \"targets\": {\"ciIds\": [" + b + "]}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                    "select count(*) from agent_tasks t join job_host_tasks h on h.agent_task_id = t.id"
                            + " where h.run_id = :r and t.delivered_at is not null")
                    .param("r", lost).query(Long.class).single() == 1);
            second.kill();
            done = finished(lost);
            assertThat(done.get("hosts").get(0).get("state").asString()).isEqualTo("lost");

            tamperedTaskIsRefused(a, b, Files.createDirectories(dir.resolve("b")), server);
        }
    }

    /**
     * A file step from one host to another: agent a's host uploads the file, the run records its
     * SHA-256, agent b's host downloads it and verifies it; the run shows b's progress at 100 % and
     * the host's CI name. A missing source file fails the step, saying so.
     */
    private void fileFromOneHostToAnother(long a, long b, AgentProcess first, AgentProcess second) throws Exception {
        byte[] content = new byte[1_500_000];
        new java.util.Random(42).nextBytes(content);
        Path source = Files.createDirectories(dir.resolve("source")).resolve("payload.bin");
        Files.write(source, content);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        Path target = dir.resolve("copied/payload.bin");
        String template = operator.post("/api/v1/job-templates", """
                {"name": "copy-%s", "definition": {"steps": [
                  {"kind": "file", "name": "copy", "file": {"source": {"ciId": %d, "path": "%s"}, "path": "%s", "mode": "0600"}},
                  {"kind": "script", "name": "verify", "language": "sh", "script": "sha256sum %s | cut -d' ' -f1"}]}}"""
                .formatted(UUID.randomUUID(), a, source, target, target)).json().get("id").asString();
        long copy = start("{\"templateId\": " + template + ", \"targets\": {\"ciIds\": [" + b + "]}}");
        JsonNode done = finished(copy);
        assertThat(done.get("run").get("state").asString()).as(done + first.log() + second.log()).isEqualTo("succeeded");
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(done.get("fileSources").get(0).get("state").asString()).isEqualTo("stored");
        assertThat(done.get("fileSources").get(0).get("sha256").asString()).isEqualTo(sha);
        assertThat(done.get("fileSources").get(0).get("ciId").asLong()).isEqualTo(a);
        // The checksum as the target host computes it, in the verify step's output.
        assertThat(operator.get("/api/v1/runs/" + copy + "/hosts/" + b + "/log").json().get("stdout").asString()).isEqualTo(sha + "\n");
        JsonNode host = done.get("hosts").get(0);
        assertThat(host.get("ciName").asString()).startsWith("e2e-");
        var fileStep = operator.get("/api/v1/runs/" + copy + "/hosts/" + b + "/log?step=0").json();
        assertThat(fileStep.get("stdout").asString()).contains("installed " + target);
        long progress = jdbc.sql("select progress_bytes from job_host_tasks where run_id = :r and step = 0").param("r", copy)
                .query(Long.class).single();
        assertThat(progress).isEqualTo(content.length);

        // The source file is missing: the step fails with the agent's reason, no target host is touched.
        long missing = start("""
                {"file": {"source": {"ciId": %d, "path": "%s/no-such-file"}, "path": "%s/never.bin"}, "targets": {"ciIds": [%d]}}"""
                .formatted(a, dir, dir, b));
        done = finished(missing);
        assertThat(done.get("run").get("state").asString()).isEqualTo("failed");
        assertThat(done.get("run").get("outcome").asString()).contains("could not upload " + dir + "/no-such-file")
                .contains("is not a readable regular file");
        assertThat(done.get("hosts").get(0).get("outcome").asString()).isEqualTo("source-failed");
        assertThat(dir.resolve("never.bin")).doesNotExist();
    }

    /**
     * A large file whose first download the server cuts mid-body: the agent resumes with a Range
     * from what it has, the file's SHA-256 matches, and the host's progress ends at the whole size.
     */
    private void downloadCutOnceResumes(long a, AgentProcess first) throws Exception {
        byte[] content = new byte[8_000_000];
        new java.util.Random(7).nextBytes(content);
        String sha = files.store(new java.io.ByteArrayInputStream(content), "big.bin", "application/octet-stream", "test").file().sha256();
        cuts.watched.set(sha);
        cuts.cutPending.set(true);
        Path target = dir.resolve("resumed/big.bin");
        long run = start("""
                {"file": {"sha256": "%s", "size": %d, "path": "%s"}, "targets": {"ciIds": [%d]}}""".formatted(sha, content.length, target, a));
        JsonNode done = finished(run);
        assertThat(done.get("run").get("state").asString()).as(done + first.log()).isEqualTo("succeeded");
        assertThat(cuts.cutPending.get()).isFalse();
        assertThat(cuts.ranges).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cuts.ranges.getFirst()).isEqualTo("null");
        assertThat(cuts.ranges.get(1)).matches("bytes=\\d+-");
        long resumedAt = Long.parseLong(cuts.ranges.get(1).replaceAll("\\D", ""));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(CutDownloads.CUT_AFTER);
        assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target)))
                .isEqualTo(java.util.HexFormat.of().parseHex(sha));
        assertThat(operator.get("/api/v1/runs/" + run + "/hosts/" + a + "/log").json().get("stdout").asString())
                .contains("download interrupted").contains("resuming at byte " + resumedAt);
        JsonNode host = done.get("hosts").get(0);
        assertThat(host.get("progressBytes").asLong()).isEqualTo(content.length);
        assertThat(host.get("progressTotal").asLong()).isEqualTo(content.length);
        assertThat(host.get("progressPercent").asInt()).isEqualTo(100);
        cuts.watched.set(null);
    }

    /**
     * A run's tasks for two hosts are signed as one batch (one signature, each task with its audit
     * path). The task queued for agent b, which is down, is altered in agent_tasks (its command now
     * names another file): the restarted agent refuses it, b's host fails with the reason and runs
     * neither command, while agent a's task of the same batch verifies and runs.
     */
    private void tamperedTaskIsRefused(long a, long b, Path stateDir, String server) throws Exception {
        Path planned = dir.resolve("marker-planned");
        Path altered = dir.resolve("marker-altered");
        long run = start("{\"command\": \"echo ran >> " + planned + "\", \"targets\": {\"ciIds\": [" + a + ", " + b + "]}}");
        long agentTask = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select agent_task_id from job_host_tasks where run_id = :r and ci_id = :b").param("r", run).param("b", b)
                .query(Long.class).optional().orElse(null), v -> v != null);
        String payload = jdbc.sql("select payload from agent_tasks where id = :id").param("id", agentTask).query(String.class).single();
        assertThat(payload).as("signed with a batch of two").contains("\"batch\":{").contains("\"treeSize\":2");
        int changed = jdbc.sql("update agent_tasks set payload = replace(payload, :from, :to) where id = :id and delivered_at is null")
                .param("from", planned.toString()).param("to", altered.toString()).param("id", agentTask).update();
        assertThat(changed).isEqualTo(1);
        try (AgentProcess restarted = AgentProcess.start(server, stateDir, null)) {
            JsonNode done = finished(run);
            JsonNode hostB = host(done, b);
            assertThat(hostB.get("state").asString()).as(done + restarted.log()).isEqualTo("failed");
            assertThat(hostB.get("outcome").asString()).isEqualTo("refused");
            assertThat(host(done, a).get("state").asString()).as(done.toString()).isEqualTo("succeeded");
            assertThat(operator.get("/api/v1/runs/" + run + "/hosts/" + b + "/log").json().get("stderr").asString())
                    .contains("signature does not verify");
            assertThat(restarted.log()).contains("refusing task " + agentTask);
        }
        assertThat(Files.readAllLines(planned)).as("agent a's task of the same batch ran, once").containsExactly("ran");
        assertThat(altered).doesNotExist();
    }

    private static JsonNode host(JsonNode run, long ciId) {
        for (JsonNode host : run.get("hosts")) {
            if (host.get("ciId").asLong() == ciId) {
                return host;
            }
        }
        throw new AssertionError("no host " + ciId + " in " + run);
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
