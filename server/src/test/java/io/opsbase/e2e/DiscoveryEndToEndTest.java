package io.opsbase.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.util.FileSystemUtils;

import io.opsbase.auth.Role;
import io.opsbase.discovery.DiscoveryService;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

/**
 * Discovery with the real server and a real agent process reporting this machine: approval puts
 * the machine's real hardware into a CI, a restart keeps it, and a wiped state directory followed
 * by a new enrollment still ends on the same CI id.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class DiscoveryEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    DiscoveryService discovery;

    @TempDir
    Path stateDir;

    @Test
    void thisMachineKeepsItsCiThroughApprovalRestartAndReenrollment() throws Exception {
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        String server = "http://127.0.0.1:" + port;

        long ciId;
        String firstAgent;
        try (AgentProcess agent = AgentProcess.start(server, stateDir, token(admin))) {
            firstAgent = await().atMost(Duration.ofSeconds(60)).until(() -> enrolledId(agent), id -> id != null);
            JsonNode pending = await().atMost(Duration.ofSeconds(60)).until(() -> openCase(admin, firstAgent), c -> c != null);
            assertThat(pending.get("kind").asString()).as(agent.log()).isEqualTo("new-host");
            var approved = admin.post("/api/v1/discovery/queue/" + pending.get("id").asLong() + "/approve",
                    "{\"class\": \"Server\", \"state\": \"in_use\"}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            ciId = admin.get("/api/v1/agents/" + firstAgent).json().get("ciId").asLong();

            JsonNode detail = admin.get("/api/v1/discovery/hosts/" + ciId).json();
            JsonNode inventory = detail.get("inventory");
            JsonNode attributes = admin.get("/api/v1/cis/" + ciId).json().get("attributes");
            assertThat(inventory.get("machineId").asString()).isEqualTo(Files.readString(Path.of("/etc/machine-id")).strip());
            int cores = 0;
            for (JsonNode p : inventory.get("processors")) {
                cores += p.get("cores").asInt();
            }
            assertThat(attributes.get("cpu_count").asInt()).isEqualTo(cores).isPositive();
            assertThat(attributes.get("memory_gb").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(
                    inventory.get("memory").get("totalBytes").asLong()).divide(BigDecimal.valueOf(1L << 30), 1, RoundingMode.HALF_UP));
            JsonNode system = inventory.get("system");
            if (system != null && !system.isNull() && system.hasNonNull("serial")) {
                assertThat(attributes.get("serial_number").asString()).isEqualTo(system.get("serial").asString());
            } else {
                assertThat(attributes.has("serial_number")).isFalse(); // no DMI here: missing, not invented
            }
            assertThat(kinds(admin, ciId, "disk")).hasSize(inventory.get("disks").size());
            assertThat(detail.get("identity").get("reasons").findValuesAsString("evidence")).contains("agent-binding", "machine-id");
        }

        try (AgentProcess again = AgentProcess.start(server, stateDir, null)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> again.log().contains("agent " + firstAgent + " running"));
            assertThat(admin.get("/api/v1/agents/" + firstAgent).json().get("ciId").asLong()).isEqualTo(ciId);
        }

        // Wipe the agent's state and enroll again, as after a reinstall of the agent.
        FileSystemUtils.deleteRecursively(stateDir);
        Files.createDirectories(stateDir);
        try (AgentProcess fresh = AgentProcess.start(server, stateDir, token(admin))) {
            String secondAgent = await().atMost(Duration.ofSeconds(60)).until(() -> enrolledId(fresh), id -> id != null);
            assertThat(secondAgent).isNotEqualTo(firstAgent);
            // The old agent may still count as online for up to 90 s: its new self is quarantined as a
            // clone until the old one has provably gone silent, then inherits the CI.
            long bound = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                discovery.reviewQuarantine();
                JsonNode ci = admin.get("/api/v1/agents/" + secondAgent).json().get("ciId");
                return ci.isNull() ? -1L : ci.asLong();
            }, id -> id != -1L);
            assertThat(bound).as(fresh.log()).isEqualTo(ciId);
            assertThat(admin.get("/api/v1/discovery/hosts/" + ciId).json().get("host").get("agentId").asString())
                    .isEqualTo(secondAgent);
        }
    }

    private static String token(ApiClient admin) {
        return admin.post("/api/v1/enrollment-tokens", "{\"uses\": 1}").json().get("token").asString();
    }

    private static String enrolledId(AgentProcess agent) {
        var m = Pattern.compile("enrolled as agent (\\d+)").matcher(agent.log());
        return m.find() ? m.group(1) : null;
    }

    private static JsonNode openCase(ApiClient admin, String agentId) {
        for (JsonNode c : admin.get("/api/v1/discovery/queue?limit=500").json().get("items")) {
            if (c.get("agentId").asString().equals(agentId)) {
                return c;
            }
        }
        return null;
    }

    private static List<JsonNode> kinds(ApiClient admin, long ciId, String kind) {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/v1/cis/" + ciId + "/components?kind=" + kind).json().get("items").forEach(out::add);
        return out;
    }
}
