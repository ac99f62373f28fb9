package io.opsbase.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.state.AgentStateStore;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.protocol.InventoryRequest;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.Task;

/**
 * The whole agent — enrollment, inventory of this machine, long-poll, ping, outbox — against the
 * protocol fixture server, in this JVM.
 */
class AgentEndToEndTest {

    @TempDir
    Path stateDir;

    private final ProtocolTestServer server;
    private Agent agent;

    AgentEndToEndTest() throws Exception {
        server = new ProtocolTestServer(Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    @Test
    void enrollsReportsThisMachineAndAnswersAPing() throws Exception {
        agent = AgentMain.start(options(Optional.of(ProtocolTestServer.TOKEN)), Clock.systemUTC(), ServerClient.defaultTransport(), 1);

        var state = new AgentStateStore(stateDir).load().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve(AgentStateStore.FILE_NAME))))
                .isEqualTo("rw-------");
        await().atMost(Duration.ofSeconds(60)).until(() -> !server.reports("/api/v1/agent/inventory").isEmpty());
        var inventory = server.reports("/api/v1/agent/inventory").getFirst().body();
        var request = ProtocolJson.mapper().treeToValue(inventory, InventoryRequest.class);
        assertThat(request.inventory().machineId()).isEqualTo(Files.readString(Path.of("/etc/machine-id")).strip());
        assertThat(request.inventory().processors().getFirst().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());

        var ping = server.queueTask(state.agentId(), Task.PING);

        await().atMost(Duration.ofSeconds(30)).until(() -> !server.reports("/api/v1/agent/tasks/" + ping.taskId()).isEmpty());
        assertThat(server.reports("/api/v1/agent/tasks/" + ping.taskId()).getFirst().body().path("stdout").asString()).isEqualTo("pong");
    }

    @Test
    void runsAScriptStreamsItsOutputAndCancelsALongOne() throws Exception {
        agent = AgentMain.start(options(Optional.of(ProtocolTestServer.TOKEN)), Clock.systemUTC(), ServerClient.defaultTransport(), 1);
        var state = new AgentStateStore(stateDir).load().orElseThrow();

        var script = queue(state.agentId(), Task.SCRIPT, Map.of("language", "bash", "script", "echo \"hello $WHO\"; echo oops >&2; exit 2",
                "env.WHO", "opsbase"));
        var last = awaitLastChunk(script);
        assertThat(last.path("exitCode").asInt()).isEqualTo(2);
        assertThat(last.path("outcome").asString()).isEqualTo("exited");
        var reports = server.reports("/api/v1/agent/tasks/" + script.taskId() + "/");
        assertThat(reports.stream().map(r -> r.body().path("stdout").asString()).reduce("", String::concat)).isEqualTo("hello opsbase\n");
        assertThat(reports.stream().map(r -> r.body().path("stderr").asString()).reduce("", String::concat)).isEqualTo("oops\n");

        var long_ = queue(state.agentId(), Task.SCRIPT, Map.of("script", "echo waiting; sleep 300"));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.reports("/api/v1/agent/tasks/" + long_.taskId() + "/").stream()
                .anyMatch(r -> r.body().path("stdout").asString().contains("waiting")));
        queue(state.agentId(), Task.CANCEL, Map.of("taskId", long_.taskId()));
        assertThat(awaitLastChunk(long_).path("outcome").asString()).isEqualTo("cancelled");
    }

    private Task queue(String agentId, String type, Map<String, String> parameters) {
        var now = java.time.Instant.now();
        var task = new Task(java.util.UUID.randomUUID().toString(), agentId, type, parameters, now, now.plusSeconds(300));
        server.queueSigned(server.taskSigner().sign(task));
        return task;
    }

    private tools.jackson.databind.JsonNode awaitLastChunk(Task task) {
        var path = "/api/v1/agent/tasks/" + task.taskId() + "/";
        await().atMost(Duration.ofSeconds(60)).until(() -> server.reports(path).stream().anyMatch(r -> r.body().path("last").asBoolean()));
        return server.reports(path).stream().filter(r -> r.body().path("last").asBoolean()).findFirst().orElseThrow().body();
    }

    @Test
    void keepsItsIdentityAcrossARestartWithoutTheToken() throws Exception {
        agent = AgentMain.start(options(Optional.of(ProtocolTestServer.TOKEN)), Clock.systemUTC(), ServerClient.defaultTransport(), 1);
        var first = new AgentStateStore(stateDir).load().orElseThrow();
        agent.close();

        agent = AgentMain.start(options(Optional.empty()), Clock.systemUTC(), ServerClient.defaultTransport(), 1);

        assertThat(new AgentStateStore(stateDir).load()).contains(first);
        var ping = server.queueTask(first.agentId(), Task.PING);
        await().atMost(Duration.ofSeconds(30)).until(() -> !server.reports("/api/v1/agent/tasks/" + ping.taskId()).isEmpty());
    }

    @Test
    void refusesToStartUnenrolledWithoutAToken() {
        assertThatThrownBy(() -> AgentMain.start(options(Optional.empty()), Clock.systemUTC(), ServerClient.defaultTransport(), 1))
                .isInstanceOf(Enrollment.NotEnrolledException.class).hasMessageContaining("--enroll-token");
    }

    private AgentOptions options(Optional<String> token) {
        return new AgentOptions(server.uri(), token, stateDir, false, false);
    }
}
