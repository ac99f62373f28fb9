package io.opsbase.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.auth.Role;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;
import tools.jackson.databind.JsonNode;

/** The real server and a real agent process on this machine, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class AgentEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @TempDir
    Path stateDir;

    @Test
    void agentEnrollsAnswersPingAndKeepsItsIdentityAcrossRestart() throws Exception {
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        String enrollToken = admin.post("/api/v1/enrollment-tokens", "{\"uses\": 1}").json().get("token").asString();
        String server = "http://127.0.0.1:" + port;

        String agentId;
        try (AgentProcess agent = AgentProcess.start(server, stateDir, enrollToken)) {
            // Tests share a server, so find this agent by the id it logs at enrollment.
            agentId = await().atMost(Duration.ofSeconds(60)).until(() -> enrolledId(agent), id -> id != null);
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> admin.get("/api/v1/agents/" + agentId).json().get("status").asString(), "online"::equals);
            assertPingAnswered(admin, agentId, agent);
        }

        // Restart from the same state directory: no token needed, same identity, still answering.
        try (AgentProcess again = AgentProcess.start(server, stateDir, null)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> again.log().contains("agent " + agentId + " running"));
            assertPingAnswered(admin, agentId, again);
            assertThat(again.log()).doesNotContain("enrolled as agent");
        }
    }

    private static String enrolledId(AgentProcess agent) {
        var m = java.util.regex.Pattern.compile("enrolled as agent (\\d+)").matcher(agent.log());
        return m.find() ? m.group(1) : null;
    }

    private static void assertPingAnswered(ApiClient admin, String agentId, AgentProcess agent) {
        var ping = admin.post("/api/v1/agents/" + agentId + "/ping", "{}");
        assertThat(ping.status()).as(ping.body()).isEqualTo(201);
        String taskUrl = ping.header("Location");
        JsonNode done = await().atMost(Duration.ofSeconds(30))
                .until(() -> admin.get(taskUrl).json(), t -> !t.get("completedAt").isNull());
        assertThat(done.get("output").asString()).as(agent.log()).isEqualTo("pong");
        assertThat(done.get("exitCode").asInt()).isZero();
    }
}
