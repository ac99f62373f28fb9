package io.opsbase.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.agents.internal.AgentChannel;
import io.opsbase.auth.Role;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.SignedAgents;
import io.opsbase.testing.TestUsers;

/**
 * With {@code server.http2.enabled}: long-polls of many agents as streams of one HTTP/2 connection (h2c upgrade): more than Tomcat's
 * default of 100 concurrent streams per connection are held, and each is answered with its own task.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.http2.enabled=true")
@Import(TestUsers.class)
class Http2PollsApiTest {

    static final int AGENTS = 150;

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    AgentChannel channel;

    @Test
    void manyAgentsHoldTheirPollsOnOneConnectionAndEachGetsItsTask() throws Exception {
        var h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<EnrollResponse> enrolled = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            enrolled.add(SignedAgents.enrollUnbound(h1, port, enrollmentTokens, "h2c test"));
        }
        // One client is one connection: the first request upgrades it (Upgrade: h2c), the rest are its streams.
        var h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        var first = poll(h2, SignedAgents.signer(enrolled.getFirst()), 0);
        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(first.statusCode()).isEqualTo(200);
        int before = channel.openPolls();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (EnrollResponse agent : enrolled) {
            var signer = SignedAgents.signer(agent);
            polls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return poll(h2, signer, 30);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> channel.openPolls() >= before + AGENTS);

        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
        for (EnrollResponse agent : enrolled) {
            assertThat(admin.post("/api/v1/agents/" + agent.agentId() + "/ping", "{}").status()).isEqualTo(201);
        }
        for (int i = 0; i < AGENTS; i++) {
            var answer = polls.get(i).get(20, TimeUnit.SECONDS);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            var tasks = ProtocolJson.read(answer.body().getBytes(StandardCharsets.UTF_8), TaskPollResponse.class).tasks();
            assertThat(tasks).hasSize(1);
            assertThat(tasks.getFirst().task().type()).isEqualTo("ping");
            assertThat(tasks.getFirst().task().agentId()).isEqualTo(enrolled.get(i).agentId());
        }
    }

    private HttpResponse<String> poll(HttpClient http, RequestSigner signer, int wait) throws Exception {
        String path = "/api/v1/agent/tasks?wait=" + wait;
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(wait + 15)).GET();
        signer.sign("GET", path, new byte[0]).asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
