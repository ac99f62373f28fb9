package io.opsbase.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsbase.protocol.inventory.InventoryFixtures;

class MessageJsonTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void everyMessageSurvivesARoundTrip() {
        var ack = new Acknowledgement("k-1", Acknowledgement.Status.ACCEPTED, T);
        var task = new Task("t-1", "agent-1", Task.PING, Map.of(), T, T.plusSeconds(300));
        List<Object> messages = List.of(
                new EnrollRequest("tok", new HostFingerprint("mid", "Dell Inc.", "SN1", null, List.of("aa:bb:cc:dd:ee:ff"), "web-1"),
                        "0.1.0", ProtocolVersion.CURRENT),
                new EnrollResponse("agent-1", "c2VjcmV0", "MCowBQYDK2VwAyEA", EnrollResponse.Approval.PENDING, ProtocolVersion.CURRENT),
                new ConfigRequest("\"e1\""),
                new ConfigResponse("\"e1\"", Duration.ofHours(24), 30, Map.of("cpu.interval", "PT10S")),
                new InventoryRequest("k-1", T, "abc", InventoryFixtures.server(100, 5)),
                new InventoryResponse(ack),
                new MetricsBatchRequest("k-2", List.of(new MetricSample("cpu_usage", Map.of("cpu", "0"), T, 0.25))),
                new MetricsBatchResponse(ack),
                new TaskPollRequest(30, 2),
                new TaskPollResponse(List.of(new SignedTask(task, "c2ln"))),
                new TaskOutputRequest("k-3", "t-1", 0, "pong", "", true, 0, T, T.plusMillis(3)),
                new TaskOutputResponse(ack),
                new Problem(Problem.SIGNATURE_TYPE, "Bad signature", 401, "too old", "STALE_TIMESTAMP", -400L));

        for (Object message : messages) {
            var json = ProtocolJson.write(message);
            assertThat(ProtocolJson.read(json, message.getClass())).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(message);
        }
    }

    @Test
    void writesInstantsAndDurationsAsIsoText() {
        var json = new String(ProtocolJson.write(new ConfigResponse("e", Duration.ofHours(24), 30, Map.of())), StandardCharsets.UTF_8);
        var ack = new String(ProtocolJson.write(new Acknowledgement("k", Acknowledgement.Status.DUPLICATE, T)), StandardCharsets.UTF_8);

        assertThat(json).contains("\"inventoryInterval\":\"PT24H\"");
        assertThat(ack).isEqualTo("{\"idempotencyKey\":\"k\",\"status\":\"DUPLICATE\",\"receivedAt\":\"2026-11-28T10:00:00Z\"}");
    }

    @Test
    void ignoresFieldsAddedByANewerMinorVersion() {
        var json = "{\"idempotencyKey\":\"k\",\"status\":\"ACCEPTED\",\"receivedAt\":null,\"shard\":7}".getBytes(StandardCharsets.UTF_8);

        assertThat(ProtocolJson.read(json, Acknowledgement.class).idempotencyKey()).isEqualTo("k");
    }

    @Test
    void hidesSecretsFromToString() {
        assertThat(new EnrollResponse("a", "s3cr3t", "k", null, ProtocolVersion.CURRENT).toString()).doesNotContain("s3cr3t");
        assertThat(new EnrollRequest("t0k3n", new HostFingerprint(null, null, null, null, null, null), "v", ProtocolVersion.CURRENT)
                .toString()).doesNotContain("t0k3n");
    }

    @Test
    void parsesAndComparesProtocolVersions() {
        assertThat(ProtocolVersion.parse("1.4")).isEqualTo(new ProtocolVersion(1, 4));
        assertThat(ProtocolVersion.parse("1.4").isCompatibleWith(ProtocolVersion.CURRENT)).isTrue();
        assertThat(ProtocolVersion.parse("2.0").isCompatibleWith(ProtocolVersion.CURRENT)).isFalse();
    }
}
