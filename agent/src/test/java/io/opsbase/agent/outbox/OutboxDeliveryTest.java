package io.opsbase.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.opsbase.agent.ProtocolTestServer;
import io.opsbase.agent.TestClock;
import io.opsbase.agent.outbox.OutboxDelivery.Outcome;
import io.opsbase.agent.state.AgentState;
import io.opsbase.agent.transport.Backoff;
import io.opsbase.agent.transport.ServerClient;
import io.opsbase.protocol.AgentEndpoints;
import io.opsbase.protocol.signing.RequestSigner;

class OutboxDeliveryTest {

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-11-28T10:00:00Z");
    private final ProtocolTestServer server;
    private final AgentState agent;

    OutboxDeliveryTest() throws IOException {
        server = new ProtocolTestServer(clock);
        agent = server.enrolledAgent();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void deliversEntriesInOrderAndRemovesEachOnceAcknowledged() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        for (int i = 1; i <= 3; i++) {
            outbox.append(AgentEndpoints.INVENTORY, "k" + i, report("k" + i));
        }
        var delivery = delivery(outbox, server);

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.EMPTY);

        assertThat(server.reports()).extracting(ProtocolTestServer.Report::idempotencyKey).containsExactly("k1", "k2", "k3");
        assertThat(outbox.size()).isZero();
    }

    @Test
    void keepsEverythingWhileTheServerIsDownAndDeliversItOnceWhenItIsBack() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        outbox.append(AgentEndpoints.INVENTORY, "k2", report("k2"));
        server.close();
        var offline = delivery(outbox, server);

        assertThat(offline.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.RETRY_LATER);
        assertThat(Outbox.open(dir, OutboxLimits.STANDARD, clock).size()).as("after an agent restart too").isEqualTo(2);

        try (var restarted = new ProtocolTestServer(clock)) {
            // The fixture keeps its agents in memory, so the restarted server knows a fresh identity.
            var identity = restarted.enrolledAgent();
            var reopened = Outbox.open(dir, OutboxLimits.STANDARD, clock);
            var back = new OutboxDelivery(reopened, ServerClient.signed(restarted.uri(), ServerClient.defaultTransport(),
                    new RequestSigner(identity.agentId(), identity.secretBytes(), clock), "test", clock), Backoff.standard());
            var delivered = 0;
            while (back.deliverOnce(Duration.ZERO) == Outcome.DELIVERED) {
                delivered++;
            }
            assertThat(delivered).isEqualTo(2);
            assertThat(restarted.reports()).extracting(ProtocolTestServer.Report::idempotencyKey).containsExactly("k1", "k2");
            assertThat(reopened.size()).isZero();
        }
    }

    @Test
    void keepsAnEntryTheServerCouldNotStoreAndSendsItAgainWithTheSameKey() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        var delivery = delivery(outbox, server);
        server.answerReportsWith(503);

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.RETRY_LATER);
        assertThat(outbox.size()).isEqualTo(1);

        server.answerReportsWith(0);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(server.reports()).extracting(ProtocolTestServer.Report::idempotencyKey).containsExactly("k1");
    }

    @Test
    void removesAnEntryWhoseDuplicateTheServerAlreadyHolds() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        var delivery = delivery(outbox, server);

        delivery.deliverOnce(Duration.ZERO);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);

        assertThat(server.reports()).hasSize(1);
        assertThat(server.duplicates()).isEqualTo(1);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void dropsAnEntryTheServerRefusesForGoodSoLaterOnesStillArrive() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", "{\"idempotencyKey\":\"other\"}".getBytes(StandardCharsets.UTF_8));
        outbox.append(AgentEndpoints.INVENTORY, "k2", report("k2"));
        var delivery = delivery(outbox, server);

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.REFUSED);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);

        assertThat(server.reports()).extracting(ProtocolTestServer.Report::idempotencyKey).containsExactly("k2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {401, 403, 404, 405, 408, 410, 425, 429, 500, 502, 503, 504})
    void keepsAndRetriesAnEntryOnAnswersThatMayPassLater(int status) throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        outbox.append(AgentEndpoints.INVENTORY, "k2", report("k2"));
        var delivery = delivery(outbox, server);
        server.answerReportsWith(status);

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.RETRY_LATER);
        assertThat(delivery.deliverOnce(Duration.ZERO)).as("the same entry again, not the next").isEqualTo(Outcome.RETRY_LATER);
        assertThat(outbox.size()).isEqualTo(2);
        assertThat(Outbox.open(dir, OutboxLimits.STANDARD, clock).oldest()).get()
                .extracting(OutboxEntry::idempotencyKey).as("kept on disk").isEqualTo("k1");

        server.answerReportsWith(0);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(server.reports()).extracting(ProtocolTestServer.Report::idempotencyKey).containsExactly("k1", "k2");
        assertThat(outbox.size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 413, 422})
    void dropsAnEntryOnAnswersThatMeanItCanNeverBeAccepted(int status) throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        outbox.append(AgentEndpoints.INVENTORY, "k2", report("k2"));
        var delivery = delivery(outbox, server);
        server.answerReportsWith(status);

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.REFUSED);
        assertThat(outbox.size()).isEqualTo(1);

        server.answerReportsWith(0);
        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(server.reports()).extracting(ProtocolTestServer.Report::idempotencyKey).containsExactly("k2");
    }

    @Test
    void countsAConflictAsDeliveredBecauseTheServerAlreadyHoldsTheReport() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        var delivery = delivery(outbox, server);
        server.answerReportsWith(409);

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.DELIVERED);
        assertThat(outbox.size()).isZero();
        assertThat(server.reports()).isEmpty();
    }

    @Test
    void keepsTheEntryWhileTheAgentIsRevokedAndDeliversItOnceTheServerAcceptsItAgain() throws Exception {
        var outbox = Outbox.open(dir, OutboxLimits.STANDARD, clock);
        outbox.append(AgentEndpoints.INVENTORY, "k1", report("k1"));
        var revoked = server.enrolledAgent();
        server.revoke(revoked.agentId());
        var delivery = new OutboxDelivery(outbox, ServerClient.signed(server.uri(), ServerClient.defaultTransport(),
                new RequestSigner(revoked.agentId(), revoked.secretBytes(), clock), "test", clock), Backoff.standard());

        assertThat(delivery.deliverOnce(Duration.ZERO)).isEqualTo(Outcome.RETRY_LATER);
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(server.reports()).isEmpty();
    }

    private OutboxDelivery delivery(Outbox outbox, ProtocolTestServer target) {
        return new OutboxDelivery(outbox, ServerClient.signed(target.uri(), ServerClient.defaultTransport(),
                new RequestSigner(agent.agentId(), agent.secretBytes(), clock), "test", clock), Backoff.standard());
    }

    private static byte[] report(String key) {
        return ("{\"idempotencyKey\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
