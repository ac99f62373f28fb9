package io.opsbase.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.opsbase.audit.AuditLog;
import io.opsbase.audit.AuditQuery;
import io.opsbase.auth.Role;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.Ed25519Keys;
import io.opsbase.protocol.signing.RequestSigner;
import io.opsbase.protocol.signing.SignatureHeaders;
import io.opsbase.protocol.signing.TaskVerifier;
import io.opsbase.testing.ApiClient;
import io.opsbase.testing.TestUsers;

/** The agent channel over real HTTP with real signatures: enrollment, long-poll, ping, and every rejection. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestUsers.class)
class AgentChannelApiTest {

    @LocalServerPort
    int port;

    @Autowired
    TestUsers testUsers;

    @Autowired
    EnrollmentTokenService enrollmentTokens;

    @Autowired
    AuditLog auditLog;

    @Autowired
    io.opsbase.agents.internal.AgentChannel channel;

    final HttpClient http = HttpClient.newHttpClient();

    record Enrolled(EnrollResponse response, RequestSigner signer) {
    }

    Enrolled enroll() throws Exception {
        String token = enrollmentTokens.issue(1, null, false, "test", "admin").token();
        var request = new EnrollRequest(token, new HostFingerprint("mid-" + System.nanoTime(), null, null, null,
                List.of("02:00:00:00:00:01"), "host-" + System.nanoTime()), "1.0.0", ProtocolVersion.CURRENT);
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        var response = ProtocolJson.read(r.body(), EnrollResponse.class);
        return new Enrolled(response, new RequestSigner(response.agentId(),
                Base64.getDecoder().decode(response.secret()), Clock.systemUTC()));
    }

    HttpResponse<String> signed(RequestSigner signer, String method, String pathAndQuery, byte[] body) throws Exception {
        return send(method, pathAndQuery, body, signer.sign(method, pathAndQuery, body));
    }

    HttpResponse<String> send(String method, String pathAndQuery, byte[] body, SignatureHeaders headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        headers.asMap().forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void enrolledAgentReceivesSignedPingOverLongPollAndAnswersIt() throws Exception {
        Enrolled agent = enroll();
        String agentId = agent.response().agentId();
        // Open the long-poll first, then queue the ping: the poll must answer at once, not after 30 s.
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return signed(agent.signer(), "GET", "/api/v1/agent/tasks?wait=30", new byte[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.OPERATOR));
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> channel.openPolls() > 0);
        var ping = admin.post("/api/v1/agents/" + agentId + "/ping", "{}");
        assertThat(ping.status()).isEqualTo(201);
        var answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        var tasks = ProtocolJson.read(answer.body().getBytes(StandardCharsets.UTF_8), TaskPollResponse.class).tasks();
        assertThat(tasks).hasSize(1);
        var task = tasks.getFirst();
        assertThat(task.task().type()).isEqualTo("ping");
        assertThat(task.task().agentId()).isEqualTo(agentId);
        assertThat(new TaskVerifier(Ed25519Keys.publicKey(agent.response().serverPublicKey())).verify(task)).isTrue();

        var out = new TaskOutputRequest("k-" + task.task().taskId(), task.task().taskId(), 0, "pong", null, true, 0, null, null);
        var ack = signed(agent.signer(), "POST", "/api/v1/agent/tasks/" + task.task().taskId() + "/output", ProtocolJson.write(out));
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("ACCEPTED");
        var again = signed(agent.signer(), "POST", "/api/v1/agent/tasks/" + task.task().taskId() + "/output", ProtocolJson.write(out));
        assertThat(again.body()).contains("DUPLICATE");

        var stored = admin.get("/api/v1/agents/" + agentId + "/tasks/" + task.task().taskId()).json();
        assertThat(stored.get("output").asString()).isEqualTo("pong");
        assertThat(stored.get("exitCode").asInt()).isZero();
        var listed = admin.get("/api/v1/agents/" + agentId).json();
        assertThat(listed.get("status").asString()).isEqualTo("online");
    }

    @Autowired
    AgentService agentService;

    /**
     * Tasks sent together (a job's dispatch) reach the agents' held polls as committed, signed as one
     * batch, and are then marked delivered (in batches, shortly after the answers went out).
     */
    @Test
    void heldPollsAreAnsweredWithTheirBatchSignedTasksAndTheTasksMarkedDelivered() throws Exception {
        Enrolled a = enroll();
        Enrolled b = enroll();
        List<CompletableFuture<HttpResponse<String>>> polls = new java.util.ArrayList<>();
        for (Enrolled agent : List.of(a, b)) {
            polls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return signed(agent.signer(), "GET", "/api/v1/agent/tasks?wait=30", new byte[0]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> channel.openPolls() >= 2);

        List<Long> ids = agentService.sendAll("ping", List.of(new AgentService.TaskOrder(Long.parseLong(a.response().agentId()), Map.of()),
                new AgentService.TaskOrder(Long.parseLong(b.response().agentId()), Map.of())), false, "for a test");

        var verifier = new TaskVerifier(Ed25519Keys.publicKey(a.response().serverPublicKey()));
        for (int i = 0; i < 2; i++) {
            var answer = polls.get(i).get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            var tasks = ProtocolJson.read(answer.body().getBytes(StandardCharsets.UTF_8), TaskPollResponse.class).tasks();
            assertThat(tasks).hasSize(1);
            assertThat(tasks.getFirst().task().taskId()).isEqualTo(Long.toString(ids.get(i)));
            assertThat(tasks.getFirst().batch().treeSize()).isEqualTo(2);
            assertThat(verifier.verify(tasks.getFirst())).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            long agentId = Long.parseLong(List.of(a, b).get(i).response().agentId());
            long taskId = ids.get(i);
            org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> agentService.task(agentId, taskId).deliveredAt() != null);
        }
    }

    @Test
    void prometheusGaugeCountsHeldLongPolls() throws Exception {
        Enrolled agent = enroll();
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return signed(agent.signer(), "GET", "/api/v1/agent/tasks?wait=2", new byte[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openPollsGauge() >= 1);
        assertThat(poll.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openPollsGauge() == 0);
    }

    /** {@code opsbase_agents_open_polls} as /actuator/prometheus shows it; -1 when absent. */
    double openPollsGauge() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().lines().filter(l -> l.startsWith("opsbase_agents_open_polls "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void rejectsTamperedBodyReplayStaleTimestampAndRevokedAgentWithReasonAndAudit() throws Exception {
        Enrolled agent = enroll();
        String path = "/api/v1/agent/tasks/1/output";
        byte[] body = "{\"idempotencyKey\":\"x\",\"taskId\":\"1\",\"sequence\":0,\"last\":false}".getBytes(StandardCharsets.UTF_8);

        SignatureHeaders h = agent.signer().sign("POST", path, body);
        var tampered = send("POST", path, "{\"evil\":1}".getBytes(StandardCharsets.UTF_8), h);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(tampered.body()).contains("BAD_SIGNATURE");

        var poll = "/api/v1/agent/tasks?wait=0";
        SignatureHeaders once = agent.signer().sign("GET", poll, new byte[0]);
        assertThat(send("GET", poll, new byte[0], once).statusCode()).isEqualTo(200);
        var replay = send("GET", poll, new byte[0], once);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("REPLAYED_NONCE");

        long stale = System.currentTimeMillis() / 1000 - 600;
        var old = send("GET", poll, new byte[0], agent.signer().sign("GET", poll, new byte[0], stale, "0123456789abcdef0123456789abcdef"));
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("STALE_TIMESTAMP").contains("skewSeconds");

        var admin = ApiClient.at(port).withBearer(testUsers.tokenFor(Role.ADMIN));
        assertThat(admin.post("/api/v1/agents/" + agent.response().agentId() + "/revoke", "{}").status()).isEqualTo(200);
        var revoked = signed(agent.signer(), "GET", poll, new byte[0]);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("REVOKED_AGENT");

        var audit = auditLog.list(new AuditQuery(null, "agent.request-rejected", "agent", agent.response().agentId(),
                null, null, null, null, 50)).items();
        assertThat(audit).extracting(r -> r.summary().substring(0, r.summary().indexOf(':')))
                .contains("BAD_SIGNATURE", "REPLAYED_NONCE", "STALE_TIMESTAMP", "REVOKED_AGENT");
    }

    @Test
    void refusesEnrollmentWithUsedUpToken() throws Exception {
        String token = enrollmentTokens.issue(1, null, false, "test", "admin").token();
        var request = new EnrollRequest(token, new HostFingerprint(null, null, null, null, List.of(), "h"), "1.0.0",
                ProtocolVersion.CURRENT);
        var uri = URI.create("http://127.0.0.1:" + port + "/api/v1/agent/enroll");
        var first = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(), HttpResponse.BodyHandlers.ofString());
        var second = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(request))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(second.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void rejectsUnsignedAgentRequestsAndUserTokensOnAgentRoutes() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/agent/tasks?wait=0"))
                .header("Authorization", "Bearer " + testUsers.tokenFor(Role.ADMIN)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("MISSING_HEADERS");
    }
}
