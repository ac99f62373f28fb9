package io.opsbase.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

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

/**
 * The real server and a real agent process: the agent enrolls with an auto-approving token, its
 * host becomes a CI, it receives the Linux template, and the graph API answers this machine's own
 * CPU and memory figures.
 */
// Its own context (and so its own database): approving this machine's host here must not make the
// discovery end-to-end test, which enrolls the same hardware, see a second claim on it.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.monitoring.notify-every=1m")
@Import(TestUsers.class)
class MonitoringEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @TempDir
    Path stateDir;

    @Test
    void aRealAgentsCpuAndMemoryAreStoredAndDrawn() throws Exception {
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        String enrollToken = admin.post("/api/v1/enrollment-tokens", "{\"uses\": 1, \"autoApprove\": true}").json().get("token").asString();
        Instant started = Instant.now();

        try (AgentProcess agent = AgentProcess.start("http://127.0.0.1:" + port, stateDir, enrollToken)) {
            String agentId = await().atMost(Duration.ofSeconds(60)).until(() -> {
                var m = java.util.regex.Pattern.compile("enrolled as agent (\\d+)").matcher(agent.log());
                return m.find() ? m.group(1) : null;
            }, id -> id != null);
            long ci = await().atMost(Duration.ofSeconds(60)).until(
                    () -> admin.get("/api/v1/agents/" + agentId).json().get("ciId"), n -> n != null && !n.isNull()).asLong();

            JsonNode cpu = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(
                    () -> query(admin, "cpu_used_percent{ci=\"" + ci + "\",cpu=\"total\"}", started),
                    g -> g.get("series").size() == 1 && !g.get("series").get(0).get("columns").isEmpty());
            for (JsonNode column : cpu.get("series").get(0).get("columns")) {
                assertThat(column.get("min").asDouble()).isBetween(0.0, 100.0);
                assertThat(column.get("max").asDouble()).isBetween(0.0, 100.0);
            }

            JsonNode memory = await().atMost(Duration.ofSeconds(30)).until(
                    () -> query(admin, "memory_total_bytes{ci=\"" + ci + "\"}", started), g -> g.get("series").size() == 1);
            long memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
            assertThat(memory.get("series").get(0).get("columns").get(0).get("max").asDouble()).as(agent.log())
                    .isEqualTo(memTotalKb * 1024d);

            // Filesystems are collected once a minute (at an offset), network rates from the second reading on.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(admin.get("/api/v1/metrics/series?ci=" + ci).json().get("items")).extracting(n -> n.get("name").asString())
                            .contains("cpu_percent", "system_load1", "network_receive_bytes_per_second", "filesystem_used_percent"));
        }
    }

    private JsonNode query(ApiClient admin, String selector, Instant from) {
        var r = admin.get("/api/v1/metrics/query?series=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&from=" + from.minusSeconds(60) + "&to=" + Instant.now().plusSeconds(60) + "&width=100");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }
}
