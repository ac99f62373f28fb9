package io.opsbase.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opsbase.agent.state.AgentStateStore;
import io.opsbase.protocol.Task;

/**
 * Runs the built jar ({@code target/opsbase-agent.jar}) as a real process against the protocol
 * fixture server: enrollment, restart without the token, and a server outage during which a task's
 * output waits in the outbox across an agent restart and then arrives exactly once.
 */
class AgentProcessIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private final ProtocolTestServer server;
    private Process agent;
    private int starts;

    AgentProcessIT() throws IOException {
        server = new ProtocolTestServer(Clock.systemUTC());
    }

    @AfterEach
    void stop() throws InterruptedException {
        stopAgent();
        server.close();
    }

    @Test
    void enrollsOnceAndKeepsItsIdentityAcrossRestarts() throws Exception {
        startAgent(true);
        await().atMost(PATIENCE).until(() -> !server.reports("/api/v1/agent/inventory").isEmpty());
        var identity = new AgentStateStore(stateDir()).load().orElseThrow();
        stopAgent();

        startAgent(false);
        var ping = server.queueTask(identity.agentId(), Task.PING);

        await().atMost(PATIENCE).until(() -> !server.reports("/api/v1/agent/tasks/" + ping.taskId()).isEmpty());
        assertThat(new AgentStateStore(stateDir()).load()).contains(identity);
        assertThat(server.reports("/api/v1/agent/inventory")).as("an unchanged inventory is not sent again").hasSize(1);
        assertThat(Files.readString(log(1))).contains("enrolled as agent " + identity.agentId());
    }

    @Test
    void deliversWhatWaitedThroughAServerOutageAndAnAgentRestartExactlyOnce() throws Exception {
        startAgent(true);
        await().atMost(PATIENCE).until(() -> !server.reports("/api/v1/agent/inventory").isEmpty() && entriesWaiting() == 0);
        var identity = new AgentStateStore(stateDir()).load().orElseThrow();

        server.answerReportsWith(503);
        var ping = server.queueTask(identity.agentId(), Task.PING);
        await().atMost(PATIENCE).until(() -> entriesWaiting() == 1);
        server.stopListening();
        stopAgent();
        assertThat(entriesWaiting()).as("the output survives the agent's restart").isEqualTo(1);

        startAgent(false);
        server.answerReportsWith(0);
        server.startListening();

        await().atMost(PATIENCE).until(() -> !server.reports("/api/v1/agent/tasks/" + ping.taskId()).isEmpty());
        await().atMost(PATIENCE).until(() -> entriesWaiting() == 0);
        assertThat(server.reports("/api/v1/agent/tasks/" + ping.taskId())).hasSize(1);
        assertThat(server.reports("/api/v1/agent/tasks/" + ping.taskId()).getFirst().body().path("stdout").asString()).isEqualTo("pong");
        assertThat(server.duplicates()).isZero();
    }

    private void startAgent(boolean withToken) throws IOException {
        starts++;
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-jar", Path.of("target", "opsbase-agent.jar").toAbsolutePath().toString(),
                "--server", server.uri().toString(), "--state-dir", stateDir().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log(starts).toFile());
        builder.environment().remove(AgentOptions.TOKEN_VARIABLE);
        if (withToken) {
            builder.environment().put(AgentOptions.TOKEN_VARIABLE, ProtocolTestServer.TOKEN);
        }
        agent = builder.start();
    }

    private void stopAgent() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor();
            }
        }
    }

    private long entriesWaiting() throws IOException {
        var outbox = stateDir().resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (var files = Files.list(outbox)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".entry")).count();
        }
    }

    private Path stateDir() {
        return tmp.resolve("state");
    }

    private Path log(int start) {
        return tmp.resolve("agent-" + start + ".log");
    }
}
