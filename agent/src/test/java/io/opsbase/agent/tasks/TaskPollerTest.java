package io.opsbase.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.ProtocolTestServer;
import io.opsbase.agent.TestClock;
import io.opsbase.agent.transport.Backoff;
import io.opsbase.agent.outbox.Outbox;
import io.opsbase.agent.outbox.OutboxDelivery;
import io.opsbase.agent.outbox.OutboxLimits;
import io.opsbase.agent.state.AgentState;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskBatchProof;
import io.opsbase.protocol.signing.Ed25519Keys;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.protocol.signing.TaskSigner;


class TaskPollerTest {

    @TempDir
    Path dir;
    @TempDir
    Path journalDir;

    private final TestClock clock = TestClock.at("2026-11-28T10:00:00Z");
    private final ProtocolTestServer server;
    private final AgentState agent;
    private final ServerClient client;

    TaskPollerTest() throws IOException {
        server = new ProtocolTestServer(clock);
        agent = server.enrolledAgent();
        client = ServerClient.signed(server.uri(), ServerClient.defaultTransport(),
                new RequestSigner(agent.agentId(), agent.secretBytes(), clock), "test", clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersAPingWithPongThroughTheOutbox() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var task = server.queueTask(agent.agentId(), Task.PING);

        assertThat(poller(outbox).pollOnce()).isEqualTo(1);
        await().until(() -> outbox.size() == 1);
        new OutboxDelivery(outbox, client, Backoff.standard()).deliverOnce(Duration.ZERO);

        var output = server.reports("/api/v1/agent/tasks/").getFirst();
        assertThat(output.path()).isEqualTo("/api/v1/agent/tasks/" + task.taskId() + "/output");
        assertThat(output.body().path("stdout").asString()).isEqualTo("pong");
        assertThat(output.body().path("exitCode").asInt()).isZero();
        assertThat(output.body().path("last").asBoolean()).isTrue();
    }

    @Test
    void refusesATaskSignedWithAnotherKeyAndReportsWhy() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var forger = new TaskSigner(Ed25519Keys.generate().getPrivate());
        server.queueSigned(forger.sign(task(agent.agentId(), clock.instant().plusSeconds(60))));

        assertThat(poller(outbox).pollOnce()).isZero();
        var report = deliveredReport(outbox);
        assertThat(report.path("outcome").asString()).isEqualTo("refused");
        assertThat(report.path("stderr").asString()).contains("signature does not verify");
        assertThat(report.path("stdout").asString()).isEmpty();
    }

    @Test
    void refusesATaskWhoseContentWasChangedAfterSigning() throws Exception {
        var signed = server.taskSigner().sign(task(agent.agentId(), clock.instant().plusSeconds(60)));
        var altered = new Task(signed.task().taskId(), agent.agentId(), "shell", Map.of("command", "rm -rf /"),
                signed.task().issuedAt(), signed.task().expiresAt());
        assertRefusedUnrun(new SignedTask(altered, signed.signature()));
    }

    @Test
    void runsATaskSignedWithABatch() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var batch = server.taskSigner().signAll(List.of(task("agent-x", clock.instant().plusSeconds(60)),
                task(agent.agentId(), clock.instant().plusSeconds(60)), task("agent-y", clock.instant().plusSeconds(60))));
        server.queueSigned(batch.get(1));

        assertThat(poller(outbox).pollOnce()).isEqualTo(1);
        await().until(() -> outbox.size() == 1);
        new OutboxDelivery(outbox, client, Backoff.standard()).deliverOnce(Duration.ZERO);
        assertThat(server.reports("/api/v1/agent/tasks/").getFirst().body().path("stdout").asString()).isEqualTo("pong");
    }

    @Test
    void refusesABatchTaskWhoseContentWasChangedAfterSigning() throws Exception {
        var batch = server.taskSigner().signAll(List.of(task(agent.agentId(), clock.instant().plusSeconds(60)),
                task("agent-x", clock.instant().plusSeconds(60))));
        var signed = batch.getFirst();
        var altered = new Task(signed.task().taskId(), agent.agentId(), "shell", Map.of("command", "rm -rf /"),
                signed.task().issuedAt(), signed.task().expiresAt());

        assertRefusedUnrun(new SignedTask(altered, signed.signature(), signed.batch()));
    }

    @Test
    void refusesABatchTaskWithAnotherBatchsPath() throws Exception {
        var ours = server.taskSigner().signAll(List.of(task(agent.agentId(), clock.instant().plusSeconds(60)),
                task("agent-x", clock.instant().plusSeconds(60))));
        var theirs = server.taskSigner().signAll(List.of(task(agent.agentId(), clock.instant().plusSeconds(60)),
                task("agent-x", clock.instant().plusSeconds(60))));

        assertRefusedUnrun(new SignedTask(ours.getFirst().task(), theirs.getFirst().signature(), theirs.getFirst().batch()));
    }

    @Test
    void refusesABatchTaskCarryingAnotherLeafsPath() throws Exception {
        var batch = server.taskSigner().signAll(List.of(task(agent.agentId(), clock.instant().plusSeconds(60)),
                task("agent-x", clock.instant().plusSeconds(60)), task("agent-y", clock.instant().plusSeconds(60))));

        assertRefusedUnrun(new SignedTask(batch.getFirst().task(), batch.get(2).signature(), batch.get(2).batch()));
    }

    @Test
    void refusesABatchTaskClaimingAnotherTreeSize() throws Exception {
        var batch = server.taskSigner().signAll(List.of(task(agent.agentId(), clock.instant().plusSeconds(60)),
                task("agent-x", clock.instant().plusSeconds(60)), task("agent-y", clock.instant().plusSeconds(60))));
        var proof = batch.getFirst().batch();

        assertRefusedUnrun(new SignedTask(batch.getFirst().task(), batch.getFirst().signature(),
                new TaskBatchProof(proof.leafIndex(), 4, proof.path())));
    }

    @Test
    void refusesABatchTaskWithAMalformedPath() throws Exception {
        var batch = server.taskSigner().signAll(List.of(task(agent.agentId(), clock.instant().plusSeconds(60)),
                task("agent-x", clock.instant().plusSeconds(60))));

        assertRefusedUnrun(new SignedTask(batch.getFirst().task(), batch.getFirst().signature(),
                new TaskBatchProof(0, 2, List.of("bm90IGEgaGFzaA=="))));
    }

    private void assertRefusedUnrun(SignedTask signed) throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        server.queueSigned(signed);

        assertThat(poller(outbox).pollOnce()).isZero();
        var report = deliveredReport(outbox);
        assertThat(report.path("taskId").asString()).isEqualTo(signed.task().taskId());
        assertThat(report.path("outcome").asString()).isEqualTo("refused");
        assertThat(report.path("exitCode").asInt()).isEqualTo(TaskEnd.NOT_RUN);
        assertThat(report.path("stderr").asString()).contains("signature does not verify", "nothing was run");
    }

    @Test
    void reportsARefusedTaskOnceWhenTheServerSendsItAgain() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var forged = new TaskSigner(Ed25519Keys.generate().getPrivate()).sign(task(agent.agentId(), clock.instant().plusSeconds(60)));
        var poller = poller(outbox);
        server.queueSigned(forged);
        poller.pollOnce();
        server.queueSigned(forged);
        poller.pollOnce();

        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void refusesATaskAddressedToAnotherAgent() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        server.queueTask("agent-someone-else", Task.PING);

        assertThat(poller(outbox).pollOnce()).isZero();
        assertThat(outbox.size()).isZero(); // not this agent's to report
    }

    @Test
    void refusesAnExpiredTask() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        server.queueSigned(server.taskSigner().sign(task(agent.agentId(), clock.instant().minusSeconds(1))));

        assertThat(poller(outbox).pollOnce()).isZero();
        var report = deliveredReport(outbox);
        assertThat(report.path("outcome").asString()).isEqualTo("refused");
        assertThat(report.path("stderr").asString()).contains("expired");
    }

    @Test
    void runsATaskOnlyOnceWhenTheServerSendsItAgain() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        var signed = server.taskSigner().sign(task(agent.agentId(), clock.instant().plusSeconds(60)));
        var poller = poller(outbox);
        server.queueSigned(signed);
        poller.pollOnce();
        await().until(() -> outbox.size() == 1);
        server.queueSigned(signed);

        assertThat(poller.pollOnce()).isZero();
        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownTaskTypeWithExitCode127() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        server.queueTask(agent.agentId(), "reboot");

        poller(outbox).pollOnce();
        await().until(() -> outbox.size() == 1);
        new OutboxDelivery(outbox, client, Backoff.standard()).deliverOnce(Duration.ZERO);

        var output = server.reports("/api/v1/agent/tasks/").getFirst();
        assertThat(output.body().path("exitCode").asInt()).isEqualTo(TaskEnd.NOT_RUN);
        assertThat(output.body().path("outcome").asString()).isEqualTo("refused");
        assertThat(output.body().path("stderr").asString()).contains("reboot");
    }

    @Test
    void reportsTheOutboxDropCountOnEveryPoll() throws Exception {
        var small = Outbox.open(dir, new OutboxLimits(1, 1_000_000), clock);
        small.append("/p", "k1", new byte[] {'{', '}'});
        small.append("/p", "k2", new byte[] {'{', '}'});

        poller(small).pollOnce();

        assertThat(server.polls()).containsExactly("/api/v1/agent/tasks?wait=0&outboxDropped=1");
    }

    /** Delivers the outbox's one report to the test server and returns its body. */
    private tools.jackson.databind.JsonNode deliveredReport(Outbox outbox) throws Exception {
        assertThat(outbox.size()).isEqualTo(1);
        new OutboxDelivery(outbox, client, Backoff.standard()).deliverOnce(Duration.ZERO);
        return server.reports("/api/v1/agent/tasks/").getFirst().body();
    }

    private TaskPoller poller(Outbox target) throws IOException {
        var dispatcher = new TaskDispatcher(Map.of(Task.PING, new PingHandler()), TaskJournal.open(journalDir, clock), target, clock,
                TaskDispatcher.Settings.standard(2));
        return new TaskPoller(client, new TaskSignatures(Ed25519Keys.publicKey(agent.serverPublicKey())), agent.agentId(),
                dispatcher, target, clock, 0, Backoff.standard());
    }

    private static Task task(String agentId, Instant expiresAt) {
        return new Task("t-" + System.nanoTime(), agentId, Task.PING, Map.of(), expiresAt.minusSeconds(120), expiresAt);
    }
}
