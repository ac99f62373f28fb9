package io.opsbase.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.opsbase.agents.AgentService;
import io.opsbase.agents.EnrollmentTokenService;
import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.Role;
import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.protocol.SignedTask;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import io.opsbase.testing.WebSession;
import tools.jackson.databind.JsonNode;

/**
 * The jobs API over real HTTP against the real server, with agents that speak the real signed
 * protocol (their answers chosen by the test): dispatch, results and groups, duplicates, rolling
 * and canary holds, the failure policy, cancel, lost tasks, secrets, the dangerous-command policy,
 * templates, host groups, preview, and every refusal (401/403/404/409/422).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"opsbase.jobs.lost-grace=1s", "opsbase.jobs.sweep-every=200ms"})
@Import(TestUsers.class)
class JobsApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers users;

    @Autowired
    CiService cis;

    @Autowired
    AgentService agentService;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    AuditLog auditLog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.opsbase.files.FileStore files;

    ApiClient operator;
    ApiClient viewer;

    @BeforeEach
    void clients() {
        operator = ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR));
        viewer = ApiClient.at(port).withBearer(users.tokenFor(Role.VIEWER));
    }

    long host() {
        return host("dev");
    }

    long host(String env) {
        return cis.create(new CreateCi("Server", "job-host-" + UUID.randomUUID().toString().substring(0, 8), Map.of("env", env), null,
                List.of("jobs-test"), null), ChangeContext.api("test", null)).id();
    }

    /** A host CI with an enrolled agent bound to it. */
    record Host(long ciId, ProtocolAgent agent) {
    }

    Host hostWithAgent() throws Exception {
        long ci = host();
        var agent = ProtocolAgent.enroll(port, enrollmentTokens.issue(1, null, false, "jobs test", "admin").token());
        agentService.bind(agent.id(), ci);
        return new Host(ci, agent);
    }

    SignedTask nextTask(ProtocolAgent agent) {
        List<SignedTask> got = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(agent.poll());
            return !got.isEmpty();
        });
        return got.getFirst();
    }

    JsonNode run(long id) {
        var r = operator.get("/api/v1/runs/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    String state(long id) {
        return run(id).get("run").get("state").asString();
    }

    long start(String json) {
        var r = operator.post("/api/v1/runs", json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/api/v1/runs/" + r.json().get("id").asLong());
        return r.json().get("id").asLong();
    }

    @Test
    void pagesTheHostsOfARunInTargetOrderWhileTheGroupsCoverEveryHost() {
        List<Long> hosts = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hosts.add(host()); // no agent: each host fails at once
        }
        java.util.Collections.reverse(hosts);
        long id = start("{\"command\": \"true\", \"targets\": {\"ciIds\": " + hosts + "}}");
        List<Long> seen = new java.util.ArrayList<>();
        List<Integer> pageSizes = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var r = viewer.get("/api/v1/runs/" + id + "?hostLimit=2" + (cursor == null ? "" : "&hostCursor=" + cursor));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode page = r.json();
            page.get("hosts").forEach(h -> seen.add(h.get("ciId").asLong()));
            pageSizes.add(page.get("hosts").size());
            assertThat(page.get("groups")).hasSize(1);
            assertThat(page.get("groups").get(0).get("count").asInt()).isEqualTo(5);
            assertThat(page.get("hostsTruncated").asBoolean()).isEqualTo(!page.get("hostsNext").isNull());
            cursor = page.get("hostsNext").isNull() ? null : page.get("hostsNext").asString();
        } while (cursor != null);
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).isEqualTo(hosts);
        assertThat(run(id).get("run").get("counts").get("failed").asInt()).isEqualTo(5);
        assertThat(viewer.get("/api/v1/runs/" + id + "?hostCursor=nonsense").status()).isEqualTo(400);
    }

    @Test
    void anAgentOfProtocol10GetsItsTaskSignedAloneAndA11AgentTheBatchForm() throws Exception {
        Host old = hostWithAgent();
        Host current = hostWithAgent();
        start("{\"command\": \"echo hello\", \"targets\": {\"ciIds\": [" + old.ciId() + "," + current.ciId() + "]}}");

        List<SignedTask> got = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(old.agent().poll("1.0"));
            return !got.isEmpty();
        });
        SignedTask alone = got.getFirst();
        SignedTask batched = nextTask(current.agent());
        assertThat(alone.batch()).as("a 1.0 agent cannot check an audit path").isNull();
        assertThat(old.agent().verifies(alone)).isTrue();
        assertThat(alone.signature()).isNotEqualTo(batched.signature());
        assertThat(batched.batch()).isNotNull();
        assertThat(batched.batch().treeSize()).isEqualTo(2L);
        assertThat(alone.task().parameters()).isEqualTo(batched.task().parameters());
    }

    @Test
    void runsACommandOnEveryHostAndGroupsHostsByIdenticalOutput() throws Exception {
        Host a = hostWithAgent();
        Host b = hostWithAgent();
        long noAgent = host();
        long id = start("{\"command\": \"echo hello\", \"targets\": {\"ciIds\": [" + a.ciId() + "," + b.ciId() + "," + noAgent + "]}}");

        SignedTask ta = nextTask(a.agent());
        SignedTask tb = nextTask(b.agent());
        // One signature for the run's tasks (a Merkle tree over both), each task with its own audit path.
        assertThat(ta.signature()).isEqualTo(tb.signature());
        assertThat(List.of(ta.batch().treeSize(), tb.batch().treeSize())).containsOnly(2L);
        assertThat(List.of(ta.batch().leafIndex(), tb.batch().leafIndex())).containsExactlyInAnyOrder(0L, 1L);
        assertThat(a.agent().verifies(ta)).isTrue();
        assertThat(a.agent().verifies(new SignedTask(ta.task(), tb.signature(), tb.batch()))).as("a's task with b's path").isFalse();
        assertThat(ta.task().type()).isEqualTo("script");
        assertThat(ta.task().parameters()).containsEntry("script", "echo hello").containsEntry("language", "bash")
                .containsEntry("timeoutSeconds", "600");
        assertThat(a.agent().report(ta.task().taskId(), 0, "hello\n", false, null, null)).isEqualTo("ACCEPTED");
        assertThat(state(id)).isEqualTo("running");
        a.agent().report(ta.task().taskId(), 1, "", true, 0, "exited");
        b.agent().report(tb.task().taskId(), 0, "hello\n", true, 0, "exited");
        // A repeat of a chunk already held is acknowledged and not stored again.
        assertThat(a.agent().report(ta.task().taskId(), 0, "hello\n", false, null, null)).isEqualTo("DUPLICATE");

        JsonNode detail = run(id);
        assertThat(detail.get("run").get("state").asString()).isEqualTo("failed");
        assertThat(detail.get("run").get("outcome").asString()).isEqualTo("2 of 3 hosts succeeded");
        assertThat(detail.get("groups")).hasSize(2);
        JsonNode ok = detail.get("groups").get(0);
        assertThat(ok.get("state").asString()).isEqualTo("succeeded");
        assertThat(ok.get("count").asInt()).isEqualTo(2);
        assertThat(ok.get("sample").asString()).isEqualTo("hello\n");
        JsonNode failed = detail.get("groups").get(1);
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("ciIds").get(0).asLong()).isEqualTo(noAgent);

        var log = viewer.get("/api/v1/runs/" + id + "/hosts/" + a.ciId() + "/log");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.json().get("stdout").asString()).isEqualTo("hello\n");
        assertThat(log.json().get("exitCode").asInt()).isZero();

        var history = viewer.get("/api/v1/cis/" + a.ciId() + "/history");
        assertThat(history.body()).contains("\"source\":\"job:" + id + "\"");
        assertThat(auditLog.list(new AuditQuery(null, "job.run.created", "job-run", Long.toString(id), null, null, null, null, 10))
                .items()).hasSize(1);
        assertThat(auditLog.list(new AuditQuery(null, "job.run.finished", "job-run", Long.toString(id), null, null, null, null, 10))
                .items()).hasSize(1);

        var listed = viewer.get("/api/v1/runs?limit=500");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).contains("\"id\":" + id);

        // Re-run only the failed host.
        var rerun = operator.post("/api/v1/runs/" + id + "/rerun-failed", "{}");
        assertThat(rerun.status()).as(rerun.body()).isEqualTo(201);
        assertThat(rerun.json().get("hostCount").asInt()).isEqualTo(1);
        assertThat(rerun.json().get("parentRunId").asLong()).isEqualTo(id);
    }

    @Test
    void rollingRunWaitsForConfirmationBetweenBatches() throws Exception {
        Host a = hostWithAgent();
        Host b = hostWithAgent();
        long id = start("{\"command\": \"uptime\", \"targets\": {\"ciIds\": [" + a.ciId() + "," + b.ciId() + "]},"
                + " \"strategy\": {\"mode\": \"rolling\", \"batchSize\": 1, \"between\": \"confirm\"}}");
        SignedTask ta = nextTask(a.agent());
        assertThat(b.agent().poll()).isEmpty();
        a.agent().report(ta.task().taskId(), 0, "up", true, 0, null);
        assertThat(run(id).get("run").get("hold").asString()).isEqualTo("batch");
        assertThat(state(id)).isEqualTo("awaiting_confirmation");
        assertThat(b.agent().poll()).isEmpty();

        var confirmed = operator.post("/api/v1/runs/" + id + "/confirm", "{}");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        SignedTask tb = nextTask(b.agent());
        b.agent().report(tb.task().taskId(), 0, "up", true, 0, null);
        assertThat(state(id)).isEqualTo("succeeded");
        assertThat(operator.post("/api/v1/runs/" + id + "/confirm", "{}").status()).isEqualTo(409);
    }

    @Test
    void canaryRunsTheFirstHostsThenWaitsForAConfirmationBeforeTheRest() throws Exception {
        Host a = hostWithAgent();
        Host b = hostWithAgent();
        Host c = hostWithAgent();
        long id = start("{\"command\": \"uptime\", \"targets\": {\"ciIds\": [" + a.ciId() + "," + b.ciId() + "," + c.ciId() + "]},"
                + " \"strategy\": {\"mode\": \"canary\", \"canary\": 1}}");
        SignedTask ta = nextTask(a.agent());
        assertThat(b.agent().poll()).isEmpty();
        assertThat(c.agent().poll()).isEmpty();
        a.agent().report(ta.task().taskId(), 0, "up", true, 0, null);
        assertThat(state(id)).isEqualTo("awaiting_confirmation");
        assertThat(b.agent().poll()).isEmpty();
        assertThat(operator.post("/api/v1/runs/" + id + "/confirm", "{}").status()).isEqualTo(200);
        // After the canary, the rest go out together.
        SignedTask tb = nextTask(b.agent());
        SignedTask tc = nextTask(c.agent());
        b.agent().report(tb.task().taskId(), 0, "up", true, 0, null);
        c.agent().report(tc.task().taskId(), 0, "up", true, 0, null);
        assertThat(state(id)).isEqualTo("succeeded");
    }

    @Test
    void rollingBatchesByPercentFollowEachOtherAndAPauseHoldsTheNextBatch() throws Exception {
        Host a = hostWithAgent();
        Host b = hostWithAgent();
        Host c = hostWithAgent();
        // 50% of three hosts: batches of two, then one, with no hold between them.
        long id = start("{\"command\": \"uptime\", \"targets\": {\"ciIds\": [" + a.ciId() + "," + b.ciId() + "," + c.ciId() + "]},"
                + " \"strategy\": {\"mode\": \"rolling\", \"batchPercent\": 50}}");
        SignedTask ta = nextTask(a.agent());
        SignedTask tb = nextTask(b.agent());
        assertThat(c.agent().poll()).isEmpty();
        a.agent().report(ta.task().taskId(), 0, "up", true, 0, null);
        assertThat(c.agent().poll()).isEmpty(); // the batch is not done until both hosts are
        b.agent().report(tb.task().taskId(), 0, "up", true, 0, null);
        SignedTask tc = nextTask(c.agent());
        c.agent().report(tc.task().taskId(), 0, "up", true, 0, null);
        assertThat(state(id)).isEqualTo("succeeded");

        // A pause between batches of one: the second host gets its task only after the pause.
        long paused = start("{\"command\": \"uptime\", \"targets\": {\"ciIds\": [" + a.ciId() + "," + b.ciId() + "]},"
                + " \"strategy\": {\"mode\": \"rolling\", \"batchSize\": 1, \"between\": \"pause\", \"pauseSeconds\": 2}}");
        ta = nextTask(a.agent());
        a.agent().report(ta.task().taskId(), 0, "up", true, 0, null);
        long reported = System.nanoTime();
        assertThat(b.agent().poll()).isEmpty();
        assertThat(run(paused).get("run").get("state").asString()).isEqualTo("running");
        tb = nextTask(b.agent());
        assertThat(System.nanoTime() - reported).as("the second batch waited for the pause").isGreaterThanOrEqualTo(1_500_000_000L);
        b.agent().report(tb.task().taskId(), 0, "up", true, 0, null);
        assertThat(state(paused)).isEqualTo("succeeded");
    }

    @Test
    void failurePolicyStopsARollingRunAndSkipsTheRest() throws Exception {
        Host a = hostWithAgent();
        Host b = hostWithAgent();
        Host c = hostWithAgent();
        long id = start("{\"command\": \"false\", \"targets\": {\"ciIds\": [" + a.ciId() + "," + b.ciId() + "," + c.ciId() + "]},"
                + " \"strategy\": {\"mode\": \"rolling\", \"batchSize\": 1, \"stopAbovePercent\": 30}}");
        SignedTask ta = nextTask(a.agent());
        a.agent().report(ta.task().taskId(), 0, "", true, 1, null);
        JsonNode detail = run(id);
        assertThat(detail.get("run").get("state").asString()).isEqualTo("failed");
        assertThat(detail.get("run").get("outcome").asString()).startsWith("stopped by the failure policy");
        assertThat(detail.get("run").get("counts").get("skipped").asInt()).isEqualTo(2);
        assertThat(b.agent().poll()).isEmpty();
        assertThat(auditLog.list(new AuditQuery(null, "job.run.policy-stopped", "job-run", Long.toString(id), null, null, null,
                null, 10)).items()).hasSize(1);
    }

    @Test
    void cancelSendsACancelTaskToHostsStillRunning() throws Exception {
        Host a = hostWithAgent();
        long id = start("{\"command\": \"sleep 600\", \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        SignedTask ta = nextTask(a.agent());
        a.agent().report(ta.task().taskId(), 0, "started", false, null, null);
        assertThat(viewer.post("/api/v1/runs/" + id + "/cancel", "{}").status()).isEqualTo(403);
        var cancelled = operator.post("/api/v1/runs/" + id + "/cancel", "{}");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asString()).isEqualTo("cancelled");
        SignedTask cancel = nextTask(a.agent());
        // The poll may offer the script again (no final output yet); find the cancel among what came.
        List<SignedTask> all = new ArrayList<>(List.of(cancel));
        all.addAll(a.agent().poll());
        var cancelTask = all.stream().filter(t -> t.task().type().equals("cancel")).findFirst().orElseThrow();
        assertThat(cancelTask.task().parameters()).containsEntry("taskId", ta.task().taskId());
        a.agent().report(ta.task().taskId(), 1, "", true, -1, "cancelled");
        assertThat(run(id).get("hosts").get(0).get("state").asString()).isEqualTo("cancelled");
        var again = operator.post("/api/v1/runs/" + id + "/cancel", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aTaskNoAgentFinishesWithinItsTimeoutIsLostAndTheRunEnds() throws Exception {
        Host a = hostWithAgent();
        long id = start("{\"command\": \"sleep 5\", \"timeoutSeconds\": 1, \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        nextTask(a.agent()); // taken, never answered: the agent "vanished"
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !state(id).equals("running"));
        JsonNode detail = run(id);
        assertThat(detail.get("run").get("state").asString()).isEqualTo("failed");
        assertThat(detail.get("hosts").get(0).get("state").asString()).isEqualTo("lost");
    }

    @Test
    void secretParametersAreSealedInTheQueueAndMaskedInRunsAndLogs() throws Exception {
        Host a = hostWithAgent();
        var t = operator.post("/api/v1/job-templates", """
                {"name": "deploy-%s", "definition": {
                  "parameters": [{"name": "token", "type": "secret", "required": true},
                                 {"name": "env", "type": "enum", "choices": ["dev", "prod"], "defaultValue": "dev"}],
                  "steps": [{"kind": "script", "name": "print", "script": "echo {{env}} {{token}}"}]}}"""
                .formatted(UUID.randomUUID()));
        assertThat(t.status()).as(t.body()).isEqualTo(201);
        long templateId = t.json().get("id").asLong();
        long id = start("{\"templateId\": " + templateId + ", \"parameters\": {\"token\": \"s3cr3t-value\"},"
                + " \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        SignedTask task = nextTask(a.agent());
        assertThat(task.task().parameters().get("script")).isEqualTo("echo dev s3cr3t-value");
        String queued = jdbc.sql("select payload from agent_tasks where id = :id")
                .param("id", Long.parseLong(task.task().taskId())).query(String.class).single();
        assertThat(queued).startsWith("v1:").doesNotContain("s3cr3t-value");
        a.agent().report(task.task().taskId(), 0, "dev s3cr3t-value\n", true, 0, null);

        JsonNode detail = run(id);
        assertThat(detail.toString()).doesNotContain("s3cr3t-value");
        assertThat(detail.get("run").get("parameters").get("token").asString()).isEqualTo("******");
        assertThat(viewer.get("/api/v1/runs/" + id + "/hosts/" + a.ciId() + "/log").json().get("stdout").asString())
                .isEqualTo("dev ******\n");
        String stored = jdbc.sql("select parameters from job_runs where id = :id").param("id", id).query(String.class).single();
        assertThat(stored).doesNotContain("s3cr3t-value");

        var bad = operator.post("/api/v1/runs", "{\"templateId\": " + templateId + ", \"parameters\": {\"env\": \"qa\", \"nope\": \"1\"},"
                + " \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("parameters.token").contains("parameters.env").contains("parameters.nope");
    }

    @Test
    void dangerousCommandsAreBlockedOrWaitForAnotherOperatorsApproval() throws Exception {
        Host a = hostWithAgent();
        var blocked = operator.post("/api/v1/runs", "{\"command\": \"rm -rf /\", \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        assertThat(blocked.status()).isEqualTo(422);
        assertThat(blocked.body()).contains("Recursive delete of the root directory");
        assertThat(auditLog.list(new AuditQuery(null, "job.policy.blocked", null, null, null, null, null, null, 50)).items())
                .anySatisfy(r -> assertThat(r.summary()).contains("Recursive delete of the root directory"));

        // The same restart on a production host is blocked by the rule that looks at the targets.
        var prod = operator.post("/api/v1/runs", "{\"command\": \"reboot\", \"targets\": {\"ciIds\": [" + host("prod") + "]}}");
        assertThat(prod.status()).isEqualTo(422);
        assertThat(prod.body()).contains("Shut down or restart a production host");

        long id = start("{\"command\": \"reboot\", \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        assertThat(state(id)).isEqualTo("awaiting_approval");
        assertThat(a.agent().poll()).isEmpty();
        var self = operator.post("/api/v1/runs/" + id + "/approve", "{}");
        assertThat(self.status()).isEqualTo(409);
        assertThat(self.body()).contains("approver-is-requester");
        var other = ApiClient.at(port).withBearer(users.tokenFor(Role.OPERATOR)).post("/api/v1/runs/" + id + "/approve", "{}");
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        assertThat(other.json().get("state").asString()).isEqualTo("running");
        assertThat(nextTask(a.agent()).task().parameters().get("script")).isEqualTo("reboot");
    }

    @Test
    void aFileFromOneHostGoesToTheOthersOnceTheSourceUploadIsStoredAndTheRunShowsEachHostsProgress() throws Exception {
        Host source = hostWithAgent();
        Host target = hostWithAgent();
        long id = start("""
                {"file": {"source": {"ciId": %d, "path": "/etc/app/app.conf"}, "path": "/etc/app/app.conf", "mode": "0640"},
                 "targets": {"ciIds": [%d]}}""".formatted(source.ciId(), target.ciId()));

        SignedTask upload = nextTask(source.agent());
        assertThat(upload.task().type()).isEqualTo("file-upload");
        assertThat(upload.task().parameters()).containsEntry("path", "/etc/app/app.conf");
        assertThat(target.agent().poll()).isEmpty(); // nothing to fetch before the source has uploaded
        assertThat(run(id).get("fileSources").get(0).get("state").asString()).isEqualTo("uploading");

        // What the source agent's upload put in the store, then its report.
        byte[] content = "%-99s\n".formatted("setting = " + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8); // 100 bytes
        String sha = files.store(new java.io.ByteArrayInputStream(content), "app.conf", null, "agent:" + source.agent().id()).file().sha256();
        source.agent().report(upload.task().taskId(), 0, "uploading /etc/app/app.conf (" + content.length + " bytes)\nsha256=" + sha
                + " size=" + content.length + "\n", true, 0, "exited");

        SignedTask fetch = nextTask(target.agent());
        assertThat(fetch.task().type()).isEqualTo("file");
        assertThat(fetch.task().parameters()).containsEntry("sha256", sha).containsEntry("size", Long.toString(content.length))
                .containsEntry("path", "/etc/app/app.conf").containsEntry("mode", "0640");
        target.agent().reportProgress(fetch.task().taskId(), 0, content.length / 2, content.length);
        JsonNode half = run(id).get("hosts").get(0);
        assertThat(half.get("progressBytes").asLong()).isEqualTo(content.length / 2);
        assertThat(half.get("progressTotal").asLong()).isEqualTo(content.length);
        assertThat(half.get("progressPercent").asInt()).isEqualTo(50);
        assertThat(half.get("ciName").asString()).startsWith("job-host-");
        target.agent().reportProgress(fetch.task().taskId(), 1, content.length, content.length);
        target.agent().report(fetch.task().taskId(), 2, "installed /etc/app/app.conf\n", true, 0, "exited");

        JsonNode done = run(id);
        assertThat(done.get("run").get("state").asString()).isEqualTo("succeeded");
        assertThat(done.get("hosts").get(0).get("progressPercent").asInt()).isEqualTo(100);
        JsonNode stored = done.get("fileSources").get(0);
        assertThat(stored.get("state").asString()).isEqualTo("stored");
        assertThat(stored.get("sha256").asString()).isEqualTo(sha);
        assertThat(stored.get("size").asLong()).isEqualTo(content.length);
        assertThat(stored.get("ciId").asLong()).isEqualTo(source.ciId());
        assertThat(auditLog.list(new AuditQuery(null, "job.file.source-stored", "job-run", Long.toString(id), null, null, null, null, 10))
                .items()).hasSize(1);
    }

    @Test
    void aSourceHostThatCannotUploadFailsTheStepSayingWhyAndNoTargetGetsATask() throws Exception {
        Host source = hostWithAgent();
        Host target = hostWithAgent();
        long id = start("""
                {"file": {"source": {"ciId": %d, "path": "/nope"}, "path": "/tmp/nope"}, "targets": {"ciIds": [%d]}}"""
                .formatted(source.ciId(), target.ciId()));
        SignedTask upload = nextTask(source.agent());
        source.agent().report(upload.task().taskId(), 0, "", true, 127, "failed-to-start");

        JsonNode done = run(id);
        assertThat(done.get("run").get("state").asString()).isEqualTo("failed");
        assertThat(done.get("run").get("outcome").asString())
                .startsWith("step 1 failed: the source host (CI " + source.ciId() + ") could not upload /nope: failed-to-start");
        assertThat(done.get("hosts").get(0).get("state").asString()).isEqualTo("failed");
        assertThat(done.get("hosts").get(0).get("outcome").asString()).isEqualTo("source-failed");
        assertThat(done.get("fileSources").get(0).get("state").asString()).isEqualTo("failed");
        assertThat(target.agent().poll()).isEmpty();
    }

    @Test
    void aSourceHostWhoseUploadIsNeverReportedFailsTheRunAfterTheTimeoutAndGrace() throws Exception {
        Host source = hostWithAgent();
        long target = host();
        long id = start("""
                {"file": {"source": {"ciId": %d, "path": "/srv/x"}, "path": "/srv/x"}, "timeoutSeconds": 1, "targets": {"ciIds": [%d]}}"""
                .formatted(source.ciId(), target));
        nextTask(source.agent()); // taken, never answered: the source agent "vanished"
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !state(id).equals("running"));
        JsonNode detail = run(id);
        assertThat(detail.get("run").get("state").asString()).isEqualTo("failed");
        assertThat(detail.get("run").get("outcome").asString()).contains("did not report its upload of /srv/x");
        assertThat(detail.get("hosts").get(0).get("outcome").asString()).isEqualTo("source-failed");
    }

    @Test
    void cancellingARunWhileItsSourceUploadsStopsTheUploadAndALateReportChangesNothing() throws Exception {
        Host source = hostWithAgent();
        Host target = hostWithAgent();
        long id = start("""
                {"file": {"source": {"ciId": %d, "path": "/srv/big.iso"}, "path": "/srv/big.iso"}, "targets": {"ciIds": [%d]}}"""
                .formatted(source.ciId(), target.ciId()));
        SignedTask upload = nextTask(source.agent());
        assertThat(operator.post("/api/v1/runs/" + id + "/cancel", "{}").status()).isEqualTo(200);

        // The poll may offer the upload again (no final output yet); find the cancel among what comes.
        List<SignedTask> all = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            all.addAll(source.agent().poll());
            return all.stream().anyMatch(t -> t.task().type().equals("cancel"));
        });
        SignedTask cancel = all.stream().filter(t -> t.task().type().equals("cancel")).findFirst().orElseThrow();
        assertThat(cancel.task().parameters()).containsEntry("taskId", upload.task().taskId());
        source.agent().report(upload.task().taskId(), 0, "", true, -1, "cancelled");
        JsonNode done = run(id);
        assertThat(done.get("run").get("state").asString()).isEqualTo("cancelled");
        assertThat(done.get("fileSources").get(0).get("state").asString()).isEqualTo("failed");
        assertThat(done.get("fileSources").get(0).get("message").asString()).startsWith("cancelled by ");
        assertThat(target.agent().poll()).isEmpty();
    }

    @Test
    void refusesAFileFromAHostThatIsIncompleteAmbiguousOrHasNoAgent() {
        long ci = host();
        var both = operator.post("/api/v1/runs", """
                {"file": {"sha256": "%s", "size": 1, "source": {"ciId": %d, "path": "/a"}, "path": "/b"}, "targets": {"ciIds": [%d]}}"""
                .formatted("a".repeat(64), ci, ci));
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.contentType()).startsWith("application/problem+json");
        assertThat(both.body()).contains("\"file.source\"");
        var incomplete = operator.post("/api/v1/job-templates", """
                {"name": "copy-%s", "definition": {"steps": [{"kind": "file", "file": {"source": {"path": "etc/x"}, "path": "/etc/x"}}]}}"""
                .formatted(UUID.randomUUID()));
        assertThat(incomplete.status()).isEqualTo(422);
        assertThat(incomplete.body()).contains("steps[0].file.source.ciId").contains("steps[0].file.source.path");
        var noAgent = operator.post("/api/v1/runs", """
                {"file": {"source": {"ciId": %d, "path": "/a"}, "path": "/b"}, "targets": {"ciIds": [%d]}}""".formatted(ci, ci));
        assertThat(noAgent.status()).isEqualTo(422);
        assertThat(noAgent.body()).contains("\"file.source.ciId\"").contains("has no agent");
    }

    @Test
    void refusesWhatItCannotRun() {
        long ci = host();
        assertThat(ApiClient.at(port).post("/api/v1/runs", "{}").status()).isEqualTo(401);
        assertThat(ApiClient.at(port).get("/api/v1/runs").status()).isEqualTo(401);
        assertThat(viewer.post("/api/v1/runs", "{\"command\": \"id\", \"targets\": {\"ciIds\": [" + ci + "]}}").status()).isEqualTo(403);
        var malformed = operator.post("/api/v1/runs", "{\"command\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(operator.post("/api/v1/runs", "{\"command\": \"id\", \"script\": \"id\", \"targets\": {\"ciIds\": [" + ci + "]}}")
                .status()).isEqualTo(422);
        var noTargets = operator.post("/api/v1/runs", "{\"command\": \"id\"}");
        assertThat(noTargets.status()).isEqualTo(422);
        assertThat(noTargets.body()).contains("targets");
        var unknownCi = operator.post("/api/v1/runs", "{\"command\": \"id\", \"targets\": {\"ciIds\": [99999999]}}");
        assertThat(unknownCi.status()).isEqualTo(422);
        assertThat(unknownCi.body()).contains("CI 99999999 does not exist");
        var badStrategy = operator.post("/api/v1/runs", "{\"command\": \"id\", \"timeoutSeconds\": 0, \"targets\": {\"ciIds\": [" + ci
                + "]}, \"strategy\": {\"mode\": \"rolling\", \"stopAbovePercent\": 150}}");
        assertThat(badStrategy.status()).isEqualTo(422);
        assertThat(badStrategy.body()).contains("timeoutSeconds").contains("strategy.batchSize").contains("strategy.stopAbovePercent");
        var badQuery = operator.post("/api/v1/runs", "{\"command\": \"id\", \"targets\": {\"query\": \"nosuch=1\"}}");
        assertThat(badQuery.status()).isEqualTo(422);
        assertThat(badQuery.body()).contains("targets.query");
        assertThat(operator.get("/api/v1/runs/99999999").status()).isEqualTo(404);
        assertThat(operator.get("/api/v1/runs/99999999/hosts/1/log").status()).isEqualTo(404);
        assertThat(operator.post("/api/v1/runs/99999999/cancel", "{}").status()).isEqualTo(404);
        assertThat(operator.get("/api/v1/runs?state=bogus").status()).isEqualTo(400);
        var missingFile = operator.post("/api/v1/job-templates", """
                {"name": "files-%s", "definition": {"steps": [{"kind": "file",
                  "file": {"sha256": "%s", "size": 1, "path": "/tmp/x"}}]}}""".formatted(UUID.randomUUID(), "a".repeat(64)));
        assertThat(missingFile.status()).isEqualTo(201);
        var run = operator.post("/api/v1/runs", "{\"templateId\": " + missingFile.json().get("id").asLong()
                + ", \"targets\": {\"ciIds\": [" + ci + "]}}");
        assertThat(run.status()).isEqualTo(422);
        assertThat(run.body()).contains("steps[0].file.sha256");
    }

    @Test
    void runsOnACmdbQueryAndPreviewsHostsAndBusinessServices() throws Exception {
        String tag = "q" + UUID.randomUUID().toString().substring(0, 8);
        long one = cis.create(new CreateCi("Server", "q-" + tag + "-1", Map.of("env", "dev"), null, List.of(tag), null), ChangeContext.api("t", null)).id();
        long two = cis.create(new CreateCi("Server", "q-" + tag + "-2", Map.of("env", "dev"), null, List.of(tag), null), ChangeContext.api("t", null)).id();
        var preview = viewer.post("/api/v1/runs/preview", "{\"targets\": {\"query\": \"tag=" + tag + "\"}}");
        assertThat(preview.status()).isEqualTo(403); // preview is a POST: operators and admins
        preview = operator.post("/api/v1/runs/preview", "{\"targets\": {\"query\": \"tag=" + tag + "\"}}");
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.json().get("hostCount").asInt()).isEqualTo(2);
        assertThat(preview.json().get("withAgent").asInt()).isZero();
        assertThat(preview.json().get("ciIds").toString()).isEqualTo("[" + one + "," + two + "]");

        var group = operator.post("/api/v1/host-groups", "{\"name\": \"g-" + tag + "\", \"query\": \"tag=" + tag + "\"}");
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        long groupId = group.json().get("id").asLong();
        assertThat(operator.post("/api/v1/host-groups", "{\"name\": \"g-" + tag + "\", \"ciIds\": [" + one + "]}").status())
                .isEqualTo(422);
        long id = start("{\"command\": \"hostname\", \"targets\": {\"groupId\": " + groupId + "}}");
        assertThat(run(id).get("run").get("hostCount").asInt()).isEqualTo(2);
        assertThat(viewer.get("/api/v1/host-groups/" + groupId).status()).isEqualTo(200);
        assertThat(operator.put("/api/v1/host-groups/" + groupId, "{\"name\": \"g-" + tag + "\", \"ciIds\": [" + one + "]}")
                .json().get("ciIds").toString()).isEqualTo("[" + one + "]");
        assertThat(operator.delete("/api/v1/host-groups/" + groupId).status()).isEqualTo(204);
        assertThat(viewer.get("/api/v1/host-groups/" + groupId).status()).isEqualTo(404);
    }

    @Test
    void templatesKeepEveryVersionAndRefuseAStaleSave() {
        String name = "tpl-" + UUID.randomUUID();
        var created = operator.post("/api/v1/job-templates", "{\"name\": \"" + name + "\", \"definition\": {\"steps\": ["
                + "{\"kind\": \"script\", \"script\": \"echo one\"}, {\"kind\": \"confirm\", \"name\": \"check\"}]}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("version").asInt()).isEqualTo(1);
        var updated = operator.put("/api/v1/job-templates/" + id, "{\"name\": \"" + name + "\", \"version\": 1, \"definition\": {\"steps\": ["
                + "{\"kind\": \"script\", \"script\": \"echo two\"}]}}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("version").asInt()).isEqualTo(2);
        var stale = operator.put("/api/v1/job-templates/" + id, "{\"name\": \"" + name + "\", \"version\": 1, \"definition\": {\"steps\": ["
                + "{\"kind\": \"script\", \"script\": \"echo three\"}]}}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(viewer.get("/api/v1/job-templates/" + id + "/versions").json().get("items")).hasSize(2);
        assertThat(viewer.get("/api/v1/job-templates/" + id + "/versions/1").json().get("definition").get("steps").get(0)
                .get("script").asString()).isEqualTo("echo one");
        assertThat(viewer.get("/api/v1/job-templates/" + id + "/versions/7").status()).isEqualTo(404);
        var invalid = operator.post("/api/v1/job-templates", "{\"name\": \"\", \"definition\": {\"steps\": [{\"kind\": \"reboot\"}],"
                + " \"parameters\": [{\"name\": \"1x\", \"type\": \"color\"}]}}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body()).contains("\"name\"").contains("definition.steps[0].kind").contains("definition.parameters[0].name")
                .contains("definition.parameters[0].type");
        assertThat(viewer.delete("/api/v1/job-templates/" + id).status()).isEqualTo(403);
        assertThat(operator.delete("/api/v1/job-templates/" + id).status()).isEqualTo(204);
        assertThat(viewer.get("/api/v1/job-templates/" + id).status()).isEqualTo(404);
    }

    @Test
    void aConfirmationStepHoldsTheRunUntilConfirmed() throws Exception {
        Host a = hostWithAgent();
        var t = operator.post("/api/v1/job-templates", "{\"name\": \"confirm-" + UUID.randomUUID() + "\", \"definition\": {\"steps\": ["
                + "{\"kind\": \"script\", \"script\": \"echo one\"}, {\"kind\": \"confirm\"}, {\"kind\": \"script\", \"script\": \"echo two\"}]}}");
        long id = start("{\"templateId\": " + t.json().get("id").asLong() + ", \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        SignedTask first = nextTask(a.agent());
        a.agent().report(first.task().taskId(), 0, "one", true, 0, null);
        assertThat(state(id)).isEqualTo("awaiting_confirmation");
        assertThat(run(id).get("run").get("hold").asString()).isEqualTo("step");
        assertThat(operator.post("/api/v1/runs/" + id + "/confirm", "{}").status()).isEqualTo(200);
        SignedTask second = nextTask(a.agent());
        assertThat(second.task().parameters().get("script")).isEqualTo("echo two");
        a.agent().report(second.task().taskId(), 0, "two", true, 0, null);
        assertThat(state(id)).isEqualTo("succeeded");
        assertThat(viewer.get("/api/v1/runs/" + id + "/hosts/" + a.ciId() + "/log?step=0").json().get("stdout").asString())
                .isEqualTo("one");
    }

    @Test
    void jobPagesRunACommandAndSaveATemplateThroughTheirForms() throws Exception {
        Host a = hostWithAgent();
        WebSession web = WebSession.at(port).header("Accept-Language", "en");
        assertThat(web.login(users.createUser(Role.OPERATOR), TestUsers.PASSWORD).location()).isEqualTo("/");
        var started = web.submit("/jobs/new", "/jobs/new", Map.of("targetMode", "ciIds", "ciIds", Long.toString(a.ciId()),
                "language", "bash", "script", "echo from the page", "mode", "parallel", "between", "none"));
        assertThat(started.status()).as(started.body()).isEqualTo(302);
        String runPage = started.header("Location");
        assertThat(runPage).matches(".*/jobs/runs/\\d+");
        SignedTask task = nextTask(a.agent());
        assertThat(task.task().parameters().get("script")).isEqualTo("echo from the page");
        a.agent().report(task.task().taskId(), 0, "from the page\n", true, 0, null);
        var detail = web.get(runPage.substring(runPage.indexOf("/jobs")));
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body()).contains("from the page").contains("succeeded");

        var invalid = web.submit("/jobs/new", "/jobs/new", Map.of("targetMode", "ciIds", "ciIds", "", "script", ""));
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.body()).contains("field-error");

        String name = "page-" + UUID.randomUUID();
        var saved = web.submit("/jobs/templates/new", "/jobs/templates/new", Map.of("name", name, "step.kind", "script",
                "step.language", "bash", "step.script", "echo {{who}}", "param.name", "who", "param.type", "string",
                "param.required", "yes", "mode", "parallel", "between", "none"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        var template = web.get(saved.header("Location").substring(saved.header("Location").indexOf("/jobs")));
        assertThat(template.status()).isEqualTo(200);
        assertThat(template.body()).contains(name).contains("echo {{who}}").contains("v1");

        WebSession zh = WebSession.at(port).header("Accept-Language", "zh-CN");
        assertThat(zh.login(users.createUser(Role.VIEWER), TestUsers.PASSWORD).location()).isEqualTo("/");
        for (String page : List.of("/jobs", "/jobs/new", "/jobs/templates", "/jobs/host-groups", "/jobs/templates/new")) {
            var r = zh.get(page);
            assertThat(r.status()).as(page + ": " + r.body()).isEqualTo(200);
        }
        assertThat(zh.get("/jobs").body()).contains("执行记录");
        assertThat(zh.get("/jobs/preview?targetMode=ciIds&ciIds=" + a.ciId()).body()).contains("1 台主机");
    }

    @Test
    void theTemplateFormSavesAFileStepFromAHostAndNamesAMissingSourceField() throws Exception {
        long source = host();
        WebSession web = WebSession.at(port).header("Accept-Language", "en");
        assertThat(web.login(users.createUser(Role.OPERATOR), TestUsers.PASSWORD).location()).isEqualTo("/");
        String name = "copy-" + UUID.randomUUID();
        var form = new java.util.HashMap<>(Map.of("name", name, "step.kind", "file", "step.sourceCiId", Long.toString(source),
                "step.sourcePath", "/etc/app/app.conf", "step.path", "/etc/app/app.conf", "step.mode", "0640", "mode", "parallel",
                "between", "none"));
        var saved = web.submit("/jobs/templates/new", "/jobs/templates/new", form);
        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        String location = saved.header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        JsonNode file = operator.get("/api/v1/job-templates/" + id).json().get("definition").get("steps").get(0).get("file");
        assertThat(file.get("source").get("ciId").asLong()).isEqualTo(source);
        assertThat(file.get("source").get("path").asString()).isEqualTo("/etc/app/app.conf");
        assertThat(file.get("sha256").isNull()).isTrue();
        var page = web.get("/jobs/templates/" + id);
        assertThat(page.body()).contains("name=\"step.sourcePath\" value=\"/etc/app/app.conf\"");

        form.put("name", name + "-2");
        form.remove("step.sourceCiId");
        var invalid = web.submit("/jobs/templates/new", "/jobs/templates/new", form);
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.body()).contains("field-error").contains("the CI id of the host that has the file");
    }

    @Test
    void streamsOutputAndStateAsServerSentEvents() throws Exception {
        Host a = hostWithAgent();
        long id = start("{\"command\": \"echo live\", \"targets\": {\"ciIds\": [" + a.ciId() + "]}}");
        SignedTask task = nextTask(a.agent());
        String token = users.tokenFor(Role.VIEWER);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + id + "/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        var lines = java.net.http.HttpClient.newHttpClient()
                .sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofLines()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(lines.statusCode()).isEqualTo(200);
        var seen = new java.util.concurrent.CopyOnWriteArrayList<String>();
        Thread.ofVirtual().start(() -> lines.body().forEach(seen::add));
        // The subscription is registered when the response starts; report only then.
        a.agent().report(task.task().taskId(), 0, "live\n", true, 0, null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("event:run")
                && seen.stream().anyMatch(l -> l.contains("\"stdout\":\"live\\n\"")));
        assertThat(seen).anySatisfy(l -> assertThat(l).contains("\"state\":\"succeeded\""));
        assertThat(viewer.get("/api/v1/runs/99999999/events").status()).isEqualTo(404);
    }
}
