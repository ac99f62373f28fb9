package io.opsbase.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opsbase.agent.ProtocolTestServer;
import io.opsbase.agent.TestClock;
import io.opsbase.agent.state.AgentState;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.ConfigRequest;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.TaskPollRequest;
import io.opsbase.protocol.signing.RequestSigner;

class ServerClientTest {

    private final TestClock serverClock = TestClock.at("2026-11-28T10:00:00Z");
    private final TestClock agentClock = TestClock.at("2026-11-28T10:00:00Z");
    private final ProtocolTestServer server;

    ServerClientTest() throws IOException {
        server = new ProtocolTestServer(serverClock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enrollsWithAValidTokenAndReceivesAnIdentity() throws Exception {
        var client = ServerClient.unsigned(server.uri(), ServerClient.defaultTransport(), "test");

        var response = client.enroll(new EnrollRequest(ProtocolTestServer.TOKEN, fingerprint(), "test", ProtocolVersion.CURRENT));

        assertThat(response.agentId()).startsWith("agent-");
        assertThat(response.secret()).isNotBlank();
        assertThat(response.serverPublicKey()).isNotBlank();
    }

    @Test
    void reportsARefusedEnrollmentTokenAsANonRetryableRejection() {
        var client = ServerClient.unsigned(server.uri(), ServerClient.defaultTransport(), "test");

        assertThatThrownBy(() -> client.enroll(new EnrollRequest("wrong", fingerprint(), "test", ProtocolVersion.CURRENT)))
                .isInstanceOfSatisfying(ServerRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("the enrollment token is unknown, used up or expired");
                });
    }

    @Test
    void signsReportsSoTheServerAcceptsAndAcknowledgesThem() throws Exception {
        var client = signedClient(server.enrolledAgent(), agentClock);

        var ack = client.report(AgentEndpoints.INVENTORY, "k-1", "{\"idempotencyKey\":\"k-1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(ack.idempotencyKey()).isEqualTo("k-1");
        assertThat(ack.status()).isEqualTo(Acknowledgement.Status.ACCEPTED);
        assertThat(server.reports()).hasSize(1);
    }

    @Test
    void compressesLargeReportsAndSignsTheCompressedBytes() throws Exception {
        var client = signedClient(server.enrolledAgent(), agentClock);
        var padding = "x".repeat(20_000);
        var body = ("{\"idempotencyKey\":\"k-big\",\"padding\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);

        var ack = client.report(AgentEndpoints.INVENTORY, "k-big", body);

        assertThat(ack.acknowledges("k-big")).isTrue();
        assertThat(server.compressedRequests()).isEqualTo(1);
        assertThat(server.reports().getFirst().body().path("padding").asString()).isEqualTo(padding);
    }

    @Test
    void sendsSmallReportsUncompressed() throws Exception {
        signedClient(server.enrolledAgent(), agentClock).report(AgentEndpoints.INVENTORY, "k-1",
                "{\"idempotencyKey\":\"k-1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(server.compressedRequests()).isZero();
    }

    @Test
    void signsTheLongPollIncludingItsQuery() throws Exception {
        var agent = server.enrolledAgent();
        var client = signedClient(agent, agentClock);

        var response = client.pollTasks(new TaskPollRequest(0, 3));

        assertThat(response.tasks()).isEmpty();
        assertThat(server.polls()).containsExactly("/api/v1/agent/tasks?wait=0&outboxDropped=3");
    }

    @Test
    void fetchesTheConfigurationAndGetsNothingNewForItsETag() throws Exception {
        var client = signedClient(server.enrolledAgent(), agentClock);

        var config = client.config(new ConfigRequest(null)).orElseThrow();

        assertThat(config).isEqualTo(ProtocolTestServer.CONFIG);
        assertThat(client.config(new ConfigRequest(config.etag()))).isEmpty();
    }

    @Test
    void explainsAClockSkewRejectionWithTheMeasuredSkew() {
        agentClock.advance(Duration.ofSeconds(-412));
        var client = signedClient(server.enrolledAgent(), agentClock);

        assertThatThrownBy(() -> client.pollTasks(new TaskPollRequest(0, 0)))
                .isInstanceOfSatisfying(ServerRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.problem().reason()).isEqualTo("STALE_TIMESTAMP");
                    assertThat(e.problem().skewSeconds()).isEqualTo(-412L);
                    assertThat(e.getMessage()).contains("412 s behind the server clock")
                            .contains("this host's clock is 412 s behind the server's: check its time synchronisation (NTP)");
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void measuresAClockSkewThatTheServerStillAccepts() throws Exception {
        var wallClock = TestClock.at(java.time.Instant.now().toString());
        try (var realTimeServer = new ProtocolTestServer(wallClock)) {
            wallClock.advance(Duration.ofSeconds(-120));
            var agent = realTimeServer.enrolledAgent();
            var client = ServerClient.signed(realTimeServer.uri(), ServerClient.defaultTransport(),
                    new RequestSigner(agent.agentId(), agent.secretBytes(), wallClock), "test", wallClock);

            client.pollTasks(new TaskPollRequest(0, 0));

            // The server's Date header is wall-clock time; the agent's clock is two minutes slow.
            assertThat(client.skewWatch().lastSkew()).hasValueSatisfying(skew -> assertThat(skew.toSeconds()).isBetween(-125L, -115L));
        }
    }

    @Test
    void explainsAWrongSecret() {
        var agent = server.enrolledAgent();
        var forged = new AgentState(agent.serverUrl(), agent.agentId(), "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==", agent.serverPublicKey());

        assertThatThrownBy(() -> signedClient(forged, agentClock).pollTasks(new TaskPollRequest(0, 0)))
                .isInstanceOfSatisfying(ServerRejection.class, e -> assertThat(e.getMessage())
                        .contains("BAD_SIGNATURE").contains("the secret in the state directory does not match"));
    }

    @Test
    void explainsARevokedAgent() {
        var agent = server.enrolledAgent();
        server.revoke(agent.agentId());

        assertThatThrownBy(() -> signedClient(agent, agentClock).pollTasks(new TaskPollRequest(0, 0)))
                .isInstanceOfSatisfying(ServerRejection.class, e -> assertThat(e.getMessage())
                        .contains("REVOKED_AGENT").contains("enroll it again with a new token"));
    }

    @Test
    void reportsAnUnreachableServerAsAnIOException() {
        var client = ServerClient.signed(URI.create("http://127.0.0.1:1"), ServerClient.defaultTransport(),
                new RequestSigner("a", new byte[32], agentClock), "test", agentClock);

        assertThatThrownBy(() -> client.pollTasks(new TaskPollRequest(0, 0))).isInstanceOf(IOException.class);
    }

    private ServerClient signedClient(AgentState agent, TestClock clock) {
        return ServerClient.signed(server.uri(), ServerClient.defaultTransport(),
                new RequestSigner(agent.agentId(), agent.secretBytes(), clock), "test", clock);
    }

    private static HostFingerprint fingerprint() {
        return new HostFingerprint("3d1219c7c4c5404aaa1f6d2a48adfda4", null, null, null, List.of("02:fc:00:00:00:01"), "vm");
    }
}
